//! `oat token`, `oat header`, `oat proof` and `oat refresh`: hand out a valid access token (and
//! a DPoP proof for it). With a valid stored token this reads config and store and nothing
//! else: no HTTP client, no network, no key made.

use super::App;
use crate::cli::{ExchangeArgs, ProofArgs, TokenArgs, TokenFormat};
use crate::config::{NamedProfile, Profile, Scopes};
use crate::error::usage;
use crate::flow::direct::{self, Exchange};
use crate::flow::{self, BadInput, LoginRequired, refresh};
use crate::oauth::Tokens;
use crate::oauth::token::Params;
use crate::source::Source;
use anyhow::Context as _;
use serde::Serialize;

/// `oat token NAME`
pub fn token(app: &App, args: TokenArgs) -> anyhow::Result<()> {
    let tokens = match &args.authorization_details {
        Some(flag) => one_off(app, &args.name, flag)?,
        None => cached_or_renewed(app, &args)?,
    };
    let p = &app.printer;
    let token = tokens.access_token.expose();
    match args.format {
        TokenFormat::Raw => p.data(token)?,
        TokenFormat::Header => p.data(&format!("Authorization: {} {token}", tokens.scheme()))?,
        TokenFormat::Env => {
            p.data(&format!("export OAT_ACCESS_TOKEN={}", shell_quote(token)))?;
            p.data(&format!("export OAT_TOKEN_TYPE={}", shell_quote(tokens.scheme())))?;
        }
        TokenFormat::Json => {
            // The key's thumbprint, for a DPoP-bound token: what the server bound it to.
            let jkt = match tokens.is_dpop() {
                true => app.with_profile(&args.name, |ports, _| flow::stored_dpop_key(ports, &args.name))?,
                false => None,
            };
            p.json(&TokenJson { jkt: jkt.map(|k| k.thumbprint()), ..TokenJson::new(&tokens) })?
        }
    }
    Ok(())
}

/// `oat token NAME --authorization-details …`: a new token of an unattended grant with these
/// details, handed out and not stored (the stored one was granted for other details).
fn one_off(app: &App, name: &str, flag: &str) -> anyhow::Result<Tokens> {
    let details = super::authorization_details(Some(flag))?;
    app.with_profile(name, |ports, profile| {
        if !profile.flow.is_unattended() {
            return Err(usage(format!(
                "`oat token --authorization-details` gets a new token of a client-credentials or JWT-bearer profile; `{name}` uses the {} flow: pass them to `oat login {name}` instead",
                profile.flow
            )));
        }
        let settings = Profile { authorization_details: details, ..profile.profile.clone() };
        let response = direct::unattended(ports, &NamedProfile { name, profile: &settings })?;
        Ok(Tokens::issued(response, (ports.now)(), settings.scopes.param()))
    })
}

/// The stored token if it is valid, else a renewed one (or a login with `--login`).
fn cached_or_renewed(app: &App, args: &TokenArgs) -> anyhow::Result<Tokens> {
    Ok(match valid(app, &args.name, args.min_ttl) {
        Err(e) if args.login && e.is::<LoginRequired>() => {
            app.printer.note(&format!("{e:#}; logging in"));
            super::login::run_login(app, &args.name, &super::login::LoginChoice::default())?.tokens
        }
        other => other?,
    })
}

/// `oat proof NAME --url URL [-X METHOD] [--nonce N]`: `DPoP: <proof>` for one request with the
/// profile's valid DPoP-bound token, with its `ath` (RFC 9449 §4.2).
pub fn proof(app: &App, args: ProofArgs) -> anyhow::Result<()> {
    let name = &args.name;
    let proof = app.with_profile(name, |ports, profile| {
        let tokens = refresh::valid_tokens(ports, profile, args.min_ttl)?;
        if !tokens.is_dpop() {
            return Err(BadInput::NotDpopBound { profile: name.clone(), token_type: tokens.token_type.clone() }.into());
        }
        let key = flow::api::bound_key(ports, name)?;
        let proof = key.proof(
            args.method.as_str(),
            &args.url,
            args.nonce.as_deref(),
            Some(&tokens.access_token),
            (ports.now)(),
        )?;
        Ok(proof)
    })?;
    app.printer.data(&format!("DPoP: {}", proof.expose()))?;
    Ok(())
}

/// `oat header NAME`
pub fn header(app: &App, name: &str, min_ttl: Option<u64>) -> anyhow::Result<()> {
    let tokens = valid(app, name, min_ttl)?;
    app.printer.data(&format!("Authorization: {} {}", tokens.scheme(), tokens.access_token.expose()))?;
    Ok(())
}

/// `oat refresh NAME`
pub fn refresh(app: &App, name: &str) -> anyhow::Result<()> {
    let (tokens, row) = app.with_profile(name, |ports, profile| {
        let tokens = refresh::renew(ports, profile, |_: &Tokens, _| true)?;
        let row = super::status::Row::new(profile, Some(&tokens), crate::time::now());
        Ok((tokens, row))
    })?;
    if app.printer.json {
        app.printer.json(&row)?;
    } else {
        app.printer.note(&format!("Refreshed `{name}`; {}.", super::status::validity(&tokens, crate::time::now())));
    }
    Ok(())
}

/// `oat exchange NAME --subject-token-from SOURCE|--subject-token-stdin …`: another profile's
/// token (`profile:NAME`, or a bare NAME), a CI job's ID token or another source's, or stdin's.
pub fn exchange(app: &App, args: ExchangeArgs) -> anyhow::Result<()> {
    let given = match &args.subject_token_from {
        Some(Source::Profile(from)) => Some(
            valid(app, from, None).with_context(|| format!("getting the subject token from `{from}`"))?.access_token,
        ),
        Some(_) => None,
        None => Some(super::prompt::read_stdin_secret("--subject-token-stdin")?),
    };
    let subject_token_type = match (&args.subject_token_type, &args.subject_token_from) {
        (Some(name), _) => crate::cli::token_type(name),
        (None, Some(source)) => source.token_type().to_string(),
        (None, None) => crate::source::ACCESS_TOKEN_TYPE.to_string(),
    };
    let requested_token_type = args.requested_token_type.as_deref().map(crate::cli::token_type);
    let scope = args.scopes.iter().cloned().collect::<Scopes>().param();
    let details = super::authorization_details(args.authorization_details.as_deref())?;
    let response = app.with_profile(&args.name, |ports, profile| {
        // A CI token is read with the exchanging profile's HTTP client, right before it is sent.
        let (subject_token, source) = match (given, &args.subject_token_from) {
            (Some(token), _) => (token, None),
            (None, Some(source)) => (
                source.read(ports.http).with_context(|| format!("getting the subject token from {source}"))?,
                Some(source),
            ),
            (None, None) => return Err(usage("give --subject-token-from SOURCE or --subject-token-stdin")),
        };
        let exchange = Exchange {
            subject_token: &subject_token,
            subject_token_type: &subject_token_type,
            requested_token_type: requested_token_type.as_deref(),
            params: Params {
                scope: scope.as_deref(),
                audience: args.audience.as_deref(),
                resource: args.resource.as_deref(),
                authorization_details: details.as_ref().map(|d| d.param()),
            },
            source,
        };
        direct::exchange(ports, profile, &exchange)
    })?;
    let p = &app.printer;
    if p.json {
        p.json(&ExchangeJson {
            access_token: response.access_token.expose(),
            issued_token_type: response.issued_token_type.as_deref(),
            token_type: &response.token_type,
            expires_in: response.expires_in,
            scope: response.scope.as_deref(),
            authorization_details: response.authorization_details.as_ref(),
        })?;
    } else {
        p.data(response.access_token.expose())?;
    }
    Ok(())
}

fn valid(app: &App, name: &str, min_ttl: Option<u64>) -> anyhow::Result<Tokens> {
    app.with_profile(name, |ports, profile| refresh::valid_tokens(ports, profile, min_ttl))
}

#[derive(Serialize)]
struct ExchangeJson<'a> {
    access_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued_token_type: Option<&'a str>,
    token_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_details: Option<&'a serde_json::Value>,
}

/// `--format json`: the token with its type and expiry.
#[derive(Serialize)]
struct TokenJson<'a> {
    access_token: &'a str,
    token_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_details: Option<&'a serde_json::Value>,
    /// The thumbprint of the DPoP key a DPoP-bound token is bound to (RFC 9449 §6.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    jkt: Option<String>,
}

impl<'a> TokenJson<'a> {
    fn new(tokens: &'a Tokens) -> Self {
        TokenJson {
            access_token: tokens.access_token.expose(),
            token_type: tokens.scheme(),
            expires_at: tokens.expires_at,
            expires_in: tokens.remaining(crate::time::now()),
            scope: tokens.scope.as_deref(),
            authorization_details: tokens.authorization_details.as_ref(),
            jkt: None,
        }
    }
}

/// Quotes a value for POSIX shells: single quotes, with `'` written as `'\''`.
pub(super) fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_survives_quotes() {
        assert_eq!(shell_quote("abc"), "'abc'");
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
    }
}
