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
    "fb_exchange_token",
];

/// Secret fields whose values a person chose or could guess (a password, a client secret):
/// even a short hash of one would let a dictionary be checked against it, so they are only
/// ever masked. Every other secret field holds a long random value (a token, a code, a
/// verifier, a signed assertion) and is shown as a [`fingerprint`].
const GUESSABLE_FIELDS: &[&str] = &["client_secret", "password"];

/// What a redacted value is replaced with when nothing of it may be shown.
pub const MASK: &str = "[redacted]";

/// Whether a form field, JSON key or query parameter named `name` holds a secret.
pub fn is_secret_field(name: &str) -> bool {
    SECRET_FIELDS.contains(&name)
}

/// How a secret is shown, by whether it could be guessed: the one decision behind every
/// redaction here (the `-v` trace and the trace file both show what this returns).
pub fn conceal(guessable: bool, value: &str) -> String {
    if guessable { MASK.to_string() } else { fingerprint(value) }
}

/// `[redacted sha256:1f2e3d4c]`: the first 8 hex digits of the SHA-256 of a random secret, so
/// that the same token can be followed from the answer that issued it to the requests that
/// use it, without the trace holding anything that can be used.
pub fn fingerprint(value: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(value.as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("[redacted sha256:{hex}]")
}

/// A header value as it may be shown: credentials keep only their scheme; a bearer or DPoP
/// token and a DPoP proof become a fingerprint, anything else secret a plain mask.
pub fn header(name: &str, value: &str) -> String {
    let name = name.to_ascii_lowercase();
    if name == "authorization" || name == "proxy-authorization" {
        match value.split_once(' ') {
            Some((scheme, credentials)) => {
                let random = scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("dpop");
                format!("{scheme} {}", conceal(!random, credentials.trim()))
            }
            None => MASK.to_string(),
        }
    } else if name == "dpop" {
        fingerprint(value)
    } else if name == "cookie" || name == "set-cookie" {
        MASK.to_string()
    } else if name == "location" || name == "content-location" {
        // A redirect back to a client carries the authorization code in its query.
        url::Url::parse(value).map_or_else(|_| value.to_string(), |u| url(&u))
    } else {
        value.to_string()
    }
}

/// A form field value as it may be shown.
pub fn field<'a>(name: &str, value: &'a str) -> std::borrow::Cow<'a, str> {
    if is_secret_field(name) {
        std::borrow::Cow::Owned(conceal(GUESSABLE_FIELDS.contains(&name), value))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
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
            let v = field(&k, &v).into_owned();
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
                    let shown = match v {
                        serde_json::Value::String(text) => field(key, text).into_owned(),
                        _ => MASK.to_string(),
                    };
                    *v = serde_json::Value::String(shown);
                } else {
                    json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(json),
        serde_json::Value::String(text) if is_jwt(text) => *text = fingerprint(text),
        _ => {}
    }
}

/// A message body as it may be shown, in the shape a reader wants it: JSON as a value, a
/// form as its fields, other text as text (cut at `limit` bytes), and bytes that are not
/// text by their size only.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// A JSON document.
    Json(serde_json::Value),
    /// An `application/x-www-form-urlencoded` form: its fields in order.
    Form(Vec<(String, String)>),
    /// Other text, and whether it was cut.
    Text { text: String, truncated: bool },
    /// Text that names token fields but is neither JSON nor a form: its secrets cannot be
    /// told apart, so none of it is shown.
    Withheld { bytes: usize },
    /// Bytes that are not UTF-8 text.
    Binary { bytes: usize },
}

impl Body {
    /// Reads a body; secrets are redacted unless `reveal`. Text beyond `limit` bytes is cut
    /// (at a character boundary).
    pub fn read(bytes: &[u8], reveal: bool, limit: usize) -> Body {
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            if !reveal {
                json(&mut value);
            }
            return Body::Json(value);
        }
        let Ok(text) = std::str::from_utf8(bytes) else { return Body::Binary { bytes: bytes.len() } };
        let looks_like_form = text.contains('=') && !text.trim().contains(char::is_whitespace) && !text.contains('<');
        if looks_like_form {
            let fields = url::form_urlencoded::parse(text.trim().as_bytes())
                .map(|(k, v)| {
                    let v = if reveal { v.into_owned() } else { field(&k, &v).into_owned() };
                    (k.into_owned(), v)
                })
                .collect();
            return Body::Form(fields);
        }
        let lower = text.to_ascii_lowercase();
        if !reveal && SECRET_FIELDS.iter().any(|f| f.len() > 5 && lower.contains(f)) {
            return Body::Withheld { bytes: bytes.len() };
        }
        let mut end = text.len().min(limit);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Body::Text { text: text[..end].to_string(), truncated: end < text.len() }
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
    fn random_secrets_show_a_fingerprint_guessable_ones_nothing() {
        // SHA-256("abc.def") starts 9d0e3c5c…; the value itself never shows.
        let bearer = header("Authorization", "Bearer abc.def");
        assert_eq!(bearer, format!("Bearer {}", fingerprint("abc.def")));
        assert!(bearer.starts_with("Bearer [redacted sha256:") && !bearer.contains("abc"), "{bearer}");
        assert_eq!(header("authorization", "DPoP abc.def"), format!("DPoP {}", fingerprint("abc.def")));
        assert_eq!(header("authorization", "Basic Zm9vOmJhcg=="), "Basic [redacted]");
        assert_eq!(header("authorization", "opaque"), "[redacted]");
        assert_eq!(header("Cookie", "sid=1"), "[redacted]");
        assert_eq!(header("set-cookie", "sid=1; HttpOnly"), "[redacted]");
        assert_eq!(
            header("DPoP", "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln"),
            fingerprint("eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln")
        );
        assert_eq!(header("Accept", "application/json"), "application/json");
        let location = header("Location", "http://127.0.0.1:5/callback?code=secret-code&state=s");
        assert!(!location.contains("secret-code") && location.contains("state=s"), "{location}");
    }

    #[test]
    fn a_fingerprint_is_the_start_of_the_sha256() {
        // printf abc | sha256sum → ba7816bf…
        assert_eq!(fingerprint("abc"), "[redacted sha256:ba7816bf]");
        assert_ne!(fingerprint("abd"), fingerprint("abc"));
    }

    #[test]
    fn secret_form_fields_are_masked() {
        assert_eq!(field("refresh_token", "rt-1"), fingerprint("rt-1"));
        assert_eq!(field("code_verifier", "v"), fingerprint("v"));
        assert_eq!(field("client_secret", "hunter2"), MASK);
        assert_eq!(field("password", "hunter2"), MASK);
        assert_eq!(field("grant_type", "refresh_token"), "refresh_token");
    }

    #[test]
    fn secret_query_parameters_are_masked() {
        let u = url::Url::parse("http://127.0.0.1:1/cb?code=abc&state=s1").unwrap();
        let shown = url(&u);
        assert!(!shown.contains("=abc"), "{shown}");
        assert!(shown.contains("state=s1"), "{shown}");
        assert!(shown.contains("sha256%3Aba7816bf"), "{shown}");
    }

    #[test]
    fn json_secrets_are_masked_at_any_depth() {
        let mut v = serde_json::json!({
            "access_token": "at", "expires_in": 60, "client_secret": "s3cret",
            "nested": [{"refresh_token": "rt"}], "refresh_token": null, "token": 5
        });
        json(&mut v);
        let text = v.to_string();
        assert!(!text.contains("\"at\"") && !text.contains("\"rt\"") && !text.contains("s3cret"), "{text}");
        assert!(text.contains("\"expires_in\":60"), "{text}");
        assert_eq!(v["access_token"], fingerprint("at"));
        assert_eq!(v["nested"][0]["refresh_token"], fingerprint("rt"));
        assert_eq!(v["client_secret"], MASK);
        assert_eq!(v["token"], MASK);
        assert_eq!(v["refresh_token"], serde_json::Value::Null);
    }

    #[test]
    fn bodies_are_read_by_their_shape() {
        let form = Body::read(b"grant_type=refresh_token&refresh_token=rt-1&client_secret=x", false, 100);
        assert_eq!(
            form,
            Body::Form(vec![
                ("grant_type".into(), "refresh_token".into()),
                ("refresh_token".into(), fingerprint("rt-1")),
                ("client_secret".into(), MASK.into()),
            ])
        );
        let revealed = Body::read(b"refresh_token=rt-1", true, 100);
        assert_eq!(revealed, Body::Form(vec![("refresh_token".into(), "rt-1".into())]));
        assert_eq!(Body::read(b"{\"a\":1}", false, 100), Body::Json(serde_json::json!({"a": 1})));
        assert_eq!(Body::read(b"<p>the access_token is x</p>", false, 100), Body::Withheld { bytes: 28 });
        assert_eq!(Body::read(&[0xff, 0xfe, 0], false, 100), Body::Binary { bytes: 3 });
        assert_eq!(Body::read("héllo world".as_bytes(), false, 2), Body::Text { text: "h".into(), truncated: true });
        assert_eq!(Body::read(b"plain words", false, 100), Body::Text { text: "plain words".into(), truncated: false });
    }

    #[test]
    fn jwts_are_masked_whatever_their_key() {
        // {"alg":"RS256","typ":"JWT"} . {"sub":"repo:o/r"} . signature
        let jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2ln";
        let mut v = serde_json::json!({"count": 1, "value": jwt, "list": [jwt], "note": "a.b.c"});
        json(&mut v);
        let text = v.to_string();
        assert!(!text.contains("eyJ"), "{text}");
        assert_eq!(v["value"], fingerprint(jwt));
        assert_eq!(v["list"][0], fingerprint(jwt));
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
