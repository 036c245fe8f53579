//! Handing out a valid access token: the stored one while it lives at least `min_ttl` more
//! seconds, else a refresh (RFC 6749 §6) under the profile lock. A process that waited for the
//! lock reads the store again first, so concurrent callers make one refresh and share it.

use super::Ports;
use crate::config::Profile;
use crate::error::LoginRequired;
use crate::oauth::{self, ErrorCode, Grant, Tokens};
use crate::redact::Secret;
use anyhow::Context as _;

/// The stored tokens, refreshed first when the access token lives less than `min_ttl` seconds.
/// With a valid stored token this reads the store and nothing else: no lock, no network.
pub fn valid_tokens(
    ports: &Ports<'_>,
    name: &str,
    profile: &Profile,
    min_ttl: u64,
    env_secret: impl FnOnce() -> Option<Secret<String>>,
) -> anyhow::Result<Tokens> {
    let tokens = ports
        .store
        .tokens(name)?
        .ok_or_else(|| LoginRequired::NoTokens(name.into()))?;
    if tokens.is_fresh((ports.now)(), min_ttl) {
        return Ok(tokens);
    }
    refresh(ports, name, profile, env_secret, |t: &Tokens, now| {
        !t.is_fresh(now, min_ttl)
    })
}

/// Refreshes the tokens of `name` if `needed` still says so once the lock is held, and stores
/// the answer (keeping the old refresh token when the server sends none) before returning it.
pub fn refresh(
    ports: &Ports<'_>,
    name: &str,
    profile: &Profile,
    env_secret: impl FnOnce() -> Option<Secret<String>>,
    needed: impl Fn(&Tokens, u64) -> bool,
) -> anyhow::Result<Tokens> {
    let _lock = ports.store.lock(name)?;
    let tokens = ports
        .store
        .tokens(name)?
        .ok_or_else(|| LoginRequired::NoTokens(name.into()))?;
    if !needed(&tokens, (ports.now)()) {
        return Ok(tokens);
    }
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        return Err(LoginRequired::NoRefreshToken(name.into()).into());
    };
    let endpoint = profile.token_endpoint(name)?;
    let client = super::client(ports, name, profile, env_secret())?;
    let now = (ports.now)();
    let response = match oauth::token::request(
        ports.http,
        endpoint,
        &client,
        &Grant::RefreshToken(&refresh_token),
    ) {
        Ok(response) => response,
        Err(oauth::Error::Server(reason)) if reason.code == ErrorCode::InvalidGrant => {
            return Err(LoginRequired::Rejected {
                profile: name.into(),
                reason,
            }
            .into());
        }
        Err(e) => return Err(e).with_context(|| format!("refreshing the tokens of `{name}`")),
    };
    let refreshed = tokens.refreshed(response, now);
    ports.store.save_tokens(name, &refreshed).with_context(|| {
        format!("the server issued new tokens for `{name}` but they could not be stored (the old refresh token may be void now; if so run `oat login {name}`)")
    })?;
    Ok(refreshed)
}
