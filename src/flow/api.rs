//! Calling an API with a profile's access token (RFC 6750): the token goes in the header or the
//! query, and when the API refuses it, it is renewed once (unless another process already did)
//! and the call is made once more — if its body is still held: a body streamed as it arrived is
//! gone, so then the refusal is the answer (and the next call has the new token). `oat
//! request`, `oat demo` and the local proxy share this policy; sending is http's, renewing is
//! [`refresh`]'s, and what the caller shows is its own.

use super::{BadInput, LoginRequired, Notice, Ports, refresh};
use crate::config::NamedProfile;
use crate::http::{Call, Method, Payload, Streaming};
use crate::oauth::dpop;
use crate::oauth::{OAuthError, Tokens};
use crate::presets::{self, Quirk};
use crate::redact::Secret;
use anyhow::Context as _;
use url::Url;

/// Where the access token goes in an API request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum TokenIn {
    /// `Authorization: Bearer <token>` (RFC 6750 §2.1)
    #[default]
    Header,
    /// `access_token=<token>` in the query (RFC 6750 §2.3; only for APIs that need it)
    Query,
}

/// An API request, before the token is added.
pub struct Api<'a> {
    pub url: &'a Url,
    pub method: &'a Method,
    /// Extra headers.
    pub headers: &'a [(String, String)],
    pub body: Option<Payload<'a>>,
    /// Where the token goes.
    pub token_in: TokenIn,
}

/// `path` (with its query) under the API base of `profile`: its `api_base`, with
/// `{instance_url}` and `{cloud_id}` filled from what the server said at login (read from the
/// store, logging in first being the user's part).
pub fn resolve(ports: &Ports<'_>, profile: &NamedProfile<'_>, path: &str) -> anyhow::Result<Url> {
    let name = profile.name;
    let Some(base) = &profile.api_base else {
        return Err(BadInput::NoApiBase { profile: name.into(), path: path.into() }.into());
    };
    let mut base = base.clone();
    if base.contains('{') {
        let values = match ports.store.tokens(name)? {
            Some(tokens) => tokens.api_values,
            None => return Err(LoginRequired::NoTokens(name.into()).into()),
        };
        for (key, value) in &values {
            base = base.replace(&format!("{{{key}}}"), value);
        }
        if let Some(start) = base.find('{') {
            let missing = base[start..].split('}').next().unwrap_or_default().trim_start_matches('{').to_string();
            return Err(BadInput::ApiBaseUnknown { profile: name.into(), missing }.into());
        }
    }
    let text = format!("{}{path}", base.trim_end_matches('/'));
    // The rules `oat request URL` checks a URL with (cli::api_url), which flow cannot import.
    crate::config::Endpoint::parse(&text)
        .map(|e| e.url().clone())
        .map_err(|e| BadInput::BadApiUrl { profile: name.into(), url: text.clone(), reason: e.to_string() }.into())
}

/// Calls an API with a valid token of `profile` (see [`refresh::valid_tokens`] for `min_ttl`); when
/// the API refuses the token, renews it once and calls once more, unless the body was streamed.
/// Answers are values, errors too.
pub fn call(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    min_ttl: Option<u64>,
    api: &Api<'_>,
) -> anyhow::Result<Streaming> {
    let mut tokens = refresh::valid_tokens(ports, profile, min_ttl)?;
    let streamed = matches!(api.body, Some(Payload::Streamed(_)));
    let own_headers = with_client_id(api.headers, profile);
    let mut key = None;
    let (mut retried, mut nonce_retried) = (false, false);
    loop {
        let (url, authorization) = place(api, &tokens);
        if tokens.is_dpop() {
            if api.token_in == TokenIn::Query {
                return Err(BadInput::DpopInQuery(profile.name.into()).into());
            }
            if key.is_none() {
                key = Some(bound_key(ports, profile.name)?);
            }
        }
        let proof = match &key {
            Some(key) if tokens.is_dpop() => {
                let nonce = ports.nonces.get(&url);
                let token = Some(&tokens.access_token);
                Some(key.proof(api.method.as_str(), &url, nonce.as_deref(), token, (ports.now)())?)
            }
            _ => None,
        };
        let headers = with_proof(&own_headers, proof.as_ref());
        let call = Call {
            method: api.method,
            url: &url,
            headers: &headers,
            authorization: authorization.as_ref(),
            body: api.body,
        };
        let response = ports.http.stream(&call).with_context(|| format!("calling {}", crate::redact::url(&url)))?;
        if proof.is_some() {
            let nonce = response.header("dpop-nonce");
            ports.nonces.remember(&url, nonce);
            // A resource that wants a nonce in the proof (RFC 9449 §9) gets one more try with it.
            if nonce.is_some() && wants_nonce(&response) && !nonce_retried && !streamed {
                nonce_retried = true;
                continue;
            }
        }
        // A nonce asked for again is no refusal of the token: renewing it would not help.
        if retried || !refused_token(&response) || wants_nonce(&response) {
            return Ok(response);
        }
        retried = true;
        (ports.notify)(if streamed { Notice::TokenRefusedBodyGone } else { Notice::TokenRefused });
        // Renewed unless another process did so while this one waited for the lock: then its
        // token is taken, as `valid_tokens` does.
        let refused = tokens.access_token;
        tokens = refresh::renew(ports, profile, |t: &Tokens, _| t.access_token == refused)?;
        if streamed {
            return Ok(response);
        }
    }
}

/// The URL and `Authorization` header with the token where `token_in` says.
fn place(api: &Api<'_>, tokens: &Tokens) -> (Url, Option<Secret<String>>) {
    let mut url = api.url.clone();
    match api.token_in {
        TokenIn::Header => (url, Some(Secret::new(format!("{} {}", tokens.scheme(), tokens.access_token.expose())))),
        TokenIn::Query => {
            url.query_pairs_mut().append_pair("access_token", tokens.access_token.expose());
            (url, None)
        }
    }
}

/// The request's headers, and the `Client-Id` header Twitch's API wants beside the token of a
/// profile made with the twitch preset (unless the caller sent one).
fn with_client_id(headers: &[(String, String)], profile: &NamedProfile<'_>) -> Vec<(String, String)> {
    let mut headers = headers.to_vec();
    if presets::quirk(profile.preset.as_deref()) == Some(Quirk::Twitch)
        && !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("client-id"))
    {
        headers.push(("Client-Id".into(), profile.client_id.clone()));
    }
    headers
}

/// The DPoP key a stored DPoP-bound token of profile `name` is bound to.
pub fn bound_key(ports: &Ports<'_>, name: &str) -> anyhow::Result<dpop::Key> {
    super::stored_dpop_key(ports, name)?.ok_or_else(|| LoginRequired::NoDpopKey(name.into()).into())
}

/// The request's headers with the proof as the one `DPoP` header (RFC 9449 §4.1): a `DPoP`
/// header the caller brought (a client of the proxy) is dropped.
fn with_proof(headers: &[(String, String)], proof: Option<&Secret<String>>) -> Vec<(String, String)> {
    let Some(proof) = proof else { return headers.to_vec() };
    let mut headers: Vec<(String, String)> =
        headers.iter().filter(|(name, _)| !name.eq_ignore_ascii_case("dpop")).cloned().collect();
    headers.push(("DPoP".into(), proof.expose().clone()));
    headers
}

/// A DPoP challenge asking for a nonce: `WWW-Authenticate: DPoP error="use_dpop_nonce"` (RFC 9449 §9).
fn wants_nonce(response: &Streaming) -> bool {
    response
        .header("www-authenticate")
        .and_then(OAuthError::from_challenge)
        .is_some_and(|e| e.code.as_str() == dpop::USE_DPOP_NONCE)
}

/// A 401, or any answer whose Bearer challenge says `invalid_token` (RFC 6750 §3.1).
fn refused_token(response: &Streaming) -> bool {
    response.status == 401
        || response
            .header("www-authenticate")
            .and_then(OAuthError::from_challenge)
            .is_some_and(|e| e.code.as_str() == "invalid_token")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_in_the_header_or_the_query() {
        let url = Url::parse("https://api.example/v1?page=2").unwrap();
        let tokens = Tokens {
            access_token: Secret::new("at".into()),
            token_type: "bearer".into(),
            expires_at: None,
            issued_at: None,
            refresh_token: None,
            scope: None,
            id_token: None,
            authorization_details: None,
            api_values: Default::default(),
            refresh_token_withheld: false,
        };
        let api = |token_in| Api { url: &url, method: &Method::GET, headers: &[], body: None, token_in };
        let (to, authorization) = place(&api(TokenIn::Header), &tokens);
        assert_eq!((to.as_str(), authorization.unwrap().expose().as_str()), (url.as_str(), "Bearer at"));
        let (to, authorization) = place(&api(TokenIn::Query), &tokens);
        assert_eq!(to.as_str(), "https://api.example/v1?page=2&access_token=at");
        assert!(authorization.is_none());
    }

    #[test]
    fn twitch_api_calls_carry_the_client_id_unless_the_caller_sent_one() {
        let plain = crate::config::Profile { client_id: "tw-client".into(), ..Default::default() };
        let twitch = crate::config::Profile { preset: Some("twitch".into()), ..plain.clone() };
        let header = |name: &str, value: &str| (name.to_string(), value.to_string());
        let plain = NamedProfile { name: "tw", profile: &plain };
        assert!(with_client_id(&[], &plain).is_empty(), "not without the twitch preset");
        let twitch = NamedProfile { name: "tw", profile: &twitch };
        assert_eq!(with_client_id(&[], &twitch), [header("Client-Id", "tw-client")]);
        let own = [header("client-id", "other")];
        assert_eq!(with_client_id(&own, &twitch), own);
    }
}
