//! Reading JSON Web Tokens (RFC 7519): the header and claims of a compact JWS, and the
//! signature primitives (RFC 7515) against a JSON Web Key Set or a shared secret. Which keys
//! apply and whether the claims hold is `flow::verify`'s to judge; an opaque token is
//! reported as such.

use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};

/// base64url that tolerates padding some issuers leave in.
const B64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A decoded (not verified) JWT.
#[derive(Debug)]
pub struct Jwt {
    /// The JOSE header.
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

/// Why a token cannot be read as a JWT.
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    /// Not three dot-separated parts: an opaque token (or a JWE).
    #[error("the token is not a JWT (it is opaque to its holder; only the server can read it)")]
    Opaque,
    /// A part is not base64url-encoded JSON.
    #[error("the JWT {part} is not base64url-encoded JSON: {reason}")]
    Malformed {
        /// `header` or `claims`.
        part: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// Decodes the header and claims of a compact JWS.
pub fn decode(token: &str) -> Result<Jwt, JwtError> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() != 3 {
        return Err(JwtError::Opaque);
    }
    Ok(Jwt { header: object(parts[0], "header")?, claims: object(parts[1], "claims")? })
}

fn object(part: &str, name: &'static str) -> Result<Map<String, Value>, JwtError> {
    let malformed = |reason: String| JwtError::Malformed { part: name, reason };
    let bytes = B64.decode(part).map_err(|e| malformed(e.to_string()))?;
    match serde_json::from_slice(&bytes).map_err(|e| malformed(e.to_string()))? {
        Value::Object(map) => Ok(map),
        _ => Err(malformed("not a JSON object".into())),
    }
}

/// Why a signature did not verify.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The header names no algorithm `oat` accepts (`none` included).
    #[error("the JWT's algorithm is not one oat verifies ({0}); `none` is never accepted")]
    Algorithm(String),
    /// No key in the set fits.
    #[error("no key in {jwks} fits the token (kid {kid})")]
    NoKey {
        /// The key set's URL.
        jwks: String,
        /// The token's kid.
        kid: String,
    },
    /// The signature is wrong.
    #[error("the signature does not verify with the key {kid} from {jwks}: {reason}")]
    Invalid {
        /// The key's id.
        kid: String,
        /// The key set's URL.
        jwks: String,
        /// What the verifier said.
        reason: String,
    },
}

/// Verifies a JWS against a JSON Web Key Set (RFC 7517), choosing the key by `kid` (or trying
/// every key when the token names none). Returns the `kid` of the key that verified it. Claims
/// (exp, aud, …) are not judged here: only the signature.
pub fn verify(token: &str, jwks: &Value, jwks_url: &str) -> Result<String, VerifyError> {
    use jsonwebtoken::{DecodingKey, jwk::Jwk};
    let header = header(token)?;
    if is_hmac(header.alg) {
        return Err(VerifyError::Algorithm(format!("{:?} uses a shared secret, not a published key", header.alg)));
    }
    let alg = format!("{:?}", header.alg);
    let wanted = header.kid.clone();
    let kid_text = wanted.clone().unwrap_or_else(|| "none".into());
    let entries = jwks.get("keys").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let named: Vec<&Value> = entries
        .iter()
        .filter(|k| wanted.is_none() || k.get("kid").and_then(Value::as_str) == wanted.as_deref())
        .collect();
    // Only a key of the algorithm's type, and of its `alg` when the key names one (RFC 8725 §3.1).
    let fitting: Vec<Jwk> = named
        .iter()
        .filter(|k| fits(k, header.alg, &alg))
        .filter_map(|k| serde_json::from_value((*k).clone()).ok())
        .collect();
    if fitting.is_empty() {
        if let (Some(kid), Some(key)) = (&wanted, named.first()) {
            let field = |name: &str| key.get(name).and_then(Value::as_str).unwrap_or("?").to_string();
            return Err(VerifyError::Algorithm(format!(
                "the token says {alg}, but key {kid} of {jwks_url} is a {} key for {}",
                field("kty"),
                field("alg")
            )));
        }
        return Err(VerifyError::NoKey { jwks: jwks_url.into(), kid: kid_text });
    }
    let candidates: Vec<&Jwk> = fitting.iter().collect();
    let validation = signature_only(header.alg);
    let mut last = String::new();
    for jwk in candidates {
        let kid = jwk.common.key_id.clone().unwrap_or_else(|| "(no kid)".into());
        match DecodingKey::from_jwk(jwk).and_then(|key| jsonwebtoken::decode::<Value>(token.trim(), &key, &validation))
        {
            Ok(_) => return Ok(kid),
            Err(e) => last = e.to_string(),
        }
    }
    Err(VerifyError::Invalid { kid: kid_text, jwks: jwks_url.into(), reason: last })
}

/// Verifies an HS256/384/512 JWS with a shared secret (an ID token signed with the client
/// secret, OpenID Connect Core §10.1). Claims are not judged here.
pub fn verify_with_secret(token: &str, secret: &str) -> Result<(), VerifyError> {
    use jsonwebtoken::DecodingKey;
    let header = header(token)?;
    if !is_hmac(header.alg) {
        return Err(VerifyError::Algorithm(format!("{:?} is not an HMAC algorithm", header.alg)));
    }
    jsonwebtoken::decode::<Value>(
        token.trim(),
        &DecodingKey::from_secret(secret.as_bytes()),
        &signature_only(header.alg),
    )
    .map(drop)
    .map_err(|e| VerifyError::Invalid {
        kid: "(client secret)".into(),
        jwks: "the client secret".into(),
        reason: e.to_string(),
    })
}

/// The JOSE header as the verifier reads it; an algorithm it does not know (`none`) fails here.
fn header(token: &str) -> Result<jsonwebtoken::Header, VerifyError> {
    jsonwebtoken::decode_header(token.trim()).map_err(|e| VerifyError::Algorithm(e.to_string()))
}

/// Whether a JWK can check a signature made with `alg` (named `name`): its `kty` is the
/// algorithm's, its `alg`, if any, is `name`, and it is not an encryption key.
fn fits(key: &Value, alg: jsonwebtoken::Algorithm, name: &str) -> bool {
    use jsonwebtoken::Algorithm;
    let kty = match alg {
        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => "RSA",
        Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => "RSA",
        Algorithm::ES256 | Algorithm::ES384 => "EC",
        Algorithm::EdDSA => "OKP",
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => "oct",
    };
    let field = |f: &str| key.get(f).and_then(Value::as_str);
    field("kty") == Some(kty) && field("alg").is_none_or(|a| a == name) && field("use") != Some("enc")
}

fn is_hmac(alg: jsonwebtoken::Algorithm) -> bool {
    use jsonwebtoken::Algorithm;
    matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512)
}

/// A validation of the signature alone: the claims are `flow::verify`'s to judge.
fn signature_only(alg: jsonwebtoken::Algorithm) -> jsonwebtoken::Validation {
    let mut validation = jsonwebtoken::Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    validation
}

impl Jwt {
    /// The header's `alg`, empty when it names none.
    pub fn algorithm(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or_default()
    }

    /// A string claim.
    pub fn string(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// A numeric date claim (`exp`, `iat`, `nbf`) in Unix seconds.
    pub fn time(&self, name: &str) -> Option<u64> {
        self.claims.get(name).and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f.max(0.0) as u64)))
    }

    /// The audiences (`aud` is a string or an array of strings).
    pub fn audiences(&self) -> Vec<&str> {
        match self.claims.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// A fresh P-256 key for tests: its signing half and its public JWK (ES256, `kid`).
#[cfg(test)]
pub(crate) fn test_key(kid: &str) -> (jsonwebtoken::EncodingKey, Value) {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let pair = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let raw = pair.public_key_raw();
    let jwk = serde_json::json!({"kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256",
        "x": URL_SAFE_NO_PAD.encode(&raw[1..33]), "y": URL_SAFE_NO_PAD.encode(&raw[33..65])});
    (jsonwebtoken::EncodingKey::from_ec_pem(pair.serialize_pem().as_bytes()).unwrap(), jwk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn token(claims: &str) -> String {
        format!("{}.{}.sig", URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#), URL_SAFE_NO_PAD.encode(claims))
    }

    #[test]
    fn claims_are_decoded() {
        let jwt = decode(&token(r#"{"sub":"alice","aud":["a","b"],"exp":1700000000}"#)).unwrap();
        assert_eq!(jwt.header["alg"], "RS256");
        assert_eq!(jwt.string("sub"), Some("alice"));
        assert_eq!(jwt.audiences(), vec!["a", "b"]);
        assert_eq!(jwt.time("exp"), Some(1_700_000_000));
    }

    #[test]
    fn signatures_verify_against_the_matching_key_only() {
        use jsonwebtoken::{Algorithm, Header};
        let (key, jwk) = test_key("k1");
        let jwks = serde_json::json!({"keys": [{"kty": "oct", "k": "AAAA"}, jwk]});
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some("k1".into());
        let signed = jsonwebtoken::encode(&header, &serde_json::json!({"sub": "alice"}), &key).unwrap();
        assert_eq!(verify(&signed, &jwks, "https://as/jwks").unwrap(), "k1");

        let parts: Vec<&str> = signed.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(r#"{"sub":"mallory"}"#), parts[2]);
        assert!(matches!(verify(&forged, &jwks, "u"), Err(VerifyError::Invalid { .. })));
        header.kid = Some("k2".into());
        let other = jsonwebtoken::encode(&header, &serde_json::json!({}), &key).unwrap();
        assert!(matches!(verify(&other, &jwks, "u"), Err(VerifyError::NoKey { .. })));
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#), parts[1]);
        assert!(matches!(verify(&none, &jwks, "u"), Err(VerifyError::Algorithm(_))));
    }

    #[test]
    fn opaque_and_broken_tokens_say_so() {
        assert!(matches!(decode("gho_16C7e42F292c6912E7710c838347Ae178B4a"), Err(JwtError::Opaque)));
        assert!(matches!(decode("a.b.c"), Err(JwtError::Malformed { part: "header", .. })));
        let padded = format!("{}=.{}.s", URL_SAFE_NO_PAD.encode("{\"a\":1}"), URL_SAFE_NO_PAD.encode("{}"));
        assert!(decode(&padded).is_ok());
    }
}
