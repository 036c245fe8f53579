//! Sequencing and policy: which grant runs, when the browser opens, the state, nonce and
//! ID-token checks, and the lock → load → decide → refresh → save dance. Flow reaches the
//! world only through [`Ports`] and reports progress as [`Notice`] values; it never prints.

pub mod api;
pub mod audit;
pub mod device;
pub mod direct;
pub mod doctor;
mod error;
pub mod id_token;
pub mod login;
pub mod refresh;
pub mod sites;
pub mod verify;

pub use error::{AuthorizationError, BadInput, CiTokenRefused, Interrupted, LoginRequired};

use crate::browser::BrowserError;
use crate::config::{ClientAuthMethod, NamedProfile, Profile, SecurityProfile};
use crate::http::Http;
use crate::oauth::assertion::SigningKey;
use crate::oauth::token::{ClientAuth, ClientCredentials, Prover};
use crate::oauth::{Tokens, dpop};
use crate::redact::Secret;
use crate::store::SecretStore;
use anyhow::Context as _;
use std::time::Duration;
use url::Url;

/// What a flow needs from the world, borrowed for one run.
pub struct Ports<'a> {
    /// The HTTP client (built lazily on first request).
    pub http: &'a Http,
    /// Where secrets live.
    pub store: &'a dyn SecretStore,
    /// Progress for the person at the terminal.
    pub notify: &'a dyn Fn(Notice<'_>),
    /// Opens a URL in a browser.
    pub open_browser: &'a dyn Fn(&str) -> Result<(), BrowserError>,
    /// The current time in Unix seconds.
    pub now: fn() -> u64,
    /// Waiting between polls.
    pub sleep: fn(Duration),
    /// Whether the person asked to stop (Ctrl-C) while oat waits for them.
    pub interrupted: fn() -> bool,
    /// A client secret given from outside (`OAT_CLIENT_SECRET`); it wins over config.toml and
    /// the store.
    pub env_secret: Option<Secret<String>>,
    /// The newest DPoP nonce each server gave during this run (RFC 9449 §8, §9).
    pub nonces: &'a dpop::Nonces,
}

/// Progress a flow reports; the commands decide how it looks.
#[derive(Debug)]
pub enum Notice<'a> {
    /// The authorization URL, shown before any browser is started.
    OpenUrl(&'a Url),
    /// The browser could not be started; the person has to open the URL.
    BrowserFailed(&'a BrowserError),
    /// The listener is waiting for the redirect.
    Waiting {
        /// Where the redirect must arrive.
        redirect_uri: &'a Url,
        /// For how long.
        timeout: Duration,
    },
    /// The redirect URI is https, which nothing here answers: the person pastes the address.
    Paste {
        /// Where the browser will be sent.
        redirect_uri: &'a Url,
        /// For how long oat waits.
        timeout: Duration,
    },
    /// On an SSH session with a fixed port: the browser's machine must forward it.
    SshForward {
        /// The port to forward.
        port: u16,
    },
    /// A client secret was found in config.toml.
    SecretInConfig,
    /// The device flow's codes, for the person to enter on another device.
    DeviceCode {
        user_code: &'a str,
        verification_uri: &'a str,
        /// `verification_uri_complete`, if the server gave one.
        verification_uri_complete: Option<&'a str>,
        /// Whether pressing Enter opens a browser.
        offer_browser: bool,
    },
    /// How long the listener has waited for the browser so far.
    Elapsed {
        /// Time waited.
        waited: Duration,
    },
    /// Seconds left before the device code expires.
    Countdown {
        /// Seconds.
        left: u64,
    },
    /// The server asked to poll less often.
    SlowDown {
        /// The new interval in seconds.
        interval: u64,
    },
    /// The wait for the person is over (the redirect came, or the device login was approved).
    Approved,
    /// An API refused the access token; it is renewed and the call made once more.
    TokenRefused,
    /// An API refused the access token; it is renewed, but the call is not made again, as its
    /// body was streamed and is gone: the caller gets the refusal.
    TokenRefusedBodyGone,
    /// A login learned which Atlassian site the API base names (the first the token reaches).
    Site {
        /// The profile.
        profile: &'a str,
        /// The site chosen.
        chosen: &'a sites::Site,
        /// The other sites the token reaches.
        others: &'a [sites::Site],
        /// The profile's API base, with its `{cloud_id}` placeholder.
        api_base: &'a str,
    },
    /// A login could not learn its Atlassian site: the API base lacks its cloud id.
    NoSite {
        /// The profile.
        profile: &'a str,
        /// Why.
        reason: &'a str,
    },
    /// A Facebook login without the app secret: its token lives about two hours, as it cannot
    /// be exchanged for a long-lived one.
    ShortLived {
        /// The profile.
        profile: &'a str,
    },
    /// The access token cannot be renewed (no refresh token; a person has to log in) and ends
    /// soon: a new login is needed before then.
    LoginDue {
        /// The profile.
        profile: &'a str,
        /// When the token ends (Unix seconds).
        expires_at: u64,
    },
    /// A DPoP profile's token request was answered with a token of another type: the server
    /// did not bind it to the key (RFC 9449 §5), so it works as a bearer token.
    NotDpopBound {
        /// The profile.
        profile: &'a str,
        /// The `token_type` the server answered.
        token_type: &'a str,
    },
}

/// The client's credentials for the token endpoint. A secret comes from the ports'
/// `env_secret` (`OAT_CLIENT_SECRET`), then config.toml, then the store; the method from the
/// profile, else `client_secret_basic` when there is a secret and `none` when there is not.
/// A DPoP profile's token requests carry proofs of its key, made here on first use.
pub fn client(ports: &Ports<'_>, profile: &NamedProfile<'_>) -> anyhow::Result<ClientCredentials> {
    credentials(ports, profile, true)
}

/// The client's credentials for the endpoints that take no DPoP proof (revocation,
/// introspection, doctor's probe): no key is read or made for them.
pub fn client_without_proofs(ports: &Ports<'_>, profile: &NamedProfile<'_>) -> anyhow::Result<ClientCredentials> {
    credentials(ports, profile, false)
}

fn credentials(ports: &Ports<'_>, profile: &NamedProfile<'_>, proofs: bool) -> anyhow::Result<ClientCredentials> {
    let origin = profile.spa.then(|| spa_origin(profile));
    let prover = || -> anyhow::Result<Option<Prover>> {
        Ok(match profile.dpop && proofs {
            true => Some(Prover { key: dpop_key(ports, profile.name)?, nonces: ports.nonces.clone() }),
            false => None,
        })
    };
    // FAPI 2.0 clients name the issuer as their assertions' audience.
    let audience = match profile.security_profile {
        Some(SecurityProfile::Fapi2) => profile.issuer.as_ref().map(|i| i.as_str().to_string()),
        None => None,
    };
    let credentials = |auth| {
        Ok(ClientCredentials {
            id: profile.client_id.clone(),
            auth,
            origin: origin.clone(),
            dpop: prover()?,
            audience: audience.clone(),
        })
    };
    if let Some(source) = &profile.client_assertion_from {
        return credentials(ClientAuth::Assertion { source: source.clone(), sent: Default::default() });
    }
    match profile.client_auth {
        Some(ClientAuthMethod::None) => return credentials(ClientAuth::None),
        Some(ClientAuthMethod::TlsClientAuth) => return credentials(ClientAuth::Tls),
        Some(ClientAuthMethod::PrivateKeyJwt) => {
            let key = SigningKey::load(profile.private_key()?, profile.key_id.as_deref())?;
            return credentials(ClientAuth::PrivateKeyJwt(key));
        }
        _ => {}
    }
    let name = profile.name;
    let secret = match (&ports.env_secret, &profile.client_secret) {
        (Some(secret), _) => Some(secret.clone()),
        (None, Some(secret)) => {
            (ports.notify)(Notice::SecretInConfig);
            Some(Secret::new(secret.clone()))
        }
        (None, None) => ports.store.client_secret(name)?,
    };
    let auth = match (profile.client_auth, secret) {
        (None, None) => ClientAuth::None,
        (Some(ClientAuthMethod::ClientSecretPost), Some(s)) => ClientAuth::Post(s),
        (Some(ClientAuthMethod::ClientSecretJwt), Some(s)) => ClientAuth::SecretJwt(s),
        (_, Some(s)) => ClientAuth::Basic(s),
        (Some(method), None) => return Err(BadInput::NoClientSecret { profile: name.into(), method }.into()),
    };
    credentials(auth)
}

/// How the token endpoint of the profile's provider shapes its answers (Slack's user token
/// under `authed_user`).
pub fn answer(profile: &Profile) -> crate::oauth::token::Answer {
    use crate::oauth::token::Answer;
    match crate::presets::quirk(profile.preset.as_deref()) {
        Some(crate::presets::Quirk::Slack) => Answer::SlackV2,
        _ => Answer::Standard,
    }
}

/// `tokens` as they are, for a client that sends a bearer token and cannot send DPoP proofs
/// (git, docker, kubectl): a DPoP-bound access token is refused, as every server would refuse
/// it without its proof.
pub fn bearer_only(tokens: Tokens, profile: &str, client: &'static str) -> anyhow::Result<Tokens> {
    if tokens.is_dpop() {
        return Err(BadInput::DpopUnusable { profile: profile.to_string(), client }.into());
    }
    Ok(tokens)
}

/// The DPoP key of profile `name`, made and stored on its first use (RFC 9449 §2): the key, and
/// the refresh token bound to it, outlive the run.
pub fn dpop_key(ports: &Ports<'_>, name: &str) -> anyhow::Result<dpop::Key> {
    if let Some(key) = stored_dpop_key(ports, name)? {
        return Ok(key);
    }
    let key = dpop::Key::generate()?;
    ports.store.save_dpop_key(name, key.stored()).with_context(|| format!("storing the DPoP key of `{name}`"))?;
    Ok(key)
}

/// The stored DPoP key of profile `name`, if it has one.
pub fn stored_dpop_key(ports: &Ports<'_>, name: &str) -> anyhow::Result<Option<dpop::Key>> {
    let Some(stored) = ports.store.dpop_key(name)? else { return Ok(None) };
    let key = dpop::Key::from_stored(&stored).with_context(|| {
        format!(
            "reading the DPoP key of `{name}` from {}; run `oat logout {name}` and log in again",
            ports.store.location(name)
        )
    })?;
    Ok(Some(key))
}

/// Says so when a DPoP profile got a token that is not bound to its key.
fn check_bound(ports: &Ports<'_>, profile: &NamedProfile<'_>, token_type: &str) {
    if profile.dpop && !token_type.eq_ignore_ascii_case("dpop") {
        (ports.notify)(Notice::NotDpopBound { profile: profile.name, token_type });
    }
}

/// The `Origin` a single-page-app registration expects: the redirect URI's origin.
fn spa_origin(profile: &Profile) -> String {
    login::redirect_template(profile, None).url().origin().ascii_serialization()
}
