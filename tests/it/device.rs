//! The device authorization grant (RFC 8628): end to end against the real provider (the test
//! approves the user code over HTTP, as a person on another device would), and the pacing
//! rules (`slow_down`, expiry) against a fixture that injects them.

use crate::support::fixture::{Fixture, Reply};
use crate::support::{Env, Provider, browser, run};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `oat login NAME` and, once it shows the verification URI with the code, has the test
/// browser open it (approve or deny); returns the finished login's output.
fn device_login(env: &Env, name: &str, browser_mode: &str) -> (i32, String) {
    let mut cmd = env.command();
    cmd.args(["login", name]).stdout(Stdio::null()).stderr(Stdio::piped());
    drive(cmd, false, browser_mode)
}

/// Runs `cmd` (with stdin closed), reading what oat tells the person from its stderr, or from
/// its stdout when `cmd` wraps oat in a terminal; approves or denies the code as it appears.
pub(crate) fn drive(mut cmd: Command, from_stdout: bool, browser_mode: &str) -> (i32, String) {
    let mut child = cmd.stdin(Stdio::null()).spawn().unwrap();
    let talk: Box<dyn std::io::Read> =
        if from_stdout { Box::new(child.stdout.take().unwrap()) } else { Box::new(child.stderr.take().unwrap()) };
    let mut stderr = String::new();
    let mut lines = BufReader::new(talk).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        stderr.push_str(&line);
        stderr.push('\n');
        if let Some(rest) = line.strip_prefix("(or open ") {
            let url = rest.split(',').next().unwrap();
            let status = Command::new(browser()).arg(url).env("OAT_TEST_BROWSER", browser_mode).status().unwrap();
            assert!(status.success(), "the test browser could not complete the device page");
            break;
        }
    }
    for line in lines {
        stderr.push_str(&line.unwrap());
        stderr.push('\n');
    }
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), stderr)
}

fn add_device_profile(env: &Env, provider: &Provider) {
    env.profile_add("dev", provider, "cli-device")
        .args(["--flow", "device_code"])
        .args(["--scope", "openid", "--scope", "offline_access"])
        .assert()
        .success();
}

#[test]
fn the_device_flow_logs_in_once_the_code_is_approved_elsewhere() {
    let provider = Provider::start();
    let env = Env::new();
    add_device_profile(&env, &provider);
    let (code, stderr) = device_login(&env, "dev", "approve");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(&format!("open {}/device on any device and enter the code", provider.issuer)), "{stderr}");
    assert!(stderr.contains("Logged in to `dev` as alice"), "{stderr}");
    assert!(!stderr.contains('\u{2580}'), "no QR code when stderr is not a terminal: {stderr}");
    let stored = env.stored("dev").unwrap();
    assert!(stored["tokens"]["refresh_token"].as_str().is_some());
    let polls = provider.grants("urn:ietf:params:oauth:grant-type:device_code");
    assert!(polls.last().is_some_and(|p| p["status"] == 200), "{polls:?}");
    // Without `interval` in the answer, oat waits 5 s between polls: nothing faster.
    assert!(polls.len() <= 3, "{polls:?}");
    // Its refresh token works like any other.
    let out = run(env.oat().args(["refresh", "dev"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn a_slow_down_from_the_real_provider_is_waited_out_past_its_keep_alive_timeout() {
    // The provider answers the first poll `slow_down` (injected), so the next poll comes
    // 10 s after it: Node has closed that idle connection after 5 s, and the poll must not be
    // written into it.
    let provider = Provider::start_with(&[("OAT_TEST_SLOW_DOWN", "1")]);
    let env = Env::new();
    add_device_profile(&env, &provider);
    let (code, stderr) = device_login(&env, "dev", "approve");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("The server asked oat to poll less often: every 10s now."), "{stderr}");
    assert!(stderr.contains("Logged in to `dev` as alice"), "{stderr}");
    let stored = env.stored("dev").unwrap();
    assert!(stored["tokens"]["refresh_token"].as_str().is_some(), "{stored}");
    assert!(provider.log().contains("answering slow_down"), "{}", provider.log());
    let polls = provider.grants("urn:ietf:params:oauth:grant-type:device_code");
    assert!(polls.last().is_some_and(|p| p["status"] == 200), "{polls:?}");
}

#[test]
fn on_a_terminal_a_qr_code_carries_the_complete_uri() {
    // util-linux's `script` gives oat a terminal; its stdout is what the terminal showed.
    let provider = Provider::start();
    let mut env = Env::new();
    env.unset("NO_COLOR");
    add_device_profile(&env, &provider);
    let mut cmd = env.in_terminal("login dev");
    cmd.env("TERM", "xterm").stdout(Stdio::piped()).stderr(Stdio::inherit());
    let (code, shown) = drive(cmd, true, "approve");
    assert_eq!(code, 0, "{shown}");
    let complete = shown.lines().find_map(|l| l.strip_prefix("(or open ")).and_then(|r| r.split(',').next()).unwrap();
    // The QR code's lines: two rows of modules each, top in the foreground colour (30 dark,
    // 97 light), bottom in the background colour (40 dark, 107 light).
    let mut grid: Vec<Vec<bool>> = Vec::new();
    for line in shown.lines().filter(|l| l.contains('\u{2580}')) {
        let cells: Vec<(bool, bool)> = line
            .split("\x1b[")
            .filter(|c| c.ends_with('\u{2580}'))
            .map(|c| c.trim_end_matches('\u{2580}').trim_end_matches('m').split_once(';').unwrap())
            .map(|(fg, bg)| (fg == "30", bg == "40"))
            .collect();
        grid.push(cells.iter().map(|c| c.0).collect());
        grid.push(cells.iter().map(|c| c.1).collect());
    }
    assert!(grid.len() > 20, "a QR code was shown: {shown}");
    let scale = 4;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(grid[0].len() * scale, grid.len() * scale, |x, y| {
        if grid[y / scale][x / scale] { 0 } else { 255 }
    });
    let found = image.detect_grids();
    assert_eq!(found.len(), 1, "{shown}");
    assert_eq!(found[0].decode().unwrap().1, complete);
}

#[test]
fn a_denied_device_login_exits_4_and_stores_nothing() {
    let provider = Provider::start();
    let env = Env::new();
    add_device_profile(&env, &provider);
    let (code, stderr) = device_login(&env, "dev", "deny");
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("access_denied"), "{stderr}");
    assert!(env.stored("dev").is_none());
}

fn device_fixture(expires_in: u64, polls: Vec<serde_json::Value>) -> Fixture {
    Fixture::start(move |r, before| match r.path.as_str() {
        "/device" => Reply::json(
            200,
            json!({"device_code": "dev-code", "user_code": "ABCD-EFGH", "verification_uri": "https://as.example/device",
                   "expires_in": expires_in, "interval": 1}),
        ),
        "/token" => {
            let n = before.iter().filter(|b| b.path == "/token").count();
            match polls.get(n).cloned().or_else(|| polls.last().cloned()) {
                Some(body) if body.get("error").is_some() => Reply::json(400, body),
                Some(body) => Reply::json(200, body),
                None => Reply::not_found(),
            }
        }
        _ => Reply::not_found(),
    })
}

#[test]
fn slow_down_adds_five_seconds_to_the_interval() {
    let fixture = device_fixture(
        60,
        vec![
            json!({"error": "authorization_pending"}),
            json!({"error": "slow_down"}),
            json!({"access_token": "at", "token_type": "Bearer", "expires_in": 60}),
        ],
    );
    let env = Env::new();
    env.add_device_fixture_profile("dev", &fixture.url);
    let out = run(env.oat().args(["login", "dev"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("poll less often: every 6s"), "{}", out.stderr);
    let polls = fixture.requests_to("/token");
    assert_eq!(polls.len(), 3);
    assert_eq!(polls[0].param("grant_type"), Some("urn:ietf:params:oauth:grant-type:device_code"));
    assert_eq!(polls[0].param("device_code"), Some("dev-code"));
    let first_gap = polls[1].at - polls[0].at;
    let second_gap = polls[2].at - polls[1].at;
    assert!(first_gap >= Duration::from_millis(900), "{first_gap:?}");
    assert!(second_gap >= Duration::from_millis(5900), "after slow_down: {second_gap:?}");
    assert_eq!(env.stored("dev").unwrap()["tokens"]["access_token"], "at");
}

#[test]
fn an_expired_device_code_exits_4() {
    // The code lives 2 s and nobody approves it.
    let fixture = device_fixture(2, vec![json!({"error": "authorization_pending"})]).expect("/device", 1);
    let env = Env::new();
    env.add_device_fixture_profile("dev", &fixture.url);
    let out = run(env.oat().args(["login", "dev"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("the device code expired after"), "{}", out.stderr);
    assert!(env.stored("dev").is_none());

    // The server may say so first, at the first poll.
    let fixture = device_fixture(60, vec![json!({"error": "expired_token"})]).expect("/token", 1);
    let env = Env::new();
    env.add_device_fixture_profile("dev", &fixture.url);
    let out = run(env.oat().args(["login", "dev"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("the device code expired"), "{}", out.stderr);
}
