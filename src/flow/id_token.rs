//! Handing out a valid ID token, for API servers that take ID tokens as bearer tokens
//! (Kubernetes' OIDC authenticator): the stored one while its own `exp` is far enough away,
//! else a renewal under the profile lock ([`super::refresh::renew`], asked about the ID token,
//! not the access token) that must bring a new one. An expired ID token is never handed out.
//! Before one goes out it must decode and name the profile's client in `aud` (and its issuer
//! in `iss`): a cheap check without the network; the signature is the API server's to check.

use super::verify::{self, Expectations, KeySource};
use super::{LoginRequired, Ports, refresh};
use crate::config::NamedProfile;
use crate::oauth::Tokens;
use crate::oauth::token::DEFAULT_MIN_TTL;
use crate::redact::Secret;

/// An ID token to hand out, with its expiry.
#[derive(Debug)]
pub struct IdToken {
    /// The token.
    pub token: Secret<String>,
    /// Its `exp` (Unix seconds).
    pub expires_at: u64,
}

/// The stored ID token of `profile`, renewed first when it lives less than a minute more (or
/// less than half its lifetime, for servers that issue shorter-lived ones, as `oat token`
/// does for access tokens). With a fresh stored token this reads the store and nothing else.
pub fn valid_id_token(ports: &Ports<'_>, profile: &NamedProfile<'_>) -> anyhow::Result<IdToken> {
    let name = profile.name;
    let stored = ports.store.tokens(name)?.ok_or_else(|| LoginRequired::NoTokens(name.into()))?;
    let now = (ports.now)();
    if is_fresh(&stored, now) {
        return hand_out(ports, profile, stored, now);
    }
    match (&stored.id_token, &stored.refresh_token) {
        (None, None) => return Err(LoginRequired::NoIdToken(name.into()).into()),
        (Some(_), None) => return Err(LoginRequired::IdTokenExpired(name.into()).into()),
        _ => {}
    }
    let renewed = refresh::renew(ports, profile, |t: &Tokens, now| !is_fresh(t, now))?;
    let now = (ports.now)();
    if !is_fresh(&renewed, now) {
        let same = |a: &Option<Secret<String>>, b: &Option<Secret<String>>| {
            a.as_ref().map(Secret::expose) == b.as_ref().map(Secret::expose)
        };
        match &renewed.id_token {
            None => return Err(LoginRequired::NoIdToken(name.into()).into()),
            // What the refresh answered did not replace it: Tokens::refreshed kept the old one.
            Some(_) if same(&renewed.id_token, &stored.id_token) => {
                return Err(LoginRequired::IdTokenExpired(name.into()).into());
            }
            // A new one that lives less than the margin: this machine's clock runs ahead of the
            // server's, or the server issues very short-lived tokens. Handed out while unexpired.
            Some(_) => {}
        }
    }
    hand_out(ports, profile, renewed, now)
}

/// The ID token of `tokens` once it has passed the checks that need no network.
fn hand_out(ports: &Ports<'_>, profile: &NamedProfile<'_>, tokens: Tokens, now: u64) -> anyhow::Result<IdToken> {
    let name = profile.name;
    let token = tokens.id_token.ok_or_else(|| LoginRequired::NoIdToken(name.into()))?;
    let unusable = |reason: String| LoginRequired::IdTokenUnusable { profile: name.into(), reason };
    let client = profile.client_id.as_str();
    let expect = Expectations {
        issuer: profile.issuer.as_ref(),
        audience: Some(client),
        authorized_party: Some(client),
        ..Expectations::default()
    };
    // It came from the token endpoint over TLS; its signature is checked by whoever takes it.
    let checked = verify::check(ports.http, token.expose(), &KeySource::TokenEndpoint, &expect)
        .map_err(|e| unusable(e.to_string()))?;
    let Some(expires_at) = checked.jwt.time("exp") else {
        return Err(unusable(verify::Error::NoExpiry.to_string()).into());
    };
    if expires_at <= now {
        let expired = verify::Error::Expired { exp: expires_at, now };
        return Err(unusable(format!("the server issued it already expired: {expired}")).into());
    }
    Ok(IdToken { token, expires_at })
}

/// Whether the ID token of `tokens` lives long enough to be handed out: at least
/// [`DEFAULT_MIN_TTL`] more seconds, or half its lifetime (`exp - iat`) when that is shorter.
/// No ID token, or one that cannot be read, is not fresh.
fn is_fresh(tokens: &Tokens, now: u64) -> bool {
    let Some(jwt) = tokens.id_token.as_ref().and_then(|t| crate::jwt::decode(t.expose()).ok()) else { return false };
    let Some(exp) = jwt.time("exp") else { return false };
    let margin = jwt.time("iat").map_or(DEFAULT_MIN_TTL, |iat| DEFAULT_MIN_TTL.min(exp.saturating_sub(iat) / 2));
    exp >= now.saturating_add(margin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn jwt(claims: serde_json::Value) -> String {
        let b64 = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.c2ln", b64(&serde_json::json!({"alg": "RS256"})), b64(&claims))
    }

    fn tokens(id_token: Option<String>) -> Tokens {
        Tokens {
            access_token: Secret::new("at".into()),
            token_type: "Bearer".into(),
            expires_at: Some(10_000),
            issued_at: Some(1000),
            refresh_token: None,
            scope: None,
            id_token: id_token.map(Secret::new),
            authorization_details: None,
            api_values: Default::default(),
            refresh_token_withheld: false,
        }
    }

    #[test]
    fn an_id_token_is_fresh_for_a_minute_before_its_own_exp() {
        let hour = tokens(Some(jwt(serde_json::json!({"iat": 1000, "exp": 4600}))));
        assert!(is_fresh(&hour, 4540));
        assert!(!is_fresh(&hour, 4541), "less than a minute left");
        assert!(!is_fresh(&hour, 5000));
        let no_iat = tokens(Some(jwt(serde_json::json!({"exp": 4600}))));
        assert!(is_fresh(&no_iat, 4540) && !is_fresh(&no_iat, 4541));
    }

    #[test]
    fn a_short_lived_id_token_is_fresh_for_half_its_lifetime() {
        let short = tokens(Some(jwt(serde_json::json!({"iat": 1000, "exp": 1030}))));
        assert!(is_fresh(&short, 1000) && is_fresh(&short, 1015));
        assert!(!is_fresh(&short, 1016));
    }

    #[test]
    fn no_id_token_or_an_unreadable_one_is_never_fresh() {
        // The access token lives on (expires_at 10000); only the ID token counts here.
        assert!(!is_fresh(&tokens(None), 1000));
        assert!(!is_fresh(&tokens(Some("opaque".into())), 1000));
        assert!(!is_fresh(&tokens(Some(jwt(serde_json::json!({"iat": 1000})))), 1000));
    }
}
