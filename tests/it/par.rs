//! PAR (RFC 9126), JAR (RFC 9101) and JARM against the real provider: pushed requests (forced
//! by the server, asked by the profile or by one login), signed request objects by value and
//! pushed, and JWT-secured authorization responses, including a tampered one.

use crate::support::{Env, Provider, run};
use base64::Engine as _;
use serde_json::Value;

fn query(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url).unwrap().query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn names(url: &str) -> Vec<String> {
    query(url).into_iter().map(|(k, _)| k).collect()
}

fn param(url: &str, name: &str) -> Option<String> {
    query(url).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn claims(jwt: &str, part: usize) -> Value {
    let part = jwt.split('.').nth(part).expect("a JWT");
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// The requests the provider's PAR endpoint received.
fn pushes(provider: &Provider) -> Vec<Value> {
    provider.requests().into_iter().filter(|r| r["path"] == "/request").collect()
}

/// The browser was sent to the authorization endpoint with only `client_id` and a pushed
/// `request_uri`.
fn assert_pushed_url(env: &Env, provider: &Provider, client_id: &str) {
    let urls = env.browser_log();
    assert_eq!(urls.len(), 1, "{urls:?}");
    let url = &urls[0];
    assert!(url.starts_with(&format!("{}/auth?", provider.issuer)), "{url}");
    assert_eq!(names(url), ["client_id", "request_uri"], "{url}");
    assert_eq!(param(url, "client_id").as_deref(), Some(client_id));
    assert!(param(url, "request_uri").is_some_and(|u| u.starts_with("urn:ietf:params:oauth:request_uri:")), "{url}");
}

#[test]
fn a_server_that_requires_par_gets_pushed_requests_without_being_told() {
    // The metadata says require_pushed_authorization_requests, and cli-par refuses anything else.
    let provider = Provider::start_with(&[("OAT_TEST_REQUIRE_PAR", "1")]);
    let env = Env::new();
    env.add_profile("par", &provider, "cli-par");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("require_pushed_authorization_requests = true"), "{config}");
    assert!(!config.contains("par = true"), "the profile did not ask: {config}");

    let out = env.login("par");
    assert!(out.stderr.contains("Logged in to `par` as alice"), "{}", out.stderr);
    assert_pushed_url(&env, &provider, "cli-par");
    let pushed = pushes(&provider);
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    assert_eq!(pushed[0]["status"], 201);
    assert_eq!(pushed[0]["client_id"], "cli-par");
    assert_eq!(provider.grants("authorization_code")[0]["status"], 200);
    assert!(env.stored("par").is_some());
}

#[test]
fn a_client_that_requires_par_is_refused_without_it_and_served_with_the_profiles_par() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("plain", &provider, "cli-par");
    // Without PAR the provider refuses cli-par in the browser: the login does not succeed.
    let out = run(env.oat().args(["--timeout", "10", "login", "plain"]));
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(env.stored("plain").is_none());

    let env = Env::new();
    env.profile_add("par", &provider, "cli-par").args(["--scope", "openid", "--par"]).assert().success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("par = true"), "{config}");
    env.login("par");
    assert_pushed_url(&env, &provider, "cli-par");
    assert!(env.stored("par").is_some());
}

#[test]
fn login_par_pushes_with_the_confidential_clients_authentication() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("conf", &provider, "cli-confidential")
        .args(["--scope", "openid", "--client-secret-stdin"])
        .write_stdin("cli-confidential-secret\n")
        .assert()
        .success();
    let out = run(env.oat().args(["-v", "login", "conf", "--par"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_pushed_url(&env, &provider, "cli-confidential");
    let pushed = pushes(&provider);
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    assert_eq!(pushed[0]["basic_auth"], true, "client_secret_basic at the PAR endpoint: {pushed:?}");
    assert_eq!(pushed[0]["client_secret_in_body"], false);
    assert_eq!(pushed[0]["status"], 201);
    assert!(!out.stderr.contains("cli-confidential-secret"), "{}", out.stderr);
    assert!(out.stderr.contains("/request"), "-v shows the push: {}", out.stderr);
    // The next login without --par is a plain one again.
    env.login("conf");
    assert!(names(&env.browser_log()[1]).contains(&"state".to_string()));
    assert_eq!(pushes(&provider).len(), 1);
}

#[test]
fn a_refused_push_is_exit_4_with_the_servers_error_before_any_browser_opens() {
    let provider = Provider::start();
    let env = Env::new();
    // A redirect URI the client never registered: the provider refuses the push.
    env.profile_add("par", &provider, "cli-public")
        .args(["--scope", "openid", "--par", "--param", "redirect_uri=https://evil.example/callback"])
        .assert()
        .success();
    let out = run(env.oat().args(["login", "par"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_request: redirect_uri did not match"), "{}", out.stderr);
    assert!(out.stderr.contains("pushing the authorization request of `par`"), "{}", out.stderr);
    assert!(env.browser_log().is_empty(), "no browser opened: {:?}", env.browser_log());
    assert!(!out.stderr.contains("/auth?"), "no URL was offered: {}", out.stderr);
    assert!(env.stored("par").is_none());
}

#[test]
fn par_without_a_par_endpoint_is_refused_with_what_to_do() {
    let provider = Provider::start();
    let env = Env::new();
    // A profile made without discovery has no PAR endpoint.
    let (auth, token) = (format!("{}/auth", provider.issuer), format!("{}/token", provider.issuer));
    env.oat()
        .args(["profile", "add", "bare", "--client-id", "cli-public", "--auth-url", &auth, "--token-url", &token])
        .assert()
        .success();
    let out = run(env.oat().args(["login", "bare", "--par"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("has no pushed authorization request endpoint"), "{}", out.stderr);
    assert!(env.browser_log().is_empty());
}

/// A profile of cli-jar (a public client that must send request objects signed with the
/// provider's client-rsa.pem), with the extra arguments.
fn add_jar_profile(env: &Env, provider: &Provider, keys: &std::path::Path, extra: &[&str]) {
    env.profile_add("jar", provider, "cli-jar")
        .args(["--scope", "openid", "--client-auth", "none", "--request-object", "signed"])
        .args(["--key", keys.join("client-rsa.pem").to_str().unwrap(), "--key-id", "rsa-1"])
        .args(extra)
        .assert()
        .success();
}

#[test]
fn a_signed_request_object_is_sent_by_value() {
    let env = Env::new();
    let (provider, keys) = Provider::with_keys(&env, &[]);
    add_jar_profile(&env, &provider, &keys, &[]);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("request_object = \"signed\""), "{config}");

    let out = env.login("jar");
    assert!(out.stderr.contains("Logged in to `jar` as alice"), "{}", out.stderr);
    let urls = env.browser_log();
    assert_eq!(urls.len(), 1);
    assert_eq!(names(&urls[0]), ["client_id", "request"], "only the request object: {}", urls[0]);
    let object = param(&urls[0], "request").unwrap();
    let header = claims(&object, 0);
    assert_eq!((header["alg"].as_str(), header["kid"].as_str()), (Some("RS256"), Some("rsa-1")));
    assert_eq!(header["typ"], "oauth-authz-req+jwt");
    let c = claims(&object, 1);
    assert_eq!(c["iss"], "cli-jar");
    assert_eq!(c["client_id"], "cli-jar");
    assert_eq!(c["aud"].as_str(), Some(provider.issuer.as_str()));
    assert_eq!(c["response_type"], "code");
    assert_eq!(c["code_challenge_method"], "S256");
    assert!(c["state"].as_str().is_some() && c["nonce"].as_str().is_some() && c["jti"].as_str().is_some());
    let (iat, nbf, exp) = (c["iat"].as_u64().unwrap(), c["nbf"].as_u64().unwrap(), c["exp"].as_u64().unwrap());
    assert!(nbf <= iat && iat < exp && exp - iat <= 600, "{c}");
    // It carries the PKCE challenge, never the verifier.
    assert!(c.get("code_verifier").is_none(), "{c}");
    assert!(env.stored("jar").is_some());
}

#[test]
fn a_signed_request_object_is_pushed_with_par() {
    let env = Env::new();
    let (provider, keys) = Provider::with_keys(&env, &[]);
    add_jar_profile(&env, &provider, &keys, &["--par"]);
    env.login("jar");
    assert_pushed_url(&env, &provider, "cli-jar");
    let pushed = pushes(&provider);
    assert_eq!(pushed.len(), 1);
    assert_eq!(pushed[0]["status"], 201);
    assert!(env.stored("jar").is_some());
}

#[test]
fn a_request_object_without_a_key_is_refused_when_the_profile_is_added() {
    let provider = Provider::start();
    let env = Env::new();
    let out = run(env.profile_add("jar", &provider, "cli-jar").args(["--request-object", "signed"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr.lines().last().unwrap_or_default(),
        "error: profile `jar` needs a private key to sign its request objects (--request-object signed): pass --key FILE"
    );
    assert!(!env.config_path().exists() || !std::fs::read_to_string(env.config_path()).unwrap().contains("jar"));
}

#[test]
fn a_jarm_login_uses_the_code_only_from_a_verified_response() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("jarm", &provider, "cli-public");
    let mut env = env;
    let callbacks = env.dir.path().join("callbacks.log");
    env.set("OAT_TEST_CALLBACK_LOG", callbacks.to_str().unwrap());
    let out = run(env.oat().args(["-v", "login", "jarm", "--response-mode", "jwt"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Logged in to `jarm` as alice"), "{}", out.stderr);
    assert_eq!(param(&env.browser_log()[0], "response_mode").as_deref(), Some("jwt"));
    // The redirect carried nothing but the signed response.
    let callback = std::fs::read_to_string(&callbacks).unwrap();
    assert_eq!(names(callback.trim()), ["response"], "{callback}");
    let response = param(callback.trim(), "response").unwrap();
    let c = claims(&response, 1);
    assert_eq!(c["aud"], "cli-public");
    assert_eq!(c["iss"].as_str(), Some(provider.issuer.as_str()));
    let code = c["code"].as_str().expect("a code in the response").to_string();
    // Neither the response nor its code shows in -v.
    assert!(!out.stderr.contains(&response), "{}", out.stderr);
    assert!(!out.stderr.contains(&code), "{}", out.stderr);
    assert_eq!(provider.grants("authorization_code")[0]["status"], 200);
    assert!(env.stored("jarm").is_some());

    // The profile's response_mode does the same on every login.
    let env = Env::new();
    env.profile_add("jarm", &provider, "cli-public")
        .args(["--scope", "openid", "--response-mode", "query.jwt"])
        .assert()
        .success();
    assert!(std::fs::read_to_string(env.config_path()).unwrap().contains("response_mode = \"query.jwt\""));
    env.login("jarm");
    assert_eq!(param(&env.browser_log()[0], "response_mode").as_deref(), Some("query.jwt"));
}

#[test]
fn a_tampered_jarm_response_is_exit_4_and_nothing_is_stored() {
    let provider = Provider::start();
    let mut env = Env::new();
    env.profile_add("jarm", &provider, "cli-public")
        .args(["--scope", "openid", "--response-mode", "jwt"])
        .assert()
        .success();
    // The test browser replaces the first character of the response JWT's signature before it
    // GETs the callback: header and claims (with a real code) stay as the provider issued them.
    env.set("OAT_TEST_BROWSER", "tamper-response");
    let out = run(env.oat().args(["login", "jarm"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("the authorization response (JARM) is not valid: signature"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was stored"), "{}", out.stderr);
    assert!(env.stored("jarm").is_none());
    assert!(provider.grants("authorization_code").is_empty(), "its code was never exchanged");
}

/// The doctor's check named `name` for profile `profile`, from `oat doctor NAME --json`.
fn doctor_check(env: &Env, profile: &str, name: &str) -> (i32, Value) {
    let out = run(env.oat().args(["doctor", profile, "--json"]));
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    let checks = report["profiles"][0]["checks"].as_array().unwrap();
    let check = checks.iter().find(|c| c["check"] == name).unwrap_or_else(|| panic!("no {name} check: {report}"));
    (out.code, check.clone())
}

#[test]
fn discover_says_what_the_server_offers_of_par_jar_and_jarm() {
    let provider = Provider::start_with(&[("OAT_TEST_REQUIRE_PAR", "1")]);
    let env = Env::new();
    let out = run(env.oat().args(["discover", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("PAR (RFC 9126): required, at {}/request", provider.issuer)),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("request objects (JAR, RFC 9101): signed with "), "{}", out.stderr);
    assert!(out.stderr.contains("RS256"), "{}", out.stderr);
    assert!(out.stderr.contains("JWT responses (JARM): "), "{}", out.stderr);
    assert!(out.stderr.contains("query.jwt"), "{}", out.stderr);
    let document: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(document["require_pushed_authorization_requests"], true);

    let plain = Provider::start_with(&[("OAT_TEST_NO_PAR_JAR_JARM", "1")]);
    let out = run(env.oat().args(["discover", &plain.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    for line in [
        "PAR (RFC 9126): not offered",
        "request objects (JAR, RFC 9101): not offered",
        "JWT responses (JARM): not offered",
    ] {
        assert!(out.stderr.contains(line), "{line}: {}", out.stderr);
    }
}

#[test]
fn doctor_says_what_the_profile_uses_and_fails_what_the_server_lacks() {
    let env = Env::new();
    let (provider, keys) = Provider::with_keys(&env, &[]);
    let key = keys.join("client-rsa.pem");
    env.profile_add("full", &provider, "cli-jar")
        .args(["--scope", "openid", "--client-auth", "none", "--par", "--request-object", "signed"])
        .args(["--key", key.to_str().unwrap(), "--key-id", "rsa-1", "--response-mode", "jwt"])
        .assert()
        .success();
    let (_, par) = doctor_check(&env, "full", "par");
    assert_eq!(par["ok"], true, "{par}");
    assert!(par["detail"].as_str().unwrap().contains("the profile uses it"), "{par}");
    let (_, jar) = doctor_check(&env, "full", "request object");
    assert_eq!(jar["ok"], true, "{jar}");
    assert_eq!(jar["detail"], "signed with RS256, which the server accepts");
    let (_, jarm) = doctor_check(&env, "full", "jarm");
    assert_eq!(jarm["ok"], true, "{jarm}");

    // The same choices at a server that offers none of them: three failures, each with its fix.
    let plain = Provider::start_with(&[("OAT_TEST_NO_PAR_JAR_JARM", "1")]);
    let added = run(env
        .profile_add("bare", &plain, "cli-public")
        .args(["--scope", "openid", "--par", "--request-object", "signed"])
        .args(["--key", key.to_str().unwrap(), "--client-auth", "none", "--response-mode", "jwt"]));
    assert_eq!(added.code, 0, "{}", added.stderr);
    // profile add already says so, once per feature.
    assert!(added.stderr.contains("the profile asks for PAR, and the server offers no"), "{}", added.stderr);
    assert!(added.stderr.contains("lists no request_object_signing_alg_values_supported"), "{}", added.stderr);
    assert!(added.stderr.contains("response_modes_supported has no jwt"), "{}", added.stderr);
    let (code, par) = doctor_check(&env, "bare", "par");
    assert_ne!(code, 0, "doctor fails");
    assert_eq!(par["ok"], false, "{par}");
    assert!(par["fix"].as_str().unwrap().contains("par = true"), "{par}");
    let (_, jar) = doctor_check(&env, "bare", "request object");
    assert_eq!(jar["ok"], false, "{jar}");
    assert!(jar["fix"].as_str().unwrap().contains("request_object"), "{jar}");
    let (_, jarm) = doctor_check(&env, "bare", "jarm");
    assert_eq!(jarm["ok"], false, "{jarm}");
    assert!(jarm["detail"].as_str().unwrap().contains("has no jwt"), "{jarm}");

    // Text output: one line per check with its fix.
    let out = run(env.oat().args(["doctor", "bare"]));
    assert_ne!(out.code, 0);
    assert!(out.stdout.contains("par") && out.stdout.contains("jarm"), "{}", out.stdout);
}

#[test]
fn doctor_passes_a_profile_from_before_par_that_does_not_ask_for_it() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("old", &provider, "cli-public");
    // A profile written before oat knew PAR: no pushed_authorization_request_endpoint line.
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let old: String = config
        .lines()
        .filter(|l| !l.starts_with("pushed_authorization_request_endpoint"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(old, config);
    std::fs::write(env.config_path(), old).unwrap();
    let (_, par) = doctor_check(&env, "old", "par");
    assert_eq!(par["ok"], true, "{par}");
    assert!(par["detail"].as_str().unwrap().contains("the profile predates it"), "{par}");
    // Asked for once, it is refused with what to do.
    let out = run(env.oat().args(["login", "old", "--par"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert!(env.browser_log().is_empty());
}
