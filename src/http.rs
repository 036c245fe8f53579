//! The one HTTP client: TLS with the platform's roots (plus `--cacert`), timeouts, proxies from
//! the environment, a bounded body size, no redirects, and the `-v` trace, redacted through
//! `redact` unless `--show-secrets`. The client is built on first use, so commands that need
//! no network (a valid cached token) never pay for it.
#![allow(clippy::disallowed_types)]

use crate::output::Printer;
use crate::redact::{self, Secret};
use std::cell::{Cell, OnceCell};
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use url::Url;

/// Largest response body `oat` reads; OAuth answers are a few kilobytes.
const BODY_LIMIT: u64 = 1024 * 1024;

/// How the client is set up; building it is deferred until a request is made.
#[derive(Clone, Debug)]
pub struct Options {
    /// Per-request timeout.
    pub timeout: Duration,
    /// Extra trusted root certificates (PEM).
    pub cacert: Option<PathBuf>,
    /// A TLS client certificate and its private key (PEM files), for RFC 8705 mTLS.
    pub identity: Option<(PathBuf, PathBuf)>,
    /// Show secrets in the trace.
    pub show_secrets: bool,
    /// Trace printer.
    pub printer: Printer,
}

/// The HTTP client of one `oat` run.
pub struct Http {
    options: Options,
    client: OnceCell<reqwest::blocking::Client>,
    exchanges: Cell<u32>,
}

/// HTTP methods `oat` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
}

/// One request.
pub struct Request<'a> {
    /// Method.
    pub method: Method,
    /// Where to.
    pub url: &'a Url,
    /// The full `Authorization` header value, if any.
    pub authorization: Option<Secret<String>>,
    /// Form fields for an `application/x-www-form-urlencoded` body.
    pub form: &'a [(&'a str, &'a str)],
    /// An `Origin` header.
    pub origin: Option<&'a str>,
}

/// A response whose body has been read (up to the size limit).
#[derive(Debug)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers (lowercase names).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The `Content-Type` without parameters, lowercase.
    pub fn content_type(&self) -> Option<String> {
        self.header("content-type").map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
    }

    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Failures below the HTTP semantics: the request did not produce a usable answer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `--cacert` cannot be used.
    #[error("cannot use --cacert {}: {reason}", path.display())]
    CaCert {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The TLS client certificate cannot be used.
    #[error("cannot use the client certificate {}: {reason}", path.display())]
    Identity {
        /// The certificate or key file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The client cannot be built.
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
    /// No answer within the timeout.
    #[error("{url}: no answer within {}s; check the server, or raise --timeout", timeout.as_secs())]
    Timeout {
        /// The URL (secret query parameters masked).
        url: String,
        /// The timeout.
        timeout: Duration,
    },
    /// Connecting, TLS or reading failed.
    #[error("{url}: {reason}{hint}")]
    Transport {
        /// The URL (secret query parameters masked).
        url: String,
        /// What went wrong.
        reason: String,
        /// What to try.
        hint: &'static str,
    },
    /// The body is larger than `oat` accepts.
    #[error("{url}: the answer is larger than {limit} bytes; is this the right URL?")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: u64,
    },
}

impl Http {
    /// A client with these options; nothing is built until the first request.
    pub fn new(options: Options) -> Self {
        Http { options, client: OnceCell::new(), exchanges: Cell::new(0) }
    }

    fn client(&self) -> Result<&reqwest::blocking::Client, Error> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        // Another provider may already be installed (tests); either way one is in place.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::blocking::Client::builder()
            .timeout(self.options.timeout)
            .connect_timeout(self.options.timeout.min(Duration::from_secs(15)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("oat/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &self.options.cacert {
            let pem = std::fs::read(path).map_err(|e| Error::CaCert { path: path.clone(), reason: e.to_string() })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| Error::CaCert { path: path.clone(), reason: chain(&e) })?;
            if certs.is_empty() {
                return Err(Error::CaCert { path: path.clone(), reason: "no PEM certificate in it".into() });
            }
            builder = builder.tls_certs_merge(certs);
        }
        if let Some((cert, key)) = &self.options.identity {
            let read = |path: &PathBuf| {
                std::fs::read(path).map_err(|e| Error::Identity { path: path.clone(), reason: e.to_string() })
            };
            let mut pem = read(cert)?;
            pem.push(b'\n');
            pem.extend(read(key)?);
            let identity = reqwest::Identity::from_pem(&pem)
                .map_err(|e| Error::Identity { path: cert.clone(), reason: chain(&e) })?;
            builder = builder.identity(identity);
        }
        let client = builder.build().map_err(|e| Error::Setup(chain(&e)))?;
        Ok(self.client.get_or_init(|| client))
    }

    /// Sends a request and reads the answer; HTTP error statuses are answers, not errors.
    pub fn send(&self, request: &Request<'_>) -> Result<Response, Error> {
        let client = self.client()?;
        let n = self.exchanges.get() + 1;
        self.exchanges.set(n);
        let shown_url = self.show_url(request.url);
        let mut builder = match request.method {
            Method::Get => client.get(request.url.clone()),
            Method::Post => client.post(request.url.clone()),
        };
        let mut headers: Vec<(&str, String)> = vec![("accept", "application/json".into())];
        let mut body = None;
        if request.method == Method::Post {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in request.form {
                form.append_pair(k, v);
            }
            body = Some(form.finish());
            headers.push(("content-type", "application/x-www-form-urlencoded".into()));
        }
        if let Some(auth) = &request.authorization {
            headers.push(("authorization", auth.expose().clone()));
        }
        if let Some(origin) = request.origin {
            headers.push(("origin", origin.to_string()));
        }
        self.trace_request(n, request, &shown_url, &headers);
        for (name, value) in &headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = body {
            builder = builder.body(body);
        }
        let started = Instant::now();
        let response = builder.send().map_err(|e| self.transport(&shown_url, &e.without_url()))?;
        let status = response.status();
        let response_headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let mut bytes = Vec::new();
        response.take(BODY_LIMIT + 1).read_to_end(&mut bytes).map_err(|e| self.transport(&shown_url, &e))?;
        if bytes.len() as u64 > BODY_LIMIT {
            return Err(Error::TooLarge { url: shown_url, limit: BODY_LIMIT });
        }
        let response = Response { status: status.as_u16(), headers: response_headers, body: bytes };
        self.trace_response(n, &response, status.canonical_reason().unwrap_or(""), started.elapsed());
        Ok(response)
    }

    fn show_url(&self, url: &Url) -> String {
        if self.options.show_secrets { url.to_string() } else { redact::url(url) }
    }

    fn transport(&self, url: &str, err: &(dyn std::error::Error + 'static)) -> Error {
        let timed_out = err.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_timeout)
            || sources(err).any(|e| {
                e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            });
        if timed_out {
            return Error::Timeout { url: url.to_string(), timeout: self.options.timeout };
        }
        let reason = chain(err);
        let tls = sources(err).any(|e| e.is::<rustls::Error>()) || reason.contains("certificate");
        let hint = if tls { "; if the server uses a private CA, pass its certificate with --cacert FILE" } else { "" };
        Error::Transport { url: url.to_string(), reason, hint }
    }

    fn trace_request(&self, n: u32, request: &Request<'_>, url: &str, headers: &[(&str, String)]) {
        let p = self.options.printer;
        if p.verbose == 0 {
            return;
        }
        let method = if request.method == Method::Get { "GET" } else { "POST" };
        p.trace(&format!("* [{n}] {method} {url}"));
        for (name, value) in headers {
            p.trace(&format!("> {name}: {}", self.header(name, value)));
        }
        for (name, value) in request.form {
            let value = if self.options.show_secrets { value } else { redact::field(name, value) };
            p.trace(&format!(">   {name}={value}"));
        }
    }

    fn trace_response(&self, n: u32, response: &Response, reason: &str, elapsed: Duration) {
        let p = self.options.printer;
        if p.verbose == 0 {
            return;
        }
        p.trace(&format!("* [{n}] {} {reason} ({} ms)", response.status, elapsed.as_millis()));
        for (name, value) in &response.headers {
            p.trace(&format!("< {name}: {}", self.header(name, value)));
        }
        for line in self.body_lines(&response.body) {
            p.trace(&format!("<   {line}"));
        }
    }

    fn header(&self, name: &str, value: &str) -> String {
        if self.options.show_secrets { value.to_string() } else { redact::header(name, value) }
    }

    /// A body as trace lines: JSON pretty-printed, forms one field per line, secrets masked.
    fn body_lines(&self, body: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(body);
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) {
            if !self.options.show_secrets {
                redact::json(&mut value);
            }
            let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
            return pretty.lines().map(str::to_string).collect();
        }
        let looks_like_form = text.contains('=') && !text.trim().contains(char::is_whitespace) && !text.contains('<');
        if looks_like_form {
            return url::form_urlencoded::parse(text.trim().as_bytes())
                .map(|(k, v)| {
                    let v = if self.options.show_secrets { &v } else { redact::field(&k, &v) };
                    format!("{k}={v}")
                })
                .collect();
        }
        let mut lines: Vec<String> = text.chars().take(2000).collect::<String>().lines().map(str::to_string).collect();
        if text.chars().count() > 2000 {
            lines.push("[… truncated]".into());
        }
        lines
    }
}

fn sources<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(err), |e| e.source())
}

/// An error and its causes as one line, without repeating what a cause already said.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    for e in sources(err) {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ").split_whitespace().collect::<Vec<_>>().join(" ")
}
