//! Grants that need no browser: client credentials (RFC 6749 §4.4) and JWT bearer
//! (RFC 7523 §2.1), which get a new token whenever one is needed; resource owner password
//! (RFC 6749 §4.3); and token exchange (RFC 8693), whose answer is handed out, not stored.
//! A subject token or client assertion from a source (a CI job's ID token) is read for the
//! request that sends it and never stored; a refusal of one says what the token says.

use super::login::{LoggedIn, finish};
use super::{CiTokenRefused, Ports};
use crate::config::{Flow, NamedProfile, Scopes};
use crate::oauth::assertion::{self, SigningKey};
use crate::oauth::token::{self, ClientAuth, ClientCredentials, Grant, Params, TokenResponse};
use crate::oauth::{self as protocol, ErrorCode};
use crate::redact::Secret;
use crate::source::Source;
use anyhow::Context as _;

/// Gets a new token with the profile's unattended grant (client credentials or JWT bearer).
pub fn unattended(ports: &Ports<'_>, profile: &NamedProfile<'_>) -> anyhow::Result<TokenResponse> {
    let client = super::client(ports, profile)?;
    unattended_with(ports, profile, &client)
}

fn unattended_with(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    client: &ClientCredentials,
) -> anyhow::Result<TokenResponse> {
    let endpoint = profile.token_endpoint()?;
    let scope = profile.scopes.param();
    let params = Params {
        scope: scope.as_deref(),
        audience: profile.audience.as_deref(),
        resource: profile.resource.as_deref(),
        authorization_details: profile.authorization_details.as_ref().map(|d| d.param()),
    };
    let context = || format!("getting a {} token for `{}` at the token endpoint", profile.flow, profile.name);
    let response = match (profile.flow, &profile.subject_token_from) {
        // The assertion is a token from the source (RFC 7523 §2.1 does not say who signs it).
        (Flow::JwtBearer, Some(source)) => {
            let assertion = source.read(ports.http).with_context(context)?;
            let response =
                token::request(ports.http, endpoint, client, &Grant::JwtBearer { assertion: &assertion, params });
            explained(response, Some((source, assertion)), (ports.now)())
        }
        (Flow::JwtBearer, None) => {
            let key = SigningKey::load(profile.private_key()?, profile.key_id.as_deref())?;
            let assertion = assertion::bearer_assertion(
                &profile.client_id,
                profile.subject.as_deref(),
                endpoint.url().as_str(),
                params.scope,
                &key,
            )
            .map_err(crate::oauth::Error::Sign)?;
            let response =
                token::request(ports.http, endpoint, client, &Grant::JwtBearer { assertion: &assertion, params });
            explained(response, sent_assertion(client), (ports.now)())
        }
        _ => {
            let response = token::request(ports.http, endpoint, client, &Grant::ClientCredentials(params));
            explained(response, sent_assertion(client), (ports.now)())
        }
    };
    response.with_context(context)
}

/// The client assertion the client sent from a source, if it authenticates with one.
fn sent_assertion(client: &ClientCredentials) -> Option<(&Source, Secret<String>)> {
    match &client.auth {
        ClientAuth::Assertion { source, sent } => Some((source, sent.borrow().clone()?)),
        _ => None,
    }
}

/// A token answer; when the server refused the grant or the client and a token from a source
/// went with the request, the refusal says what that token says (its audience, subject and
/// expiry): what a person fixing a federation rule needs.
pub fn explained(
    response: Result<TokenResponse, protocol::Error>,
    sent: Option<(&Source, Secret<String>)>,
    now: u64,
) -> anyhow::Result<TokenResponse> {
    match response {
        Err(protocol::Error::Server(error))
            if matches!(
                error.code,
                ErrorCode::InvalidGrant | ErrorCode::InvalidClient | ErrorCode::UnauthorizedClient
            ) =>
        {
            match sent.and_then(|(source, token)| source.hint(&token, now)) {
                Some(hint) => Err(CiTokenRefused { error, hint }.into()),
                None => Err(protocol::Error::Server(error).into()),
            }
        }
        other => Ok(other?),
    }
}

/// A login with an unattended grant: get a token and store it.
pub fn unattended_login(ports: &Ports<'_>, profile: &NamedProfile<'_>) -> anyhow::Result<LoggedIn> {
    let client = super::client(ports, profile)?;
    let response = unattended_with(ports, profile, &client)?;
    finish(ports, profile, &client, response, &profile.scopes, None)
}

/// A login with the resource owner's password.
pub fn password(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    client: &ClientCredentials,
    username: &str,
    password: &Secret<String>,
    scopes: &Scopes,
) -> anyhow::Result<LoggedIn> {
    ports.store.tokens(profile.name).context("checking the secret store before the login")?;
    let endpoint = profile.token_endpoint()?;
    let scope = scopes.param();
    let params = Params {
        scope: scope.as_deref(),
        audience: profile.audience.as_deref(),
        resource: profile.resource.as_deref(),
        authorization_details: profile.authorization_details.as_ref().map(|d| d.param()),
    };
    let response = token::request(ports.http, endpoint, client, &Grant::Password { username, password, params })
        .with_context(|| format!("logging in to `{}` with a password at the token endpoint", profile.name))?;
    finish(ports, profile, client, response, scopes, None)
}

/// What to exchange, and for what (RFC 8693 §2.1).
pub struct Exchange<'a> {
    pub subject_token: &'a Secret<String>,
    pub subject_token_type: &'a str,
    pub requested_token_type: Option<&'a str>,
    /// `scope`, `audience`, `resource`.
    pub params: Params<'a>,
    /// Where the subject token came from, to explain a refusal (a CI job's ID token).
    pub source: Option<&'a Source>,
}

/// Exchanges a token at the profile's token endpoint; the answer is not stored.
pub fn exchange(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    exchange: &Exchange<'_>,
) -> anyhow::Result<TokenResponse> {
    let endpoint = profile.token_endpoint()?;
    let client = super::client(ports, profile)?;
    let grant = Grant::TokenExchange {
        subject_token: exchange.subject_token,
        subject_token_type: exchange.subject_token_type,
        requested_token_type: exchange.requested_token_type,
        params: exchange.params,
    };
    let response = token::request(ports.http, endpoint, &client, &grant);
    let sent = match exchange.source {
        Some(source) => Some((source, exchange.subject_token.clone())),
        None => sent_assertion(&client),
    };
    let response = explained(response, sent, (ports.now)())
        .with_context(|| format!("exchanging a token with `{}` at the token endpoint", profile.name))?;
    super::check_bound(ports, profile, &response.token_type);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::OAuthError;
    use base64::Engine as _;

    fn refusal(code: &str) -> Result<TokenResponse, protocol::Error> {
        Err(protocol::Error::Server(OAuthError::new(code, Some("unexpected \"aud\" claim value".into()))))
    }

    #[test]
    fn a_refused_ci_token_is_explained_by_its_claims() {
        let b64 = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let jwt = Secret::new(format!(
            "{}.{}.c2ln",
            b64(serde_json::json!({"alg": "RS256"})),
            b64(serde_json::json!({"iss": "https://ci", "aud": "https://github.com/o", "sub": "repo:o/r", "exp": 100}))
        ));
        let source = Source::GithubActions { audience: None };
        let err = explained(refusal("invalid_client"), Some((&source, jwt.clone())), 50).unwrap_err();
        let refused = err.downcast_ref::<CiTokenRefused>().expect("explained");
        let text = refused.to_string();
        assert!(text.starts_with("invalid_client: unexpected \"aud\" claim value; the CI token"), "{text}");
        assert!(text.contains("`https://github.com/o`") && !text.contains("--client-auth"), "{text}");
        // Other refusals, and refusals without a CI token, are the server's error as it is.
        let err = explained(refusal("invalid_scope"), Some((&source, jwt)), 50).unwrap_err();
        assert!(err.downcast_ref::<protocol::Error>().is_some());
        let err = explained(refusal("invalid_grant"), None, 50).unwrap_err();
        assert!(err.downcast_ref::<protocol::Error>().is_some());
    }
}
