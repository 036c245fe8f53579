//! Command-line surface: completions kept in sync, usage errors, and secrets kept out of the
//! `-v` trace across a whole session.

use crate::support::{Env, Provider, root, run};

#[test]
fn the_completion_scripts_in_the_repository_are_current() {
    let env = Env::new();
    let files = [
        ("bash", "oat.bash"),
        ("zsh", "_oat"),
        ("fish", "oat.fish"),
        ("powershell", "_oat.ps1"),
        ("elvish", "oat.elv"),
    ];
    for (shell, file) in files {
        let out = run(env.oat().args(["completions", shell]));
        assert_eq!(out.code, 0);
        assert!(!out.stdout.is_empty());
        let kept = std::fs::read_to_string(root().join("completions").join(file)).unwrap_or_default();
        assert!(kept == out.stdout, "completions/{file} is stale: regenerate with `scripts/regenerate`");
    }
}

#[test]
fn the_man_page_in_the_repository_is_current() {
    let out = run(Env::new().oat().arg("man"));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains(".TH oat 1"), "a roff man page: {}", &out.stdout[..80.min(out.stdout.len())]);
    assert!(out.stdout.contains("doctor"), "the commands are listed");
    let kept = std::fs::read_to_string(root().join("man/oat.1")).unwrap_or_default();
    assert!(kept == out.stdout, "man/oat.1 is stale: regenerate with `scripts/regenerate`");
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    for args in [vec!["token"], vec!["frobnicate"], vec!["token", "x", "--min-ttl", "-1"]] {
        let out = run(env.oat().args(&args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    let out = run(env.oat().arg("--help"));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Exit codes"), "{}", out.stdout);
}

#[test]
fn no_secret_reaches_the_verbose_trace_of_a_whole_session() {
    const SECRET: &str = "cli-confidential-secret";
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "30")]);
    let env = Env::new();
    let mut talk = String::new();
    let mut secrets: Vec<String> = vec![SECRET.into()];
    let mut collect = |out: &crate::support::Output, stdout_is_talk: bool, env: &Env| {
        talk.push_str(&out.stderr);
        if stdout_is_talk {
            talk.push_str(&out.stdout);
        }
        if let Some(entry) = env.stored("conf") {
            for key in ["access_token", "refresh_token", "id_token"] {
                if let Some(value) = entry["tokens"][key].as_str() {
                    secrets.push(value.to_string());
                }
            }
        }
    };
    let out = run(env
        .oat()
        .args(["-v", "profile", "add", "conf", "--issuer", &provider.issuer, "--client-id", "cli-confidential"])
        .args(["--scope", "openid", "--scope", "offline_access", "--client-secret-stdin"])
        .write_stdin(SECRET));
    assert_eq!(out.code, 0, "{}", out.stderr);
    collect(&out, true, &env);
    let out = run(env.oat().args(["-v", "login", "conf"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("code=[redacted sha256:") && out.stderr.contains("code_verifier=[redacted sha256:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("authorization: Basic [redacted]"), "{}", out.stderr);
    collect(&out, true, &env);
    for args in [vec!["-v", "token", "conf", "--min-ttl", "60"], vec!["-v", "header", "conf", "--min-ttl", "60"]] {
        let out = run(env.oat().args(&args));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.contains("refresh_token=[redacted sha256:"), "the 30 s token was refreshed: {}", out.stderr);
        collect(&out, false, &env);
    }
    let me = format!("{}/me", provider.issuer);
    for args in [
        vec!["-vv", "refresh", "conf"],
        vec!["-v", "status"],
        vec!["-v", "profile", "show", "conf"],
        vec!["-v", "request", "conf", me.as_str()],
        vec!["-v", "introspect", "conf"],
        vec!["-v", "introspect", "conf", "--refresh-token"],
        vec!["-v", "userinfo", "conf"],
        vec!["-v", "doctor", "conf"],
        vec!["-v", "inspect", "conf", "--id-token", "--verify", "--json"],
        vec!["-v", "logout", "conf"],
    ] {
        let out = run(env.oat().args(&args));
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        // request, userinfo and inspect print data the server gave, not our secrets; the
        // ID token's claims are not secret either, its whole text is.
        collect(&out, true, &env);
    }
    assert!(talk.contains("[redacted]"));
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() >= 7, "the canaries include several access and refresh tokens: {}", secrets.len());
    for secret in &secrets {
        assert!(!talk.contains(secret.as_str()), "a secret reached the output:\n{talk}");
    }
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(!config.contains(SECRET));
}
