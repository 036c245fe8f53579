//! Handing out a valid access token: the stored one while it lives long enough (`--min-ttl`,
//! see [`Tokens::margin`]), else a renewal under the profile lock — a refresh (RFC 6749 §6), or for unattended
//! grants (client credentials, JWT bearer) simply a new token. A process that waited for the
//! lock reads the store again first, so concurrent callers renew once and share the result.

use super::{LoginRequired, Ports, direct};
use crate::config::NamedProfile;
use crate::oauth::token::Answer;
use crate::oauth::{self, ErrorCode, Grant, Tokens};
use crate::redact::Secret;
use anyhow::Context as _;

/// The stored tokens, renewed first when the access token lives less than `min_ttl` seconds
/// (`None`: the default margin of [`Tokens::margin`]).
/// With a valid stored token this reads the store and nothing else: no lock, no network.
pub fn valid_tokens(ports: &Ports<'_>, profile: &NamedProfile<'_>, min_ttl: Option<u64>) -> anyhow::Result<Tokens> {
    let name = profile.name;
    let seen = match ports.store.access(name)? {
        Some(tokens) if tokens.is_fresh((ports.now)(), tokens.margin(min_ttl)) => {
            if let Some(expires_at) = login_due(profile, &tokens, (ports.now)()) {
                (ports.notify)(super::Notice::LoginDue { profile: name, expires_at });
            }
            return Ok(tokens);
        }
        None if !profile.flow.is_unattended() => return Err(LoginRequired::NoTokens(name.into()).into()),
        seen => seen,
    };
    // Another process may have renewed while this one waited for the lock: its still valid
    // result is taken, even if the server's tokens live less than the margin (else every
    // waiting process would renew in turn).
    let renewed_meanwhile =
        |t: &Tokens, now: u64| seen.as_ref().is_some_and(|s| s.access_token != t.access_token) && t.is_fresh(now, 1);
    renew(ports, profile, |t: &Tokens, now| !t.is_fresh(now, t.margin(min_ttl)) && !renewed_meanwhile(t, now))
}

/// Renews the tokens of `profile` if `needed` still says so once the lock is held, and stores
/// the answer (keeping the old refresh token when the server sends none) before returning it.
pub fn renew(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    needed: impl Fn(&Tokens, u64) -> bool,
) -> anyhow::Result<Tokens> {
    let name = profile.name;
    let _lock = ports.store.lock(name)?;
    let current = ports.store.tokens(name)?;
    if let Some(tokens) = &current
        && !needed(tokens, (ports.now)())
    {
        return Ok(tokens.clone());
    }
    let now = (ports.now)();
    let renewed = match current {
        Some(tokens) if tokens.refresh_token.is_some() => refresh(ports, profile, tokens, now)?,
        _ if profile.flow.is_unattended() => {
            let response = direct::unattended(ports, profile)?;
            super::check_bound(ports, profile, &response.token_type);
            Tokens::issued(response, now, profile.scopes.param())
        }
        Some(tokens) => return Err(cannot_renew(profile, &tokens)),
        None => return Err(LoginRequired::NoTokens(name.into()).into()),
    };
    ports.store.save_tokens(name, &renewed).with_context(|| {
        format!("the server issued new tokens for `{name}` but they could not be stored (the old refresh token may be void now; if so run `oat login {name}`)")
    })?;
    Ok(renewed)
}

/// How long before its end a token that cannot be renewed asks for a new login: a week, or
/// the last quarter of its lifetime when that is shorter (a two-hour token: its last half hour).
pub const LOGIN_NOTICE: u64 = 7 * 24 * 3600;

/// When the access token of `profile` ends, if it cannot be renewed and ends within
/// [`LOGIN_NOTICE`] (or the last quarter of its lifetime): no refresh token, and a grant a
/// person takes part in (an unattended one just fetches a new token). Nothing is said of a
/// token whose lifetime is unknown.
pub fn login_due(profile: &NamedProfile<'_>, tokens: &Tokens, now: u64) -> Option<u64> {
    if tokens.has_refresh_token() || profile.flow.is_unattended() {
        return None;
    }
    let (issued, expires) = tokens.issued_at.zip(tokens.expires_at)?;
    let notice = LOGIN_NOTICE.min(expires.saturating_sub(issued) / 4);
    (now >= expires.saturating_sub(notice)).then_some(expires)
}

/// Why a stored token that cannot be refreshed is not handed out; with Facebook, which issues
/// no refresh tokens at all, that only a new login helps.
fn cannot_renew(profile: &NamedProfile<'_>, tokens: &Tokens) -> anyhow::Error {
    let name = profile.name.to_string();
    match crate::presets::quirk(profile.preset.as_deref()) {
        Some(crate::presets::Quirk::Facebook) => {
            LoginRequired::NoRefreshTokens { profile: name, provider: "Facebook", expires_at: tokens.expires_at }
        }
        _ => LoginRequired::NoRefreshToken(name),
    }
    .into()
}

/// What [`forget_refused`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forgotten {
    /// The refused token was the stored one: dropped, the refresh token kept.
    AccessToken,
    /// It was the stored one and nothing else was stored with it: the entry is gone.
    Everything,
    /// The store holds another token (renewed meanwhile), or none: nothing was changed.
    Nothing,
}

/// A server refused the access token of `profile`, or a client let go of it (`docker logout`):
/// it is dropped and the refresh token kept, so that the next call renews. With `refused` (git
/// names the token it got a 401 with), only if that is still the stored one: a token another
/// process stored meanwhile was never refused and is left alone.
pub fn forget_refused(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    refused: Option<&Secret<String>>,
) -> anyhow::Result<Forgotten> {
    let name = profile.name;
    let _lock = ports.store.lock(name)?;
    let Some(mut tokens) = ports.store.tokens(name)? else { return Ok(Forgotten::Nothing) };
    if tokens.access_token.expose().is_empty() || refused.is_some_and(|r| tokens.access_token != *r) {
        return Ok(Forgotten::Nothing);
    }
    if tokens.refresh_token.is_none() {
        ports.store.delete_tokens(name)?;
        return Ok(Forgotten::Everything);
    }
    tokens.access_token = Secret::new(String::new());
    tokens.expires_at = Some(0);
    ports.store.save_tokens(name, &tokens)?;
    Ok(Forgotten::AccessToken)
}

/// One refresh-token grant.
fn refresh(ports: &Ports<'_>, profile: &NamedProfile<'_>, tokens: Tokens, now: u64) -> anyhow::Result<Tokens> {
    let name = profile.name;
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        return Err(LoginRequired::NoRefreshToken(name.into()).into());
    };
    let endpoint = profile.token_endpoint()?;
    let client = super::client(ports, profile)?;
    let grant = Grant::RefreshToken(&refresh_token);
    let answer = super::answer(profile);
    match oauth::token::request_as(ports.http, endpoint, &client, &grant, answer) {
        Ok(response) => {
            super::check_bound(ports, profile, &response.token_type);
            if let (Some(before), Some(after)) = (&tokens.id_token, &response.id_token) {
                same_identity(before, after, &client.id).map_err(|what| {
                    super::AuthorizationError::IdToken(format!(
                        "{what} (refreshing `{name}`; log in again with `oat login {name}`)"
                    ))
                })?;
            }
            Ok(tokens.refreshed(response, now))
        }
        // Slack names a refused refresh token its own way.
        Err(oauth::Error::Server(reason))
            if reason.code == ErrorCode::InvalidGrant
                || (answer == Answer::SlackV2 && reason.code.as_str() == "invalid_refresh_token") =>
        {
            Err(LoginRequired::Rejected { profile: name.into(), reason }.into())
        }
        Err(e) => Err(e).with_context(|| format!("refreshing the tokens of `{name}` at the token endpoint")),
    }
}

/// An ID token from a refresh must name the same issuer and subject as the one from the login,
/// for the same client (OpenID Connect Core §12.2); its signature is not fetched again here.
fn same_identity(before: &Secret<String>, after: &Secret<String>, client_id: &str) -> Result<(), String> {
    let after = crate::jwt::decode(after.expose()).map_err(|e| e.to_string())?;
    // A stored ID token oat cannot read (stored by hand) leaves nothing to compare with.
    let Ok(before) = crate::jwt::decode(before.expose()) else { return Ok(()) };
    for claim in ["iss", "sub"] {
        let (was, is) = (before.string(claim).unwrap_or_default(), after.string(claim).unwrap_or_default());
        if was != is {
            return Err(format!("{claim} is `{is}`, but the login's ID token said `{was}`"));
        }
    }
    if !after.audiences().contains(&client_id) {
        return Err(format!("aud {:?} does not contain the client id `{client_id}`", after.audiences()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn id_token(claims: serde_json::Value) -> Secret<String> {
        let b64 = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        Secret::new(format!("{}.{}.c2ln", b64(&serde_json::json!({"alg": "RS256"})), b64(&claims)))
    }

    #[test]
    fn a_refused_token_is_forgotten_only_while_it_is_the_stored_one() {
        use crate::config::Profile;
        use crate::store::{SecretStore, file::FileStore};
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("oat"), std::time::Duration::from_secs(5));
        let http = crate::http::Http::new(crate::http::Options {
            timeout: std::time::Duration::from_secs(1),
            cacert: None,
            identity: None,
            show_secrets: false,
            printer: crate::output::Printer::default(),
        });
        let ports = Ports {
            http: &http,
            store: &store,
            notify: &|_| {},
            open_browser: &|_| Ok(()),
            now: || 1_000,
            sleep: |_| {},
            interrupted: || false,
            env_secret: None,
            nonces: &Default::default(),
        };
        let settings = Profile::default();
        let profile = NamedProfile { name: "p", profile: &settings };
        let secret = |s: &str| Secret::new(s.to_string());
        let stored = |refresh: Option<&str>| Tokens {
            access_token: secret("at"),
            token_type: "Bearer".into(),
            expires_at: Some(5_000),
            issued_at: Some(1_000),
            refresh_token: refresh.map(secret),
            scope: None,
            id_token: None,
            authorization_details: None,
            api_values: Default::default(),
            refresh_token_withheld: false,
        };
        let forget = |token: &str| forget_refused(&ports, &profile, Some(&secret(token))).unwrap();

        store.save_tokens("p", &stored(Some("rt"))).unwrap();
        assert_eq!(forget("renewed-meanwhile"), Forgotten::Nothing);
        assert_eq!(forget(""), Forgotten::Nothing);
        assert_eq!(store.tokens("p").unwrap().unwrap().access_token.expose(), "at");
        assert_eq!(forget("at"), Forgotten::AccessToken);
        let left = store.tokens("p").unwrap().unwrap();
        assert_eq!(left.access_token.expose(), "");
        assert_eq!(left.expires_at, Some(0));
        assert_eq!(left.refresh_token.as_ref().map(|t| t.expose().as_str()), Some("rt"));
        // Without a refresh token nothing worth keeping is left.
        store.save_tokens("p", &stored(None)).unwrap();
        assert_eq!(forget("at"), Forgotten::Everything);
        assert!(store.tokens("p").unwrap().is_none());
        assert_eq!(forget("at"), Forgotten::Nothing);
    }

    #[test]
    fn a_new_login_is_due_a_week_or_a_quarter_of_the_lifetime_before_the_end() {
        use crate::config::{Flow, Profile};
        let day = 24 * 3600;
        let tokens = |issued: u64, expires: u64, refresh: bool| Tokens {
            access_token: Secret::new("at".into()),
            token_type: "bearer".into(),
            expires_at: Some(expires),
            issued_at: Some(issued),
            refresh_token: None,
            scope: None,
            id_token: None,
            authorization_details: None,
            api_values: Default::default(),
            refresh_token_withheld: refresh,
        };
        let attended = Profile::default();
        let fb = NamedProfile { name: "fb", profile: &attended };
        // Facebook's 60-day token: from 7 days before its end.
        let long = tokens(0, 60 * day, false);
        assert_eq!(login_due(&fb, &long, 53 * day - 1), None);
        assert_eq!(login_due(&fb, &long, 53 * day), Some(60 * day));
        assert_eq!(login_due(&fb, &long, 61 * day), Some(60 * day));
        // A two-hour token: its last half hour.
        let short = tokens(0, 7200, false);
        assert_eq!((login_due(&fb, &short, 5399), login_due(&fb, &short, 5400)), (None, Some(7200)));
        // Renewable tokens (a refresh token, even one the cache leaves out), unattended grants
        // and tokens of unknown lifetime: nothing to say.
        assert_eq!(login_due(&fb, &tokens(0, 7200, true), 7000), None);
        let machine = Profile { flow: Flow::ClientCredentials, ..Profile::default() };
        assert_eq!(login_due(&NamedProfile { name: "m", profile: &machine }, &short, 7000), None);
        let unknown = Tokens { issued_at: None, ..short.clone() };
        assert_eq!(login_due(&fb, &unknown, 7000), None);
    }

    #[test]
    fn a_refreshed_id_token_must_name_the_same_subject_for_the_same_client() {
        let login = id_token(serde_json::json!({"iss": "https://as", "sub": "alice", "aud": "cli"}));
        let same = id_token(serde_json::json!({"iss": "https://as", "sub": "alice", "aud": ["cli", "api"]}));
        assert_eq!(same_identity(&login, &same, "cli"), Ok(()));
        let other = id_token(serde_json::json!({"iss": "https://as", "sub": "mallory", "aud": "cli"}));
        let err = same_identity(&login, &other, "cli").unwrap_err();
        assert!(err.contains("sub is `mallory`") && err.contains("`alice`"), "{err}");
        let elsewhere = id_token(serde_json::json!({"iss": "https://evil", "sub": "alice", "aud": "cli"}));
        assert!(same_identity(&login, &elsewhere, "cli").unwrap_err().starts_with("iss is"));
        let stranger = id_token(serde_json::json!({"iss": "https://as", "sub": "alice", "aud": "other"}));
        assert!(same_identity(&login, &stranger, "cli").unwrap_err().starts_with("aud"));
        assert!(same_identity(&login, &Secret::new("not a jwt".into()), "cli").is_err());
        assert_eq!(same_identity(&Secret::new("opaque".into()), &same, "cli"), Ok(()));
    }
}
