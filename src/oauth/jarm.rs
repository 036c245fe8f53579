//! JWT Secured Authorization Response Mode (JARM, OpenID Foundation): the redirect's
//! `response` parameter (§2.3.1 `query.jwt`) and the authorization response parameters its
//! claims carry (§2.1: `code`, `state`, `error`, …, with `iss`, `aud`, `exp`). Verifying the
//! JWT's signature and claims is flow's job (`flow::verify`), before any of them is used.

use crate::jwt::Jwt;

/// The claims of a response JWT that are the authorization response's parameters.
const PARAMETERS: &[&str] = &["code", "state", "error", "error_description", "error_uri", "iss"];

/// The redirect's `response` JWT, if it has one.
pub fn response(params: &[(String, String)]) -> Option<&str> {
    params.iter().find(|(k, _)| k == "response").map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// The authorization response parameters a (verified) response JWT carries.
pub fn parameters(jwt: &Jwt) -> Vec<(String, String)> {
    PARAMETERS.iter().filter_map(|name| jwt.string(name).map(|v| (name.to_string(), v.to_string()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn the_response_jwt_carries_the_parameters() {
        let claims = serde_json::json!({"iss":"https://as","aud":"cli","exp":9,"code":"c1","state":"s1"});
        let token = format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let p = vec![("response".to_string(), token.clone()), ("x".into(), "y".into())];
        assert_eq!(response(&p), Some(token.as_str()));
        assert_eq!(response(&[("code".into(), "c".into())]), None);
        let got = parameters(&crate::jwt::decode(&token).unwrap());
        assert_eq!(
            got,
            vec![("code".into(), "c1".into()), ("state".into(), "s1".into()), ("iss".into(), "https://as".into())]
        );
    }
}
