//! JWTs the client signs: client assertions for `client_secret_jwt` (HS256) and
//! `private_key_jwt` (RS256, ES256) — OpenID Connect Core §9, RFC 7523 §2.2 — and the
//! assertion of the JWT bearer grant (RFC 7523 §2.1). Signing is the `jsonwebtoken` crate's.

use crate::redact::Secret;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// `client_assertion_type` for JWT client authentication (RFC 7523 §2.2).
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is valid.
const LIFETIME: u64 = 300;

/// A private key for signing, with its algorithm and key id.
pub struct SigningKey {
    key: EncodingKey,
    alg: Algorithm,
    kid: Option<String>,
    /// The service account a JSON key file names (`client_email`), if it came from one.
    pub account: Option<String>,
}

/// A key file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file cannot be read.
    #[error("cannot read the key file {}: {error}", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    /// The file is not a key `oat` can sign with.
    #[error("{}: {reason}", path.display())]
    Unusable {
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// The fields of a Google service-account key file that matter here.
#[derive(serde::Deserialize)]
struct ServiceAccountKey {
    private_key: String,
    private_key_id: Option<String>,
    client_email: Option<String>,
}

impl SigningKey {
    /// Loads a PEM private key (RSA → RS256; EC P-256 in PKCS#8 → ES256) or a Google
    /// service-account JSON key; `kid` overrides the key id the file carries.
    pub fn load(path: &Path, kid: Option<&str>) -> Result<SigningKey, KeyError> {
        let bytes = std::fs::read(path).map_err(|error| KeyError::Read { path: path.into(), error })?;
        let unusable = |reason: String| KeyError::Unusable { path: path.into(), reason };
        let (pem, file_kid, account) = match serde_json::from_slice::<ServiceAccountKey>(&bytes) {
            Ok(sa) => (sa.private_key.into_bytes(), sa.private_key_id, sa.client_email),
            Err(_) => (bytes, None, None),
        };
        let text = String::from_utf8_lossy(&pem);
        if text.contains("-----BEGIN EC PRIVATE KEY-----") {
            return Err(unusable(
                "EC keys must be PKCS#8 (`BEGIN PRIVATE KEY`); convert with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.p8`".into(),
            ));
        }
        if text.contains("ENCRYPTED PRIVATE KEY") {
            return Err(unusable("the key is encrypted; oat needs an unencrypted PKCS#8 or RSA key".into()));
        }
        let (key, alg) = match (EncodingKey::from_rsa_pem(&pem), EncodingKey::from_ec_pem(&pem)) {
            (Ok(key), _) => (key, Algorithm::RS256),
            (_, Ok(key)) => (key, Algorithm::ES256),
            (Err(e), _) => {
                return Err(unusable(format!(
                    "not an RSA or EC private key in PEM, nor a service-account JSON key ({e})"
                )));
            }
        };
        let signing = SigningKey { key, alg, kid: kid.map(str::to_string).or(file_kid), account };
        // Sign once now, so that a key ring cannot use (an EC curve other than P-256, a
        // malformed RSA key) is reported when it is configured rather than mid-refresh.
        signing.sign(&serde_json::json!({})).map_err(|e| {
            unusable(format!("this key cannot sign {} JWTs ({e}); use an RSA or EC P-256 key", signing.algorithm()))
        })?;
        Ok(signing)
    }

    /// The JWS algorithm name.
    pub fn algorithm(&self) -> &'static str {
        match self.alg {
            Algorithm::ES256 => "ES256",
            _ => "RS256",
        }
    }

    fn sign<T: Serialize>(&self, claims: &T) -> Result<String, jsonwebtoken::errors::Error> {
        self.sign_typed(None, claims)
    }

    /// Signs `claims` with this key, its `kid` and, if given, an explicit `typ` header.
    pub fn sign_typed<T: Serialize>(
        &self,
        typ: Option<&str>,
        claims: &T,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(self.alg);
        header.kid = self.kid.clone();
        if let Some(typ) = typ {
            header.typ = Some(typ.to_string());
        }
        jsonwebtoken::encode(&header, claims, &self.key)
    }
}

/// What signs a client assertion.
pub enum Signer<'a> {
    /// The client secret, HS256.
    Secret(&'a Secret<String>),
    /// The client's private key.
    Key(&'a SigningKey),
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<&'a str>,
    aud: &'a str,
    jti: String,
    iat: u64,
    exp: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
}

impl<'a> Claims<'a> {
    fn new(iss: &'a str, sub: Option<&'a str>, aud: &'a str, scope: Option<&'a str>) -> Result<Self, String> {
        let now = crate::time::now();
        let jti = super::random_token(16).map_err(|e| e.to_string())?.expose().clone();
        Ok(Claims { iss, sub, aud, jti, iat: now, exp: now + LIFETIME, scope })
    }
}

/// A client assertion: iss = sub = the client id, aud = the token endpoint (RFC 7523 §3).
pub fn client_assertion(client_id: &str, audience: &str, signer: &Signer<'_>) -> Result<Secret<String>, String> {
    let claims = Claims::new(client_id, Some(client_id), audience, None)?;
    let jwt = match signer {
        Signer::Secret(secret) => jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(secret.expose().as_bytes()),
        ),
        Signer::Key(key) => key.sign(&claims),
    };
    jwt.map(Secret::new).map_err(|e| e.to_string())
}

/// The assertion of a JWT bearer grant: iss = the service account, sub = whom it acts for,
/// aud = the token endpoint, and the scopes as a `scope` claim (as Google reads them).
pub fn bearer_assertion(
    issuer: &str,
    subject: Option<&str>,
    audience: &str,
    scope: Option<&str>,
    key: &SigningKey,
) -> Result<Secret<String>, String> {
    let claims = Claims::new(issuer, subject, audience, scope)?;
    key.sign(&claims).map(Secret::new).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn claims_of(jwt: &str) -> serde_json::Value {
        let part = jwt.split('.').nth(1).unwrap();
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    fn header_of(jwt: &str) -> serde_json::Value {
        let part = jwt.split('.').next().unwrap();
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn client_assertions_carry_the_registered_claims() {
        let secret = Secret::new("s".repeat(32));
        let jwt = client_assertion("cli", "https://as.example/token", &Signer::Secret(&secret)).unwrap();
        let claims = claims_of(jwt.expose());
        assert_eq!(claims["iss"], "cli");
        assert_eq!(claims["sub"], "cli");
        assert_eq!(claims["aud"], "https://as.example/token");
        assert_eq!(claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(), LIFETIME);
        assert!(claims["jti"].as_str().is_some_and(|j| j.len() >= 16));
        assert_eq!(header_of(jwt.expose())["alg"], "HS256");
        let again = client_assertion("cli", "https://as.example/token", &Signer::Secret(&secret)).unwrap();
        assert_ne!(claims_of(again.expose())["jti"], claims["jti"], "a new jti each time");
    }

    #[test]
    fn ec_keys_sign_es256_with_their_kid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ec.pem");
        let pair = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        std::fs::write(&path, pair.serialize_pem()).unwrap();
        let key = SigningKey::load(&path, Some("k1")).unwrap();
        assert_eq!(key.algorithm(), "ES256");
        let jwt = bearer_assertion("sa@x", Some("alice"), "https://as/token", Some("a b"), &key).unwrap();
        assert_eq!(header_of(jwt.expose())["kid"], "k1");
        let claims = claims_of(jwt.expose());
        assert_eq!(
            (claims["iss"].as_str(), claims["sub"].as_str(), claims["scope"].as_str()),
            (Some("sa@x"), Some("alice"), Some("a b"))
        );
    }

    #[test]
    fn unusable_key_files_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let missing = SigningKey::load(&dir.path().join("nope.pem"), None).err().unwrap();
        assert!(missing.to_string().contains("cannot read the key file"), "{missing}");
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "hello").unwrap();
        let err = SigningKey::load(&junk, None).err().unwrap().to_string();
        assert!(err.contains("not an RSA or EC private key"), "{err}");
        let sec1 = dir.path().join("sec1.pem");
        std::fs::write(&sec1, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n").unwrap();
        assert!(SigningKey::load(&sec1, None).err().unwrap().to_string().contains("openssl pkcs8"));
        let p384 = dir.path().join("p384.pem");
        std::fs::write(&p384, rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap().serialize_pem())
            .unwrap();
        let err = SigningKey::load(&p384, None).err().unwrap().to_string();
        assert!(err.contains("cannot sign ES256"), "{err}");
    }
}
