//! Request objects (RFC 9101): the authorization request's parameters as the claims of a JWT
//! signed with the client's key, typed `oauth-authz-req+jwt` (§10.8), with `iss` = the client,
//! `aud` = the issuer (§4), `iat`, `nbf`, `exp` and `jti`; and the parameters that carry it by
//! value (§5.1) or in a pushed request (RFC 9126 §3). Which key and when is flow's decision.

use super::assertion::SigningKey;
use crate::redact::Secret;
use serde_json::{Map, Value};

/// The `typ` of a request object (RFC 9101 §10.8).
pub const TYP: &str = "oauth-authz-req+jwt";

/// How long a request object is valid.
const LIFETIME: u64 = 300;

/// Signs the authorization request's `parameters` as a request object for `audience` (the
/// issuer), issued by `client_id` at `now`.
pub fn request_object(
    parameters: &[(String, String)],
    client_id: &str,
    audience: &str,
    key: &SigningKey,
    now: u64,
) -> Result<Secret<String>, String> {
    let mut claims: Map<String, Value> =
        parameters.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    let jti = super::random_token(16).map_err(|e| e.to_string())?.expose().clone();
    for (name, value) in [
        ("iss", Value::from(client_id)),
        ("aud", Value::from(audience)),
        ("client_id", Value::from(client_id)),
        ("iat", Value::from(now)),
        ("nbf", Value::from(now)),
        ("exp", Value::from(now + LIFETIME)),
        ("jti", Value::from(jti)),
    ] {
        claims.insert(name.to_string(), value);
    }
    key.sign_typed(Some(TYP), &Value::Object(claims)).map(Secret::new).map_err(|e| e.to_string())
}

/// The parameters that carry a request object by value (RFC 9101 §5.1): `client_id` and
/// `request`, nothing else.
pub fn by_value(client_id: &str, request_object: &Secret<String>) -> Vec<(String, String)> {
    vec![("client_id".into(), client_id.into()), ("request".into(), request_object.expose().clone())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn part(jwt: &str, i: usize) -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').nth(i).unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn request_objects_carry_the_request_and_the_registered_claims() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ec.pem");
        std::fs::write(&path, rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap().serialize_pem())
            .unwrap();
        let key = SigningKey::load(&path, Some("k1")).unwrap();
        let params = vec![("response_type".to_string(), "code".to_string()), ("state".into(), "s1".into())];
        let jwt = request_object(&params, "cli", "https://as.example", &key, 1000).unwrap();
        let header = part(jwt.expose(), 0);
        assert_eq!(
            (header["alg"].as_str(), header["typ"].as_str(), header["kid"].as_str()),
            (Some("ES256"), Some(TYP), Some("k1"))
        );
        let claims = part(jwt.expose(), 1);
        assert_eq!(claims["response_type"], "code");
        assert_eq!(claims["state"], "s1");
        assert_eq!(
            (claims["iss"].as_str(), claims["aud"].as_str(), claims["client_id"].as_str()),
            (Some("cli"), Some("https://as.example"), Some("cli"))
        );
        assert_eq!(
            (claims["iat"].as_u64(), claims["nbf"].as_u64(), claims["exp"].as_u64()),
            (Some(1000), Some(1000), Some(1300))
        );
        assert!(claims["jti"].as_str().is_some_and(|j| j.len() >= 16));
        let sent = by_value("cli", &jwt);
        assert_eq!(sent.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["client_id", "request"]);
    }
}
