//! `oat inspect`, `oat decode`, `oat verify`, `oat introspect`, `oat revoke` and `oat
//! userinfo`: looking at tokens, locally and by asking the server.

use super::App;
use crate::cli::{DecodeArgs, InspectArgs, IntrospectArgs, RevokeArgs, VerifyArgs};
use crate::config::{Endpoint, Issuer};
use crate::error::{ExitStatus, usage};
use crate::flow::verify::{self, Expectations, KeySource};
use crate::flow::{self, LoginRequired, refresh};
use crate::http::Http;
use crate::jwt::{self, Jwt};
use crate::oauth::{introspect, mtls};
use crate::redact::Secret;
use crate::source::Source;
use anyhow::Context as _;
use serde::Serialize;
use serde_json::Value;

/// `oat inspect NAME`, or `oat inspect --ci [SOURCE]`
pub fn inspect(app: &App, args: InspectArgs) -> anyhow::Result<()> {
    if let Some(source) = &args.ci {
        return inspect_ci(app, source.as_ref(), args.verify);
    }
    let Some(name) = args.name.as_deref() else { return Err(usage("give a profile name, or --ci")) };
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
        // What the server granted with these tokens, whatever the token looks like, and the
        // thumbprint of the stored DPoP key, to compare a token's binding with.
        let stored_jkt = match tokens.token_type.eq_ignore_ascii_case("dpop") || profile.dpop {
            true => flow::stored_dpop_key(ports, name)?.map(|key| key.thumbprint()),
            false => None,
        };
        let mut granted =
            Granted { authorization_details: tokens.authorization_details.as_ref(), certificate: None, key: None };
        match jwt::decode(token.expose()) {
            Ok(decoded) => {
                granted.certificate = binding(&decoded, profile.client_cert.as_deref());
                granted.key = key_binding(&decoded, stored_jkt.as_deref());
                show(app, &decoded, token.expose(), args.verify, profile.issuer.clone(), ports.http, &granted)
            }
            Err(jwt::JwtError::Opaque) => {
                if app.printer.json {
                    let mut answer = serde_json::json!({"jwt": false, "dpop_jkt": stored_jkt});
                    if let Some(details) = granted.authorization_details {
                        answer["authorization_details"] = details.clone();
                    }
                    app.printer.json(&answer)?;
                } else if let Some(lines) = granted.lines() {
                    app.printer.data(&lines.join("\n"))?;
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

/// `oat inspect --ci [SOURCE]`: a CI job's own ID token, fetched and decoded, so that a person
/// writing a federation rule sees its claims (repository, ref, environment, aud, sub); the
/// token itself is never shown, nor kept.
fn inspect_ci(app: &App, source: Option<&Source>, verify: bool) -> anyhow::Result<()> {
    let source = match source {
        Some(Source::Profile(name)) => {
            return Err(usage(format!(
                "`oat inspect --ci` reads a CI token: github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH; for the token of profile `{name}`, run `oat inspect {name}`"
            )));
        }
        Some(source) => source.clone(),
        None if std::env::var_os(crate::source::GITHUB_URL).is_some() => Source::GithubActions { audience: None },
        None => {
            return Err(usage(
                "`oat inspect --ci` needs a SOURCE outside GitHub Actions: gitlab:VARNAME (the job's `id_tokens:` variable), env:VARNAME, file:PATH, or github-actions[:AUDIENCE]",
            ));
        }
    };
    let http = app.http(None);
    let token = source.read(&http).with_context(|| format!("getting the CI token from {source}"))?;
    let decoded =
        jwt::decode(token.expose()).map_err(|e| usage(format!("the token from {source} cannot be decoded: {e}")))?;
    show(app, &decoded, token.expose(), verify, None, &http, &Granted::default())?;
    app.printer.note(&format!("The ID token from {source}, decoded; the token itself is not shown, nor kept."));
    Ok(())
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
    show(app, &decoded, token.expose(), args.verify, None, &app.http(None), &Granted::default())
}

/// `oat verify TOKEN|-`: every check on stderr (the claims on stdout), or one JSON object;
/// exit 0 when valid, 4 when a check failed.
pub fn verify(app: &App, args: VerifyArgs) -> anyhow::Result<ExitStatus> {
    let token = if args.token == "-" {
        super::prompt::read_stdin_secret("the token on stdin")?
    } else {
        Secret::new(args.token.clone())
    };
    let jwt = jwt::decode(token.expose()).map_err(|e| usage(not_a_jwt(token.expose(), &e)))?;
    let pinned = match &args.issuer {
        Some(text) => Some(Issuer::parse(text).with_context(|| format!("--issuer `{text}`"))?),
        None => None,
    };
    let file;
    let url;
    let from_token;
    let keys = match (&args.jwks, &pinned) {
        (Some(source), _) if std::path::Path::new(source).exists() => {
            let text =
                std::fs::read_to_string(source).map_err(|e| usage(format!("--jwks: cannot read `{source}`: {e}")))?;
            file = serde_json::from_str::<Value>(&text)
                .ok()
                .filter(|v| v.get("keys").is_some_and(Value::is_array))
                .ok_or_else(|| {
                    usage(format!("--jwks: `{source}` is not a JSON Web Key Set (an object with `keys`)"))
                })?;
            KeySource::Jwks { keys: &file, origin: source }
        }
        (Some(source), _) => {
            url = Endpoint::parse(source)
                .with_context(|| format!("--jwks `{source}` is neither a file that exists nor a URL oat fetches"))?;
            KeySource::JwksUrl(&url)
        }
        (None, Some(issuer)) => KeySource::Issuer(issuer),
        (None, None) => {
            let iss = jwt.string("iss").ok_or_else(|| {
                usage("the token names no issuer (`iss`) whose keys could verify it; pass --issuer URL or --jwks URL|FILE")
            })?;
            from_token = Issuer::parse(iss).with_context(|| format!("the token's issuer `{iss}`"))?;
            KeySource::Issuer(&from_token)
        }
    };
    let http = app.http(None);
    let set = verify::key_set(&http, &keys)
        .context("getting the keys to verify with")?
        .ok_or_else(|| usage("no published keys to verify with"))?;
    let now = crate::time::now();
    let expect = Expectations {
        issuer: pinned.as_ref(),
        audience: args.audience.as_deref(),
        now: Some(now),
        ..Default::default()
    };
    let mut checks = verify::examine(&jwt, token.expose(), &set, &expect);
    if let (KeySource::Issuer(issuer), None) = (&keys, &pinned)
        && let Some(check) = checks.iter_mut().find(|c| c.check == "iss")
    {
        check.detail = format!(
            "`{issuer}` was taken from the token itself, and so were the keys it publishes: pass --issuer URL to pin it"
        );
    }
    let failed: Vec<&str> = checks.iter().filter(|c| !c.ok()).map(|c| c.check).collect();
    let p = &app.printer;
    if p.json {
        #[derive(Serialize)]
        struct Report<'a> {
            valid: bool,
            issuer_pinned: bool,
            checks: Vec<super::doctor::Reported<'a>>,
            header: &'a serde_json::Map<String, Value>,
            claims: &'a serde_json::Map<String, Value>,
        }
        let lines = checks.iter().map(super::doctor::Reported::from).collect();
        let report = Report {
            valid: failed.is_empty(),
            issuer_pinned: pinned.is_some(),
            checks: lines,
            header: &jwt.header,
            claims: &jwt.claims,
        };
        p.json(&report)?;
    } else {
        for check in &checks {
            p.note(&super::doctor::line(check));
        }
        p.json(&jwt.claims)?;
    }
    if failed.is_empty() {
        Ok(ExitStatus::Success)
    } else {
        p.note(&format!("The token is NOT valid: {} failed.", failed.join(", ")));
        Ok(ExitStatus::Invalid)
    }
}

/// What a token that is not a JWS is, and what to do with it; never the token itself.
fn not_a_jwt(token: &str, error: &jwt::JwtError) -> String {
    match (error, token.trim().split('.').count()) {
        (jwt::JwtError::Opaque, 5) => "the token is an encrypted JWT (JWE, five parts): only its recipient can read it; `oat verify` checks signed JWTs".into(),
        (jwt::JwtError::Opaque, _) => "the token is not a JWT but an opaque token: only the server that issued it can say whether it is valid; ask it with `oat introspect NAME`".into(),
        (e, _) => format!("cannot read the token: {e}; a JWT is three base64url parts separated by dots"),
    }
}

/// What `inspect NAME` shows beside the token's own parts: what was granted with it, and the
/// certificate it is bound to.
#[derive(Default, Serialize)]
struct Granted<'a> {
    /// The `authorization_details` the server granted (RFC 9396 §7).
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_details: Option<&'a Value>,
    /// The token's certificate binding (RFC 8705 §3.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate: Option<Binding>,
    /// The token's DPoP key binding (RFC 9449 §6.1).
    #[serde(skip)]
    key: Option<KeyBinding>,
}

impl Granted<'_> {
    /// Whether `cnf.jkt` is the stored DPoP key's thumbprint (absent without a `cnf.jkt`;
    /// `null` when no key is stored).
    fn dpop_key_matches(&self) -> Option<Option<bool>> {
        self.key.as_ref().map(|k| k.matches)
    }
}

/// A token's DPoP binding (`cnf.jkt`, RFC 9449 §6.1), and whether it is the stored key's.
struct KeyBinding {
    jkt: String,
    /// `None` when no key is stored to compare with.
    matches: Option<bool>,
}

/// The DPoP binding of a token that carries `cnf.jkt`, compared with the stored key.
fn key_binding(jwt: &Jwt, stored_jkt: Option<&str>) -> Option<KeyBinding> {
    let jkt = jwt.claims.get("cnf")?.get("jkt")?.as_str()?.to_string();
    let matches = stored_jkt.map(|stored| stored == jkt);
    Some(KeyBinding { jkt, matches })
}

/// A JWT access token's `cnf.x5t#S256` and the profile's certificate.
#[derive(Serialize)]
struct Binding {
    /// The thumbprint the token is bound to.
    #[serde(rename = "x5t#S256")]
    x5t_s256: String,
    /// The thumbprint of the profile's certificate, if it has one that can be read.
    profile_certificate: Option<String>,
    /// Whether they are the same; `None` without a readable profile certificate.
    matches: Option<bool>,
    /// Why the profile's certificate could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

/// The certificate binding of a token that carries `cnf.x5t#S256`, compared with the profile's
/// certificate.
fn binding(jwt: &Jwt, cert: Option<&std::path::Path>) -> Option<Binding> {
    let bound = jwt.claims.get("cnf")?.get("x5t#S256")?.as_str()?.to_string();
    let (mine, problem) = match cert.map(mtls::thumbprint) {
        Some(Ok(mine)) => (Some(mine), None),
        Some(Err(e)) => (None, Some(e.to_string())),
        None => (None, Some("the profile has no client certificate (--cert)".to_string())),
    };
    Some(Binding { matches: mine.as_ref().map(|m| *m == bound), x5t_s256: bound, profile_certificate: mine, problem })
}

impl Granted<'_> {
    /// Human lines, or `None` when there is nothing to show.
    fn lines(&self) -> Option<Vec<String>> {
        let mut lines = Vec::new();
        if let Some(details) = self.authorization_details {
            lines.push("granted with the tokens".to_string());
            let entries = match details {
                Value::Array(entries) => entries.iter().collect(),
                other => vec![other],
            };
            for entry in entries {
                lines.push(format!("  authorization_details  {entry}"));
            }
        }
        if let Some(KeyBinding { jkt, matches }) = &self.key {
            lines.push(match matches {
                Some(true) => format!("DPoP: bound to key {jkt} (cnf.jkt), the profile's stored key"),
                Some(false) => format!(
                    "DPoP: bound to key {jkt} (cnf.jkt), which is NOT the profile's stored key: the token cannot be used from here; log in again"
                ),
                None => format!("DPoP: bound to key {jkt} (cnf.jkt); no DPoP key is stored to compare with"),
            });
        }
        if let Some(b) = &self.certificate {
            lines.push("certificate binding (RFC 8705)".to_string());
            lines.push(format!("  cnf.x5t#S256  {}", b.x5t_s256));
            lines.push(match (b.matches, &b.problem) {
                (Some(true), _) => "  matches the profile's client certificate".to_string(),
                (Some(false), _) => format!(
                    "  does NOT match the profile's client certificate ({}): APIs will refuse this token from this client",
                    b.profile_certificate.as_deref().unwrap_or_default()
                ),
                (None, problem) => format!("  not compared: {}", problem.as_deref().unwrap_or_default()),
            });
        }
        (!lines.is_empty()).then_some(lines)
    }
}

#[derive(Serialize)]
struct Decoded<'a> {
    header: &'a serde_json::Map<String, Value>,
    claims: &'a serde_json::Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<i64>,
    verified: Option<String>,
    #[serde(flatten)]
    granted: &'a Granted<'a>,
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
    granted: &Granted<'_>,
) -> anyhow::Result<()> {
    let verified = if verify { Some(verify_signature(jwt, token, issuer, http)?) } else { None };
    let now = crate::time::now();
    let p = &app.printer;
    if p.json {
        let expires_in = jwt.time("exp").map(|exp| exp as i64 - now as i64);
        let dpop_key_matches = granted.dpop_key_matches();
        p.json(&Decoded { header: &jwt.header, claims: &jwt.claims, expires_in, verified, granted, dpop_key_matches })?;
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
    lines.extend(granted.lines().unwrap_or_default());
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
