//! `oat request` (call an API with a valid token, retrying once after a refresh on 401) and
//! `oat exec` (run a command with the token in its environment).

use super::{App, env_secret};
use crate::cli::{ExecArgs, RequestArgs, TokenIn};
use crate::config::Profile;
use crate::error::{CommandFailed, code, usage};
use crate::flow::{Ports, refresh};
use crate::http::{Body, Call, Method, Streaming};
use crate::oauth::{OAuthError, Tokens};
use crate::redact::Secret;
use anyhow::Context as _;
use std::io::Read;
use std::process::ExitCode;

/// Largest JSON body pretty-printed for a terminal; larger ones are streamed as they are.
const PRETTY_LIMIT: u64 = 16 * 1024 * 1024;

/// `oat request NAME URL …`
pub fn request(app: &App, args: RequestArgs) -> anyhow::Result<ExitCode> {
    // Everything the user typed is checked before anything is sent.
    let body = body(&args)?;
    let method = args.method.clone().unwrap_or(if body.is_some() { Method::POST } else { Method::GET });
    let name = args.name.as_str();
    app.with_profile(name, |ports, profile| {
        let api = Api {
            url: &args.url,
            method: &method,
            headers: &args.headers,
            body: body.as_ref(),
            token_in: args.token_in,
        };
        let response = call(app, ports, name, profile, args.min_ttl, &api)?;
        output(app, response, args.include)
    })
}

/// An API call as `oat request` makes it.
pub struct Api<'a> {
    /// Where to.
    pub url: &'a url::Url,
    /// The method.
    pub method: &'a Method,
    /// Extra headers.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: Option<&'a Body>,
    /// Where the token goes.
    pub token_in: TokenIn,
}

/// Calls an API with a valid token; when the API refuses the token, refreshes once and
/// retries once.
pub fn call(
    app: &App,
    ports: &Ports<'_>,
    name: &str,
    profile: &Profile,
    min_ttl: Option<u64>,
    api: &Api<'_>,
) -> anyhow::Result<Streaming> {
    let mut tokens = refresh::valid_tokens(ports, name, profile, min_ttl, env_secret)?;
    let mut retried = false;
    loop {
        let (url, authorization) = place(api, &tokens);
        let call = Call {
            method: api.method,
            url: &url,
            headers: api.headers,
            authorization: authorization.as_ref(),
            body: api.body,
        };
        let response = ports.http.stream(&call).with_context(|| format!("calling {}", crate::redact::url(&url)))?;
        if retried || !refused_token(&response) {
            return Ok(response);
        }
        retried = true;
        app.printer.note("The API refused the token (401); refreshing it and trying once more.");
        // Renewed unless another process did so while this one waited for the lock: then its
        // token is taken, as `valid_tokens` does.
        let refused = tokens.access_token;
        tokens = refresh::renew(ports, name, profile, env_secret, |t: &Tokens, _| t.access_token == refused)?;
    }
}

/// The URL and `Authorization` header with the token where `--token-in` says.
fn place(api: &Api<'_>, tokens: &Tokens) -> (url::Url, Option<Secret<String>>) {
    let mut url = api.url.clone();
    match api.token_in {
        TokenIn::Header => (url, Some(Secret::new(format!("{} {}", tokens.scheme(), tokens.access_token.expose())))),
        TokenIn::Query => {
            url.query_pairs_mut().append_pair("access_token", tokens.access_token.expose());
            (url, None)
        }
    }
}

/// A 401, or any answer whose Bearer challenge says `invalid_token` (RFC 6750 §3.1).
fn refused_token(response: &Streaming) -> bool {
    response.status == 401
        || response
            .header("www-authenticate")
            .and_then(OAuthError::from_challenge)
            .is_some_and(|e| e.code.as_str() == "invalid_token")
}

/// The request body from `-d`, `--data-json` or `--form`.
fn body(args: &RequestArgs) -> anyhow::Result<Option<Body>> {
    if let Some(data) = &args.data {
        return Ok(Some(Body { content_type: "application/x-www-form-urlencoded", bytes: load("-d", data)? }));
    }
    if let Some(json) = &args.data_json {
        let bytes = load("--data-json", json)?;
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .map_err(|e| usage(format!("--data-json is not JSON: {e}")))?;
        return Ok(Some(Body { content_type: "application/json", bytes }));
    }
    if !args.form.is_empty() {
        let text = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&args.form).finish();
        return Ok(Some(Body { content_type: "application/x-www-form-urlencoded", bytes: text.into_bytes() }));
    }
    Ok(None)
}

/// A value as given, or the contents of `@FILE` (`@-` for stdin), as curl reads them.
fn load(flag: &str, value: &str) -> anyhow::Result<Vec<u8>> {
    match value.strip_prefix('@') {
        Some("-") => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).with_context(|| format!("reading {flag} @- from stdin"))?;
            Ok(bytes)
        }
        Some(path) => std::fs::read(path).map_err(|e| usage(format!("{flag} @{path}: cannot read the file: {e}"))),
        None => Ok(value.as_bytes().to_vec()),
    }
}

/// Writes the answer: `-i` headers, then the body (pretty JSON on a terminal, else streamed).
fn output(app: &App, mut response: Streaming, include: bool) -> anyhow::Result<ExitCode> {
    let p = &app.printer;
    if include {
        let mut head = format!("{} {} {}\n", response.version, response.status, response.reason);
        for (name, value) in &response.headers {
            head.push_str(&format!("{name}: {value}\n"));
        }
        head.push('\n');
        p.raw(head.as_bytes())?;
    }
    let json =
        response.header("content-type").is_some_and(|t| t.split(';').next().unwrap_or("").trim().ends_with("json"));
    let small = response.header("content-length").and_then(|l| l.parse::<u64>().ok()).is_none_or(|l| l <= PRETTY_LIMIT);
    if json && small && p.stdout_is_terminal() {
        let mut bytes = Vec::new();
        (&mut response.body).take(PRETTY_LIMIT).read_to_end(&mut bytes).context("reading the answer")?;
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) => p.json(&value)?,
            Err(_) => p.raw(&bytes)?,
        }
        p.stream(&mut response.body)?;
    } else {
        p.stream(&mut response.body).context("reading the answer")?;
    }
    if response.status >= 400 {
        p.error(&format!("the API answered HTTP {} {}", response.status, response.reason));
        return Ok(ExitCode::from(code::HTTP_FAIL));
    }
    Ok(ExitCode::SUCCESS)
}

/// `oat exec NAME -- CMD ARGS…`
pub fn exec(app: &App, args: ExecArgs) -> anyhow::Result<ExitCode> {
    let tokens = app.with_profile(&args.name, |ports, profile| {
        refresh::valid_tokens(ports, &args.name, profile, args.min_ttl, env_secret)
    })?;
    let Some((program, rest)) = args.command.split_first() else {
        return Err(usage("nothing to run: put the command after `--`"));
    };
    let mut command = std::process::Command::new(program);
    crate::browser::scrub(&mut command)
        .args(rest)
        .env("OAT_ACCESS_TOKEN", tokens.access_token.expose())
        .env("OAT_TOKEN_TYPE", tokens.scheme());
    let failed = |error| CommandFailed { program: program.to_string_lossy().into_owned(), error };
    // On Unix the command replaces oat, so stdin, stdout, stderr, signals and the exit status
    // are the command's own.
    #[cfg(unix)]
    {
        let error = std::os::unix::process::CommandExt::exec(&mut command);
        Err(failed(error).into())
    }
    #[cfg(not(unix))]
    {
        let status = command.status().map_err(failed)?;
        Ok(ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8))
    }
}
