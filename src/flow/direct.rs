//! Grants that need no browser: client credentials (RFC 6749 §4.4) and JWT bearer
//! (RFC 7523 §2.1), which get a new token whenever one is needed; resource owner password
//! (RFC 6749 §4.3); and token exchange (RFC 8693), whose answer is handed out, not stored.

use super::Ports;
use super::login::{LoggedIn, finish};
use crate::config::{Flow, NamedProfile, Scopes};
use crate::oauth::assertion::{self, SigningKey};
use crate::oauth::token::{self, ClientCredentials, Grant, Params, TokenResponse};
use crate::redact::Secret;
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
    let response = match profile.flow {
        Flow::JwtBearer => {
            let key = SigningKey::load(profile.private_key()?, profile.key_id.as_deref())?;
            let assertion = assertion::bearer_assertion(
                &profile.client_id,
                profile.subject.as_deref(),
                endpoint.url().as_str(),
                params.scope,
                &key,
            )
            .map_err(crate::oauth::Error::Sign)?;
            token::request(ports.http, endpoint, client, &Grant::JwtBearer { assertion: &assertion, params })
        }
        _ => token::request(ports.http, endpoint, client, &Grant::ClientCredentials(params)),
    };
    response.with_context(|| format!("getting a {} token for `{}` at the token endpoint", profile.flow, profile.name))
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
    let response = token::request(ports.http, endpoint, &client, &grant)
        .with_context(|| format!("exchanging a token with `{}` at the token endpoint", profile.name))?;
    super::check_bound(ports, profile, &response.token_type);
    Ok(response)
}
