//! DPoP proofs as the demo server checks them (RFC 9449 §4.3): at the token endpoint, where a
//! proof binds the grant's tokens to its key, and at the demo API, where a bound token must
//! come with a proof of that key carrying the token's `ath`. Signatures are `jsonwebtoken`'s;
//! no nonces here.

use super::context::Context;
use super::wire::{Incoming, Refusal};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How far a proof's `iat` may be from now.
const WINDOW: i64 = 60;

/// The proof of a request, if it carries one, checked for a request to `path` (and, at the API,
/// for `access_token`); its key's thumbprint (RFC 7638), which tokens are bound to.
pub(super) fn check(
    context: &Context,
    request: &Incoming,
    path: &str,
    access_token: Option<&str>,
) -> Result<Option<String>, Refusal> {
    let Some(proof) = &request.dpop else { return Ok(None) };
    let bad = |why: &str| Refusal::new("invalid_dpop_proof", why);
    let part = |i: usize| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(proof.split('.').nth(i)?).ok()?).ok()
    };
    let header = part(0).ok_or_else(|| bad("the DPoP proof is not a JWT"))?;
    if header["typ"] != "dpop+jwt" || header["alg"] != "ES256" {
        return Err(bad("the DPoP proof must have typ dpop+jwt and alg ES256 (the one algorithm here)"));
    }
    let jwk = &header["jwk"];
    if jwk["kty"] != "EC" || jwk["crv"] != "P-256" || jwk.get("d").is_some() {
        return Err(bad("the DPoP proof's jwk must be a public EC P-256 key"));
    }
    let (x, y) = (jwk["x"].as_str().unwrap_or_default(), jwk["y"].as_str().unwrap_or_default());
    let key =
        jsonwebtoken::DecodingKey::from_ec_components(x, y).map_err(|_| bad("the DPoP proof's jwk is unusable"))?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let claims = jsonwebtoken::decode::<Value>(proof, &key, &validation)
        .map_err(|_| bad("the DPoP proof's signature does not check out with its jwk"))?
        .claims;
    if claims["htm"] != request.method.as_str() || claims["htu"] != context.url(path).as_str() {
        return Err(bad("the DPoP proof is for another request (htm, htu)"));
    }
    let now = crate::time::now() as i64;
    if claims["iat"].as_i64().is_none_or(|iat| (iat - now).abs() > WINDOW) {
        return Err(bad("the DPoP proof's iat is not within a minute of now"));
    }
    let Some(jti) = claims["jti"].as_str().filter(|j| !j.is_empty()) else {
        return Err(bad("the DPoP proof has no jti"));
    };
    if !context.state().first_proof(jti, now as u64) {
        return Err(bad("the DPoP proof was used before (jti)"));
    }
    if let Some(token) = access_token {
        let ath = URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()));
        if claims["ath"] != ath.as_str() {
            return Err(bad("the DPoP proof's ath is not the hash of the access token"));
        }
    }
    // RFC 7638: the required members, sorted, no whitespace. Written here rather than taken
    // from `oauth::dpop`, so that a mistake there cannot hide in a test.
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    Ok(Some(URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))))
}
