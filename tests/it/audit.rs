//! `oat audit` against the real provider (plain http on loopback, and over TLS for the
//! certificate line), with and without `--fapi2` and PAR required; a closed port exits 5, a
//! malformed issuer 2; and a fixture server for the faults no real server here can play.

use crate::support::faulty::{Action, Faulty};
use crate::support::{Env, Output, Provider, pki, run};
use base64::Engine as _;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// `oat --json audit ISSUER ARGS…`: the run and each check's status, by name.
fn audit(env: &Env, issuer: &str, args: &[&str]) -> (Output, Vec<(String, String)>) {
    let out = run(env.oat().args(["--json", "audit", issuer]).args(args));
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{}\n{}", out.stdout, out.stderr));
    let lines = report.as_array().expect("an array of checks");
    for line in lines {
        let keys: Vec<&str> = line.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["check", "detail", "reference", "status"], "{line}");
    }
    let statuses = lines
        .iter()
        .map(|c| (c["check"].as_str().unwrap().to_string(), c["status"].as_str().unwrap().to_string()))
        .collect();
    (out, statuses)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(c, s)| (c.to_string(), s.to_string())).collect()
}

/// What RFC 9700 says of the test provider on plain http: loopback http, hybrid response
/// types and the password grant warn; the rest passes.
const PLAIN: [(&str, &str); 11] = [
    ("issuer", "pass"),
    ("https", "warn"),
    ("pkce", "pass"),
    ("response_types", "warn"),
    ("iss_parameter", "pass"),
    ("password_grant", "warn"),
    ("jwks", "pass"),
    ("weak_keys", "pass"),
    ("id_token_algs", "pass"),
    ("sender_constraint", "pass"),
    ("clock", "pass"),
];

#[test]
fn the_test_provider_passes_with_warnings_and_each_line_names_its_section() {
    let provider = Provider::start();
    let env = Env::new();
    let (out, statuses) = audit(&env, &provider.issuer, &[]);
    assert_eq!(out.code, 0, "warnings do not fail: {}", out.stderr);
    assert_eq!(statuses, pairs(&PLAIN));

    let out = run(env.oat().args(["audit", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    for line in [
        "! https: plain http on loopback",
        "✓ pkce: S256  [RFC 9700 §2.1.1; RFC 7636 §4.2]",
        "! password_grant: ",
        "[RFC 9700 §2.4]",
        "✓ clock: within",
    ] {
        assert!(out.stdout.contains(line), "{line}:\n{}", out.stdout);
    }
    assert!(out.stderr.contains("11 checks: 0 failed, 3 warned."), "{}", out.stderr);
}

#[test]
fn fapi2_fails_on_what_the_provider_lacks_and_passes_par_once_it_is_required() {
    let env = Env::new();
    let fapi = |par: &'static str| {
        [
            ("fapi2_par", par),
            ("fapi2_response_types", "fail"),
            ("fapi2_pkce", "pass"),
            ("fapi2_sender_constraint", "pass"),
            ("fapi2_client_auth", "warn"),
            ("fapi2_iss_parameter", "pass"),
            ("fapi2_id_token_algs", "fail"),
        ]
    };

    let provider = Provider::start();
    let (out, statuses) = audit(&env, &provider.issuer, &["--fapi2"]);
    assert_eq!(out.code, 1, "a failed check exits 1: {}", out.stderr);
    assert_eq!(statuses, pairs(&[&PLAIN[..], &fapi("fail")[..]].concat()));
    let (plain, _) = audit(&env, &provider.issuer, &[]);
    assert_eq!(plain.code, 0, "without --fapi2 nothing fails");
    drop(provider);

    let provider = Provider::start_with(&[("OAT_TEST_REQUIRE_PAR", "1")]);
    let (out, statuses) = audit(&env, &provider.issuer, &["--fapi2"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(statuses, pairs(&[&PLAIN[..], &fapi("pass")[..]].concat()));
    let human = run(env.oat().args(["audit", &provider.issuer, "--fapi2"]));
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("✓ fapi2_par: required, at "), "{}", human.stdout);
    assert!(
        human
            .stdout
            .contains("✗ fapi2_id_token_algs: RS256 not allowed (only PS256, ES256, EdDSA)  [FAPI 2.0 SP §5.4.1]"),
        "{}",
        human.stdout
    );
}

#[test]
fn over_tls_every_url_is_https_and_the_certificate_line_counts_its_days() {
    let env = Env::new();
    let pki = pki(env.dir.path());
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let provider = Provider::start_with(&[
        ("OAT_TEST_TLS_CERT", &s(&pki.server_cert)),
        ("OAT_TEST_TLS_KEY", &s(&pki.server_key)),
        ("OAT_TEST_TLS_CA", &s(&pki.ca)),
    ]);
    assert!(provider.issuer.starts_with("https://"), "{}", provider.issuer);

    let (out, statuses) = audit(&env, &provider.issuer, &["--cacert", &s(&pki.ca)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut expected = PLAIN.to_vec();
    expected[1] = ("https", "pass");
    expected.insert(10, ("certificate", "pass"));
    assert_eq!(statuses, pairs(&expected));
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let cert = report.as_array().unwrap().iter().find(|c| c["check"] == "certificate").unwrap();
    let detail = cert["detail"].as_str().unwrap();
    assert!(detail.contains("days left") && detail.contains("valid until"), "{detail}");

    let out = run(env.oat().args(["audit", &provider.issuer]));
    assert_eq!(out.code, 5, "an untrusted certificate is a TLS failure: {}", out.stderr);
}

#[test]
fn an_unreachable_server_exits_5_and_a_malformed_issuer_2() {
    let env = Env::new();
    let out = run(env.oat().args(["audit", "http://127.0.0.1:1"]));
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("auditing `http://127.0.0.1:1`"), "{}", out.stderr);
    for bad in ["not a url", "http://as.example", "ftp://127.0.0.1"] {
        let out = run(env.oat().args(["audit", bad]));
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(out.stderr.contains(&format!("the issuer `{bad}`")), "{}", out.stderr);
    }
}

/// A 1024-bit RSA public key as a JWK (the modulus is what the audit measures).
fn weak_rsa_key() -> Value {
    let mut n = vec![0xc3u8; 128];
    n[127] |= 1;
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    json!({"kty": "RSA", "kid": "weak", "use": "sig", "n": b64(&n), "e": "AQAB"})
}

/// A fixture server answering `metadata(its URL)` at the OpenID well-known path and a key set
/// with a 1024-bit RSA key at `/jwks`, its `Date` `behind` seconds behind when given.
fn metadata_server(behind: Option<i64>, metadata: impl Fn(&str) -> Value + Send + Sync + 'static) -> Faulty {
    let base: Arc<OnceLock<String>> = Arc::default();
    let shared = base.clone();
    let server = Faulty::start(move |request, _| {
        let url = shared.get().cloned().unwrap_or_default();
        let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        if let Some(behind) = behind {
            let then = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(behind);
            let date = jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&then).unwrap();
            headers.push(("Date".to_string(), date));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        match request.path.as_str() {
            "/.well-known/openid-configuration" => Action::reply(200, &headers, &metadata(&url).to_string()),
            "/jwks" => Action::reply(200, &headers, &json!({"keys": [weak_rsa_key()]}).to_string()),
            _ => Action::json(404, r#"{"error":"not_found"}"#),
        }
    });
    base.set(server.url.clone()).unwrap();
    server
}

#[test]
fn a_server_with_every_fault_fails_each_check() {
    // A fixture server: it plays faults no real server here can (oidc-provider refuses to
    // run like this): metadata naming another issuer, implicit and hybrid response types
    // with access tokens, a 1024-bit RSA key, `none` among the ID token algorithms, PKCE
    // `plain` only, and a Date header ten minutes behind.
    let server = metadata_server(Some(600), |url| {
        json!({
            "issuer": "https://impostor.example",
            "authorization_endpoint": format!("{url}/auth"),
            "token_endpoint": format!("{url}/token"),
            "jwks_uri": format!("{url}/jwks"),
            "response_types_supported": ["code", "token", "code id_token token"],
            "code_challenge_methods_supported": ["plain"],
            "grant_types_supported": ["authorization_code", "implicit", "password"],
            "id_token_signing_alg_values_supported": ["RS256", "none"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        })
    });
    let env = Env::new();
    let (out, statuses) = audit(&env, &server.url, &["--fapi2"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let expected = [
        ("issuer", "fail"),
        ("https", "warn"),
        ("pkce", "fail"),
        ("response_types", "fail"),
        ("iss_parameter", "warn"),
        ("password_grant", "warn"),
        ("jwks", "pass"),
        ("weak_keys", "fail"),
        ("id_token_algs", "fail"),
        ("sender_constraint", "warn"),
        ("clock", "fail"),
        ("fapi2_par", "fail"),
        ("fapi2_response_types", "fail"),
        ("fapi2_pkce", "fail"),
        ("fapi2_sender_constraint", "fail"),
        ("fapi2_client_auth", "fail"),
        ("fapi2_iss_parameter", "fail"),
        ("fapi2_id_token_algs", "fail"),
    ];
    assert_eq!(statuses, pairs(&expected));
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let detail = |name: &str| {
        report.as_array().unwrap().iter().find(|c| c["check"] == name).unwrap()["detail"].as_str().unwrap().to_string()
    };
    assert!(detail("issuer").contains("`https://impostor.example`"), "{}", detail("issuer"));
    assert!(detail("weak_keys").contains("weak: RSA 1024 bits"), "{}", detail("weak_keys"));
    assert!(detail("response_types").contains("token, code id_token token"), "{}", detail("response_types"));
    assert!(detail("id_token_algs").contains("`none`"), "{}", detail("id_token_algs"));
    assert!(detail("clock").contains("10m ahead of the server's"), "{}", detail("clock"));
}

#[test]
fn a_server_without_metadata_fails_the_discovery_check() {
    // A fixture server: one that answers but publishes no metadata.
    let server = Faulty::start(|_, _| Action::json(404, r#"{"error":"not_found"}"#));
    let env = Env::new();
    let (out, statuses) = audit(&env, &server.url, &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(statuses, pairs(&[("discovery", "fail")]));
    assert!(out.stdout.contains("no metadata found"), "{}", out.stdout);
}

#[test]
fn a_server_for_machines_only_is_not_judged_on_redirects() {
    // A fixture server: the provider always has an authorization endpoint; this one serves
    // client credentials only, so PKCE, response types and the `iss` parameter do not apply.
    let server = metadata_server(
        None,
        |url| json!({"issuer": url, "token_endpoint": format!("{url}/token"), "grant_types_supported": ["client_credentials"]}),
    );
    let env = Env::new();
    let (out, statuses) = audit(&env, &server.url, &[]);
    assert_eq!(out.code, 0, "warnings only: {}", out.stderr);
    let expected = [
        ("issuer", "pass"),
        ("https", "warn"),
        ("authorization", "pass"),
        ("password_grant", "pass"),
        ("jwks", "warn"),
        ("sender_constraint", "warn"),
        ("clock", "warn"),
    ];
    assert_eq!(statuses, pairs(&expected));
}
