//! The scripting and debugging surface: `request`, `exec`, `inspect`/`decode`, `introspect`,
//! `revoke`, `userinfo` and `doctor`, against the real provider (and, for an API that answers
//! 401 once or wants the token in the query, a fixture API).

use crate::support::fixture::{Fixture, Reply};
use crate::support::{Env, LoggedIn, Provider, run};
use serde_json::{Value, json};

/// An API that echoes what it got, and answers 401 (invalid_token) to the first `refuse` calls.
fn api(refuse: usize) -> Fixture {
    Fixture::start(move |r, before| {
        if before.len() < refuse {
            return Reply::json(401, json!({"message": "token expired"})).with_header(
                "WWW-Authenticate",
                r#"Bearer realm="api", error="invalid_token", error_description="expired""#,
            );
        }
        Reply::json(
            if r.path == "/missing" { 404 } else { 200 },
            json!({"method": r.method, "path": r.path, "authorization": r.header("authorization"),
                   "content_type": r.header("content-type"), "query": r.param("access_token"),
                   "body": r.form.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>()}),
        )
    })
}

#[test]
fn request_calls_the_userinfo_endpoint_with_the_token() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let out = run(env.oat().args(["request", "local", &format!("{}/me", provider.issuer)]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let body: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(body, json!({"sub": "alice", "name": "Alice Example"}));
    assert!(out.stderr.is_empty(), "{}", out.stderr);

    let out = run(env.oat().args(["request", "local", &format!("{}/me", provider.issuer), "-i"]));
    assert!(out.stdout.starts_with("HTTP/1.1 200 OK\n"), "{}", out.stdout);
    assert!(out.stdout.contains("\ncontent-type: application/json"), "{}", out.stdout);
    assert!(out.stdout.contains("\n\n{\"sub\":\"alice\""), "{}", out.stdout);
}

#[test]
fn request_exits_22_on_http_errors_and_shows_the_body() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let fixture = api(0).expect("/missing", 1);
    let out = run(env.oat().args(["request", "local", &format!("{}/missing", fixture.url)]));
    assert_eq!(out.code, 22, "{}", out.stderr);
    assert!(out.stdout.contains("\"path\":\"/missing\""), "{}", out.stdout);
    assert!(out.stderr.contains("the API answered HTTP 404 Not Found"), "{}", out.stderr);
}

#[test]
fn a_401_refreshes_once_and_retries_once() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let before = env.stored_token("local", "access_token");
    let fixture = api(1);
    let out = run(env.oat().args(["request", "local", &format!("{}/data", fixture.url)]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("refused the token (401); refreshing it"), "{}", out.stderr);
    let calls = fixture.requests();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].header("authorization"), Some(format!("Bearer {before}").as_str()));
    let after = env.stored_token("local", "access_token");
    assert_ne!(after, before);
    assert_eq!(calls[1].header("authorization"), Some(format!("Bearer {after}").as_str()));
    assert_eq!(provider.grants("refresh_token").len(), 1);

    // An API that keeps refusing gets one retry, not a loop.
    let stubborn = api(10);
    let out = run(env.oat().args(["request", "local", &format!("{}/data", stubborn.url)]));
    assert_eq!(out.code, 22, "{}", out.stderr);
    assert_eq!(stubborn.requests().len(), 2);
}

#[test]
fn the_token_can_travel_in_the_query_and_bodies_are_sent_as_asked() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let token = env.stored_token("local", "access_token");
    let fixture = api(0);
    let out = run(env.oat().args(["-v", "request", "local", &format!("{}/q", fixture.url), "--token-in", "query"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let call = &fixture.requests()[0];
    assert_eq!(call.param("access_token"), Some(token.as_str()));
    assert!(call.header("authorization").is_none());
    assert!(!out.stderr.contains(&token), "the trace redacts the query token: {}", out.stderr);
    assert!(out.stderr.contains("access_token=%5Bredacted+sha256%3A"), "{}", out.stderr);

    let out = run(env.oat().args([
        "request",
        "local",
        &format!("{}/form", fixture.url),
        "--form",
        "a=1",
        "--form",
        "b=two words",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let call = &fixture.requests()[1];
    assert_eq!(call.method, "POST");
    assert_eq!(call.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(call.form, vec![("a".to_string(), "1".to_string()), ("b".to_string(), "two words".to_string())]);

    let out = run(env
        .oat()
        .args(["request", "local", &format!("{}/json", fixture.url), "-X", "put", "--data-json", "@-"])
        .write_stdin(r#"{"x": 1}"#));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let call = &fixture.requests()[2];
    assert_eq!((call.method.as_str(), call.header("content-type")), ("PUT", Some("application/json")));
}

#[test]
fn bad_request_input_exits_2_and_sends_nothing() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let fixture = api(0);
    let url = format!("{}/x", fixture.url);
    let missing = env.dir.path().join("missing.json");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["not a url".into()], "is not a valid URL"),
        (vec![url.clone(), "-X".into(), "FETCH".into()], "unknown method"),
        (vec![url.clone(), "-H".into(), "no colon".into()], "a header needs a colon"),
        (vec![url.clone(), "-d".into(), format!("@{}", missing.display())], "cannot read the file"),
        (vec![url.clone(), "--data-json".into(), "{not json".into()], "--data-json is not JSON"),
        (vec!["http://example.com/api".into()], "plain http"),
    ];
    for (args, expected) in cases {
        let out = run(env.oat().args(["request", "local"]).args(&args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
    }
    assert!(fixture.requests().is_empty(), "nothing was sent");
    let out = run(env.oat().args(["decode", "not.a-token"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("three base64url parts"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1);
}

#[test]
fn exec_passes_the_token_stdio_and_the_exit_status() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let token = env.stored_token("local", "access_token");
    let script = format!(r#"test "$OAT_ACCESS_TOKEN" = "{token}" && test "$OAT_TOKEN_TYPE" = Bearer && cat && exit 7"#);
    let out = run(env.oat().args(["exec", "local", "--", "sh", "-c", &script]).write_stdin("piped through\n"));
    assert_eq!(out.code, 7, "{}", out.stderr);
    assert_eq!(out.stdout, "piped through\n");
    let out = run(env.oat().args(["exec", "local", "--", "no-such-command-here"]));
    assert_eq!(out.code, 127, "{}", out.stderr);
    assert!(out.stderr.contains("cannot run `no-such-command-here`"), "{}", out.stderr);
}

#[test]
fn tokens_are_decoded_and_verified_against_the_issuers_keys() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let out = run(env.oat().args(["inspect", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("opaque, not a JWT"), "oidc-provider's access tokens are opaque: {}", out.stderr);

    let out = run(env.oat().args(["inspect", "local", "--id-token"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("  sub    alice"), "{}", out.stdout);
    // The ID token lives an hour from the login; a second may have passed since.
    assert!(out.stdout.contains("(expires in 1h)") || out.stdout.contains("(expires in 59m5"), "{}", out.stdout);
    assert!(out.stdout.contains("signature: not verified"), "{}", out.stdout);

    let id_token = env.stored_token("local", "id_token");
    let out = run(env.oat().args(["decode", "-", "--verify", "--json"]).write_stdin(id_token.clone()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let decoded: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(decoded["claims"]["iss"], provider.issuer.as_str());
    assert_eq!(decoded["header"]["alg"], "RS256");
    assert!(decoded["verified"].as_str().is_some_and(|kid| !kid.is_empty()), "{decoded}");
    assert!(decoded["expires_in"].as_i64().is_some_and(|s| s > 3000));

    // A forged payload keeps the header and signature: decoding works, verifying does not.
    use base64::Engine as _;
    let parts: Vec<&str> = id_token.split('.').collect();
    let forged_claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({"iss": provider.issuer, "sub": "mallory", "aud": "cli-public"}).to_string());
    let forged = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
    let out = run(env.oat().args(["decode", &forged]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("mallory"));
    let out = run(env.oat().args(["decode", &forged, "--verify"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("signature does not verify"), "{}", out.stderr);
}

#[test]
fn introspect_revoke_and_userinfo_ask_the_server() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let out = run(env.oat().args(["userinfo", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(serde_json::from_str::<Value>(&out.stdout).unwrap()["name"], "Alice Example");

    let out = run(env.oat().args(["introspect", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((answer["active"].as_bool(), answer["sub"].as_str()), (Some(true), Some("alice")));
    let out = run(env.oat().args(["introspect", "local", "--refresh-token"]));
    let refresh: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(refresh["active"], true, "{refresh}");
    assert!(refresh["exp"].as_u64() > answer["exp"].as_u64(), "the refresh token outlives the access token: {refresh}");

    let access = env.stored_token("local", "access_token");
    let out = run(env.oat().args(["revoke", "local", "--refresh-token"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Revoked the refresh token of `local`"), "{}", out.stderr);
    assert!(env.stored("local").unwrap()["tokens"].get("refresh_token").is_none(), "dropped from the store");
    let revocations: Vec<Value> =
        provider.requests().into_iter().filter(|r| r["path"] == "/token/revocation").collect();
    assert_eq!(revocations.len(), 1);
    // oidc-provider ends the whole grant with its refresh token.
    assert_eq!(provider.get("/me", Some(&access)).0, 401);
    let out = run(env.oat().args(["introspect", "local"]));
    assert!(out.stderr.contains("not active"), "{}", out.stderr);
    let out = run(env.oat().args(["revoke", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(env.stored("local").is_none(), "nothing is left");
    let out = run(env.oat().args(["revoke", "local"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
}

#[test]
fn doctor_passes_a_good_set_up_and_names_the_fix_for_a_bad_one() {
    let provider = Provider::start();
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").scope("profile").env();
    let out = run(env.oat().arg("doctor"));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    for check in
        ["config", "profile", "endpoints", "discovery", "clock", "client", "store", "tokens", "browser", "port"]
    {
        assert!(out.stdout.contains(&format!("✓ {check}: ")), "{check}: {}", out.stdout);
    }
    assert!(!out.stdout.contains('✗'));

    env.profile_add("conf", &provider, "cli-confidential")
        .args(["--client-secret-stdin"])
        .write_stdin("wrong-secret")
        .assert()
        .success();
    let out = run(env.oat().args(["doctor", "conf"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("✗ client: the server rejects the client's credentials (invalid_client"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("fix: check the client id, the client secret"), "{}", out.stdout);
    assert!(out.stdout.contains("✗ tokens: no tokens stored\n      fix: oat login conf"), "{}", out.stdout);

    let out = run(env.oat().args(["doctor", "--json"]));
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["profiles"].as_array().unwrap().len(), 2);
    assert_eq!(report["profiles"][1]["profile"], "local");
    assert!(report["profiles"][1]["checks"].as_array().unwrap().iter().all(|c| c["ok"] == true));
}

#[test]
fn doctor_reports_an_unreachable_server_and_a_busy_port() {
    #[allow(clippy::disallowed_types)]
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    #[allow(clippy::disallowed_types)]
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let env = Env::new();
    env.oat()
        .args([
            "profile",
            "add",
            "down",
            "--client-id",
            "x",
            "--redirect-uri",
            &format!("http://127.0.0.1:{port}/callback"),
        ])
        .args([
            "--auth-url",
            &format!("http://127.0.0.1:{closed}/auth"),
            "--token-url",
            &format!("http://127.0.0.1:{closed}/token"),
        ])
        .assert()
        .success();
    let out = run(env.oat().args(["doctor", "down"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("✗ tls: http://127.0.0.1:"), "{}", out.stdout);
    assert!(out.stdout.contains(&format!("✗ port: cannot listen on 127.0.0.1:{port}")), "{}", out.stdout);
}

#[test]
fn request_without_a_profile_takes_the_one_that_serves_the_url() {
    // Two accounts at one provider: one profile for the API's /acme/ paths, one for the rest.
    let provider = Provider::start();
    let fixture = api(0);
    let acme = format!("{}/acme/", fixture.url);
    let env = LoggedIn::new("work", &provider.issuer, "cli-public").add_args(&["--url", &acme]).env();
    LoggedIn::new("personal", &provider.issuer, "cli-public").add_args(&["--url", &fixture.url]).log_in(&env);
    let token = |name: &str| env.stored_token(name, "access_token");
    assert_ne!(token("work"), token("personal"));
    for (path, owner) in
        [("/acme/items", "work"), ("/acme", "work"), ("/acmecorp/items", "personal"), ("/", "personal")]
    {
        let out = run(env.oat().args(["request", &format!("{}{path}", fixture.url)]));
        assert_eq!(out.code, 0, "{path}: {}", out.stderr);
        let body: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(body["authorization"], format!("Bearer {}", token(owner)), "{path} is served by {owner}");
    }
    let out = run(env.oat().args(["request", "https://elsewhere.example/x"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no profile serves https://elsewhere.example/x"), "{}", out.stderr);
    assert_eq!(fixture.requests().len(), 4, "nothing was sent for the URL no profile serves");
}
