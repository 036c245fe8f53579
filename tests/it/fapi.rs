//! `--security-profile fapi2` (FAPI 2.0 Security Profile) against the real provider, which
//! holds client cli-fapi to FAPI 2.0 (oidc-provider's `fapi` feature, per client): PAR
//! required, private_key_jwt with the issuer as the assertion's audience, DPoP-bound tokens.

use crate::support::{Env, Provider, run};
use std::path::Path;

/// `oat profile add fapi` for cli-fapi with its key and MORE arguments.
fn add(env: &Env, provider: &Provider, keys: &Path, more: &[&str]) -> crate::support::Output {
    let mut cmd = env.profile_add("fapi", provider, "cli-fapi");
    cmd.args(["--scope", "openid", "--scope", "offline_access"]);
    cmd.args(["--key", keys.join("client-rsa.pem").to_str().unwrap(), "--key-id", "rsa-1"]);
    run(cmd.args(more))
}

#[test]
fn a_fapi2_profile_turns_on_what_fapi_needs_and_logs_in_end_to_end() {
    let env = Env::new();
    let (provider, keys) = Provider::with_keys(&env, &[]);
    let out = add(&env, &provider, &keys, &["--security-profile", "fapi2"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    for line in ["security_profile = \"fapi2\"", "par = true", "dpop = true", "client_auth = \"private_key_jwt\""] {
        assert!(config.contains(line), "{line} in:\n{config}");
    }

    env.login("fapi");
    // Pushed: the browser saw only the client and the request URI.
    let urls = env.browser_log();
    assert_eq!(urls.len(), 1, "{urls:?}");
    let query = urls[0].split_once('?').map(|(_, q)| q).unwrap_or_default();
    let names: Vec<&str> = query.split('&').filter_map(|kv| kv.split_once('=').map(|(k, _)| k)).collect();
    assert_eq!(names, ["client_id", "request_uri"], "{}", urls[0]);
    // Sender-constrained: the token is bound to the profile's DPoP key.
    let entry = env.stored("fapi").expect("tokens stored");
    assert_eq!(entry["tokens"]["token_type"], "DPoP", "{entry}");
    assert!(entry["dpop_key"].is_string(), "{entry}");
    // A refresh keeps to the rules too (the assertion's audience, the proof).
    let out = run(env.oat().args(["refresh", "fapi"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn without_the_security_profile_the_same_client_is_refused_by_the_fapi_server() {
    // The provider holds cli-fapi to FAPI 2.0: a client assertion whose audience is the token
    // endpoint (what oat sends without --security-profile fapi2) is refused. This proves the
    // server side of the test above is really FAPI 2.0, and that the profile is what makes
    // oat meet it.
    let env = Env::new();
    let (provider, keys) = Provider::with_keys(&env, &[]);
    let out = add(&env, &provider, &keys, &["--par", "--dpop"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(env.oat().args(["login", "fapi"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_client"), "{}", out.stderr);
    let log = provider.log();
    assert!(log.contains("audience (aud) must equal the issuer identifier url"), "{log}");
    assert!(env.stored("fapi").is_none_or(|e| e["tokens"].is_null()), "nothing stored");
}

#[test]
fn a_profile_that_cannot_meet_fapi2_is_refused_naming_what_is_missing() {
    let env = Env::new();
    let (provider, keys) = Provider::with_keys(&env, &[]);
    let refused = |out: crate::support::Output, why: &str| {
        assert_eq!(out.code, 2, "{}", out.stderr);
        let last = out.stderr.lines().last().unwrap_or_default().to_string();
        assert!(last.starts_with("error: profile `") && last.contains(why), "{why} in: {last}");
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    };
    // A client secret is not a FAPI 2.0 client authentication.
    let mut cmd = env.profile_add("secret", &provider, "cli-confidential");
    cmd.args(["--security-profile", "fapi2", "--client-secret-stdin"]).write_stdin("cli-confidential-secret");
    refused(run(&mut cmd), "needs private_key_jwt (--key FILE) or tls_client_auth");
    // FAPI 2.0 is about the authorization code flow.
    refused(
        add(&env, &provider, &keys, &["--security-profile", "fapi2", "--flow", "client_credentials"]),
        "covers the authorization code flow, not client_credentials",
    );
    // A server without PAR cannot serve a FAPI 2.0 client.
    let no_par = Provider::start_with(&[("OAT_TEST_NO_PAR_JAR_JARM", "1")]);
    refused(
        add(&env, &no_par, &keys, &["--security-profile", "fapi2"]),
        "the server offers no pushed_authorization_request_endpoint",
    );
    assert!(!env.config_path().exists(), "nothing written");
}
