//! `oat verify` against the real provider: a fresh ID token from a real login verifies through
//! discovery, with `--jwks URL` and with `--jwks FILE`, and from stdin; a wrong audience or
//! issuer, a tampered signature and an expired token (signed here with a key of a JWKS file)
//! exit 4 naming the failed check; keys that cannot be fetched exit 5; a token that is not a
//! JWT exits 2. The token never appears in the output.

use crate::support::keys::es256 as test_key;
use crate::support::{Env, LoggedIn, Output, Provider, jwt_claims, run};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// A logged-in profile `v` of the provider (public client, openid) and its ID token.
fn id_token(provider: &Provider) -> (Env, String) {
    let env = LoggedIn::new("v", &provider.issuer, "cli-public").env();
    let token = env.stored_token("v", "id_token");
    assert_eq!(token.split('.').count(), 3, "the provider issued a JWT ID token");
    (env, token)
}

fn verify(env: &Env, args: &[&str], token: &str) -> Output {
    let out = run(env.oat().arg("verify").args(args).arg("-").write_stdin(token));
    assert!(!out.stdout.contains(token) && !out.stderr.contains(token), "the token is never printed");
    out
}

/// The statuses of `oat --json verify`, by check.
fn statuses(out: &Output) -> Vec<(String, String)> {
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{}\n{}", out.stdout, out.stderr));
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| (c["check"].as_str().unwrap().to_string(), c["status"].as_str().unwrap().to_string()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(c, s)| (c.to_string(), s.to_string())).collect()
}

#[test]
fn a_fresh_id_token_verifies_through_discovery_a_jwks_url_and_a_jwks_file() {
    let provider = Provider::start();
    let (env, token) = id_token(&provider);
    let pinned = ["--issuer", &provider.issuer, "--audience", "cli-public"];

    let out = verify(&env, &pinned, &token);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let claims: Value = serde_json::from_str(&out.stdout).expect("the claims as JSON on stdout");
    assert_eq!(claims, jwt_claims(&token));
    for line in ["✓ alg: RS256", "✓ key: key ", "✓ signature: verifies", "✓ iss: ", "✓ aud: ", "✓ exp: ", "✓ iat: "]
    {
        assert!(out.stderr.contains(line), "{line}:\n{}", out.stderr);
    }
    assert!(out.stderr.contains(&format!("{}/jwks", provider.issuer)), "the keys came from discovery: {}", out.stderr);

    let jwks_url = format!("{}/jwks", provider.issuer);
    let out = verify(&env, &[&pinned[..], &["--jwks", &jwks_url]].concat(), &token);
    assert_eq!(out.code, 0, "{}", out.stderr);

    let (status, jwks) = provider.get("/jwks", None);
    assert_eq!(status, 200);
    let file = env.dir.path().join("jwks.json");
    std::fs::write(&file, jwks).unwrap();
    let out = verify(&env, &[&pinned[..], &["--jwks", file.to_str().unwrap()]].concat(), &token);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("jwks.json"), "{}", out.stderr);

    // As an argument, and the JSON report.
    let out = run(env.oat().args(["--json", "verify", &token]).args(pinned));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((report["valid"].as_bool(), report["issuer_pinned"].as_bool()), (Some(true), Some(true)));
    assert_eq!(report["header"]["alg"], "RS256");
    assert_eq!(report["claims"]["aud"], "cli-public");
    let expected = [
        ("alg", "pass"),
        ("key", "pass"),
        ("signature", "pass"),
        ("iss", "pass"),
        ("aud", "pass"),
        ("exp", "pass"),
        ("iat", "pass"),
    ];
    assert_eq!(statuses(&out), pairs(&expected));
}

#[test]
fn without_issuer_or_audience_the_token_is_valid_with_two_warnings() {
    let provider = Provider::start();
    let (env, token) = id_token(&provider);
    let out = verify(&env, &["--json"], &token);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((report["valid"].as_bool(), report["issuer_pinned"].as_bool()), (Some(true), Some(false)));
    let expected = [
        ("alg", "pass"),
        ("key", "pass"),
        ("signature", "pass"),
        ("iss", "warn"),
        ("aud", "warn"),
        ("exp", "pass"),
        ("iat", "pass"),
    ];
    assert_eq!(statuses(&out), pairs(&expected));

    let out = verify(&env, &[], &token);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("! iss: ") && out.stderr.contains("was taken from the token itself"), "{}", out.stderr);
    assert!(out.stderr.contains("! aud: \"cli-public\": not checked"), "{}", out.stderr);
}

#[test]
fn a_wrong_audience_or_issuer_or_a_tampered_signature_exits_4_naming_the_check() {
    let provider = Provider::start();
    let (env, token) = id_token(&provider);
    let jwks_url = format!("{}/jwks", provider.issuer);

    let out = verify(&env, &["--issuer", &provider.issuer, "--audience", "https://api.example"], &token);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("✗ aud: aud [\"cli-public\"] does not contain"), "{}", out.stderr);
    assert!(out.stderr.contains("NOT valid: aud failed"), "{}", out.stderr);
    assert!(serde_json::from_str::<Value>(&out.stdout).is_ok(), "the claims are still shown: {}", out.stdout);

    let out = verify(&env, &["--issuer", "https://other.example", "--jwks", &jwks_url], &token);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("✗ iss: iss is"), "{}", out.stderr);
    assert!(out.stderr.contains("NOT valid: iss failed"), "{}", out.stderr);

    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let mut signature = URL_SAFE_NO_PAD.decode(&parts[2]).unwrap();
    signature[10] ^= 0x01;
    parts[2] = URL_SAFE_NO_PAD.encode(signature);
    let tampered = parts.join(".");
    let out = verify(&env, &["--issuer", &provider.issuer], &tampered);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("✗ signature: "), "{}", out.stderr);
    assert!(out.stderr.contains("NOT valid: signature failed"), "{}", out.stderr);
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[test]
fn an_expired_token_exits_4_naming_exp_and_one_not_yet_valid_names_nbf() {
    let env = Env::new();
    let (key, jwk) = test_key("k1");
    let file = env.dir.path().join("keys.json");
    std::fs::write(&file, json!({"keys": [jwk]}).to_string()).unwrap();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.kid = Some("k1".into());
    let sign = |claims: Value| jsonwebtoken::encode(&header, &claims, &key).unwrap();
    let args = ["--issuer", "https://as.example", "--audience", "api", "--jwks", file.to_str().unwrap()];
    let base = |exp: i64, nbf: i64| json!({"iss": "https://as.example", "aud": ["api"], "exp": exp, "nbf": nbf, "iat": now() - 7200});

    let fresh = sign(base(now() + 300, now() - 10));
    let out = verify(&env, &args, &fresh);
    assert_eq!(out.code, 0, "the crafted token verifies when fresh: {}", out.stderr);

    let expired = sign(base(now() - 3600, now() - 7200));
    let out = verify(&env, &args, &expired);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("✗ exp: it expired"), "{}", out.stderr);
    assert!(out.stderr.contains("NOT valid: exp failed"), "{}", out.stderr);

    // Within the minute of leeway an expired token still passes.
    let out = verify(&env, &args, &sign(base(now() - 20, now() - 7200)));
    assert_eq!(out.code, 0, "{}", out.stderr);

    let early = sign(base(now() + 7200, now() + 3600));
    let out = verify(&env, &args, &early);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("✗ nbf: it is not valid before"), "{}", out.stderr);

    // HS256 needs a secret oat verify does not have; alg none is refused.
    let hs = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &base(now() + 300, now()),
        &jsonwebtoken::EncodingKey::from_secret(b"s3cret"),
    )
    .unwrap();
    let out = verify(&env, &args, &hs);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("✗ alg: HS256 is signed with a shared secret"), "{}", out.stderr);
    let claims = fresh.split('.').nth(1).unwrap();
    let none = format!("{}.{claims}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#));
    let out = verify(&env, &args, &none);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("✗ alg: the token is not signed (alg none)"), "{}", out.stderr);
}

#[test]
fn keys_that_cannot_be_fetched_exit_5_and_what_is_not_a_jwt_exits_2() {
    let provider = Provider::start();
    let (env, token) = id_token(&provider);
    let out = verify(&env, &["--jwks", "http://127.0.0.1:1/jwks"], &token);
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains("http://127.0.0.1:1/jwks"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let out = verify(&env, &["--issuer", "http://127.0.0.1:1"], &token);
    assert_eq!(out.code, 5, "{}", out.stderr);

    let access = env.stored_token("v", "access_token");
    assert_ne!(access.split('.').count(), 3, "the provider's access tokens are opaque");
    let out = verify(&env, &[], &access);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("opaque token") && out.stderr.contains("oat introspect"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let out = verify(&env, &[], "a.b.c");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("cannot read the token"), "{}", out.stderr);
}
