//! `oat token`, `header`, `refresh`, `status` and `logout` against the real provider.

use crate::support::{Env, Provider, run};

#[test]
fn a_valid_token_is_served_from_the_store_without_any_request() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    let before = provider.requests().len();
    for _ in 0..3 {
        let out = run(env.oat().args(["token", "local", "--min-ttl", "60"]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout.trim(), env.stored_token("local", "access_token"));
    }
    assert_eq!(provider.requests().len(), before, "no request for a valid token");
}

#[test]
fn the_header_is_accepted_by_the_userinfo_endpoint() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    let out = run(env.oat().args(["header", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let header = out.stdout.trim_end();
    assert_eq!(header, format!("Authorization: Bearer {}", env.stored_token("local", "access_token")));
    let (status, body) = provider.get_with_header("/me", header.trim_start_matches("Authorization: "));
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["sub"], "alice");
}

#[test]
fn a_token_about_to_expire_is_refreshed_and_rotated_refresh_tokens_are_kept() {
    // Access tokens live 30 s; --min-ttl 60 makes every call refresh.
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "30")]);
    let env = Env::logged_in("local", &provider, "cli-public");
    let mut seen = vec![env.stored_token("local", "access_token")];
    let mut refresh_tokens = vec![env.stored_token("local", "refresh_token")];
    for _ in 0..3 {
        let out = run(env.oat().args(["token", "local", "--min-ttl", "60"]));
        assert_eq!(out.code, 0, "{}\n{}", out.stderr, provider.log());
        let token = out.stdout.trim().to_string();
        assert!(!seen.contains(&token), "a fresh access token each time");
        assert_eq!(token, env.stored_token("local", "access_token"));
        seen.push(token);
        refresh_tokens.push(env.stored_token("local", "refresh_token"));
    }
    let refreshes = provider.grants("refresh_token");
    assert_eq!(refreshes.len(), 3);
    assert!(refreshes.iter().all(|r| r["status"] == 200), "{refreshes:?}");
    refresh_tokens.dedup();
    assert_eq!(refresh_tokens.len(), 4, "the rotated refresh token is stored each time");
    let (status, _) = provider.get("/me", seen.last().map(String::as_str));
    assert_eq!(status, 200);

    // With --min-ttl 0 the 30 s token is good enough: no refresh.
    let out = run(env.oat().args(["token", "local", "--min-ttl", "0"]));
    assert_eq!(out.stdout.trim(), seen.last().unwrap());
    assert_eq!(provider.grants("refresh_token").len(), 3);
}

#[test]
fn short_lived_tokens_are_not_refreshed_on_every_call_by_default() {
    // 30 s tokens: without --min-ttl, a token is handed out while it has half its lifetime
    // left (not the default minute, which would refresh on every call).
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "30")]);
    let env = Env::logged_in("local", &provider, "cli-public");
    let stored = env.stored_token("local", "access_token");
    for args in [&["token", "local"][..], &["header", "local"]] {
        let out = run(env.oat().args(args));
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(out.stdout.contains(&stored), "{args:?}: the stored token is handed out");
    }
    assert_eq!(provider.grants("refresh_token").len(), 0);
    let entry = env.stored("local").unwrap();
    let issued = entry["tokens"]["issued_at"].as_u64().expect("issued_at is stored");
    assert_eq!(entry["tokens"]["expires_at"].as_u64(), Some(issued + 30), "{entry}");
}

#[test]
fn refresh_forces_a_new_access_token() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    let before = env.stored_token("local", "access_token");
    let out = run(env.oat().args(["refresh", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("Refreshed `local`"), "{}", out.stderr);
    assert_ne!(env.stored_token("local", "access_token"), before);
    assert_eq!(provider.grants("refresh_token").len(), 1);
}

#[test]
fn a_revoked_refresh_token_exits_3_and_keeps_the_store() {
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "30")]);
    let env = Env::logged_in("local", &provider, "cli-public");
    let entry = env.stored("local").unwrap();
    let (status, _) = provider.post(
        "/token/revocation",
        &[
            ("token", &env.stored_token("local", "refresh_token")),
            ("token_type_hint", "refresh_token"),
            ("client_id", "cli-public"),
        ],
    );
    assert_eq!(status, 200);
    let out = run(env.oat().args(["token", "local", "--min-ttl", "60"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("rejected the refresh token of `local`"), "{}", out.stderr);
    assert!(out.stderr.contains("invalid_grant"), "{}", out.stderr);
    assert!(out.stderr.contains("run `oat login local`"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(env.stored("local").unwrap(), entry, "nothing stored changed");
}

#[test]
fn without_a_login_token_exits_3() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 3);
    assert_eq!(out.stderr, "error: no tokens stored for `local`; run `oat login local`\n");
    assert!(out.stdout.is_empty());
}

#[test]
fn token_without_a_refresh_token_exits_3_when_it_is_too_old() {
    // No offline_access: no refresh token; a 30 s token is too old for --min-ttl 60.
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "30")]);
    let env = Env::new();
    env.profile_add("short", &provider, "cli-public").args(["--scope", "openid"]).assert().success();
    let out = env.login("short");
    assert!(out.stderr.contains("No refresh token was issued"), "{}", out.stderr);
    let out = run(env.oat().args(["token", "short", "--min-ttl", "60"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("no refresh token; run `oat login short`"), "{}", out.stderr);
}

#[test]
fn token_formats() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    let token = env.stored_token("local", "access_token");
    let out = run(env.oat().args(["token", "local", "--format", "header"]));
    assert_eq!(out.stdout, format!("Authorization: Bearer {token}\n"));
    let out = run(env.oat().args(["token", "local", "--format", "env"]));
    assert_eq!(out.stdout, format!("export OAT_ACCESS_TOKEN='{token}'\nexport OAT_TOKEN_TYPE='Bearer'\n"));
    let out = run(env.oat().args(["token", "local", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["access_token"], token.as_str());
    assert_eq!(json["token_type"], "Bearer");
    assert!(json["expires_in"].as_i64().is_some_and(|s| s > 3000));
}

#[test]
fn status_shows_state_but_never_a_token() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    env.add_profile("other", &provider, "cli-public");
    let (access, refresh) = (env.stored_token("local", "access_token"), env.stored_token("local", "refresh_token"));
    let out = run(env.oat().arg("status"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("PROFILE"), "{}", out.stdout);
    assert!(
        lines[1].starts_with("local") && lines[1].contains("valid until") && lines[1].contains("yes"),
        "{}",
        out.stdout
    );
    assert!(lines[2].starts_with("other") && lines[2].contains("none"), "{}", out.stdout);
    let json = run(env.oat().args(["status", "--json"]));
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rows[0]["profile"], "local");
    assert_eq!(rows[0]["logged_in"], true);
    assert_eq!(rows[0]["refresh_token"], true);
    assert_eq!(rows[0]["scopes"], serde_json::json!(["openid", "offline_access"]));
    assert_eq!(rows[1]["logged_in"], false);
    for text in [&out.stdout, &out.stderr, &json.stdout, &json.stderr] {
        assert!(!text.contains(&access) && !text.contains(&refresh), "status leaked a token");
    }
}

#[test]
fn logout_revokes_at_the_server_then_token_exits_3() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    let access = env.stored_token("local", "access_token");
    assert_eq!(provider.get("/me", Some(&access)).0, 200);
    let out = run(env.oat().args(["logout", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Logged out of `local`"), "{}", out.stderr);
    let revocations: Vec<_> = provider.requests().into_iter().filter(|r| r["path"] == "/token/revocation").collect();
    assert_eq!(revocations.len(), 2, "refresh token and access token: {revocations:?}");
    assert!(revocations.iter().all(|r| r["status"] == 200));
    assert_eq!(provider.get("/me", Some(&access)).0, 401, "the server no longer accepts the token");
    assert!(env.stored("local").is_none());
    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 3);
    let out = run(env.oat().args(["logout", "local"]));
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("nothing to do"), "{}", out.stderr);
}
