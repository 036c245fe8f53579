//! The device authorization grant (RFC 8628) as a login: request the codes, show them, offer
//! the browser, poll at the server's pace (`slow_down` adds 5 s) until approval, denial or
//! expiry, then store the tokens.

use super::login::{LoggedIn, finish};
use super::{AuthorizationError, BadInput, Interrupted, Notice, Ports};
use crate::config::{Endpoint, NamedProfile, Scopes};
use crate::oauth::device::{self, Poll, ScopeParam};
use crate::oauth::token::ClientCredentials;
use crate::oauth::{self, ErrorCode};
use crate::presets::Quirk;
use crate::redact::Secret;
use anyhow::Context as _;
use std::sync::mpsc::Receiver;
use std::time::Duration;

/// How this device login runs.
pub struct DeviceOptions<'a> {
    /// Scopes to ask for.
    pub scopes: &'a Scopes,
    /// A message here asks to open the verification URI in a browser (Enter on a terminal).
    pub open_request: Option<Receiver<()>>,
}

/// Runs the device login for `profile` and stores the tokens.
pub fn device_code(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    client: &ClientCredentials,
    options: DeviceOptions<'_>,
) -> anyhow::Result<LoggedIn> {
    let name = profile.name;
    ports.store.tokens(name).context("checking the secret store before the login")?;
    let device_endpoint = profile.device_endpoint()?;
    let quirk = crate::presets::quirk(profile.preset.as_deref());
    let dialect = match quirk {
        Some(Quirk::Facebook) => Dialect::facebook(profile, client, device_endpoint)?,
        _ => Dialect::Rfc8628 { token_endpoint: profile.token_endpoint()? },
    };
    // Twitch names them `scopes`, and wants them in every poll too.
    let scope_param = match quirk {
        Some(Quirk::Twitch) => ScopeParam::Scopes,
        _ => ScopeParam::Scope,
    };
    let scope = options.scopes.param();
    let auth = match &dialect {
        Dialect::Rfc8628 { .. } => {
            let details = profile.authorization_details.as_ref().map(|d| d.param());
            device::authorize(ports.http, device_endpoint, client, scope.as_deref(), scope_param, details)
        }
        Dialect::Facebook { app_token, .. } => {
            let scope = options.scopes.joined(crate::presets::scope_style(profile.preset.as_deref()).separator);
            device::facebook_authorize(ports.http, device_endpoint, app_token, scope.as_deref())
        }
    }
    .with_context(|| format!("requesting a device code for `{name}` at the device authorization endpoint"))?;
    let open_at = auth.verification_uri_complete.clone().unwrap_or_else(|| auth.verification_uri.clone());
    (ports.notify)(Notice::DeviceCode {
        user_code: &auth.user_code,
        verification_uri: &auth.verification_uri,
        verification_uri_complete: auth.verification_uri_complete.as_deref(),
        offer_browser: options.open_request.is_some(),
    });

    let started = (ports.now)();
    let deadline = started + auth.expires_in;
    let mut interval = auth.interval;
    let mut opened = false;
    let response = loop {
        for _ in 0..interval {
            let now = (ports.now)();
            if now >= deadline {
                break;
            }
            if !opened && options.open_request.as_ref().is_some_and(|rx| rx.try_recv().is_ok()) {
                opened = true;
                if let Err(e) = (ports.open_browser)(&open_at) {
                    (ports.notify)(Notice::BrowserFailed(&e));
                }
            }
            (ports.notify)(Notice::Countdown { left: deadline - now });
            (ports.sleep)(Duration::from_secs(1));
            if (ports.interrupted)() {
                return Err(Interrupted.into());
            }
        }
        if (ports.now)() >= deadline {
            return Err(AuthorizationError::Expired { waited: auth.expires_in }.into());
        }
        let poll = match &dialect {
            Dialect::Rfc8628 { token_endpoint } => {
                device::poll(ports.http, token_endpoint, client, &auth.device_code, scope.as_deref(), scope_param)
            }
            Dialect::Facebook { status, app_token } => {
                device::facebook_poll(ports.http, status, app_token, &auth.device_code)
            }
        };
        match poll {
            Ok(Poll::Pending) => {}
            Ok(Poll::SlowDown) => {
                interval += 5;
                (ports.notify)(Notice::SlowDown { interval });
            }
            Ok(Poll::Done(response)) => break *response,
            Err(oauth::Error::Server(e)) if e.code == ErrorCode::ExpiredToken => {
                return Err(AuthorizationError::Expired { waited: (ports.now)() - started }.into());
            }
            Err(oauth::Error::Server(e)) if e.code == ErrorCode::AccessDenied => {
                return Err(AuthorizationError::Denied(e).into());
            }
            Err(e) => return Err(e).with_context(|| format!("polling {} for `{name}`", dialect.polled())),
        }
    };
    (ports.notify)(Notice::Approved);
    finish(ports, profile, client, response, options.scopes, None)
}

/// How the device login is spoken: RFC 8628, or Facebook Login for Devices, which
/// authenticates with `APP_ID|CLIENT_TOKEN` and is polled at its own endpoint.
enum Dialect<'a> {
    /// Polled at the token endpoint.
    Rfc8628 { token_endpoint: &'a Endpoint },
    /// Polled at `/device/login_status`.
    Facebook { status: Endpoint, app_token: Secret<String> },
}

impl Dialect<'_> {
    /// Facebook's: the Client Token is what the profile keeps as its client secret.
    fn facebook<'a>(
        profile: &NamedProfile<'_>,
        client: &ClientCredentials,
        device: &Endpoint,
    ) -> anyhow::Result<Dialect<'a>> {
        let token = client.secret().ok_or_else(|| BadInput::NoClientToken(profile.name.into()))?;
        Ok(Dialect::Facebook {
            status: device::facebook_status_endpoint(device)?,
            app_token: Secret::new(format!("{}|{}", client.id, token.expose())),
        })
    }

    /// What is polled, for messages.
    fn polled(&self) -> &'static str {
        match self {
            Dialect::Rfc8628 { .. } => "the token endpoint",
            Dialect::Facebook { .. } => "the device login status",
        }
    }
}
