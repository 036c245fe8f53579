//! Secrets and their redaction: [`Secret`] hides a value from `Debug` and has no `Display`;
//! the `redact_*` functions blank out secret fields of headers, forms, query strings and JSON
//! bodies before `http` traces them. What counts as a secret is decided here, once.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A value that must not reach logs or terminals by accident: `Debug` prints `[redacted]`,
/// there is no `Display`, and reading it takes a visible `.expose()`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a secret value.
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The secret itself; every call site is a place where it can leak, so keep them few.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

// Serialization exposes the value: it exists for the secret store, which must write it.
impl<T: Serialize> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret)
    }
}

/// Field names (form fields, JSON keys, query parameters) whose values are secrets.
pub const SECRET_FIELDS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "code_verifier",
    "client_secret",
    "client_assertion",
    "assertion",
    "password",
    "device_code",
    "subject_token",
    "actor_token",
    "token",
    "issued_token",
];

/// What a redacted value is replaced with.
pub const MASK: &str = "[redacted]";

/// Whether a form field, JSON key or query parameter named `name` holds a secret.
pub fn is_secret_field(name: &str) -> bool {
    SECRET_FIELDS.contains(&name)
}

/// A header value as it may be shown: credentials keep only their scheme.
pub fn header(name: &str, value: &str) -> String {
    let name = name.to_ascii_lowercase();
    if name == "authorization" || name == "proxy-authorization" {
        match value.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} {MASK}"),
            None => MASK.to_string(),
        }
    } else if name == "cookie" || name == "set-cookie" || name == "dpop" {
        MASK.to_string()
    } else if name == "location" || name == "content-location" {
        // A redirect back to a client carries the authorization code in its query.
        url::Url::parse(value).map_or_else(|_| value.to_string(), |u| url(&u))
    } else {
        value.to_string()
    }
}

/// A form field value as it may be shown.
pub fn field<'a>(name: &str, value: &'a str) -> &'a str {
    if is_secret_field(name) { MASK } else { value }
}

/// A URL with the values of secret query parameters masked.
pub fn url(url: &url::Url) -> String {
    if !url.query_pairs().any(|(k, _)| is_secret_field(&k)) {
        return url.to_string();
    }
    let mut shown = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = field(&k, &v).to_string();
            (k.into_owned(), v)
        })
        .collect();
    shown.query_pairs_mut().clear().extend_pairs(pairs);
    shown.to_string()
}

/// A JSON value with the values of secret keys masked, at any depth; a string that is a JWT
/// is masked whatever its key (GitHub hands out a CI job's ID token as `value`).
pub fn json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if is_secret_field(key) && !v.is_null() {
                    *v = serde_json::Value::String(MASK.to_string());
                } else {
                    json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(json),
        serde_json::Value::String(text) if is_jwt(text) => *text = MASK.to_string(),
        _ => {}
    }
}

/// Whether `text` looks like a signed JWT (RFC 7515 compact form): three base64url parts, the
/// first a JSON object with an `alg`.
pub fn is_jwt(text: &str) -> bool {
    use base64::Engine as _;
    let mut parts = text.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header.trim_end_matches('=')) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|h| h.get("alg").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret::new("hunter2".to_string());
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn credentials_in_headers_keep_their_scheme_only() {
        assert_eq!(header("Authorization", "Bearer abc.def"), "Bearer [redacted]");
        assert_eq!(header("authorization", "Basic Zm9vOmJhcg=="), "Basic [redacted]");
        assert_eq!(header("Cookie", "sid=1"), "[redacted]");
        assert_eq!(header("DPoP", "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln"), "[redacted]");
        assert_eq!(header("Accept", "application/json"), "application/json");
        let location = header("Location", "http://127.0.0.1:5/callback?code=secret-code&state=s");
        assert!(!location.contains("secret-code") && location.contains("state=s"), "{location}");
    }

    #[test]
    fn secret_form_fields_are_masked() {
        assert_eq!(field("refresh_token", "rt-1"), MASK);
        assert_eq!(field("code_verifier", "v"), MASK);
        assert_eq!(field("grant_type", "refresh_token"), "refresh_token");
    }

    #[test]
    fn secret_query_parameters_are_masked() {
        let u = url::Url::parse("http://127.0.0.1:1/cb?code=abc&state=s1").unwrap();
        let shown = url(&u);
        assert!(!shown.contains("abc"), "{shown}");
        assert!(shown.contains("state=s1"), "{shown}");
    }

    #[test]
    fn json_secrets_are_masked_at_any_depth() {
        let mut v = serde_json::json!({
            "access_token": "at", "expires_in": 60,
            "nested": [{"refresh_token": "rt"}], "refresh_token": null
        });
        json(&mut v);
        let text = v.to_string();
        assert!(!text.contains("\"at\"") && !text.contains("\"rt\""), "{text}");
        assert!(text.contains("\"expires_in\":60"), "{text}");
        assert_eq!(v["refresh_token"], serde_json::Value::Null);
    }

    #[test]
    fn jwts_are_masked_whatever_their_key() {
        // {"alg":"RS256","typ":"JWT"} . {"sub":"repo:o/r"} . signature
        let jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2ln";
        let mut v = serde_json::json!({"count": 1, "value": jwt, "list": [jwt], "note": "a.b.c"});
        json(&mut v);
        let text = v.to_string();
        assert!(!text.contains("eyJ"), "{text}");
        assert_eq!(v["value"], MASK);
        assert_eq!(v["list"][0], MASK);
        assert_eq!(v["note"], "a.b.c");
        assert_eq!(v["count"], 1);
    }

    #[test]
    fn only_three_part_tokens_with_an_alg_are_jwts() {
        assert!(is_jwt("eyJhbGciOiJub25lIn0.e30."));
        assert!(!is_jwt("eyJ0eXAiOiJKV1QifQ.e30.c2ln"), "no alg");
        assert!(!is_jwt("eyJhbGciOiJub25lIn0.e30"), "two parts");
        assert!(!is_jwt("eyJhbGciOiJub25lIn0.e30.x.y"), "four parts (a JWE has five)");
        assert!(!is_jwt("refs/heads/main"));
        assert!(!is_jwt("1.2.3"));
    }
}
