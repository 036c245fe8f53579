//! DPoP (RFC 9449): the profile's ES256 key pair, the proofs signed with it (§4.2), the key's
//! JWK thumbprint `jkt` (RFC 7638), the `ath` of an access token (§4.2) and the nonces servers
//! hand out (§8, §9). Signing is `ring`'s; where the key is kept and when a proof is sent is
//! for the store and `flow` to decide.

use crate::redact::Secret;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use serde_json::{Value, json};
use sha2::Digest as _;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use url::Url;

/// The one signing algorithm oat uses for proofs.
pub const ALGORITHM: &str = "ES256";

/// The `typ` of a DPoP proof (RFC 9449 §4.2).
pub const PROOF_TYPE: &str = "dpop+jwt";

/// The error code of a server that wants a nonce in the proof (RFC 9449 §8, §9).
pub const USE_DPOP_NONCE: &str = "use_dpop_nonce";
/// The error code of a server that refuses a token request's proof, or its lack of one (RFC 9449 §5).
pub const INVALID_DPOP_PROOF: &str = "invalid_dpop_proof";

/// A profile's DPoP key pair (ECDSA P-256).
pub struct Key {
    pair: EcdsaKeyPair,
    pkcs8: Secret<String>,
}

/// A key or proof that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The stored key cannot be read back.
    #[error("the stored DPoP key is unreadable ({0})")]
    Unreadable(String),
    /// The platform's crypto failed.
    #[error("cannot {0} a DPoP key")]
    Crypto(&'static str),
}

impl Key {
    /// A new random key pair.
    pub fn generate() -> Result<Key, Error> {
        let rng = SystemRandom::new();
        let document =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).map_err(|_| Error::Crypto("make"))?;
        Key::from_pkcs8(document.as_ref())
    }

    /// The key as the store keeps it (see [`Key::stored`]).
    pub fn from_stored(stored: &Secret<String>) -> Result<Key, Error> {
        let der = STANDARD.decode(stored.expose().trim()).map_err(|e| Error::Unreadable(e.to_string()))?;
        Key::from_pkcs8(&der)
    }

    fn from_pkcs8(der: &[u8]) -> Result<Key, Error> {
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der, &SystemRandom::new())
            .map_err(|e| Error::Unreadable(e.to_string()))?;
        Ok(Key { pair, pkcs8: Secret::new(STANDARD.encode(der)) })
    }

    /// The private key as the store keeps it: PKCS#8 DER in base64.
    pub fn stored(&self) -> &Secret<String> {
        &self.pkcs8
    }

    /// The public key as a JWK (RFC 7517), members in the order of RFC 7638 §3.2.
    pub fn jwk(&self) -> Value {
        // An uncompressed point: 0x04, then x and y, 32 bytes each.
        let point = self.pair.public_key().as_ref();
        let (x, y) = point[1..].split_at(32);
        json!({"crv": "P-256", "kty": "EC", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y)})
    }

    /// The JWK SHA-256 thumbprint (RFC 7638), the `jkt` tokens are bound to (RFC 9449 §6.1).
    pub fn thumbprint(&self) -> String {
        thumbprint(&self.jwk()).unwrap_or_default()
    }

    /// A proof for one request (RFC 9449 §4.2): `htm`, `htu` without query and fragment, `iat`
    /// (`now`), a fresh `jti`, and the server's `nonce` and the access token's `ath` when given.
    pub fn proof(
        &self,
        method: &str,
        url: &Url,
        nonce: Option<&str>,
        access_token: Option<&Secret<String>>,
        now: u64,
    ) -> Result<Secret<String>, Error> {
        let header = json!({"typ": PROOF_TYPE, "alg": ALGORITHM, "jwk": self.jwk()});
        let jti = super::random_token(16).map_err(|_| Error::Crypto("randomize"))?;
        let mut claims = json!({"htm": method, "htu": htu(url), "iat": now, "jti": jti.expose()});
        if let Some(nonce) = nonce {
            claims["nonce"] = json!(nonce);
        }
        if let Some(token) = access_token {
            claims["ath"] = json!(ath(token));
        }
        let input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature =
            self.pair.sign(&SystemRandom::new(), input.as_bytes()).map_err(|_| Error::Crypto("sign with"))?;
        Ok(Secret::new(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))))
    }
}

/// The `htu` of a request to `url`: the URL without query and fragment (RFC 9449 §4.2).
pub fn htu(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// The `ath` of an access token: base64url(SHA-256(token)) (RFC 9449 §4.2).
pub fn ath(token: &Secret<String>) -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(token.expose().as_bytes()))
}

/// The RFC 7638 thumbprint of an EC or RSA public JWK; `None` if a required member is missing.
pub fn thumbprint(jwk: &Value) -> Option<String> {
    let member = |name: &str| jwk.get(name).and_then(Value::as_str);
    // The required members only, in lexicographic order, no whitespace (RFC 7638 §3.2).
    let canonical = match member("kty")? {
        "EC" => format!(
            r#"{{"crv":{},"kty":"EC","x":{},"y":{}}}"#,
            json!(member("crv")?),
            json!(member("x")?),
            json!(member("y")?)
        ),
        "RSA" => format!(r#"{{"e":{},"kty":"RSA","n":{}}}"#, json!(member("e")?), json!(member("n")?)),
        _ => return None,
    };
    Some(URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(canonical.as_bytes())))
}

/// The newest nonce each server gave during this run, by origin (RFC 9449 §8.2, §9). Cheap to
/// clone; clones share the nonces, also across threads (the proxy's workers).
#[derive(Clone, Default)]
pub struct Nonces(Arc<Mutex<HashMap<String, String>>>);

impl Nonces {
    /// The nonce last given by the origin of `url`.
    pub fn get(&self, url: &Url) -> Option<String> {
        self.0.lock().ok()?.get(&url.origin().ascii_serialization()).cloned()
    }

    /// Keeps the nonce an answer from the origin of `url` carried (`DPoP-Nonce`), if any.
    pub fn remember(&self, url: &Url, nonce: Option<&str>) {
        let Some(nonce) = nonce.map(str::trim).filter(|n| !n.is_empty()) else { return };
        if let Ok(mut nonces) = self.0.lock() {
            nonces.insert(url.origin().ascii_serialization(), nonce.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(jwt: &str, i: usize) -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').nth(i).unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn a_proof_carries_what_rfc_9449_asks_and_verifies_with_its_jwk() {
        let key = Key::generate().unwrap();
        let url = Url::parse("https://api.example/v1/things?page=2#top").unwrap();
        let token = Secret::new("at-123".to_string());
        let proof = key.proof("GET", &url, Some("n-1"), Some(&token), 1_700_000_000).unwrap();
        let header = part(proof.expose(), 0);
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["jwk"], key.jwk());
        assert!(header["jwk"].get("d").is_none(), "no private part in the header");
        let claims = part(proof.expose(), 1);
        assert_eq!(claims["htm"], "GET");
        assert_eq!(claims["htu"], "https://api.example/v1/things");
        assert_eq!(claims["iat"], 1_700_000_000);
        assert_eq!(claims["nonce"], "n-1");
        assert_eq!(claims["ath"], ath(&token));
        assert!(claims["jti"].as_str().unwrap().len() >= 16);
        let other = key.proof("GET", &url, None, None, 1).unwrap();
        assert_ne!(part(other.expose(), 1)["jti"], claims["jti"], "a fresh jti per proof");
        assert!(part(other.expose(), 1).get("nonce").is_none() && part(other.expose(), 1).get("ath").is_none());

        // The signature checks out with the public key in the header.
        let jwk = &header["jwk"];
        let decoding =
            jsonwebtoken::DecodingKey::from_ec_components(jwk["x"].as_str().unwrap(), jwk["y"].as_str().unwrap())
                .unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        jsonwebtoken::decode::<Value>(proof.expose(), &decoding, &validation).unwrap();
    }

    #[test]
    fn the_key_survives_the_store_and_keeps_its_thumbprint() {
        let key = Key::generate().unwrap();
        let again = Key::from_stored(key.stored()).unwrap();
        assert_eq!(again.thumbprint(), key.thumbprint());
        assert_eq!(key.thumbprint().len(), 43);
        assert!(Key::from_stored(&Secret::new("bm90IGEga2V5".into())).is_err());
        assert!(Key::from_stored(&Secret::new("!!".into())).is_err());
    }

    #[test]
    fn thumbprints_match_rfc_7638() {
        // RFC 7638 §3.1.
        let rsa = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        assert_eq!(thumbprint(&rsa).unwrap(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assert!(thumbprint(&json!({"kty": "oct", "k": "x"})).is_none());
    }

    #[test]
    fn htu_drops_query_and_fragment_and_nonces_are_kept_per_origin() {
        assert_eq!(htu(&Url::parse("http://127.0.0.1:8080/token?x=1#f").unwrap()), "http://127.0.0.1:8080/token");
        let nonces = Nonces::default();
        let token = Url::parse("http://127.0.0.1:8080/token").unwrap();
        let api = Url::parse("http://127.0.0.1:9090/v1").unwrap();
        nonces.remember(&token, Some("a"));
        nonces.remember(&api, None);
        assert_eq!(nonces.get(&Url::parse("http://127.0.0.1:8080/other").unwrap()).as_deref(), Some("a"));
        assert_eq!(nonces.get(&api), None);
        nonces.clone().remember(&token, Some("b"));
        assert_eq!(nonces.get(&token).as_deref(), Some("b"), "clones share, the newest wins");
    }
}
