//! The authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636), state and nonce, and the
//! response that comes back on the redirect (§4.1.2, RFC 9207 `iss`).

use super::OAuthError;
use crate::config::{Endpoint, Scopes};
use crate::presets::ScopeStyle;
use crate::redact::Secret;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use url::Url;

/// A PKCE pair (RFC 7636 §4.1–4.2), S256 only. Single use: not `Clone`.
pub struct Pkce {
    verifier: Secret<String>,
    challenge: String,
}

impl Pkce {
    /// A fresh pair from 32 random bytes (a 43-character verifier, 256 bits).
    pub fn generate() -> Result<Pkce, getrandom::Error> {
        Ok(Pkce::from_verifier(super::random_token(32)?))
    }

    /// The pair for a given verifier: challenge = BASE64URL(SHA256(verifier)).
    pub fn from_verifier(verifier: Secret<String>) -> Pkce {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()));
        Pkce { verifier, challenge }
    }

    /// `code_challenge`.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }

    /// `code_verifier`, sent with the code exchange.
    pub fn verifier(&self) -> &Secret<String> {
        &self.verifier
    }
}

/// Everything an authorization URL is made of.
pub struct AuthorizationRequest<'a> {
    /// The authorization endpoint.
    pub endpoint: &'a Endpoint,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    /// Requested scopes.
    pub scopes: &'a Scopes,
    /// How they are sent (`scope`, space-separated, unless the provider documents otherwise).
    pub scope_style: ScopeStyle,
    pub state: &'a str,
    /// `nonce` (OpenID Connect).
    pub nonce: Option<&'a str>,
    /// PKCE, unless turned off.
    pub pkce: Option<&'a Pkce>,
    /// `response_mode` (OAuth 2.0 Multiple Response Type Encoding Practices; JARM's `jwt`).
    pub response_mode: Option<&'a str>,
    /// `authorization_details` (RFC 9396 §2), compact JSON.
    pub authorization_details: Option<&'a str>,
    /// Extra parameters from the profile; an empty value removes a parameter `oat` would add.
    pub params: &'a BTreeMap<String, String>,
}

/// The authorization request's parameters in the order they are sent. Asking for
/// `offline_access` adds `prompt=consent`, as OpenID Connect Core §11 requires for a refresh
/// token to be issued, unless the profile sets `prompt`.
pub fn parameters(request: &AuthorizationRequest<'_>) -> Vec<(String, String)> {
    let mut pairs: Vec<(&str, &str)> =
        vec![("response_type", "code"), ("client_id", request.client_id), ("redirect_uri", request.redirect_uri)];
    let scope = request.scopes.joined(request.scope_style.separator);
    if let Some(scope) = &scope {
        pairs.push((request.scope_style.name, scope));
    }
    pairs.push(("state", request.state));
    if let Some(pkce) = request.pkce {
        pairs.push(("code_challenge", pkce.challenge()));
        pairs.push(("code_challenge_method", "S256"));
    }
    if let Some(nonce) = request.nonce {
        pairs.push(("nonce", nonce));
    }
    if let Some(mode) = request.response_mode {
        pairs.push(("response_mode", mode));
    }
    if request.scopes.contains("offline_access") {
        pairs.push(("prompt", "consent"));
    }
    if let Some(details) = request.authorization_details {
        pairs.push(("authorization_details", details));
    }
    for (name, value) in request.params {
        pairs.retain(|(k, _)| k != name);
        if !value.is_empty() {
            pairs.push((name, value));
        }
    }
    pairs.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Builds the authorization URL (RFC 6749 §4.1.1).
pub fn url(request: &AuthorizationRequest<'_>) -> Url {
    with_query(request.endpoint, &parameters(request))
}

/// The endpoint's URL with `pairs` added to its query.
pub fn with_query(endpoint: &Endpoint, pairs: &[(String, String)]) -> Url {
    let mut url = endpoint.url().clone();
    url.query_pairs_mut().extend_pairs(pairs);
    url
}

/// What the redirect brought back (RFC 6749 §4.1.2, §4.1.2.1).
#[derive(Debug)]
pub enum AuthorizationResponse {
    /// An authorization code.
    Code {
        code: Secret<String>,
        /// `state` as returned.
        state: Option<String>,
        /// `iss` (RFC 9207), if the server sends it.
        iss: Option<String>,
    },
    /// The server (or the user) refused.
    Error {
        error: OAuthError,
        /// `state` as returned.
        state: Option<String>,
    },
    /// Neither a code nor an error.
    Empty,
}

/// Reads the query parameters of a redirect.
pub fn response(params: &[(String, String)]) -> AuthorizationResponse {
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let state = get("state");
    if let Some(error) = OAuthError::from_fields(params) {
        return AuthorizationResponse::Error { error, state };
    }
    match get("code").filter(|c| !c.is_empty()) {
        Some(code) => AuthorizationResponse::Code { code: Secret::new(code), state, iss: get("iss") },
        None => AuthorizationResponse::Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_appendix_b() {
        let pkce = Pkce::from_verifier(Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into()));
        assert_eq!(pkce.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn generated_verifiers_are_long_and_distinct() {
        let (a, b) = (Pkce::generate().unwrap(), Pkce::generate().unwrap());
        assert_eq!(a.verifier().expose().len(), 43);
        assert_ne!(a.verifier().expose(), b.verifier().expose());
    }

    fn build(scopes: &[&str], params: &[(&str, &str)]) -> Url {
        let endpoint = Endpoint::parse("https://as.example/authorize?tenant=t1").unwrap();
        let scopes: Scopes = scopes.iter().map(|s| s.to_string()).collect();
        let params: BTreeMap<String, String> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let pkce = Pkce::from_verifier(Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into()));
        url(&AuthorizationRequest {
            endpoint: &endpoint,
            client_id: "cli id",
            redirect_uri: "http://127.0.0.1:4242/callback",
            scopes: &scopes,
            scope_style: ScopeStyle::STANDARD,
            state: "st",
            nonce: Some("no"),
            pkce: Some(&pkce),
            response_mode: None,
            authorization_details: Some(r#"[{"type":"t"}]"#),
            params: &params,
        })
    }

    fn query(url: &Url) -> Vec<(String, String)> {
        url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
    }

    #[test]
    fn authorization_urls_carry_everything_encoded() {
        let u = build(&["openid", "email"], &[]);
        assert!(u.as_str().starts_with("https://as.example/authorize?tenant=t1&response_type=code&client_id=cli+id&"));
        let q = query(&u);
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("redirect_uri"), Some("http://127.0.0.1:4242/callback"));
        assert_eq!(get("scope"), Some("openid email"));
        assert_eq!(get("state"), Some("st"));
        assert_eq!(get("nonce"), Some("no"));
        assert_eq!(get("code_challenge"), Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("prompt"), None);
        assert_eq!(get("authorization_details"), Some(r#"[{"type":"t"}]"#));
    }

    #[test]
    fn offline_access_asks_for_consent_unless_the_profile_says_otherwise() {
        let has_prompt = |u: &Url, v: &str| query(u).contains(&("prompt".into(), v.into()));
        assert!(has_prompt(&build(&["openid", "offline_access"], &[]), "consent"));
        assert!(has_prompt(&build(&["offline_access"], &[("prompt", "login")]), "login"));
        let none = build(&["offline_access"], &[("prompt", "")]);
        assert!(!query(&none).iter().any(|(k, _)| k == "prompt"));
        assert!(has_prompt(&build(&["x"], &[("prompt", "select_account")]), "select_account"));
    }

    #[test]
    fn redirects_are_read() {
        let p = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        match response(&p(&[("code", "c1"), ("state", "s"), ("iss", "https://as")])) {
            AuthorizationResponse::Code { code, state, iss } => {
                assert_eq!(code.expose(), "c1");
                assert_eq!(state.as_deref(), Some("s"));
                assert_eq!(iss.as_deref(), Some("https://as"));
            }
            other => panic!("{other:?}"),
        }
        match response(&p(&[("error", "access_denied"), ("error_description", "no"), ("state", "s")])) {
            AuthorizationResponse::Error { error, .. } => {
                assert_eq!(error.to_string(), "access_denied: no")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(response(&p(&[("state", "s")])), AuthorizationResponse::Empty));
    }
}
