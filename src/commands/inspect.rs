//! `oat inspect`, `oat decode`, `oat introspect`, `oat revoke` and `oat userinfo`: looking at
//! tokens, locally and by asking the server.

use super::App;
use crate::cli::{DecodeArgs, InspectArgs, IntrospectArgs, RevokeArgs};
use crate::config::Issuer;
use crate::error::usage;
use crate::flow::verify::{self, Expectations, KeySource};
use crate::flow::{self, LoginRequired, refresh};
use crate::http::Http;
use crate::jwt::{self, Jwt};
use crate::oauth::introspect;
use crate::redact::Secret;
use anyhow::Context as _;
use serde::Serialize;
use serde_json::Value;

/// `oat inspect NAME`
pub fn inspect(app: &App, args: InspectArgs) -> anyhow::Result<()> {
    let name = args.name.as_str();
    app.with_profile(name, |ports, profile| {
        let tokens = ports.store.tokens(name)?.ok_or_else(|| LoginRequired::NoTokens(name.into()))?;
        let missing = |what: &str| usage(format!("no {what} is stored for `{name}`"));
        let (which, token) = if args.id_token {
            ("ID token", tokens.id_token.ok_or_else(|| missing("ID token"))?)
        } else if args.refresh_token {
            ("refresh token", tokens.refresh_token.ok_or_else(|| missing("refresh token"))?)
        } else {
            ("access token", tokens.access_token)
        };
        // The thumbprint of the stored DPoP key, to compare a token's binding with.
        let stored_jkt = match tokens.token_type.eq_ignore_ascii_case("dpop") || profile.dpop {
            true => flow::stored_dpop_key(ports, name)?.map(|key| key.thumbprint()),
            false => None,
        };
        match jwt::decode(token.expose()) {
            Ok(decoded) => {
                let binding = binding(&decoded, stored_jkt.as_deref());
                show(app, &decoded, token.expose(), args.verify, profile.issuer.clone(), ports.http, binding)
            }
            Err(jwt::JwtError::Opaque) => {
                if app.printer.json {
                    app.printer.json(&serde_json::json!({"jwt": false, "dpop_jkt": stored_jkt}))?;
                }
                app.printer.note(&format!(
                    "The {which} of `{name}` is opaque, not a JWT: only the server can read it. Ask it with `oat introspect {name}`."
                ));
                if let Some(jkt) = &stored_jkt {
                    app.printer.note(&format!("Its DPoP key has the thumbprint {jkt} (the server's cnf.jkt for a bound token)."));
                }
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    })
}

/// `oat decode TOKEN|-`
pub fn decode(app: &App, args: DecodeArgs) -> anyhow::Result<()> {
    let token = if args.token == "-" {
        super::prompt::read_stdin_secret("the token on stdin")?
    } else {
        Secret::new(args.token.clone())
    };
    let decoded = jwt::decode(token.expose())
        .map_err(|e| usage(format!("cannot decode: {e}; a JWT is three base64url parts separated by dots")))?;
    let binding = binding(&decoded, None);
    show(app, &decoded, token.expose(), args.verify, None, &app.http(None), binding)
}

/// A token's DPoP binding (`cnf.jkt`, RFC 9449 §6.1), and whether it is the stored key's.
struct Binding {
    jkt: String,
    /// `None` when no key is stored to compare with.
    matches: Option<bool>,
}

fn binding(jwt: &Jwt, stored_jkt: Option<&str>) -> Option<Binding> {
    let jkt = jwt.claims.get("cnf")?.get("jkt")?.as_str()?.to_string();
    let matches = stored_jkt.map(|stored| stored == jkt);
    Some(Binding { jkt, matches })
}

#[derive(Serialize)]
struct Decoded<'a> {
    header: &'a serde_json::Map<String, Value>,
    claims: &'a serde_json::Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<i64>,
    verified: Option<String>,
    /// Whether `cnf.jkt` is the stored DPoP key's thumbprint (absent without a `cnf.jkt`;
    /// `null` when no key is stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    dpop_key_matches: Option<Option<bool>>,
}

fn show(
    app: &App,
    jwt: &Jwt,
    token: &str,
    verify: bool,
    issuer: Option<Issuer>,
    http: &Http,
    binding: Option<Binding>,
) -> anyhow::Result<()> {
    let verified = if verify { Some(verify_signature(jwt, token, issuer, http)?) } else { None };
    let now = crate::time::now();
    let p = &app.printer;
    if p.json {
        let expires_in = jwt.time("exp").map(|exp| exp as i64 - now as i64);
        let dpop_key_matches = binding.map(|b| b.matches);
        p.json(&Decoded { header: &jwt.header, claims: &jwt.claims, expires_in, verified, dpop_key_matches })?;
        return Ok(());
    }
    let mut lines = vec!["header".to_string()];
    lines.extend(fields(&jwt.header, now));
    lines.push("claims".into());
    lines.extend(fields(&jwt.claims, now));
    lines.push(match &verified {
        Some(kid) => format!("signature: verified with key {kid} of the issuer"),
        None => "signature: not verified (add --verify to check it against the issuer's keys)".into(),
    });
    if let Some(Binding { jkt, matches }) = binding {
        lines.push(match matches {
            Some(true) => format!("DPoP: bound to key {jkt} (cnf.jkt), the profile's stored key"),
            Some(false) => format!(
                "DPoP: bound to key {jkt} (cnf.jkt), which is NOT the profile's stored key: the token cannot be used from here; log in again"
            ),
            None => format!("DPoP: bound to key {jkt} (cnf.jkt); no DPoP key is stored to compare with"),
        });
    }
    p.data(&lines.join("\n"))?;
    Ok(())
}

/// Header or claims as aligned `name: value` lines; times also as local dates and spans.
fn fields(map: &serde_json::Map<String, Value>, now: u64) -> Vec<String> {
    let width = map.keys().map(String::len).max().unwrap_or(0);
    map.iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let when = match (name.as_str(), value.as_u64()) {
                ("exp", Some(t)) if t >= now => {
                    format!("  {} (expires {})", crate::time::local(t), crate::time::relative(t, now))
                }
                ("exp", Some(t)) => format!("  {} (expired {})", crate::time::local(t), crate::time::relative(t, now)),
                ("iat" | "auth_time", Some(t)) => {
                    format!("  {} ({})", crate::time::local(t), crate::time::relative(t, now))
                }
                ("nbf", Some(t)) => {
                    format!("  {} (valid from {})", crate::time::local(t), crate::time::relative(t, now))
                }
                _ => String::new(),
            };
            format!("  {name:<width$}  {text}{when}")
        })
        .collect()
}

/// Verifies the signature with the issuer's published keys (the profile's issuer, else the
/// token's `iss`); the claims are shown, not judged.
fn verify_signature(jwt: &Jwt, token: &str, issuer: Option<Issuer>, http: &Http) -> anyhow::Result<String> {
    let issuer = match issuer {
        Some(issuer) => issuer,
        None => {
            let iss = jwt
                .string("iss")
                .ok_or_else(|| usage("the token names no issuer (`iss`) whose keys could verify it"))?;
            Issuer::parse(iss).with_context(|| format!("the issuer `{iss}`"))?
        }
    };
    let verified = verify::check(http, token, &KeySource::Issuer(&issuer), &Expectations::default())?;
    Ok(verified.kid.unwrap_or_default())
}

/// `oat introspect NAME`
pub fn introspect(app: &App, args: IntrospectArgs) -> anyhow::Result<()> {
    let name = args.name.as_str();
    let answer = app.with_profile(name, |ports, profile| {
        let endpoint = profile.introspection_endpoint()?;
        let tokens = ports.store.tokens(name)?.ok_or_else(|| LoginRequired::NoTokens(name.into()))?;
        let (token, hint) = if args.refresh_token {
            (
                tokens.refresh_token.ok_or_else(|| usage(format!("no refresh token is stored for `{name}`")))?,
                "refresh_token",
            )
        } else {
            (tokens.access_token, "access_token")
        };
        let client = flow::client_without_proofs(ports, profile)?;
        introspect::introspect(ports.http, endpoint, &client, &token, hint)
            .with_context(|| format!("introspecting the {} of `{name}`", hint.replace('_', " ")))
    })?;
    if answer["active"] == Value::Bool(false) {
        app.printer.note("The server says the token is not active (expired, revoked or unknown to it).");
    }
    app.printer.json(&answer)?;
    Ok(())
}

/// `oat revoke NAME [--refresh-token] [--access-token]`
pub fn revoke(app: &App, args: RevokeArgs) -> anyhow::Result<()> {
    let which = flow::login::Which { access: args.access_token || !args.refresh_token, refresh: args.refresh_token };
    let name = args.name.as_str();
    let revoked = app.with_profile(name, |ports, profile| flow::login::revoke(ports, profile, which))?;
    app.printer.note(&format!("Revoked the {} of `{name}` and dropped it here.", revoked.join(" and the ")));
    Ok(())
}

/// `oat userinfo NAME`
pub fn userinfo(app: &App, name: &str) -> anyhow::Result<()> {
    let answer = app.with_profile(name, |ports, profile| {
        let endpoint = profile.userinfo_endpoint()?;
        let tokens = refresh::valid_tokens(ports, profile, Some(0))?;
        introspect::userinfo(ports.http, endpoint, tokens.scheme(), &tokens.access_token)
            .with_context(|| format!("asking the userinfo endpoint of `{name}`"))
    })?;
    app.printer.json(&answer)?;
    Ok(())
}
