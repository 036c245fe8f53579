//! The slack, atlassian and salesforce presets, tried as a new user would. None of the three
//! can be reached from CI and the real provider here (oidc-provider) plays none of their
//! quirks, so each is played by a fixture server that answers as the provider documents it:
//! Slack's `oauth.v2.access` (user token under `authed_user`, errors with HTTP 200, token
//! rotation), Atlassian's 3LO (audience and prompt, `accessible-resources`, rotating refresh
//! tokens) and Salesforce's web-server flow (`instance_url`, no `expires_in`, refresh answers
//! without a refresh token). Each also shows what fails without the preset.

use crate::support::fixture::{Fixture, Recorded, Reply};
use crate::support::{Env, run};
use serde_json::json;

/// A free loopback port. Each preset registers a fixed redirect port (Slack 7896, Atlassian
/// 7897, Salesforce 1717), and tests run in parallel: logins here pass `--port` with a port
/// of their own, which keeps the redirect's host and path. One Slack login uses the fixed one.
#[allow(clippy::disallowed_types, reason = "the test picks a free loopback port for oat's listener")]
fn free_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port().to_string()
}

/// `oat login NAME --port FREE`, which must succeed; its stderr.
fn login(env: &Env, name: &str) -> String {
    let out = run(env.oat().args(["login", name, "--port", &free_port()]));
    assert_eq!(out.code, 0, "login {name}: {}", out.stderr);
    out.stderr
}

/// `oat login NAME` of a slack profile: Slack's redirect URI is https, which nothing here
/// answers, so the login runs on a terminal and the test pastes the address the (test) browser
/// was sent to, as a person copies it from the address bar. Returns the exit status and what
/// the terminal showed.
fn slack_login(env: &mut Env, name: &str) -> (std::process::ExitStatus, String) {
    use std::io::Write;
    crate::support::login_pasting(env, &format!("login {name} --timeout 60"), |stdin, url| {
        stdin.write_all(url.as_bytes()).unwrap();
        stdin.flush().unwrap();
    })
}

/// The fixture's own origin, from the request (the handler is made before the port is known).
fn origin(r: &Recorded) -> String {
    format!("http://{}", r.header("host").unwrap_or("127.0.0.1"))
}

fn bearer(r: &Recorded) -> &str {
    r.header("authorization").and_then(|a| a.strip_prefix("Bearer ")).unwrap_or("")
}

// ---------------------------------------------------------------------------------------
// Slack

/// Stand-in for slack.com as its docs describe `oauth.v2.access` with token rotation on: the
/// code exchange answers the bot's token at the top level and the user's under `authed_user`
/// (12-hour tokens with refresh tokens); a refresh of the user token (`grant_type=refresh_token`,
/// client id and secret in the body) answers it at the top level with `token_type: user`;
/// errors come with HTTP 200 and `ok: false`. `auth.test` stands for the Web API.
fn slack() -> Fixture {
    Fixture::start(|r, before| match r.path.as_str() {
        "/oauth/v2/authorize" => Reply::approve(r, "slack-code"),
        "/api/oauth.v2.access" if r.param("grant_type") == Some("refresh_token") => {
            let n = before.iter().filter(|b| b.param("grant_type") == Some("refresh_token")).count();
            if r.param("refresh_token") != Some(&format!("xoxe-1-r{n}")) {
                return Reply::json(200, json!({"ok": false, "error": "invalid_refresh_token"}));
            }
            Reply::json(
                200,
                json!({"ok": true, "app_id": "A0KRD7HC3", "access_token": format!("xoxe.xoxp-1-user{}", n + 1),
                       "token_type": "user", "scope": "users:read", "refresh_token": format!("xoxe-1-r{}", n + 1),
                       "expires_in": 43200, "team": {"id": "T9TK3CUKW", "name": "Acme"}}),
            )
        }
        "/api/oauth.v2.access" if r.param("code") == Some("slack-code") => Reply::json(
            200,
            json!({"ok": true, "app_id": "A0KRD7HC3", "access_token": "xoxe.xoxb-1-bot", "token_type": "bot",
                   "scope": "commands", "bot_user_id": "U0KRQLJ9H", "refresh_token": "xoxe-1-bot", "expires_in": 43200,
                   "authed_user": {"id": "U1234", "scope": "users:read,users:read.email", "access_token": "xoxe.xoxp-1-user0",
                                   "token_type": "user", "refresh_token": "xoxe-1-r0", "expires_in": 43200},
                   "team": {"id": "T9TK3CUKW", "name": "Acme"}, "enterprise": null, "is_enterprise_install": false}),
        ),
        "/api/oauth.v2.access" => Reply::json(200, json!({"ok": false, "error": "invalid_code"})),
        "/api/auth.test" if bearer(r).starts_with("xoxe.xoxp-1-user") => Reply::json(
            200,
            json!({"ok": true, "url": "https://acme.slack.com/", "team": "Acme", "user": "alice", "user_id": "U1234"}),
        ),
        "/api/auth.test" => Reply::json(200, json!({"ok": false, "error": "invalid_auth"})),
        _ => Reply::not_found(),
    })
}

#[test]
fn slack_says_what_to_register_and_logs_in_with_the_user_token() {
    let slack = slack().expect("/oauth/v2/authorize", 1).expect("/api/auth.test", 2);
    let mut env = Env::new();
    let out = run(env.oat().args(["profile", "add", "sl", "--preset", "slack", "--host", &slack.url]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    for part in ["https://api.slack.com/apps", "https://localhost:7896/callback", "User Token Scopes", "token rotation"]
    {
        assert!(out.stderr.contains(part), "register text names {part}: {}", out.stderr);
    }
    assert!(!env.config_path().exists(), "nothing stored without a client id");

    env.oat()
        .args([
            "profile",
            "add",
            "sl",
            "--preset",
            "slack",
            "--host",
            &slack.url,
            "--client-id",
            "3336676.569200954261",
        ])
        .arg("--client-secret-stdin")
        .write_stdin("slack-secret")
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("redirect_uri = \"https://localhost:7896/callback\""), "{config}");
    // Without a terminal to paste on, an https redirect cannot be received: said before any
    // browser opens.
    let out = run(env.oat().args(["login", "sl"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("https://localhost:7896/callback, is https") && out.stderr.contains("on a terminal"));
    assert!(env.browser_log().is_empty() && slack.requests_to("/oauth/v2/authorize").is_empty());
    let (status, shown) = slack_login(&mut env, "sl");
    assert!(status.success(), "{shown}");
    assert!(shown.contains("does not load") && shown.contains("paste it here"), "{shown}");
    let authorize = &slack.requests_to("/oauth/v2/authorize")[0];
    assert_eq!(authorize.param("redirect_uri"), Some("https://localhost:7896/callback"));
    assert_eq!(authorize.param("user_scope"), Some("users:read"), "user scopes, comma-separated");
    assert_eq!(authorize.param("scope"), None, "no bot scopes");
    let exchange = &slack.requests_to("/api/oauth.v2.access")[0];
    assert_eq!(
        (exchange.param("client_id"), exchange.param("client_secret")),
        (Some("3336676.569200954261"), Some("slack-secret"))
    );

    // The user token, not the bot's; its scope and 12-hour expiry.
    assert_eq!(run(env.oat().args(["token", "sl"])).stdout, "xoxe.xoxp-1-user0\n");
    let status = run(env.oat().args(["status", "sl", "--json"]));
    let row = &serde_json::from_str::<serde_json::Value>(&status.stdout).unwrap()[0];
    assert!(row["expires_in"].as_i64().is_some_and(|s| (43_000..=43_200).contains(&s)), "{row}");
    assert_eq!(row["refresh_token"], true, "{row}");
    let stored = env.stored("sl").unwrap();
    assert_eq!(stored["tokens"]["scope"], "users:read users:read.email");
    assert_eq!(stored["tokens"]["token_type"], "Bearer", "Slack's `user` token type is a bearer token");

    // The Web API, relative to https://slack.com/api.
    let out = run(env.oat().args(["request", "sl", "/auth.test"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"user\":\"alice\""), "{}", out.stdout);
    assert_eq!(bearer(&slack.requests_to("/api/auth.test")[0]), "xoxe.xoxp-1-user0");

    // Token rotation: the refresh answers at the top level; the new refresh token replaces the old.
    env.oat().args(["refresh", "sl"]).assert().success();
    let refresh = &slack.requests_to("/api/oauth.v2.access")[1];
    assert_eq!(refresh.param("refresh_token"), Some("xoxe-1-r0"));
    assert_eq!(
        (refresh.param("client_id"), refresh.param("client_secret")),
        (Some("3336676.569200954261"), Some("slack-secret"))
    );
    assert_eq!(run(env.oat().args(["token", "sl"])).stdout, "xoxe.xoxp-1-user1\n");
    assert_eq!(env.stored("sl").unwrap()["tokens"]["refresh_token"], "xoxe-1-r1");
    run(env.oat().args(["request", "sl", "/auth.test"]));
    assert_eq!(bearer(&slack.requests_to("/api/auth.test")[1]), "xoxe.xoxp-1-user1");

    let show = run(env.oat().args(["profile", "show", "sl"]));
    assert!(show.stdout.contains("preset = \"slack\""), "{}", show.stdout);
    assert!(show.stdout.contains(&format!("`oat request sl /path` calls {}/api/path", slack.url)), "{}", show.stdout);
}

#[test]
fn slack_errors_come_with_http_200_and_ok_false() {
    // The code exchange: `invalid_code` with HTTP 200 is the server's refusal (exit 4).
    let refusing = Fixture::start(|r, _| match r.path.as_str() {
        "/oauth/v2/authorize" => Reply::approve(r, "stale"),
        "/api/oauth.v2.access" => Reply::json(200, json!({"ok": false, "error": "invalid_code"})),
        _ => Reply::not_found(),
    })
    .expect("/api/oauth.v2.access", 1);
    let mut env = Env::new();
    let add = |env: &Env, url: &str| {
        env.oat()
            .args(["profile", "add", "sl", "--preset", "slack", "--host", url, "--client-id", "1.2"])
            .arg("--client-secret-stdin")
            .write_stdin("s")
            .assert()
            .success();
    };
    add(&env, &refusing.url);
    let (status, shown) = slack_login(&mut env, "sl");
    assert_eq!(status.code(), Some(4), "{shown}");
    assert!(shown.contains("invalid_code"), "{shown}");
    assert!(env.stored("sl").is_none_or(|s| s.get("tokens").is_none()), "nothing stored");

    // A refused refresh token (`invalid_refresh_token`, HTTP 200) means a new login.
    let slack = slack();
    let mut env = Env::new();
    add(&env, &slack.url);
    assert!(slack_login(&mut env, "sl").0.success());
    let mut entry = env.stored("sl").unwrap();
    entry["tokens"]["refresh_token"] = json!("xoxe-1-revoked");
    crate::support::write_private(&env.data_dir().join("sl.json"), &entry.to_string());
    let out = run(env.oat().args(["refresh", "sl"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_refresh_token") && out.stderr.contains("oat login sl"), "{}", out.stderr);
}

#[test]
fn slack_without_the_preset_finds_no_access_token() {
    // Slack answers the user token under `authed_user` only (no bot scopes were asked for, so
    // no bot token at the top level): an RFC 6749 client finds no access token.
    let slack = Fixture::start(|r, _| match r.path.as_str() {
        "/oauth/v2/authorize" => Reply::approve(r, "slack-code"),
        "/api/oauth.v2.access" => Reply::json(
            200,
            json!({"ok": true, "app_id": "A0KRD7HC3", "authed_user": {"id": "U1234", "scope": "users:read",
                   "access_token": "xoxp-1-user", "token_type": "user"}, "team": {"id": "T9TK3CUKW"}}),
        ),
        _ => Reply::not_found(),
    });
    let mut env = Env::new();
    env.oat()
        .args(["profile", "add", "plain", "--client-id", "1.2", "--client-secret-stdin", "--scope", "users:read"])
        .args(["--auth-url", &format!("{}/oauth/v2/authorize", slack.url)])
        .args(["--token-url", &format!("{}/api/oauth.v2.access", slack.url)])
        .write_stdin("s")
        .assert()
        .success();
    let out = run(env.oat().args(["login", "plain", "--port", &free_port()]));
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("no access_token in the answer"), "{}", out.stderr);
    assert_eq!(slack.requests_to("/oauth/v2/authorize")[0].param("user_scope"), None, "and scopes went as `scope`");

    // The same answer with the preset.
    env.oat()
        .args(["profile", "add", "sl", "--preset", "slack", "--host", &slack.url, "--client-id", "1.2"])
        .arg("--client-secret-stdin")
        .write_stdin("s")
        .assert()
        .success();
    assert!(slack_login(&mut env, "sl").0.success());
    assert_eq!(run(env.oat().args(["token", "sl"])).stdout, "xoxp-1-user\n");
}

// ---------------------------------------------------------------------------------------
// Atlassian

const ACME: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const BETA: &str = "5c2e1f0a-0b7d-4f1e-9a55-3f1a2b3c4d5e";

/// Stand-in for auth.atlassian.com and api.atlassian.com as Atlassian documents OAuth 2.0
/// (3LO): the consent screen wants `audience=api.atlassian.com` and `prompt=consent`; every
/// refresh rotates the refresh token, and an old one is refused (403 `unauthorized_client`);
/// `accessible-resources` lists the sites the token reaches; APIs live under /ex/jira/{cloud id}.
fn atlassian(sites: serde_json::Value) -> Fixture {
    Fixture::start(move |r, before| match r.path.as_str() {
        "/authorize" if r.param("audience") == Some("api.atlassian.com") && r.param("prompt") == Some("consent") => {
            Reply::approve(r, "atl-code")
        }
        "/authorize" => Reply::new(400, "text/html", "<html>Something went wrong: audience is missing</html>"),
        "/oauth/token" => {
            let n = before.iter().filter(|b| b.path == r.path).count();
            let expected = format!("atl-rt-{}", n.saturating_sub(1));
            let grant = r.param("grant_type");
            if grant == Some("refresh_token") && r.param("refresh_token") != Some(&expected) {
                return Reply::json(
                    403,
                    json!({"error": "unauthorized_client", "error_description": "refresh_token is invalid"}),
                );
            }
            Reply::json(
                200,
                json!({"access_token": format!("atl-at-{n}"), "expires_in": 3600, "token_type": "Bearer",
                       "refresh_token": format!("atl-rt-{n}"), "scope": "read:me read:jira-user read:jira-work offline_access"}),
            )
        }
        "/oauth/token/accessible-resources" if bearer(r).starts_with("atl-at-") => Reply::json(200, sites.clone()),
        "/oauth/token/accessible-resources" => Reply::json(401, json!({"code": 401, "message": "Unauthorized"})),
        p if p == format!("/ex/jira/{ACME}/rest/api/3/myself") && bearer(r).starts_with("atl-at-") => {
            Reply::json(200, json!({"accountId": "5b10a2844c20165700ede21g", "displayName": "Alice", "active": true}))
        }
        _ => Reply::not_found(),
    })
}

fn sites() -> serde_json::Value {
    json!([
        {"id": ACME, "url": "https://acme.atlassian.net", "name": "acme", "scopes": ["read:jira-work", "read:jira-user"],
         "avatarUrl": "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png"},
        {"id": BETA, "url": "https://beta.atlassian.net", "name": "beta", "scopes": ["read:jira-work"],
         "avatarUrl": "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png"}
    ])
}

fn add_atlassian(env: &Env, url: &str) {
    env.oat()
        .args(["profile", "add", "atl", "--preset", "atlassian", "--host", url, "--client-id", "aBcD1234"])
        .arg("--client-secret-stdin")
        .write_stdin("atl-secret")
        .assert()
        .success();
}

#[test]
fn atlassian_learns_the_cloud_id_after_the_login_and_rotates_refresh_tokens() {
    // accessible-resources once: after the login, never on a refresh or an API call.
    let atl = atlassian(sites()).expect("/oauth/token/accessible-resources", 1);
    let env = Env::new();
    let out = run(env.oat().args(["profile", "add", "atl", "--preset", "atlassian", "--host", &atl.url]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    for part in ["https://developer.atlassian.com/console/myapps", "http://localhost:7897/callback", "read:jira-work"] {
        assert!(out.stderr.contains(part), "register text names {part}: {}", out.stderr);
    }

    add_atlassian(&env, &atl.url);
    let stderr = login(&env, "atl");
    // Two sites: the first is taken, and the note says which and how to pick the other.
    assert!(stderr.contains(&format!("acme (https://acme.atlassian.net, cloud id {ACME})")), "{stderr}");
    assert!(stderr.contains(BETA) && stderr.contains("--api-base"), "{stderr}");
    let resources = &atl.requests_to("/oauth/token/accessible-resources")[0];
    assert_eq!(bearer(resources), "atl-at-0", "asked with the new token");
    let stored = env.stored("atl").unwrap();
    assert_eq!(stored["tokens"]["api_values"]["cloud_id"], ACME);
    assert_eq!(stored["tokens"]["api_values"]["cloud_url"], "https://acme.atlassian.net");
    assert_eq!(stored["tokens"]["api_values"]["cloud_name"], "acme");

    let out = run(env.oat().args(["request", "atl", "/rest/api/3/myself"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"displayName\":\"Alice\""), "{}", out.stdout);
    let show = run(env.oat().args(["profile", "show", "atl"]));
    assert!(show.stdout.contains(&format!("# cloud_id = {ACME}")), "{}", show.stdout);
    assert!(show.stdout.contains(&format!("calls {}/ex/jira/{ACME}/path", atl.url)), "{}", show.stdout);

    // Rotating refresh tokens: each refresh spends the last one and the new one replaces it;
    // the cloud id stays.
    env.oat().args(["refresh", "atl"]).assert().success();
    env.oat().args(["refresh", "atl"]).assert().success();
    let refreshes = atl.requests_to("/oauth/token");
    assert_eq!(refreshes[1].param("refresh_token"), Some("atl-rt-0"));
    assert_eq!(refreshes[2].param("refresh_token"), Some("atl-rt-1"));
    assert_eq!(
        (refreshes[2].param("client_id"), refreshes[2].param("client_secret")),
        (Some("aBcD1234"), Some("atl-secret"))
    );
    let stored = env.stored("atl").unwrap();
    assert_eq!(stored["tokens"]["refresh_token"], "atl-rt-2");
    assert_eq!(stored["tokens"]["api_values"]["cloud_id"], ACME);
    let out = run(env.oat().args(["request", "atl", "/rest/api/3/myself"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(bearer(atl.requests_to(&format!("/ex/jira/{ACME}/rest/api/3/myself")).last().unwrap()), "atl-at-2");
}

#[test]
fn atlassian_without_a_site_keeps_the_login_and_says_what_is_missing() {
    let atl = atlassian(json!([]));
    let env = Env::new();
    add_atlassian(&env, &atl.url);
    let stderr = login(&env, "atl");
    assert!(stderr.contains("could not learn the Atlassian site of `atl`"), "{stderr}");
    assert!(stderr.contains("reaches no site"), "{stderr}");
    assert_eq!(env.stored_token("atl", "access_token"), "atl-at-0", "the login stands");
    let out = run(env.oat().args(["request", "atl", "/rest/api/3/myself"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("needs the cloud_id"), "{}", out.stderr);
}

#[test]
fn atlassian_without_the_preset_has_no_consent_and_no_cloud_id() {
    let atl = atlassian(sites()).expect("/oauth/token/accessible-resources", 0);
    let env = Env::new();
    let plain = |name: &str, extra: &[&str]| {
        env.oat()
            .args(["profile", "add", name, "--client-id", "aBcD1234", "--client-secret-stdin"])
            .args(["--auth-url", &format!("{}/authorize", atl.url), "--token-url", &format!("{}/oauth/token", atl.url)])
            .args(["--scope", "read:jira-user", "--scope", "offline_access"])
            .args(extra)
            .write_stdin("atl-secret")
            .assert()
            .success();
    };
    // Without audience and prompt, the consent screen refuses: no redirect ever comes.
    plain("bare", &[]);
    let out = run(env.oat().args(["login", "bare", "--port", &free_port(), "--timeout", "3s"]));
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert_eq!(atl.requests_to("/authorize")[0].param("audience"), None);
    assert!(atl.requests_to("/oauth/token").is_empty(), "no code came back");

    // With the parameters and an API base written by hand, the cloud id is still unknown.
    let base = format!("{}/ex/jira/{{cloud_id}}", atl.url);
    plain("hand", &["--param", "audience=api.atlassian.com", "--param", "prompt=consent", "--api-base", &base]);
    login(&env, "hand");
    let out = run(env.oat().args(["request", "hand", "/rest/api/3/myself"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("needs the cloud_id"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------
// Salesforce

/// Stand-in for login.salesforce.com and an org's instance as Salesforce documents the
/// web-server flow: the token answer carries `instance_url` (the org's API host), `id`,
/// `issued_at` and `signature` but no `expires_in` (the session timeout decides); a refresh
/// answers without a refresh token (the old one stays good) and may name another instance.
/// An expired session is a 401 `INVALID_SESSION_ID` from the API: here the login's token has
/// "timed out" by the time the API is first called.
fn salesforce() -> Fixture {
    Fixture::start(|r, before| {
        let answer = |token: &str, instance: &str, refresh: Option<&str>| {
            let mut body = json!({"access_token": token, "signature": "cVx8Pn6uVxXV0kBVW7/3VfEjEBjfE4ZtmG1BQ5KX5Y0=",
                "scope": "api refresh_token", "instance_url": format!("{}/{instance}", origin(r)),
                "id": "https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P", "token_type": "Bearer",
                "issued_at": "1278448384422"});
            if let Some(refresh) = refresh {
                body["refresh_token"] = json!(refresh);
            }
            Reply::json(200, body)
        };
        match r.path.as_str() {
            "/services/oauth2/authorize" => Reply::approve(r, "aPrx-code"),
            "/services/oauth2/token" if r.param("grant_type") == Some("authorization_code") => {
                answer("00Dx!sf-0", "na1", Some("5Aep861-rt"))
            }
            "/services/oauth2/token" if r.param("refresh_token") == Some("5Aep861-rt") => {
                let n = before.iter().filter(|b| b.param("grant_type") == Some("refresh_token")).count();
                answer(&format!("00Dx!sf-{}", n + 1), "na2", None)
            }
            "/services/oauth2/token" => {
                Reply::json(400, json!({"error": "invalid_grant", "error_description": "expired access/refresh token"}))
            }
            p if p.ends_with("/services/data/v62.0/sobjects") && bearer(r) != "00Dx!sf-0" => {
                Reply::json(200, json!({"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": [{"name": "Account"}]}))
            }
            p if p.ends_with("/services/data/v62.0/sobjects") => {
                Reply::json(401, json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]))
            }
            _ => Reply::not_found(),
        }
    })
}

#[test]
fn salesforce_calls_the_instance_url_and_renews_a_refused_session() {
    let sf = salesforce().expect("/na1/services/data/v62.0/sobjects", 2).expect("/na2/services/data/v62.0/sobjects", 1);
    let env = Env::new();
    let out = run(env.oat().args(["profile", "add", "sf", "--preset", "salesforce", "--domain", &sf.url]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    for part in ["App Manager", "http://localhost:1717/OauthRedirect", "Consumer Key", "refresh_token"] {
        assert!(out.stderr.contains(part), "register text names {part}: {}", out.stderr);
    }

    env.oat()
        .args(["profile", "add", "sf", "--preset", "salesforce", "--domain", &sf.url, "--client-id", "3MVG9lKcPoNINVB"])
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains(&format!("token_endpoint = \"{}/services/oauth2/token\"", sf.url)), "{config}");
    assert!(config.contains("api_base = \"{instance_url}\""), "{config}");
    login(&env, "sf");
    let stored = env.stored("sf").unwrap();
    assert_eq!(stored["tokens"]["api_values"]["instance_url"], format!("{}/na1", sf.url));
    assert!(stored["tokens"].get("expires_at").is_none(), "no expires_in: {stored}");
    assert_eq!(run(env.oat().args(["token", "sf"])).stdout, "00Dx!sf-0\n");
    let status = run(env.oat().args(["status", "sf"]));
    assert!(status.stdout.contains("no expiry given"), "{}", status.stdout);
    let show = run(env.oat().args(["profile", "show", "sf"]));
    assert!(show.stdout.contains(&format!("# instance_url = {}/na1", sf.url)), "{}", show.stdout);
    assert!(show.stdout.contains(&format!("`oat request sf /path` calls {}/na1/path", sf.url)), "{}", show.stdout);

    // The session has timed out: the API refuses the token, oat renews it and calls again.
    let out = run(env.oat().args(["request", "sf", "/services/data/v62.0/sobjects"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"Account\""), "{}", out.stdout);
    assert!(out.stderr.contains("refreshing it and trying once more"), "{}", out.stderr);
    let calls = sf.requests_to("/na1/services/data/v62.0/sobjects");
    assert_eq!((bearer(&calls[0]), bearer(&calls[1])), ("00Dx!sf-0", "00Dx!sf-1"));
    // The refresh answer had no refresh token: the old one stays; its instance_url replaces the old.
    let stored = env.stored("sf").unwrap();
    assert_eq!(stored["tokens"]["refresh_token"], "5Aep861-rt");
    assert_eq!(stored["tokens"]["api_values"]["instance_url"], format!("{}/na2", sf.url));
    let out = run(env.oat().args(["request", "sf", "/services/data/v62.0/sobjects"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // `oat refresh` too: the same refresh token again.
    env.oat().args(["refresh", "sf"]).assert().success();
    assert_eq!(run(env.oat().args(["token", "sf"])).stdout, "00Dx!sf-2\n");
    assert_eq!(env.stored("sf").unwrap()["tokens"]["refresh_token"], "5Aep861-rt");
}

#[test]
fn salesforce_refusals_say_what_to_do() {
    let sf = salesforce();
    let env = Env::new();
    env.oat()
        .args(["profile", "add", "sf", "--preset", "salesforce", "--domain", &sf.url, "--client-id", "3MVG9lKcPoNINVB"])
        .assert()
        .success();
    login(&env, "sf");
    // A refresh token the org no longer honours: a new login is needed (exit 3).
    let mut entry = env.stored("sf").unwrap();
    entry["tokens"]["refresh_token"] = json!("5Aep861-revoked");
    crate::support::write_private(&env.data_dir().join("sf.json"), &entry.to_string());
    let out = run(env.oat().args(["refresh", "sf"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("expired access/refresh token") && out.stderr.contains("oat login sf"),
        "{}",
        out.stderr
    );
    // Before any login, a relative path has no instance to go to.
    let env = Env::new();
    env.oat()
        .args(["profile", "add", "sf", "--preset", "salesforce", "--domain", &sf.url, "--client-id", "3MVG9lKcPoNINVB"])
        .assert()
        .success();
    let out = run(env.oat().args(["request", "sf", "/services/data/v62.0/sobjects"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("oat login sf"), "{}", out.stderr);
}

#[test]
fn salesforce_without_the_preset_has_no_api_base() {
    let sf = salesforce();
    let env = Env::new();
    env.oat()
        .args([
            "profile",
            "add",
            "plain",
            "--client-id",
            "3MVG9lKcPoNINVB",
            "--scope",
            "api",
            "--scope",
            "refresh_token",
        ])
        .args(["--auth-url", &format!("{}/services/oauth2/authorize", sf.url)])
        .args(["--token-url", &format!("{}/services/oauth2/token", sf.url)])
        .assert()
        .success();
    login(&env, "plain");
    let out = run(env.oat().args(["request", "plain", "/services/data/v62.0/sobjects"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("has no API base"), "{}", out.stderr);
    assert!(sf.requests().iter().all(|r| !r.path.ends_with("/sobjects")), "no API call was made");
}
