//! The one HTTP client: TLS with the platform's roots (plus `--cacert`), timeouts, proxies from
//! the environment, a bounded body size, no redirects, and the `-v` trace, redacted through
//! `redact` unless `--show-secrets`. The client is built on first use, so commands that need
//! no network (a valid cached token) never pay for it. Requests run on a single-threaded
//! async runtime driven by the calling thread: no thread is started for them. Because that
//! runtime sleeps between requests, a pooled connection is checked before it is used again
//! and never reused after [`POOL_IDLE`]; see [`Http::execute`]. A request body is held in
//! memory ([`Body`]) or, for the local proxy's large uploads, sent while it arrives ([`upload`]).
#![allow(clippy::disallowed_types)]

mod upload;

pub use upload::{Upload, UploadFeed, upload};

use crate::output::{Printer, Style};
use crate::redact::{self, Secret};
use crate::trace;
use sha2::Digest as _;
use std::cell::{OnceCell, RefCell};
use std::io::Read;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use url::Url;

/// Largest response body `oat` reads; OAuth answers are a few kilobytes.
const BODY_LIMIT: u64 = 1024 * 1024;

/// Longest `Retry-After` that `oat` waits out (once) before asking again.
const MAX_RETRY_AFTER: u64 = 10;

/// How long a kept-alive connection may sit idle and still be reused. Servers close idle
/// connections after a few seconds (Node 5 s, gunicorn 2 s, load balancers a minute), and a
/// request written while the server's close is on its way is lost; a connection idle for
/// longer than this is replaced instead. Requests of one command that follow each other
/// (discovery and keys, an API call and its refresh) still share a connection.
const POOL_IDLE: Duration = Duration::from_secs(1);

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
    /// The runtime the requests run on, on this thread.
    runtime: OnceCell<Rc<tokio::runtime::Runtime>>,
    /// For https: the platform's roots (and `--cacert`), the client certificate.
    tls: OnceCell<reqwest::Client>,
    /// For plain http (loopback only): no roots to load, which costs milliseconds per run.
    plain: OnceCell<reqwest::Client>,
    /// Origins this client has talked to: a request to one of them may go out on a pooled
    /// connection.
    contacted: RefCell<Vec<url::Origin>>,
    /// With a trace file: the exchanges under way, each written when it ends.
    pending: RefCell<Vec<trace::Pending>>,
}

/// Exchanges of this process so far, numbering the trace across every client.
static EXCHANGES: AtomicU32 = AtomicU32::new(0);

/// An HTTP method (RFC 9110 §9), valid by construction: named here so that only this module
/// knows the client library.
pub use reqwest::Method;

/// One request.
pub struct Request<'a> {
    pub method: Method,
    pub url: &'a Url,
    /// The full `Authorization` header value, if any.
    pub authorization: Option<Secret<String>>,
    /// Form fields for an `application/x-www-form-urlencoded` body.
    pub form: &'a [(&'a str, &'a str)],
    /// An `Origin` header.
    pub origin: Option<&'a str>,
    /// A `DPoP` proof header (RFC 9449 §4.1).
    pub dpop: Option<&'a Secret<String>>,
}

/// A request body held in memory.
pub struct Body {
    /// Its `Content-Type` (unless a header names one).
    pub content_type: Option<&'static str>,
    pub bytes: Vec<u8>,
}

/// What a request sends as its body.
#[derive(Clone, Copy)]
pub enum Payload<'a> {
    /// Bytes held in memory: they can be sent again.
    Held(&'a Body),
    /// Bytes sent while they arrive: once only.
    Streamed(&'a Upload),
}

/// A request to any URL with any method, its answer streamed (an API call).
pub struct Call<'a> {
    pub method: &'a Method,
    pub url: &'a Url,
    /// Headers (names as given).
    pub headers: &'a [(String, String)],
    /// The full `Authorization` header value, if any.
    pub authorization: Option<&'a Secret<String>>,
    /// The body, if any.
    pub body: Option<Payload<'a>>,
}

/// An answer whose body has not been read yet.
pub struct Streaming {
    /// HTTP status code.
    pub status: u16,
    /// Its reason phrase.
    pub reason: String,
    /// The HTTP version, e.g. `HTTP/1.1`.
    pub version: String,
    /// Response headers (lowercase names).
    pub headers: Vec<(String, String)>,
    /// Over https: the certificate the server showed (the TLS client verified it).
    pub certificate: Option<crate::x509::Summary>,
    /// The body, to be read.
    pub body: BodyReader,
}

/// A response body read as it arrives, each read waiting at most the timeout.
pub struct BodyReader {
    runtime: Rc<tokio::runtime::Runtime>,
    response: reqwest::Response,
    pending: bytes::Bytes,
    timeout: Duration,
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            let (timeout, response) = (self.timeout, &mut self.response);
            let chunk = self.runtime.block_on(async move { tokio::time::timeout(timeout, response.chunk()).await });
            match chunk {
                Ok(Ok(Some(bytes))) => self.pending = bytes,
                Ok(Ok(None)) => return Ok(0),
                Ok(Err(e)) => return Err(std::io::Error::other(e.without_url())),
                Err(_) => {
                    return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "no data within the timeout"));
                }
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending.split_to(n));
        Ok(n)
    }
}

impl Streaming {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A response whose body has been read (up to the size limit).
#[derive(Debug, Default)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers (lowercase names).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Over https: the certificate the server showed (the TLS client verified it).
    pub certificate: Option<crate::x509::Summary>,
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
    CaCert { path: PathBuf, reason: String },
    /// The TLS client certificate cannot be used.
    #[error("cannot use the client certificate {}: {reason}", path.display())]
    Identity {
        /// The certificate or key file.
        path: PathBuf,
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
        timeout: Duration,
    },
    /// Connecting, TLS or reading failed.
    #[error("{url}: {reason}{hint}")]
    Transport {
        /// The URL (secret query parameters masked).
        url: String,
        reason: String,
        hint: &'static str,
    },
    /// The body is larger than `oat` accepts.
    #[error("{url}: the answer is larger than {limit} bytes; is this the right URL?")]
    TooLarge { url: String, limit: u64 },
    /// A streamed body was asked to go out a second time.
    #[error("{url}: the request body was streamed as it arrived, so it cannot be sent again")]
    Resent {
        /// The URL (secret query parameters masked).
        url: String,
    },
}

impl Http {
    /// A client with the default settings and no trace, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        Http::new(Options {
            timeout: Duration::from_secs(5),
            cacert: None,
            identity: None,
            show_secrets: false,
            printer: Printer::new(false, 0),
        })
    }

    /// A client with these options; nothing is built until the first request.
    pub fn new(options: Options) -> Self {
        Http {
            options,
            runtime: OnceCell::new(),
            tls: OnceCell::new(),
            plain: OnceCell::new(),
            contacted: RefCell::new(Vec::new()),
            pending: RefCell::new(Vec::new()),
        }
    }

    /// The runtime requests run on (built on first use).
    fn runtime(&self) -> Result<&Rc<tokio::runtime::Runtime>, Error> {
        if let Some(runtime) = self.runtime.get() {
            return Ok(runtime);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| Error::Setup(e.to_string()))?;
        Ok(self.runtime.get_or_init(|| Rc::new(runtime)))
    }

    /// The client for `url`: plain http never loads the platform's TLS roots.
    fn client(&self, url: &Url) -> Result<&reqwest::Client, Error> {
        if url.scheme() == "http" {
            if let Some(client) = self.plain.get() {
                return Ok(client);
            }
            // TLS is never used on this client (http only), so it gets an empty root store
            // instead of the platform's, whose loading is the dearest part of a client.
            let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
            let tls = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| Error::Setup(e.to_string()))?
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth();
            let client = self.builder().use_preconfigured_tls(tls).build().map_err(|e| Error::Setup(chain(&e)))?;
            return Ok(self.plain.get_or_init(|| client));
        }
        if let Some(client) = self.tls.get() {
            return Ok(client);
        }
        // Another provider may already be installed (tests); either way one is in place.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = self.builder().tls_info(true);
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
        Ok(self.tls.get_or_init(|| client))
    }

    /// What both clients share. The timeout bounds the wait for the answer's head (in
    /// `attempt`) and each read of its body (in [`BodyReader`]), so a long download that keeps
    /// arriving is not cut, nor a long upload that keeps moving; the library's own read timeout
    /// would count from the start of the request, and is not set.
    fn builder(&self) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .connect_timeout(self.options.timeout.min(Duration::from_secs(15)))
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(POOL_IDLE)
            .user_agent(concat!("oat/", env!("CARGO_PKG_VERSION")))
    }

    /// Sends a request to an OAuth endpoint and reads the answer (up to a size limit); HTTP
    /// error statuses are answers, not errors.
    pub fn send(&self, request: &Request<'_>) -> Result<Response, Error> {
        let mut headers: Vec<(String, String)> = vec![("accept".into(), "application/json".into())];
        let mut body = None;
        if request.method == Method::POST {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in request.form {
                form.append_pair(k, v);
            }
            body = Some(Body {
                content_type: Some("application/x-www-form-urlencoded"),
                bytes: form.finish().into_bytes(),
            });
        }
        if let Some(origin) = request.origin {
            headers.push(("origin".into(), origin.to_string()));
        }
        if let Some(proof) = request.dpop {
            headers.push(("dpop".into(), proof.expose().clone()));
        }
        let call = Call {
            method: &request.method,
            url: request.url,
            headers: &headers,
            authorization: request.authorization.as_ref(),
            body: body.as_ref().map(Payload::Held),
        };
        let (mut n, mut response, mut started) = self.execute(&call)?;
        // An overloaded server (503) or a rate limit (429) that says when to come back gets
        // one more try, if that is soon; the request was not processed, so a POST is safe.
        if let Some(wait) = retry_after(&response) {
            self.trace_head(n, response.status, &response.reason, &response.headers, started.elapsed());
            self.finish(n, |p| p.body(trace::Body::omitted("not read: the request was sent again after Retry-After")));
            self.options.printer.trace(&format!("* [{n}] retrying once after {wait}s (Retry-After)"));
            std::thread::sleep(Duration::from_secs(wait));
            (n, response, started) = self.execute(&call)?;
        }
        let shown_url = self.show_url(request.url);
        let status = response.status;
        let mut bytes = Vec::new();
        let read = response.body.take(BODY_LIMIT + 1).read_to_end(&mut bytes);
        if let Err(e) = read {
            let error = self.transport(&shown_url, &e);
            self.fail(n, request.url, &error);
            return Err(error);
        }
        if bytes.len() as u64 > BODY_LIMIT {
            let error = Error::TooLarge { url: shown_url, limit: BODY_LIMIT };
            self.fail(n, request.url, &error);
            return Err(error);
        }
        let response = Response { status, headers: response.headers, body: bytes, certificate: response.certificate };
        let (shown, kept) = self.bodies(&response.body);
        self.trace_response(n, &response, shown, started.elapsed());
        self.finish(n, |p| kept.into_iter().for_each(|body| p.body(body)));
        Ok(response)
    }

    /// Sends an API request and hands back the answer with its body unread, for streaming.
    pub fn stream(&self, call: &Call<'_>) -> Result<Streaming, Error> {
        let (n, response, started) = self.execute(call)?;
        let p = self.options.printer;
        if p.verbose > 0 {
            self.trace_head(n, response.status, &response.reason, &response.headers, started.elapsed());
            p.trace("<   [body passed on as it arrives, not traced]");
        }
        self.finish(n, |p| p.body(trace::Body::streamed()));
        Ok(response)
    }

    /// Builds, traces and sends one request; returns its number, the answer and when it left.
    ///
    /// The runtime does not run between requests, so a pooled connection that the server
    /// closed meanwhile still looks open: before a request that may reuse one, the runtime is
    /// let [`settle`], and a connection idle past [`POOL_IDLE`] is not reused at all. If the
    /// server still closes a reused connection without answering (its close crossed the
    /// request), an idempotent request (RFC 9110 §9.2.2) is sent once more on a new connection;
    /// any other may have reached the server and is not, nor is a streamed body, which is gone.
    /// A request that never left is resent by hyper itself.
    fn execute(&self, call: &Call<'_>) -> Result<(u32, Streaming, Instant), Error> {
        let runtime = self.runtime()?;
        let client = self.client(call.url)?;
        let shown_url = self.show_url(call.url);
        if let Some(Payload::Streamed(upload)) = call.body
            && upload.is_taken()
        {
            return Err(Error::Resent { url: shown_url });
        }
        let origin = call.url.origin();
        let pooled = self.contacted.borrow().contains(&origin);
        if pooled {
            settle(runtime);
        } else {
            self.contacted.borrow_mut().push(origin);
        }
        let (mut n, mut started, mut answer) = self.attempt(runtime, client, call, &shown_url);
        if let Err(Some(e)) = &answer
            && pooled
            && closed_unanswered(e)
        {
            if !call.method.is_idempotent() || matches!(call.body, Some(Payload::Streamed(_))) {
                let error = Error::Transport {
                    url: shown_url,
                    reason: chain(e),
                    hint: "; the server closed the connection without answering, and as the request may have reached it, it was not sent again",
                };
                self.fail(n, call.url, &error);
                return Err(error);
            }
            self.finish(n, |p| p.fail(chain(e)));
            self.options.printer.trace(&format!(
                "* [{n}] the server closed the connection without answering; sending the {} again on a new one",
                call.method
            ));
            (n, started, answer) = self.attempt(runtime, client, call, &shown_url);
        }
        let response = match answer {
            Ok(response) => response,
            Err(e) => {
                let error = match e {
                    Some(e) => self.transport(&shown_url, &e),
                    None => Error::Timeout { url: shown_url, timeout: self.options.timeout },
                };
                self.fail(n, call.url, &error);
                return Err(error);
            }
        };
        if self.options.printer.verbose > 1 {
            self.trace_connection(n, &response);
        }
        let tls = response.extensions().get::<reqwest::tls::TlsInfo>();
        let certificate = tls.and_then(reqwest::tls::TlsInfo::peer_certificate).and_then(crate::x509::summary);
        let status = response.status();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let reason = status.canonical_reason().unwrap_or("").to_string();
        let version = format!("{:?}", response.version());
        if trace::enabled() {
            let tls_version = tls.and_then(reqwest::tls::TlsInfo::version).and_then(tls_version);
            let answer = trace::Answer {
                status: status.as_u16(),
                reason: reason.clone(),
                version: version.clone(),
                headers: headers.iter().map(|(k, v)| (k.clone(), redact::header(k, v))).collect(),
                body: None,
            };
            self.update(n, |p| {
                p.tls(tls_version, certificate.as_ref());
                p.answer(answer);
            });
        }
        let streaming = Streaming {
            status: status.as_u16(),
            reason,
            version,
            headers,
            certificate,
            body: BodyReader {
                runtime: Rc::clone(runtime),
                response,
                pending: bytes::Bytes::new(),
                timeout: self.options.timeout,
            },
        };
        Ok((n, streaming, started))
    }

    /// One numbered, traced try of a request: the answer's head, or why none came (`None`:
    /// not within the timeout).
    fn attempt(
        &self,
        runtime: &tokio::runtime::Runtime,
        client: &reqwest::Client,
        call: &Call<'_>,
        shown_url: &str,
    ) -> (u32, Instant, Result<reqwest::Response, Option<reqwest::Error>>) {
        let n = EXCHANGES.fetch_add(1, Ordering::Relaxed) + 1;
        let mut builder = client.request(call.method.clone(), call.url.clone());
        let mut headers: Vec<(&str, &str)> = call.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if let Some(auth) = call.authorization {
            headers.push(("authorization", auth.expose()));
        }
        if let Some(Payload::Held(Body { content_type: Some(content_type), .. })) = call.body
            && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("content-type", content_type));
        }
        self.trace_request(n, call, shown_url, &headers);
        if trace::enabled() {
            self.begin(n, call, &headers);
        }
        for (name, value) in &headers {
            builder = builder.header(*name, *value);
        }
        let mut upload = None;
        match call.body {
            Some(Payload::Held(body)) => builder = builder.body(body.bytes.clone()),
            Some(Payload::Streamed(streamed)) => {
                // `execute` checked that it is still there.
                if let Some(body) = streamed.take() {
                    builder = builder.body(body);
                }
                upload = Some(streamed);
            }
            None => {}
        }
        let started = Instant::now();
        let timeout = self.options.timeout;
        let answer = runtime.block_on(async move {
            let mut send = std::pin::pin!(builder.send());
            // The timeout counts from the request, or for a streamed body from when it last moved.
            let mut wait = timeout;
            loop {
                match tokio::time::timeout(wait, &mut send).await {
                    Ok(answer) => return answer.map_err(|e| Some(e.without_url())),
                    Err(_) => match upload.map(Upload::idle) {
                        Some(idle) if idle < timeout => wait = timeout - idle,
                        _ => return Err(None),
                    },
                }
            }
        });
        (n, started, answer)
    }

    /// `-vv`: where the connection went and, over TLS, which certificate the server showed.
    fn trace_connection(&self, n: u32, response: &reqwest::Response) {
        let p = self.options.printer;
        let addr = response.remote_addr().map_or_else(|| "?".to_string(), |a| a.to_string());
        p.trace(&format!("* [{n}] connected to {addr} using {:?}", response.version()));
        if let Some(info) = response.extensions().get::<reqwest::tls::TlsInfo>() {
            match info.peer_certificate() {
                Some(der) => {
                    let digest = sha2::Sha256::digest(der);
                    let hex: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
                    p.trace(&format!("* [{n}] TLS verified; server certificate SHA-256 {}", hex.join(":")));
                }
                None => p.trace(&format!("* [{n}] TLS verified; no server certificate reported")),
            }
        }
        if response.status().is_redirection() {
            let to = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("?");
            p.trace(&format!("* [{n}] redirect to {to} not followed: oat never follows redirects"));
        }
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
        let mut reason = chain(err);
        let cut_short = sources(err).any(|e| e.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_body))
            || reason.contains("end of file before message length");
        if cut_short {
            reason = format!("the connection closed before the whole answer arrived ({reason})");
        }
        let tls = sources(err).any(|e| e.is::<rustls::Error>()) || reason.contains("certificate");
        let hint = if tls { "; if the server uses a private CA, pass its certificate with --cacert FILE" } else { "" };
        Error::Transport { url: url.to_string(), reason, hint }
    }

    fn trace_request(&self, n: u32, call: &Call<'_>, url: &str, headers: &[(&str, &str)]) {
        let p = self.options.printer;
        if p.verbose == 0 {
            return;
        }
        p.trace(&p.paint(Style::Request, &format!("* [{n}] {} {url}", call.method)));
        for (name, value) in headers {
            p.trace(&format!("> {name}: {}", self.header(name, value)));
        }
        match call.body {
            Some(Payload::Held(body)) => {
                for line in body_lines(&redact::Body::read(&body.bytes, self.options.show_secrets, SHOWN_TEXT)) {
                    p.trace(&format!(">   {line}"));
                }
            }
            Some(Payload::Streamed(_)) => p.trace(">   [body streamed as it arrives, not traced]"),
            None => {}
        }
    }

    fn trace_response(&self, n: u32, response: &Response, shown: Option<redact::Body>, elapsed: Duration) {
        let p = self.options.printer;
        if p.verbose == 0 {
            return;
        }
        let reason =
            reqwest::StatusCode::from_u16(response.status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
        self.trace_head(n, response.status, reason, &response.headers, elapsed);
        for line in shown.as_ref().map(body_lines).unwrap_or_default() {
            p.trace(&format!("<   {line}"));
        }
    }

    /// A body as `-v` shows it (when verbose) and as the trace file keeps it (when tracing):
    /// one redaction, read once when both want it redacted.
    fn bodies(&self, bytes: &[u8]) -> (Option<redact::Body>, Option<trace::Body>) {
        let reveal = self.options.show_secrets;
        let shown = (self.options.printer.verbose > 0).then(|| redact::Body::read(bytes, reveal, trace::TEXT_LIMIT));
        let kept = (trace::enabled() && !bytes.is_empty()).then(|| {
            let redacted = match (&shown, reveal) {
                (Some(shown), false) => shown.clone(),
                _ => redact::Body::read(bytes, false, trace::TEXT_LIMIT),
            };
            trace::Body::of(redacted, bytes.len())
        });
        (shown, kept)
    }

    /// Starts the trace record of exchange `n`: its request, redacted (whatever
    /// `--show-secrets` says: the trace file never holds a secret).
    fn begin(&self, n: u32, call: &Call<'_>, headers: &[(&str, &str)]) {
        let body = match call.body {
            Some(Payload::Held(body)) if !body.bytes.is_empty() => {
                Some(trace::Body::of(redact::Body::read(&body.bytes, false, trace::TEXT_LIMIT), body.bytes.len()))
            }
            Some(Payload::Held(_)) | None => None,
            Some(Payload::Streamed(_)) => Some(trace::Body::streamed()),
        };
        let headers = headers.iter().map(|(k, v)| (k.to_string(), redact::header(k, v))).collect();
        let pending = trace::Pending::begin(n, call.method.as_str(), redact::url(call.url), headers, body);
        self.pending.borrow_mut().push(pending);
    }

    /// Adds to the trace record of exchange `n`, if one is under way.
    fn update(&self, n: u32, f: impl FnOnce(&mut trace::Pending)) {
        if let Some(pending) = self.pending.borrow_mut().iter_mut().find(|p| p.exchange() == n) {
            f(pending);
        }
    }

    /// Ends the trace record of exchange `n` with the error that ended it, its URL redacted
    /// even under `--show-secrets`.
    fn fail(&self, n: u32, url: &Url, error: &Error) {
        let (text, shown) = (error.to_string(), self.show_url(url));
        // The record names the URL already; the error need not again.
        let text = text
            .strip_prefix(&format!("{shown}: "))
            .map_or_else(|| text.replace(&shown, &redact::url(url)), str::to_string);
        self.finish(n, |p| p.fail(text));
    }

    /// Ends the trace record of exchange `n` (after a last addition) and writes it.
    fn finish(&self, n: u32, f: impl FnOnce(&mut trace::Pending)) {
        let mut pending = self.pending.borrow_mut();
        let Some(at) = pending.iter().position(|p| p.exchange() == n) else { return };
        let mut record = pending.swap_remove(at);
        drop(pending);
        f(&mut record);
        record.finish();
    }

    fn trace_head(&self, n: u32, status: u16, reason: &str, headers: &[(String, String)], elapsed: Duration) {
        let p = self.options.printer;
        let style = if status >= 400 { Style::Bad } else { Style::Good };
        p.trace(&p.paint(style, &format!("* [{n}] {status} {reason} ({} ms)", elapsed.as_millis())));
        for (name, value) in headers {
            p.trace(&format!("< {name}: {}", self.header(name, value)));
        }
    }

    fn header(&self, name: &str, value: &str) -> String {
        if self.options.show_secrets { value.to_string() } else { redact::header(name, value) }
    }
}

/// Text of a body that `-v` shows; the trace file keeps up to [`trace::TEXT_LIMIT`].
const SHOWN_TEXT: usize = 2000;

/// A body as `-v` lines: JSON pretty-printed, forms one field per line.
fn body_lines(body: &redact::Body) -> Vec<String> {
    match body {
        redact::Body::Json(value) => {
            serde_json::to_string_pretty(value).unwrap_or_default().lines().map(str::to_string).collect()
        }
        redact::Body::Form(fields) => fields.iter().map(|(k, v)| format!("{k}={v}")).collect(),
        redact::Body::Text { text, truncated } => {
            let mut lines: Vec<String> =
                text.chars().take(SHOWN_TEXT).collect::<String>().lines().map(str::to_string).collect();
            if *truncated || text.chars().count() > SHOWN_TEXT {
                lines.push("[… truncated]".into());
            }
            lines
        }
        redact::Body::Withheld { bytes } => {
            vec![format!("[{bytes} bytes that mention token fields; --show-secrets shows them]")]
        }
        redact::Body::Binary { bytes } => vec![format!("[{bytes} bytes of binary data]")],
    }
}

/// `TLSv1.3`, as the trace names a TLS version.
fn tls_version(version: reqwest::tls::Version) -> Option<&'static str> {
    [
        (reqwest::tls::Version::TLS_1_0, "TLSv1.0"),
        (reqwest::tls::Version::TLS_1_1, "TLSv1.1"),
        (reqwest::tls::Version::TLS_1_2, "TLSv1.2"),
        (reqwest::tls::Version::TLS_1_3, "TLSv1.3"),
    ]
    .into_iter()
    .find(|(v, _)| *v == version)
    .map(|(_, name)| name)
}

/// Lets the runtime take in what happened on its sockets while it was not running, so that a
/// pooled connection the server has closed is known to be closed and is not handed out.
/// Each yield lets the runtime poll the socket events once and then run the tasks they woke:
/// the first brings in the server's close, the next runs the connection's task, which sees it
/// and ends; the third is room for what that task wakes in turn.
fn settle(runtime: &tokio::runtime::Runtime) {
    runtime.block_on(async {
        for _ in 0..3 {
            tokio::task::yield_now().await;
        }
    });
}

/// Whether a request failed because its connection closed before an answer arrived.
fn closed_unanswered(err: &reqwest::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    sources(err).any(|e| {
        e.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_incomplete_message)
            || e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| matches!(io.kind(), BrokenPipe | ConnectionAborted | ConnectionReset | UnexpectedEof))
    })
}

/// Seconds to wait before the one retry of a 503 or 429 answer, if it says and it is soon.
fn retry_after(response: &Streaming) -> Option<u64> {
    if response.status != 503 && response.status != 429 {
        return None;
    }
    let seconds: u64 = response.header("retry-after")?.trim().parse().ok()?;
    (seconds <= MAX_RETRY_AFTER).then_some(seconds)
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
