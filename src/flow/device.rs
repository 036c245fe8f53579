//! The device authorization grant (RFC 8628) as a login: request the codes, show them, offer
//! the browser, poll at the server's pace (`slow_down` adds 5 s) until approval, denial or
//! expiry, then store the tokens.

use super::login::{LoggedIn, finish};
use super::{AuthorizationError, Interrupted, Notice, Ports};
use crate::config::{NamedProfile, Scopes};
use crate::oauth::device::{self, Poll, ScopeParam};
use crate::oauth::token::ClientCredentials;
use crate::oauth::{self, ErrorCode};
use crate::presets::{self, Quirk};
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
    let token_endpoint = profile.token_endpoint()?;
    let scope = options.scopes.param();
    let details = profile.authorization_details.as_ref().map(|d| d.param());
    // Twitch names them `scopes`, and wants them in every poll too.
    let scope_param = match presets::quirk(profile.preset.as_deref()) {
        Some(Quirk::Twitch) => ScopeParam::Scopes,
        _ => ScopeParam::Scope,
    };
    let auth = device::authorize(ports.http, device_endpoint, client, scope.as_deref(), scope_param, details)
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
        match device::poll(ports.http, token_endpoint, client, &auth.device_code, scope.as_deref(), scope_param) {
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
            Err(e) => return Err(e).with_context(|| format!("polling the token endpoint for `{name}`")),
        }
    };
    (ports.notify)(Notice::Approved);
    finish(ports, profile, client, response, options.scopes, None)
}
