//! `oat login` and `oat logout`: the person's choices turned into one login (or logout) run by
//! `flow`; what is asked on the terminal or read from stdin is [`super::prompt`]'s business.

use super::App;
use super::prompt::{self, Terminal};
use crate::cli::LoginArgs;
use crate::config::{AuthorizationDetails, Flow, NamedProfile, Profile, Scopes};
use crate::error::usage;
use crate::flow::device::DeviceOptions;
use crate::flow::{self, login::LoggedIn, login::LoginOptions};
use crate::redact::Secret;
use anyhow::Context as _;
use serde::Serialize;
use std::time::Duration;

/// Default wait for the browser's redirect.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

/// Per-call choices that override the profile.
#[derive(Default)]
pub struct LoginChoice {
    /// Run this flow instead of the profile's.
    pub flow: Option<Flow>,
    /// Print the URL only.
    pub no_browser: bool,
    /// Listen on this port.
    pub port: Option<u16>,
    /// Ask for these scopes instead of the profile's (`--scope`, given at least once).
    pub scopes: Option<Scopes>,
    /// The password flow's user name.
    pub username: Option<String>,
    /// Read the password from stdin.
    pub password_stdin: bool,
    /// Push the authorization request (PAR) for this login.
    pub par: bool,
    /// The response mode for this login (JARM).
    pub response_mode: Option<crate::config::ResponseMode>,
    /// Ask for these `authorization_details` instead of the profile's.
    pub authorization_details: Option<AuthorizationDetails>,
}

/// `oat login NAME`
pub fn login(app: &App, args: LoginArgs) -> anyhow::Result<()> {
    let choice = LoginChoice {
        flow: args.flow,
        no_browser: args.no_browser,
        port: args.port,
        scopes: (!args.scopes.is_empty()).then(|| args.scopes.into_iter().collect()),
        username: args.username,
        password_stdin: args.password_stdin,
        par: args.par,
        response_mode: args.response_mode,
        authorization_details: super::authorization_details(args.authorization_details.as_deref())?,
    };
    let logged_in = run_login(app, &args.name, &choice)?;
    let now = crate::time::now();
    let p = &app.printer;
    if p.json {
        p.json(&LoginJson {
            profile: &args.name,
            identity: logged_in.identity.as_deref(),
            expires_at: logged_in.tokens.expires_at,
            refresh_token: logged_in.tokens.refresh_token.is_some(),
            scope: logged_in.tokens.scope.as_deref(),
            authorization_details: logged_in.tokens.authorization_details.as_ref(),
        })?;
        return Ok(());
    }
    let who = logged_in.identity.as_deref().map(|w| format!(" as {w}")).unwrap_or_default();
    p.note(&format!("Logged in to `{}`{who}; {}.", args.name, super::status::validity(&logged_in.tokens, now)));
    if logged_in.tokens.refresh_token.is_none() && logged_in.tokens.expires_at.is_some() {
        p.note("No refresh token was issued, so `oat token` will ask for a new login when this one expires (many servers need the offline_access scope for one).");
    }
    Ok(())
}

/// Runs the login of profile `name`; shared by `login` and `token --login`.
pub fn run_login(app: &App, name: &str, choice: &LoginChoice) -> anyhow::Result<LoggedIn> {
    super::catch_interrupt();
    app.with_profile(name, |ports, profile| {
        let chosen;
        let profile = match &choice.authorization_details {
            Some(details) => {
                chosen = Profile { authorization_details: Some(details.clone()), ..profile.profile.clone() };
                &NamedProfile { name, profile: &chosen }
            }
            None => profile,
        };
        let flow = choice.flow.unwrap_or(profile.flow);
        let scopes = choice.scopes.clone().unwrap_or_else(|| profile.scopes.clone());
        if flow.is_unattended() {
            let settings = Profile { flow, scopes, ..profile.profile.clone() };
            return flow::direct::unattended_login(ports, &NamedProfile { name, profile: &settings });
        }
        let client = flow::client(ports, profile)?;
        match flow {
            Flow::DeviceCode => {
                let open_request =
                    if choice.no_browser { None } else { Terminal::stdin().map(Terminal::enter_pressed) };
                let options = DeviceOptions { scopes: &scopes, open_request };
                flow::device::device_code(ports, profile, &client, options)
            }
            Flow::Password => {
                let username = choice.username.clone().ok_or_else(|| {
                    usage(format!("the password flow needs --username; e.g. `oat login {name} --username alice`"))
                })?;
                let password = password(&username, choice.password_stdin)?;
                flow::direct::password(ports, profile, &client, &username, &password, &scopes)
            }
            _ => {
                let options = LoginOptions {
                    scopes: &scopes,
                    port: choice.port,
                    open_browser: !choice.no_browser,
                    timeout: app.global.timeout.unwrap_or(BROWSER_TIMEOUT),
                    pasted: Terminal::stdin().map(|t| t.paste_redirect(app.printer)),
                    ssh: std::env::var_os("SSH_CONNECTION").is_some_and(|v| !v.is_empty()),
                    par: choice.par,
                    response_mode: choice.response_mode,
                };
                flow::login::authorization_code(ports, profile, &client, options)
            }
        }
    })
}

/// The password: from stdin with `--password-stdin`, else asked on the terminal without echo.
fn password(username: &str, from_stdin: bool) -> anyhow::Result<Secret<String>> {
    if from_stdin {
        return prompt::read_stdin_secret("--password-stdin");
    }
    let terminal = Terminal::stdin().ok_or_else(|| {
        usage("no terminal to ask the password on; pipe it in with --password-stdin (never on the command line)")
    })?;
    terminal.ask_secret(&format!("Password for {username}: ")).context("reading the password")
}

/// `oat logout NAME`
pub fn logout(app: &App, name: &str) -> anyhow::Result<()> {
    let p = &app.printer;
    let (report, has_endpoint) = app.with_profile(name, |ports, profile| {
        Ok((flow::login::logout(ports, profile)?, profile.revocation_endpoint.is_some()))
    })?;
    if !report.had_tokens {
        p.note(&format!("No tokens were stored for `{name}`; nothing to do."));
        return Ok(());
    }
    match (&report.revocation, has_endpoint) {
        (Some(Err(e)), _) => p.warn(&format!(
            "revoking at the server failed ({e:#}); the tokens were deleted here but may stay valid until they expire"
        )),
        (_, false) => p.note("The server has no revocation endpoint: the tokens were deleted here but stay valid there until they expire."),
        _ => {}
    }
    p.note(&format!("Logged out of `{name}`."));
    Ok(())
}

#[derive(Serialize)]
struct LoginJson<'a> {
    profile: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    refresh_token: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_details: Option<&'a serde_json::Value>,
}
