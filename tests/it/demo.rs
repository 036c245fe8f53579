//! `oat demo`: the tour on the embedded server end to end (auto-approved, as in CI), and
//! `oat demo serve` used by the real `oat` like any provider.

use crate::support::{Env, LoggedIn, run};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

#[test]
fn the_demo_runs_the_whole_flow_and_leaves_nothing_behind() {
    let env = Env::new();
    let out = run(env.oat().args(["demo", "--no-browser", "--auto-approve"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "the tour talks on stderr: {}", out.stdout);
    for step in [
        "profile add demo",
        "login demo",
        "token demo",
        "refresh demo",
        "request demo",
        "introspect demo",
        "revoke demo",
        "logout demo",
    ] {
        assert!(out.stderr.contains(&format!("$ oat {step}")), "{step}: {}", out.stderr);
    }
    assert!(out.stderr.contains("Hello, demo! This answer came from the oat demo API."), "{}", out.stderr);
    assert!(out.stderr.contains("the server rotated the refresh token"), "{}", out.stderr);
    assert!(out.stderr.contains("grant_type=refresh_token"), "the exchanges are shown: {}", out.stderr);
    // Secrets stay redacted, even the code in the server's redirect.
    assert!(out.stderr.contains("code=%5Bredacted+sha256%3A"), "{}", out.stderr);
    for line in out.stderr.lines().filter(|l| l.contains("\"access_token\"") || l.contains("refresh_token=")) {
        assert!(line.contains("[redacted sha256:"), "{line}");
    }
    let scratch = out.stderr.split("temporary config and store in ").nth(1).and_then(|r| r.split(',').next()).unwrap();
    assert!(!std::path::Path::new(scratch).exists(), "{scratch} was removed");
    assert!(!env.config_path().exists() && !env.data_dir().exists(), "the user's own config and store are untouched");
}

/// `oat demo serve`, killed on drop.
struct Serve(Child, String);

impl Serve {
    fn start(env: &Env) -> Serve {
        let mut child = env
            .command()
            .args(["demo", "serve", "--auto-approve"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.starts_with("http://127.0.0.1:"), "the issuer on stdout: {line:?}");
        Serve(child, line.trim().to_string())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn demo_serve_is_a_server_oat_can_use_like_any_other() {
    let env = Env::new();
    let serve = Serve::start(&env);
    let issuer = serve.1.as_str();
    LoggedIn::new("d", issuer, "demo-cli").scope("api").log_in(&env);
    let out = run(env.oat().args(["request", "d", &format!("{issuer}/api")]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Hello, demo!"), "{}", out.stdout);
    let out = run(env.oat().args(["request", "d", &format!("{issuer}/api"), "--token-in", "query"]));
    assert_eq!(out.code, 0, "the demo API takes the token in the query too: {}", out.stderr);
    let out = run(env.oat().args(["login", "d", "--flow", "device_code"]));
    assert_eq!(out.code, 0, "auto-approved device flow: {}", out.stderr);
    let out = run(env.oat().args(["inspect", "d", "--id-token", "--verify"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("signature: verified"), "{}", out.stdout);

    env.profile_add_at("m", issuer, "demo-machine")
        .args(["--flow", "client_credentials", "--scope", "api", "--client-secret-stdin"])
        .write_stdin("demo-machine-secret")
        .assert()
        .success();
    let out = run(env.oat().args(["request", "m", &format!("{issuer}/api")]));
    assert!(out.stdout.contains("\"sub\":\"demo-machine\""), "{}", out.stdout);
    let out = run(env.oat().arg("doctor"));
    assert_eq!(out.code, 0, "{}", out.stdout);
}
