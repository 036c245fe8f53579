//! Reading JSON Web Tokens (RFC 7519): the header and claims of a compact JWS, without
//! verifying the signature. `flow` checks an ID token's claims with it; an opaque token is
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
    /// The claims.
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

impl Jwt {
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
    fn opaque_and_broken_tokens_say_so() {
        assert!(matches!(decode("gho_16C7e42F292c6912E7710c838347Ae178B4a"), Err(JwtError::Opaque)));
        assert!(matches!(decode("a.b.c"), Err(JwtError::Malformed { part: "header", .. })));
        let padded = format!("{}=.{}.s", URL_SAFE_NO_PAD.encode("{\"a\":1}"), URL_SAFE_NO_PAD.encode("{}"));
        assert!(decode(&padded).is_ok());
    }
}
