//! The demo server's ID token signing key: a P-256 key made at start (never stored), published
//! as a JWK (RFC 7517, `kid` = RFC 7638 thumbprint) at `/jwks`, and ES256 signing of ID tokens
//! (RFC 7518 §3.4). Which claims go into a token is left to the token endpoint.

use super::DemoError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The signing key and its public half.
pub(super) struct Signer {
    key: jsonwebtoken::EncodingKey,
    jwk: Value,
    kid: String,
}

impl Signer {
    /// Generates a fresh key pair.
    pub(super) fn generate() -> Result<Signer, DemoError> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|e| DemoError::Key(Box::new(e)))?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .map_err(|e| DemoError::Key(Box::new(e)))?;
        // An uncompressed point: 0x04, then x and y, 32 bytes each (SEC 1 §2.3.3).
        let point = pair.public_key().as_ref();
        let (x, y) = match point {
            [0x04, rest @ ..] if rest.len() == 64 => rest.split_at(32),
            _ => return Err(DemoError::Key("the public key is not an uncompressed P-256 point".into())),
        };
        let (x, y) = (URL_SAFE_NO_PAD.encode(x), URL_SAFE_NO_PAD.encode(y));
        // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
        let thumbprint = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(thumbprint.as_bytes()));
        let jwk = json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "use": "sig", "alg": "ES256"});
        // jsonwebtoken reads an EC "DER" key as PKCS#8, which is what ring produced.
        Ok(Signer { key: jsonwebtoken::EncodingKey::from_ec_der(pkcs8.as_ref()), jwk, kid })
    }

    /// The JWK Set (RFC 7517 §5) served at `/jwks`.
    pub(super) fn jwks(&self) -> Value {
        json!({"keys": [self.jwk]})
    }

    /// Signs claims as a compact JWS with ES256 and the key's `kid`.
    pub(super) fn sign(&self, claims: &Value) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_with_the_published_key() {
        let signer = Signer::generate().unwrap();
        let token = signer.sign(&json!({"sub": "ann", "aud": "demo-cli", "exp": 4_000_000_000u64})).unwrap();
        let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_value(signer.jwks()).unwrap();
        let jwk = &jwks.keys[0];
        assert_eq!(jsonwebtoken::decode_header(&token).unwrap().kid, jwk.common.key_id);
        let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
        validation.set_audience(&["demo-cli"]);
        let data = jsonwebtoken::decode::<Value>(&token, &key, &validation).unwrap();
        assert_eq!(data.claims["sub"], "ann");
        assert_eq!(signer.kid.len(), 43);
    }
}
