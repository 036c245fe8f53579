//! Rich authorization requests (RFC 9396 §2): the `authorization_details` a profile (or one
//! run) asks for, checked once where the value enters — a JSON array of objects, each with a
//! non-empty string `type` — and kept as compact JSON, the form it is sent in.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// `authorization_details` as RFC 9396 §2 shapes it; a JSON string in config.toml.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuthorizationDetails {
    /// Compact JSON, as sent.
    text: String,
    /// The `type` of each entry, in order.
    types: Vec<String>,
}

/// Why a value is not `authorization_details`.
#[derive(Debug, thiserror::Error)]
#[error("authorization details must be a JSON array of objects, each with a string `type` (RFC 9396 §2): {0}")]
pub struct DetailsError(String);

impl AuthorizationDetails {
    /// Parses and checks JSON text.
    pub fn parse(text: &str) -> Result<AuthorizationDetails, DetailsError> {
        let value: Value = serde_json::from_str(text).map_err(|e| DetailsError(format!("not JSON ({e})")))?;
        let Value::Array(entries) = &value else {
            return Err(DetailsError("the value is not an array".into()));
        };
        if entries.is_empty() {
            return Err(DetailsError("the array is empty".into()));
        }
        let mut types = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let Value::Object(entry) = entry else {
                return Err(DetailsError(format!("entry {i} is not an object")));
            };
            match entry.get("type") {
                Some(Value::String(t)) if !t.is_empty() => types.push(t.clone()),
                Some(_) => return Err(DetailsError(format!("the `type` of entry {i} is not a non-empty string"))),
                None => return Err(DetailsError(format!("entry {i} has no `type`"))),
            }
        }
        Ok(AuthorizationDetails { text: value.to_string(), types })
    }

    /// The `authorization_details` parameter: compact JSON.
    pub fn param(&self) -> &str {
        &self.text
    }

    /// The `type` of each entry, in order.
    pub fn types(&self) -> &[String] {
        &self.types
    }
}

impl TryFrom<String> for AuthorizationDetails {
    type Error = DetailsError;

    fn try_from(text: String) -> Result<Self, DetailsError> {
        AuthorizationDetails::parse(&text)
    }
}

impl From<AuthorizationDetails> for String {
    fn from(details: AuthorizationDetails) -> String {
        details.text
    }
}

impl fmt::Display for AuthorizationDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_of_typed_objects_is_kept_compact() {
        let d =
            AuthorizationDetails::parse(r#" [ {"type": "payment_initiation", "amount": 1}, {"type":"x"} ] "#).unwrap();
        assert_eq!(d.param(), r#"[{"amount":1,"type":"payment_initiation"},{"type":"x"}]"#);
        assert_eq!(d.types(), ["payment_initiation", "x"]);
    }

    #[test]
    fn anything_else_is_refused_saying_why() {
        for (text, why) in [
            ("{", "not JSON"),
            (r#"{"type":"x"}"#, "not an array"),
            ("[]", "empty"),
            (r#"["x"]"#, "entry 0 is not an object"),
            (r#"[{"type":"x"},{"kind":"y"}]"#, "entry 1 has no `type`"),
            (r#"[{"type":3}]"#, "not a non-empty string"),
            (r#"[{"type":""}]"#, "not a non-empty string"),
        ] {
            let e = AuthorizationDetails::parse(text).unwrap_err().to_string();
            assert!(e.contains(why), "{text}: {e}");
        }
    }
}
