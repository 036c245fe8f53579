//! Calling an API with a profile's access token (RFC 6750): the token goes in the header or the
//! query, and when the API refuses it, it is renewed once (unless another process already did)
//! and the call is made once more — if its body is still held: a body streamed as it arrived is
//! gone, so then the refusal is the answer (and the next call has the new token). `oat
//! request`, `oat demo` and the local proxy share this policy; sending is http's, renewing is
//! [`refresh`]'s, and what the caller shows is its own.

use super::{Notice, Ports, refresh};
use crate::config::NamedProfile;
use crate::http::{Call, Method, Payload, Streaming};
use crate::oauth::{OAuthError, Tokens};
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
    let mut retried = false;
    loop {
        let (url, authorization) = place(api, &tokens);
        let call = Call {
            method: api.method,
            url: &url,
            headers: api.headers,
            authorization: authorization.as_ref(),
            body: api.body,
        };
        let response = ports.http.stream(&call).with_context(|| format!("calling {}", crate::redact::url(&url)))?;
        if retried || !refused_token(&response) {
            return Ok(response);
        }
        retried = true;
        let streamed = matches!(api.body, Some(Payload::Streamed(_)));
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
        };
        let api = |token_in| Api { url: &url, method: &Method::GET, headers: &[], body: None, token_in };
        let (to, authorization) = place(&api(TokenIn::Header), &tokens);
        assert_eq!((to.as_str(), authorization.unwrap().expose().as_str()), (url.as_str(), "Bearer at"));
        let (to, authorization) = place(&api(TokenIn::Query), &tokens);
        assert_eq!(to.as_str(), "https://api.example/v1?page=2&access_token=at");
        assert!(authorization.is_none());
    }
}
