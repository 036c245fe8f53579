//! `oat request` (call an API with a valid token: the input checked, the call left to
//! [`crate::flow::api`], the answer written out) and `oat exec` (run a command with the token
//! in its environment).

use super::App;
use crate::cli::{ExecArgs, RequestArgs};
use crate::error::{CommandFailed, ExitStatus, usage};
use crate::flow::api::{self, Api};
use crate::flow::refresh;
use crate::http::{Body, Method, Payload, Streaming};
use anyhow::Context as _;
use std::io::Read;

/// Largest JSON body pretty-printed for a terminal; larger ones are streamed as they are.
const PRETTY_LIMIT: u64 = 16 * 1024 * 1024;

/// `oat request NAME URL …`
pub fn request(app: &App, args: RequestArgs) -> anyhow::Result<ExitStatus> {
    // Everything the user typed is checked before anything is sent.
    let body = body(&args)?;
    let method = args.method.clone().unwrap_or(if body.is_some() { Method::POST } else { Method::GET });
    let (name, target) = match args.targets.as_slice() {
        [name, url] => (Some(name.as_str()), url),
        [url] => (None, url),
        _ => return Err(usage("give the URL, after the profile name if you choose one: `oat request [NAME] URL`")),
    };
    // A path goes to the profile's API base, filled in once the profile is loaded.
    let path = target.starts_with('/').then_some(target.as_str());
    let url = match path {
        Some(_) => None,
        None => Some(crate::cli::api_url(target).map_err(usage)?),
    };
    let name = match (name, &url) {
        (Some(name), _) => name.to_string(),
        (None, Some(url)) => app.profile_for(url)?,
        (None, None) => {
            return Err(usage(format!(
                "`{target}` is a path: name the profile whose API it is for, `oat request NAME {target}`"
            )));
        }
    };
    app.with_profile(&name, |ports, profile| {
        let url = match (url, path) {
            (Some(url), _) => url,
            (None, path) => api::resolve(ports, profile, path.unwrap_or_default())?,
        };
        let call = Api {
            url: &url,
            method: &method,
            headers: &args.headers,
            body: body.as_ref().map(Payload::Held),
            token_in: args.token_in,
        };
        let response = api::call(ports, profile, args.min_ttl, &call)?;
        output(app, response, args.include)
    })
}

/// The request body from `-d`, `--data-json` or `--form`.
fn body(args: &RequestArgs) -> anyhow::Result<Option<Body>> {
    if let Some(data) = &args.data {
        return Ok(Some(Body { content_type: Some("application/x-www-form-urlencoded"), bytes: load("-d", data)? }));
    }
    if let Some(json) = &args.data_json {
        let bytes = load("--data-json", json)?;
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .map_err(|e| usage(format!("--data-json is not JSON: {e}")))?;
        return Ok(Some(Body { content_type: Some("application/json"), bytes }));
    }
    if !args.form.is_empty() {
        let text = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&args.form).finish();
        return Ok(Some(Body { content_type: Some("application/x-www-form-urlencoded"), bytes: text.into_bytes() }));
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
fn output(app: &App, mut response: Streaming, include: bool) -> anyhow::Result<ExitStatus> {
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
        return Ok(ExitStatus::HttpFailure);
    }
    Ok(ExitStatus::Success)
}

/// `oat exec NAME -- CMD ARGS…`
pub fn exec(app: &App, args: ExecArgs) -> anyhow::Result<ExitStatus> {
    let tokens = app.with_profile(&args.name, |ports, profile| refresh::valid_tokens(ports, profile, args.min_ttl))?;
    let Some((program, rest)) = args.command.split_first() else {
        return Err(usage("nothing to run: put the command after `--`"));
    };
    let mut command = std::process::Command::new(program);
    crate::browser::scrub(&mut command)
        .args(rest)
        .env("OAT_ACCESS_TOKEN", tokens.access_token.expose())
        .env("OAT_TOKEN_TYPE", tokens.scheme());
    // Whatever the command runs of oat (a script's `oat token`, git's `oat git-credential`)
    // traces to the same file, as it would have had OAT_TRACE been set: `--trace` reaches it
    // too, made absolute since the command may change directory.
    if let Some(path) = crate::trace::path() {
        command.env("OAT_TRACE", std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    }
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
        Ok(ExitStatus::Child(status.code().unwrap_or(1).clamp(0, 255) as u8))
    }
}
