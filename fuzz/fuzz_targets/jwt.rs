//! The JWT reader (`jwt::decode`) and signature check (`jwt::verify`) on any token, against a
//! fixed key set (the RFC 7515 A.2 RSA and A.3 EC public keys, and the A.1 HMAC key).
//! Checked: no panic; only an asymmetric key of the set ever verifies a token; an input that
//! is a JSON object, sent as the claims of a JWT, decodes to the same object.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use libfuzzer_sys::fuzz_target;
use oat::jwt::{decode, verify};
use serde_json::{Map, Value};
use std::sync::LazyLock;

static JWKS: LazyLock<Value> = LazyLock::new(|| {
    serde_json::json!({"keys": [
        {"kty": "oct", "kid": "hmac-a1",
         "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"},
        {"kty": "RSA", "kid": "rsa-a2", "e": "AQAB",
         "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
        {"kty": "EC", "kid": "ec-a3", "crv": "P-256",
         "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
    ]})
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(jwt) = decode(&text) {
        assert_eq!(text.trim().split('.').count(), 3);
        let _ = (jwt.string("sub"), jwt.time("exp"), jwt.audiences());
    }
    match verify(&text, &JWKS, "https://as.example/jwks") {
        Ok(kid) => assert!(kid == "rsa-a2" || kid == "ec-a3", "verified with the HMAC key {kid}: {text:?}"),
        Err(error) => {
            let _ = error.to_string();
        }
    }
    // The input as the claims of a JWT, unpadded and padded: what decodes is what was sent.
    if let Ok(claims) = serde_json::from_slice::<Map<String, Value>>(data) {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        for body in [URL_SAFE_NO_PAD.encode(data), URL_SAFE.encode(data)] {
            let jwt = decode(&format!("{header}.{body}.c2ln")).expect("a JWT of a JSON object decodes");
            assert_eq!(jwt.claims, claims);
            assert_eq!(jwt.header["alg"], "RS256");
        }
    }
});
