//! Checks that protect the user from a wrong or hostile server: the ID token's signature
//! (against the issuer's JWKS; `alg: none` refused) and RFC 9207 mix-up protection. A fixture
//! plays the server, since a real one would not misbehave on request; every failure must store
//! nothing and exit 4 naming what failed.

use crate::support::fixture::{Fixture, Reply};
use crate::support::keys::es256;
use crate::support::{Env, run};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use std::sync::Arc;

/// How the fixture's token endpoint signs, and whether its redirects carry `iss`.
#[derive(Clone, Copy)]
enum Signing {
    Published,
    OtherKey,
    None,
}

struct Keys {
    published: EncodingKey,
    other: EncodingKey,
    jwk: Value,
}

fn keys() -> Keys {
    let (published, jwk) = es256("k1");
    Keys { published, other: es256("k1").0, jwk }
}

/// An OpenID provider that signs its ID tokens as told and sends `iss` (or a wrong one, or
/// none) on its redirects, advertising RFC 9207 support.
fn provider(signing: Signing, iss: Option<&'static str>) -> Fixture {
    let keys = Arc::new(keys());
    let issuer = Arc::new(std::sync::OnceLock::<String>::new());
    let issuer_in = issuer.clone();
    let fixture = Fixture::start(move |r, before| {
        let me = issuer_in.get().cloned().unwrap_or_default();
        match r.path.as_str() {
            "/.well-known/openid-configuration" => Reply::json(
                200,
                json!({"issuer": me, "authorization_endpoint": format!("{me}/auth"), "token_endpoint": format!("{me}/token"),
                       "jwks_uri": format!("{me}/jwks"), "authorization_response_iss_parameter_supported": true}),
            ),
            "/jwks" => Reply::json(200, json!({"keys": [keys.jwk]})),
            "/auth" => {
                let mut back = url::Url::parse(r.param("redirect_uri").unwrap_or_default()).unwrap();
                back.query_pairs_mut()
                    .append_pair("code", "c")
                    .append_pair("state", r.param("state").unwrap_or_default());
                match iss {
                    Some("self") => {
                        back.query_pairs_mut().append_pair("iss", &me);
                    }
                    Some(other) => {
                        back.query_pairs_mut().append_pair("iss", other);
                    }
                    None => {}
                }
                Reply::redirect(back.to_string())
            }
            "/token" => {
                let nonce =
                    before.iter().find(|b| b.path == "/auth").and_then(|b| b.param("nonce")).unwrap_or_default();
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
                let claims =
                    json!({"iss": me, "sub": "alice", "aud": "app", "iat": now, "exp": now + 300, "nonce": nonce});
                let mut header = Header::new(Algorithm::ES256);
                header.kid = Some("k1".into());
                let id_token = match signing {
                    Signing::Published => jsonwebtoken::encode(&header, &claims, &keys.published).unwrap(),
                    Signing::OtherKey => jsonwebtoken::encode(&header, &claims, &keys.other).unwrap(),
                    Signing::None => format!(
                        "{}.{}.",
                        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
                        URL_SAFE_NO_PAD.encode(claims.to_string())
                    ),
                };
                Reply::json(
                    200,
                    json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": id_token}),
                )
            }
            _ => Reply::not_found(),
        }
    });
    let _ = issuer.set(fixture.url.clone());
    fixture
}

fn login(fixture: &Fixture) -> (Env, crate::support::Output) {
    let env = Env::new();
    env.profile_add_at("p", &fixture.url, "app").args(["--scope", "openid"]).assert().success();
    let out = run(env.oat().args(["login", "p"]));
    (env, out)
}

#[test]
fn an_id_token_signed_with_the_published_key_is_accepted() {
    let fixture = provider(Signing::Published, Some("self")).expect("/token", 1);
    let (env, out) = login(&fixture);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Logged in to `p` as alice"), "{}", out.stderr);
    assert!(!fixture.requests_to("/jwks").is_empty(), "the keys were fetched to check the signature");
    assert!(env.stored("p").is_some());
}

#[test]
fn an_id_token_signed_with_another_key_is_refused() {
    // Refused after the code exchange, not before it.
    let fixture = provider(Signing::OtherKey, Some("self")).expect("/token", 1);
    let (env, out) = login(&fixture);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("the ID token is not valid: signature"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was stored"), "{}", out.stderr);
    assert!(env.stored("p").is_none());
}

#[test]
fn an_unsigned_id_token_is_refused() {
    let fixture = provider(Signing::None, Some("self")).expect("/token", 1);
    let (env, out) = login(&fixture);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("the ID token is not valid") && out.stderr.contains("none"), "{}", out.stderr);
    assert!(env.stored("p").is_none());
}

#[test]
fn a_redirect_naming_another_issuer_is_refused_as_a_mix_up() {
    let fixture = provider(Signing::Published, Some("https://evil.example"));
    let (env, out) = login(&fixture);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("comes from issuer `https://evil.example`") && out.stderr.contains("mix-up"),
        "{}",
        out.stderr
    );
    assert!(fixture.requests_to("/token").is_empty(), "the code is not sent to the wrong server's token endpoint");
    assert!(env.stored("p").is_none());
}

#[test]
fn a_redirect_without_the_promised_iss_is_refused() {
    let fixture = provider(Signing::Published, None);
    let (env, out) = login(&fixture);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("comes from issuer `(none)`"), "{}", out.stderr);
    assert!(fixture.requests_to("/token").is_empty());
    assert!(env.stored("p").is_none());
}
