//! Certificate-bound access tokens (RFC 8705) against the real provider serving TLS: a profile
//! with a client certificate uses the server's mTLS endpoint aliases, gets a token bound to
//! its certificate, and `oat request` presents that certificate to an API that checks the
//! binding; the same token without the certificate (or with another one) is refused there;
//! `inspect` shows the binding and whether it is the profile's certificate.

use crate::support::{Env, Pki, Provider, doctor_check, jwt_claims, pki, run};
use base64::Engine as _;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// `x5t#S256` of a PEM certificate: base64url SHA-256 of its DER, computed here without oat.
fn thumbprint(pem: &Path) -> String {
    use sha2::Digest as _;
    let text = std::fs::read_to_string(pem).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(der))
}

fn tls_provider(pki: &Pki) -> Provider {
    Provider::start_with(&[
        ("OAT_TEST_TLS_CERT", &s(&pki.server_cert)),
        ("OAT_TEST_TLS_KEY", &s(&pki.server_key)),
        ("OAT_TEST_TLS_CA", &s(&pki.ca)),
    ])
}

/// GET a URL with a bearer token, trusting the test CA, presenting `identity` (cert, key) if
/// given: (status, body).
#[allow(clippy::disallowed_types)]
fn get(url: &str, token: &str, ca: &Path, identity: Option<(&PathBuf, &PathBuf)>) -> (u16, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ca = reqwest::Certificate::from_pem(&std::fs::read(ca).unwrap()).unwrap();
    let mut builder =
        reqwest::blocking::Client::builder().tls_certs_only([ca]).timeout(std::time::Duration::from_secs(20));
    if let Some((cert, key)) = identity {
        let mut pem = std::fs::read(cert).unwrap();
        pem.extend(std::fs::read(key).unwrap());
        builder = builder.identity(reqwest::Identity::from_pem(&pem).unwrap());
    }
    let response = builder.build().unwrap().get(url).bearer_auth(token).send().expect("request");
    (response.status().as_u16(), response.text().unwrap_or_default())
}

fn alias_hits(provider: &Provider, pki: &Pki, token: &str) -> Vec<String> {
    let (status, body) = get(&format!("{}/_test/mtls", provider.issuer), token, &pki.ca, None);
    assert_eq!(status, 200, "{body}");
    let hits: Vec<Value> = serde_json::from_str(&body).unwrap();
    hits.iter().map(|h| format!("{} {}", h["method"].as_str().unwrap(), h["path"].as_str().unwrap())).collect()
}

#[test]
fn a_certificate_bound_token_works_with_the_certificate_and_only_with_it() {
    let env = Env::new();
    let pki = pki(env.dir.path());
    let provider = tls_provider(&pki);
    env.profile_add("bound", &provider, "cli-mtls-bound")
        .args(["--flow", "client_credentials", "--resource", "https://api.oat.test"])
        .args(["--cert", &s(&pki.client_cert), "--key", &s(&pki.client_key), "--cacert", &s(&pki.ca)])
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let alias = |path: &str| format!("\"{}/mtls{path}\"", provider.issuer);
    for path in ["/token", "/token/introspection", "/token/revocation", "/me"] {
        assert!(config.contains(&alias(path)), "the mTLS alias of {path}:\n{config}");
    }

    let out = run(env.oat().args(["-v", "token", "bound"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stderr, provider.log());
    assert!(out.stderr.contains(&format!("{}/mtls/token", provider.issuer)), "-v names the alias: {}", out.stderr);
    let token = out.stdout.trim().to_string();
    let mine = thumbprint(&pki.client_cert);
    assert_eq!(jwt_claims(&token)["cnf"]["x5t#S256"], mine.as_str(), "bound to the profile's certificate");
    assert_eq!(alias_hits(&provider, &pki, &token), ["POST /token"]);

    // oat request presents the certificate: the API finds the token bound to it.
    let resource = format!("{}/_test/resource", provider.issuer);
    let out = run(env.oat().args(["request", "bound", &resource]));
    assert_eq!(out.code, 0, "{}\n{}", out.stderr, out.stdout);
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["x5t#S256"], mine.as_str());

    // The same token without the certificate, or with another one, is refused: it is bound.
    let (status, body) = get(&resource, &token, &pki.ca, None);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("no client certificate"), "{body}");
    let (status, body) = get(&resource, &token, &pki.ca, Some((&pki.stranger_cert, &pki.stranger_key)));
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("not the one the token is bound to"), "{body}");
    // ... and the test API does accept the token with the right certificate outside oat too.
    let (status, body) = get(&resource, &token, &pki.ca, Some((&pki.client_cert, &pki.client_key)));
    assert_eq!(status, 200, "{body}");

    // Introspection goes through its alias too, and the server says what an (opaque) token
    // is bound to: oidc-provider introspects only its opaque tokens, so one without a resource.
    env.profile_add("opaque", &provider, "cli-mtls-bound")
        .args(["--flow", "client_credentials"])
        .args(["--cert", &s(&pki.client_cert), "--key", &s(&pki.client_key), "--cacert", &s(&pki.ca)])
        .assert()
        .success();
    let out = run(env.oat().args(["introspect", "opaque"]));
    assert_eq!(out.code, 3, "no token yet: {}", out.stderr);
    assert_eq!(run(env.oat().args(["token", "opaque"])).code, 0);
    let out = run(env.oat().args(["introspect", "opaque"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let info: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(info["cnf"]["x5t#S256"], mine.as_str(), "{info}");
    assert!(alias_hits(&provider, &pki, &token).contains(&"POST /token/introspection".to_string()));

    // inspect shows the binding and that it is this profile's certificate.
    let out = run(env.oat().args(["inspect", "bound"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(&format!("cnf.x5t#S256  {mine}")), "{}", out.stdout);
    assert!(out.stdout.contains("matches the profile's client certificate"), "{}", out.stdout);
    let out = run(env.oat().args(["inspect", "bound", "--json"]));
    let shown: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(shown["certificate"]["matches"], true, "{shown}");
    assert_eq!(shown["certificate"]["x5t#S256"], mine.as_str());

    // With another certificate in the profile, inspect says the token is not bound to it.
    let other = config.replace(&s(&pki.client_cert), &s(&pki.stranger_cert));
    std::fs::write(env.config_path(), other).unwrap();
    let out = run(env.oat().args(["inspect", "bound"]));
    assert!(out.stdout.contains("does NOT match the profile's client certificate"), "{}", out.stdout);
    assert!(out.stdout.contains(&thumbprint(&pki.stranger_cert)), "{}", out.stdout);
}

#[test]
fn discover_and_doctor_tell_whether_the_certificate_goes_to_the_aliases() {
    let env = Env::new();
    let pki = pki(env.dir.path());
    let provider = tls_provider(&pki);
    let out = run(env.oat().args(["--cacert", &s(&pki.ca), "discover", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("mTLS endpoint aliases (RFC 8705 §5) for: token, introspection"), "{}", out.stderr);
    assert!(out.stderr.contains("certificate-bound access tokens"), "{}", out.stderr);

    let identity = ["--cert", &s(&pki.client_cert), "--key", &s(&pki.client_key), "--cacert", &s(&pki.ca)];
    env.profile_add("bound", &provider, "cli-mtls-bound")
        .args(["--flow", "client_credentials"])
        .args(identity)
        .assert()
        .success();
    let (_, check) = doctor_check(&env, "bound", "mtls");
    assert_eq!(check["ok"], true, "{check}");
    assert!(check["detail"].as_str().unwrap().contains("at the server's mTLS aliases"), "{check}");
    assert_eq!(doctor_check(&env, "bound", "discovery").1["ok"], true, "the aliases are not a change");
    assert_eq!(doctor_check(&env, "bound", "client").1["ok"], true, "the certificate authenticates at the alias");

    // A certificate sent to the plain token endpoint: doctor says so, with the fix.
    env.profile_add("plain", &provider, "cli-mtls-bound")
        .args(["--flow", "client_credentials", "--token-url", &format!("{}/token", provider.issuer)])
        .args(identity)
        .assert()
        .success();
    let (_, check) = doctor_check(&env, "plain", "mtls");
    assert_eq!(check["ok"], false, "{check}");
    assert!(check["detail"].as_str().unwrap().contains("token_endpoint"), "{check}");
    assert!(check["fix"].as_str().unwrap().contains("oat profile add plain"), "{check}");

    // Without a certificate: the server's offer is named, the profile does not use it.
    env.profile_add("m", &provider, "machine")
        .args(["--flow", "client_credentials", "--cacert", &s(&pki.ca), "--client-secret-stdin"])
        .write_stdin("machine-secret")
        .assert()
        .success();
    let (_, check) = doctor_check(&env, "m", "mtls");
    assert_eq!(check["ok"], true, "{check}");
    assert!(check["detail"].as_str().unwrap().contains("presents no client certificate"), "{check}");
}

#[test]
fn without_a_certificate_the_plain_endpoints_are_used() {
    let env = Env::new();
    let pki = pki(env.dir.path());
    let provider = tls_provider(&pki);
    env.profile_add("m", &provider, "machine")
        .args(["--flow", "client_credentials", "--cacert", &s(&pki.ca), "--client-secret-stdin"])
        .write_stdin("machine-secret")
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains(&format!("token_endpoint = \"{}/token\"", provider.issuer)), "{config}");
    assert!(!config.contains("/mtls/"), "{config}");
    let out = run(env.oat().args(["token", "m"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(alias_hits(&provider, &pki, out.stdout.trim()).is_empty());
}
