//! Grants and client authentication methods beyond the authorization code, each against the
//! real provider: client credentials (with RFC 8707 resource), password, token exchange,
//! JWT bearer, client_secret_jwt, private_key_jwt and tls_client_auth.

use crate::support::{Env, Provider, pki, run};
use base64::Engine as _;
use serde_json::Value;
use std::path::PathBuf;

fn claims(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[test]
fn client_credentials_fetch_a_token_whenever_the_stored_one_is_too_old() {
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "30")]);
    let env = Env::new();
    env.profile_add("m", &provider, "machine")
        .args(["--flow", "client_credentials"])
        .arg("--client-secret-stdin")
        .write_stdin("machine-secret")
        .assert()
        .success();
    let status = run(env.oat().args(["status", "m"]));
    assert!(status.stdout.contains("none (fetched when needed)"), "{}", status.stdout);

    // No login needed: the first `oat token` fetches.
    let first = run(env.oat().args(["token", "m", "--min-ttl", "0"]));
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stdout.trim(), env.stored_token("m", "access_token"));
    let again = run(env.oat().args(["token", "m", "--min-ttl", "0"]));
    assert_eq!(again.stdout, first.stdout, "a valid token is reused");
    assert_eq!(provider.grants("client_credentials").len(), 1);
    // A 30 s token is too old for --min-ttl 60: a new one is fetched.
    let renewed = run(env.oat().args(["token", "m", "--min-ttl", "60"]));
    assert_eq!(renewed.code, 0, "{}", renewed.stderr);
    assert_ne!(renewed.stdout, first.stdout);
    let grants = provider.grants("client_credentials");
    assert_eq!(grants.len(), 2);
    assert_eq!(grants[1]["basic_auth"], true);
    assert!(env.stored("m").unwrap()["tokens"].get("refresh_token").is_none());
}

#[test]
fn client_credentials_send_the_resource_indicator() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("api", &provider, "machine")
        .args(["--flow", "client_credentials"])
        .args(["--resource", "https://api.oat.test", "--client-secret-stdin"])
        .write_stdin("machine-secret")
        .assert()
        .success();
    let out = run(env.oat().args(["login", "api"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let token = run(env.oat().args(["token", "api"])).stdout;
    assert_eq!(claims(token.trim())["aud"], "https://api.oat.test", "a JWT for the resource");
}

#[test]
fn every_client_authentication_method_is_accepted() {
    let env = Env::new();
    let (provider, keys) = Provider::with_keys(&env, &[]);
    let rsa = keys.join("client-rsa.pem");
    let ec = keys.join("client-ec.pem");
    let cases: Vec<(&str, Vec<&str>, Option<&str>)> = vec![
        (
            "jwt-secret",
            vec!["--client-id", "cli-jwt-secret", "--client-auth", "client_secret_jwt", "--client-secret-stdin"],
            Some("cli-jwt-secret-0123456789abcdef0123456789abcdef"),
        ),
        ("key-rsa", vec!["--client-id", "cli-key-rsa", "--key", rsa.to_str().unwrap(), "--key-id", "rsa-1"], None),
        ("key-ec", vec!["--client-id", "cli-key-ec", "--key", ec.to_str().unwrap(), "--key-id", "ec-1"], None),
    ];
    for (name, args, secret) in cases {
        let mut cmd = env.oat();
        cmd.args(["profile", "add", name, "--issuer", &provider.issuer, "--flow", "client_credentials"]).args(&args);
        if let Some(secret) = secret {
            cmd.write_stdin(secret);
        }
        cmd.assert().success();
        let out = run(env.oat().args(["token", name]));
        assert_eq!(out.code, 0, "{name}: {}\n{}", out.stderr, provider.log());
    }
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("client_auth = \"private_key_jwt\""), "a key implies private_key_jwt: {config}");
    let grants = provider.grants("client_credentials");
    assert_eq!(grants.len(), 3);
    for g in &grants {
        assert_eq!(g["status"], 200, "{g}");
        assert_eq!(g["client_assertion_type"], "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "{g}");
        assert_eq!(g["basic_auth"], false);
    }
    // private_key_jwt in a browser login too.
    env.profile_add("web", &provider, "cli-key-ec")
        .args(["--scope", "openid", "--key", ec.to_str().unwrap(), "--key-id", "ec-1"])
        .assert()
        .success();
    env.login("web");
    assert_eq!(provider.grants("authorization_code")[0]["status"], 200);
}

#[test]
fn a_bad_key_file_is_refused_when_the_profile_is_added() {
    let provider = Provider::start();
    let env = Env::new();
    let junk = env.dir.path().join("junk.pem");
    std::fs::write(&junk, "not a key").unwrap();
    for (key, expected) in [
        (junk.to_str().unwrap().to_string(), "not an RSA or EC private key"),
        (env.dir.path().join("missing.pem").to_str().unwrap().to_string(), "cannot read the key file"),
    ] {
        let out = run(env.profile_add("k", &provider, "cli-key-rsa").args(["--key", &key]));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains(expected) && out.stderr.contains(&key), "{}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(!env.config_path().exists());
    }
    let out = run(env.profile_add("k", &provider, "x").args(["--client-auth", "private_key_jwt"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("needs a private key for private_key_jwt: pass --key FILE"), "{}", out.stderr);
}

#[test]
fn the_password_grant_reads_the_password_from_stdin_never_argv() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("pw", &provider, "cli-password")
        .args(["--flow", "password"])
        .args(["--scope", "openid", "--scope", "offline_access", "--client-secret-stdin"])
        .write_stdin("cli-password-secret")
        .assert()
        .success();
    let out = run(env.oat().args(["login", "pw", "--username", "alice", "--password-stdin"]).write_stdin("wrong\n"));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_grant: invalid resource owner credentials"), "{}", out.stderr);
    assert!(env.stored("pw").unwrap().get("tokens").is_none());

    let out = run(env.oat().args(["login", "pw", "--username", "alice"]));
    assert_eq!(out.code, 2, "no terminal and no --password-stdin: {}", out.stderr);
    assert!(out.stderr.contains("--password-stdin"), "{}", out.stderr);

    let out = run(env
        .oat()
        .args(["login", "pw", "--username", "alice", "--password-stdin"])
        .write_stdin("correct horse battery staple\n"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Logged in to `pw` as alice"), "{}", out.stderr);
    let token = run(env.oat().args(["token", "pw"])).stdout;
    assert_eq!(provider.get("/me", Some(token.trim())).0, 200);
    assert!(run(env.oat().args(["refresh", "pw"])).code == 0);
}

#[test]
fn token_exchange_trades_a_profiles_token_for_one_with_another_audience() {
    let provider = Provider::start();
    let env = Env::logged_in("user", &provider, "cli-public");
    env.profile_add("ex", &provider, "exchanger")
        .args(["--client-secret-stdin"])
        .args(["--flow", "client_credentials"])
        .write_stdin("exchanger-secret")
        .assert()
        .success();
    let user_token = env.stored_token("user", "access_token");
    let out =
        run(env.oat().args(["exchange", "ex", "--subject-token-from", "user", "--audience", "https://api.oat.test"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let exchanged = out.stdout.trim().to_string();
    assert!(!exchanged.is_empty() && exchanged != user_token);
    let (_, body) =
        provider.post_basic("/token/introspection", ("exchanger", "exchanger-secret"), &[("token", &exchanged)]);
    let info: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(info["active"], true, "{info}");
    assert_eq!(info["aud"], "https://api.oat.test", "{info}");
    assert_eq!(info["sub"], "alice", "{info}");

    let out = run(env.oat().args(["exchange", "ex", "--subject-token-stdin", "--json"]).write_stdin(user_token));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["issued_token_type"], "urn:ietf:params:oauth:token-type:access_token");

    let out = run(env.oat().args(["exchange", "ex", "--subject-token-stdin"]).write_stdin("not-a-token"));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("exchanging a token with `ex`") && out.stderr.contains("invalid_grant"),
        "{}",
        out.stderr
    );
    let out = run(env.oat().args(["exchange", "ex"]));
    assert_eq!(out.code, 2, "a subject token is required");
}

#[test]
fn the_jwt_bearer_grant_signs_with_a_pem_or_a_service_account_key() {
    let env = Env::new();
    let (provider, keys) = Provider::with_keys(&env, &[]);
    env.profile_add("sa", &provider, "service@oat.test")
        .args(["--flow", "jwt_bearer"])
        .args(["--key", keys.join("client-rsa.pem").to_str().unwrap(), "--key-id", "rsa-1", "--scope", "openid"])
        .assert()
        .success();
    let out = run(env.oat().args(["token", "sa"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stderr, provider.log());

    // A Google-style JSON key: its client_email is the client id, its private_key_id the kid.
    let pem = std::fs::read_to_string(keys.join("client-ec.pem")).unwrap();
    let json = serde_json::json!({"type": "service_account", "client_email": "service@oat.test", "private_key_id": "ec-1", "private_key": pem});
    let key_file = env.dir.path().join("service-account.json");
    std::fs::write(&key_file, json.to_string()).unwrap();
    env.oat()
        .args([
            "profile",
            "add",
            "gsa",
            "--issuer",
            &provider.issuer,
            "--flow",
            "jwt_bearer",
            "--key",
            key_file.to_str().unwrap(),
        ])
        .assert()
        .success();
    let out = run(env.oat().args(["token", "gsa"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stderr, provider.log());
    let grants = provider.grants("urn:ietf:params:oauth:grant-type:jwt-bearer");
    assert_eq!(grants.len(), 2);
    assert!(grants.iter().all(|g| g["status"] == 200 && g["client_id"] == "service@oat.test"), "{grants:?}");
}

#[test]
fn tls_client_auth_presents_the_profiles_certificate() {
    let env = Env::new();
    let pki = pki(env.dir.path());
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let provider = Provider::start_with(&[
        ("OAT_TEST_TLS_CERT", &s(&pki.server_cert)),
        ("OAT_TEST_TLS_KEY", &s(&pki.server_key)),
        ("OAT_TEST_TLS_CA", &s(&pki.ca)),
    ]);
    assert!(provider.issuer.starts_with("https://127.0.0.1:"));

    // Without the CA the server's certificate is not trusted, and the message says what to do.
    let out = run(env.oat().args(["discover", &provider.issuer]));
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains("--cacert"), "{}", out.stderr);

    env.profile_add("tls", &provider, "cli-mtls")
        .args(["--flow", "client_credentials"])
        .args(["--cert", &s(&pki.client_cert), "--key", &s(&pki.client_key), "--cacert", &s(&pki.ca)])
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("client_auth = \"tls_client_auth\""), "{config}");
    let out = run(env.oat().args(["token", "tls"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stderr, provider.log());

    // Someone else's certificate from the same CA is refused by the server.
    env.profile_add("stranger", &provider, "cli-mtls")
        .args(["--flow", "client_credentials"])
        .args(["--cert", &s(&pki.stranger_cert), "--key", &s(&pki.stranger_key), "--cacert", &s(&pki.ca)])
        .assert()
        .success();
    let out = run(env.oat().args(["token", "stranger"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_client"), "{}", out.stderr);
}
