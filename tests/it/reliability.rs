//! Promises about failure and concurrency: Ctrl-C during a login stores nothing and frees the
//! port; secrets stay out of child processes' environments; SIGKILL in the middle of a store
//! write never leaves a corrupt entry; 50 processes needing a refresh at once make exactly one
//! refresh request against a server that rotates refresh tokens.

use crate::support::{Env, Provider, run};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn signal(pid: u32, sig: &str) {
    let status = Command::new("kill").args([sig, &pid.to_string()]).status().expect("kill(1)");
    assert!(status.success());
}

#[test]
fn ctrl_c_during_a_login_exits_130_stores_nothing_and_frees_the_port() {
    let provider = Provider::start();
    let mut env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    env.set("OAT_TEST_BROWSER", "ignore");
    let mut child = env.command().args(["login", "local"]).stdin(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.split("redirect to http://127.0.0.1:").nth(1) {
            port = rest.split('/').next().and_then(|p| p.parse::<u16>().ok());
            break;
        }
        line.clear();
    }
    let port = port.expect("oat named the port it listens on");
    signal(child.id(), "-INT");
    let status = child.wait().unwrap();
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(rest.contains("interrupted"), "{rest}");
    assert!(env.stored("local").is_none());
    #[allow(clippy::disallowed_types)] // proving the port is free again
    let rebound = std::net::TcpListener::bind(("127.0.0.1", port));
    assert!(rebound.is_ok(), "port {port} is free again");
}

#[test]
fn children_never_inherit_the_client_secret() {
    let provider = Provider::start();
    let mut env = Env::new();
    env.profile_add("conf", &provider, "cli-confidential")
        .args(["--scope", "openid"])
        .args(["--client-auth", "client_secret_basic"])
        .assert()
        .success();
    env.set("OAT_CLIENT_SECRET", "cli-confidential-secret");
    // A browser that records its environment, then does what the test browser does.
    let dump = env.dir.path().join("browser-env");
    let script = env.dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nenv > '{}'\nexec '{}' \"$1\"\n", dump.display(), crate::support::browser().display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    env.set("BROWSER", script.to_str().unwrap());
    env.login("conf");
    let seen = std::fs::read_to_string(&dump).unwrap();
    assert!(seen.contains("OAT_TEST_BROWSER_LOG="), "the dump is the browser's environment");
    assert!(!seen.contains("cli-confidential-secret"), "the browser got the client secret");

    let out = run(env.oat().args(["exec", "conf", "--", "env"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("OAT_ACCESS_TOKEN="), "{}", out.stdout);
    assert!(!out.stdout.contains("cli-confidential-secret"), "exec's child got the client secret");
}

#[test]
fn sigkill_during_store_writes_never_corrupts_the_entry() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    let file = env.data_dir().join("local.json");
    // Kill `oat refresh` at spread-out moments: before, during and after its request and write.
    for i in 0..40u64 {
        let mut child =
            env.command().args(["refresh", "local"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(500 * (i % 20)));
        signal(child.id(), "-KILL");
        let _ = child.wait();
        let text = std::fs::read_to_string(&file).expect("the entry is still there");
        let entry: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("corrupt after kill {i}: {e}: {text}"));
        assert!(entry["tokens"]["access_token"].as_str().is_some_and(|t| !t.is_empty()), "{entry}");
    }
    // A refresh killed after the server rotated the refresh token loses the new one (nothing
    // can help that); what is stored is always readable: the next call works or asks for a
    // login, and never reports an unreadable entry.
    let out = run(env.oat().args(["refresh", "local"]));
    assert!(out.code == 0 || out.code == 3, "{}", out.stderr);
    assert!(!out.stderr.contains("unreadable"), "{}", out.stderr);
}

/// Makes the stored access token expired, as an hour passing would.
fn expire(env: &Env) {
    let file = env.data_dir().join("local.json");
    let mut entry: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    entry["tokens"]["expires_at"] = serde_json::json!(1);
    std::fs::write(&file, entry.to_string()).unwrap();
}

#[test]
fn fifty_processes_after_expiry_make_exactly_one_refresh_twenty_times_over() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    for round in 1..=20 {
        expire(&env);
        let started = Instant::now();
        let children: Vec<_> = (0..50)
            .map(|_| {
                env.command().args(["token", "local"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
            })
            .collect();
        let mut printed = BTreeSet::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
            printed.insert(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        let refreshes = provider.grants("refresh_token");
        assert_eq!(refreshes.len(), round, "round {round}: exactly one refresh per round ({:?})", started.elapsed());
        assert!(refreshes.iter().all(|r| r["status"] == 200), "{refreshes:?}");
        assert_eq!(printed.len(), 1, "round {round}: all 50 printed the same token");
        let token = printed.into_iter().next().unwrap();
        assert_eq!(provider.get("/me", Some(&token)).0, 200, "round {round}: the provider accepts it");
        let stored = env.stored("local").unwrap();
        assert_eq!(stored["tokens"]["access_token"], token.as_str());
    }
    // The stored refresh token is the newest: one more refresh is accepted (a stale one
    // would be refused, and would revoke the grant).
    let out = run(env.oat().args(["refresh", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn new_tokens_that_cannot_be_stored_are_reported_not_dropped() {
    use crate::support::fixture::{Fixture, Reply};
    let env = Env::new();
    let entry = env.data_dir().join("local.json");
    let blocker = entry.clone();
    // A token endpoint that answers, after making the store unwritable at that very moment
    // (the entry becomes a directory, which no rename can replace).
    let fixture = Fixture::start(move |r, _| match r.path.as_str() {
        "/auth" => Reply::approve(r, "code"),
        "/token" if r.param("grant_type") == Some("refresh_token") => {
            let _ = std::fs::remove_file(&blocker);
            let _ = std::fs::create_dir_all(blocker.join("in-the-way"));
            Reply::json(
                200,
                serde_json::json!({"access_token": "new-at", "refresh_token": "new-rt", "expires_in": 3600}),
            )
        }
        "/token" => {
            Reply::json(200, serde_json::json!({"access_token": "at", "refresh_token": "rt", "expires_in": 3600}))
        }
        _ => Reply::not_found(),
    })
    // The code exchange, and the refresh whose answer cannot be stored.
    .expect("/token", 2);
    env.add_fixture_profile("local", &fixture.url);
    env.login("local");
    let out = run(env.oat().args(["refresh", "local"]));
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(
        out.stderr.contains("the server issued new tokens for `local` but they could not be stored"),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("new-at"), "a token that could not be stored is not handed out");
}
