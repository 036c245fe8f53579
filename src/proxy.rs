//! The local proxy's listener (`oat proxy`): binds 127.0.0.1 only and serves requests on a few
//! worker threads, each with its own forwarder. Before anything is forwarded, [`Gate`] refuses
//! what a web page could use to reach the user's API with the user's token: a `Host` that is
//! not the proxy's own address (421, DNS rebinding), an `Origin` that is not its own nor
//! allowed, or a cross-site request without one (403); a CORS preflight is answered here, only
//! for an allowed origin. What passes goes to the upstream URL with the request's path and
//! query below it, without the hop-by-hop headers (RFC 9110 §7.6.1), the client's credentials
//! and cookies, its body streamed both ways. Adding the token is the forwarder's (a closure
//! from the command), and so is the log line.
// The proxy owns its socket, as the callback listener and the demo server do.
#![allow(clippy::disallowed_types)]

use crate::http::{self, Body, Method, Payload, Streaming, Upload, UploadFeed};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use url::Url;

/// Worker threads: requests served at once (a browser opens six connections to a host).
pub const WORKERS: usize = 8;

/// Largest request body held in memory, so that it can be sent again after a refused token;
/// a larger one is streamed as it arrives.
pub const HOLD_LIMIT: usize = 1024 * 1024;

/// Bytes read from the client at a time.
const CHUNK: usize = 64 * 1024;

/// How long a worker waits for the thread streaming a body up to let go of the client, once
/// the answer came (it does as soon as the client's next bytes arrive).
const LET_GO: Duration = Duration::from_secs(30);

/// The listener could not be started.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The port cannot be bound.
    #[error("cannot listen on {addr}: {error}{hint}")]
    Bind { addr: SocketAddr, error: io::Error, hint: &'static str },
    /// A worker thread cannot be started.
    #[error("cannot start the proxy's threads: {0}")]
    Thread(io::Error),
}

/// A request on its way upstream, for the forwarder to send with a token.
pub struct Outgoing<'a> {
    pub method: &'a Method,
    /// The upstream URL with the request's path and query.
    pub url: &'a Url,
    /// The headers that go upstream.
    pub headers: &'a [(String, String)],
    pub body: Option<Payload<'a>>,
}

/// The upstream's answer, as the forwarder got it.
pub struct Answer {
    pub response: Streaming,
    /// For the log line (which profile, a renewed token).
    pub note: Option<String>,
}

/// Why the forwarder has no answer: the status the client gets, and why (for it and the log).
pub struct Failure {
    pub status: u16,
    pub reason: String,
}

/// One request served, for the log.
pub struct Served<'a> {
    pub method: &'a str,
    /// The request's path and query, secret query values masked.
    pub target: &'a str,
    pub status: u16,
    /// From the request's arrival to the end of its answer.
    pub elapsed: Duration,
    pub note: Option<&'a str>,
}

/// A bound listener, not serving yet.
pub struct Listener {
    server: tiny_http::Server,
    port: u16,
}

/// What the workers share.
struct Shared {
    server: tiny_http::Server,
    gate: Gate,
    upstream: Url,
    /// Set when the proxy stops: answers still streaming are cut.
    stopping: AtomicBool,
}

/// A serving proxy; [`Running::stop`] stops it.
pub struct Running {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

impl Listener {
    /// Binds 127.0.0.1 at `port` (0: a free port chosen by the system).
    pub fn bind(port: u16) -> Result<Listener, ProxyError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let bind = |error: io::Error| ProxyError::Bind {
            addr,
            hint: if error.kind() == io::ErrorKind::AddrInUse {
                "; another program uses this port: stop it, or pick another with --port"
            } else {
                ""
            },
            error,
        };
        let listener = TcpListener::bind(addr).map_err(bind)?;
        let port = listener.local_addr().map_err(bind)?.port();
        let server = tiny_http::Server::from_listener(listener, None).map_err(|e| bind(io::Error::other(e)))?;
        Ok(Listener { server, port })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Serves until [`Running::stop`]: each of [`WORKERS`] threads builds its forwarder with
    /// `forwarder` and answers requests with it; `report` hears of every request once answered.
    pub fn serve<F, W, R>(
        self,
        upstream: Url,
        allowed_origins: Vec<String>,
        forwarder: F,
        report: R,
    ) -> Result<Running, ProxyError>
    where
        F: Fn() -> W + Send + Sync + 'static,
        W: FnMut(&Outgoing<'_>) -> Result<Answer, Failure>,
        R: Fn(&Served<'_>) + Send + Sync + 'static,
    {
        let gate = Gate { port: self.port, allowed: allowed_origins };
        let shared = Arc::new(Shared { server: self.server, gate, upstream, stopping: AtomicBool::new(false) });
        let (forwarder, report) = (Arc::new(forwarder), Arc::new(report));
        let mut running = Running { shared, workers: Vec::with_capacity(WORKERS) };
        for n in 0..WORKERS {
            let (shared, forwarder, report) =
                (Arc::clone(&running.shared), Arc::clone(&forwarder), Arc::clone(&report));
            let worker = std::thread::Builder::new()
                .name(format!("oat-proxy-{n}"))
                .spawn(move || work(&shared, forwarder(), report.as_ref()))
                .map_err(ProxyError::Thread)?; // dropping `running` stops the workers already started
            running.workers.push(worker);
        }
        Ok(running)
    }
}

impl Running {
    /// Stops taking requests, cuts the answers still streaming, and waits up to `wait` for the
    /// workers to finish; returns how many did not in time. The port is released once they have.
    pub fn stop(mut self, wait: Duration) -> usize {
        let deadline = Instant::now() + wait;
        self.halt();
        let mut left = 0;
        for worker in self.workers.drain(..) {
            while !worker.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            if worker.is_finished() {
                let _ = worker.join();
            } else {
                left += 1;
            }
        }
        left
    }

    fn halt(&self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Each `unblock` releases one worker from `recv`.
        for _ in &self.workers {
            self.shared.server.unblock();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.halt();
    }
}

/// One worker: answers requests until the proxy stops.
fn work<W>(shared: &Shared, mut forward: W, report: &dyn Fn(&Served<'_>))
where
    W: FnMut(&Outgoing<'_>) -> Result<Answer, Failure>,
{
    loop {
        let request = shared.server.recv();
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        match request {
            Ok(request) => serve(shared, request, &mut forward, report),
            // A failed accept (too many open files): the next one may work.
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Serves one request: the gate, then the forwarder, then the answer and the log line.
fn serve<W>(shared: &Shared, request: tiny_http::Request, forward: &mut W, report: &dyn Fn(&Served<'_>))
where
    W: FnMut(&Outgoing<'_>) -> Result<Answer, Failure>,
{
    let started = Instant::now();
    let method = request.method().to_string();
    let target = request.url().to_string();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| (h.field.as_str().as_str().to_string(), h.value.as_str().to_string()))
        .collect();
    let (status, note) = match shared.gate.judge(&method, &headers) {
        Verdict::Refuse { status, reason } => {
            let _ = request.respond(text(status, &reason, None));
            (status, Some(format!("refused: {reason}")))
        }
        Verdict::Preflight(allow) => {
            let mut response = tiny_http::Response::empty(204);
            for (name, value) in allow {
                add(&mut response, name, &value);
            }
            let _ = request.respond(response);
            (204, Some("CORS preflight answered".into()))
        }
        Verdict::Forward { cors } => {
            let wanted = Wanted { method: &method, target: &target, headers: &headers, cors: cors.as_deref() };
            forward_one(shared, request, &wanted, forward)
        }
    };
    let shown = shown_target(&target);
    report(&Served { method: &method, target: &shown, status, elapsed: started.elapsed(), note: note.as_deref() });
}

/// What the client asked for, once let in.
struct Wanted<'a> {
    method: &'a str,
    target: &'a str,
    headers: &'a [(String, String)],
    /// The allowed foreign origin the answer is for (CORS), if any.
    cors: Option<&'a str>,
}

/// Where the client's request is while its body goes up.
enum Client {
    /// Here, its body read (or without one).
    Here(tiny_http::Request),
    /// On the thread streaming its body up, which hands it back when done.
    Pumping(mpsc::Receiver<tiny_http::Request>),
}

/// Forwards a request that passed the gate and answers it: (status, note for the log).
fn forward_one<W>(
    shared: &Shared,
    mut request: tiny_http::Request,
    wanted: &Wanted<'_>,
    forward: &mut W,
) -> (u16, Option<String>)
where
    W: FnMut(&Outgoing<'_>) -> Result<Answer, Failure>,
{
    let refuse = |request: tiny_http::Request, status: u16, reason: String| {
        let _ = request.respond(text(status, &reason, wanted.cors));
        (status, Some(format!("refused: {reason}")))
    };
    let url = match upstream_url(&shared.upstream, wanted.target) {
        Ok(url) => url,
        Err(reason) => return refuse(request, 400, reason),
    };
    let Ok(method) = Method::from_bytes(wanted.method.as_bytes()) else {
        return refuse(request, 400, format!("`{}` is not an HTTP method", wanted.method));
    };
    let headers = request_headers(wanted.headers);
    let declared = header(wanted.headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let has_body = declared.is_some_and(|n| n > 0) || header(wanted.headers, "transfer-encoding").is_some();
    // A body up to the limit is held (it can be sent again); a larger one is streamed.
    let mut held = None;
    let mut upload: Option<Upload> = None;
    let client = if has_body {
        let small = declared.is_none_or(|n| n <= HOLD_LIMIT as u64);
        let mut prefix = Vec::new();
        if small && let Err(e) = request.as_reader().take(HOLD_LIMIT as u64 + 1).read_to_end(&mut prefix) {
            return refuse(request, 400, format!("the request body broke off: {e}"));
        }
        if small && prefix.len() <= HOLD_LIMIT {
            held = Some(Body { content_type: None, bytes: prefix });
            Client::Here(request)
        } else {
            let (streamed, feed) = http::upload(declared);
            upload = Some(streamed);
            match pump(request, feed, prefix) {
                Ok(rx) => Client::Pumping(rx),
                Err(reason) => return (500, Some(reason)),
            }
        }
    } else {
        Client::Here(request)
    };
    let body = match (&held, &upload) {
        (Some(body), _) => Some(Payload::Held(body)),
        (None, Some(streamed)) => Some(Payload::Streamed(streamed)),
        (None, None) => None,
    };
    let outcome = forward(&Outgoing { method: &method, url: &url, headers: &headers, body });
    let request = match client {
        Client::Here(request) => request,
        Client::Pumping(rx) => {
            // The answer came: the rest of the body is not wanted (RFC 9112 §9.5).
            if let Some(streamed) = &upload {
                streamed.stop();
            }
            match rx.recv_timeout(LET_GO) {
                Ok(request) => request,
                Err(_) => {
                    let status = outcome.as_ref().map_or_else(|f| f.status, |a| a.response.status);
                    return (status, Some("the client stopped sending its body; it was not answered".into()));
                }
            }
        }
    };
    match outcome {
        Ok(answer) => answer_with(shared, request, answer, wanted.cors),
        Err(failure) => {
            let _ = request.respond(text(failure.status, &failure.reason, wanted.cors));
            (failure.status, Some(failure.reason))
        }
    }
}

/// Streams the upstream's answer to the client as it arrives: (status, note for the log). The
/// listener would buffer small pieces (an event stream would wait for a buffer to fill) and end
/// an answer that broke off as if it were whole, so the head is its own but the body is written
/// here: each piece flushed, and no last chunk after a break.
fn answer_with(
    shared: &Shared,
    request: tiny_http::Request,
    answer: Answer,
    cors: Option<&str>,
) -> (u16, Option<String>) {
    let Answer { response, note } = answer;
    let status = response.status;
    let (headers, length) = response_headers(&response.headers, cors);
    let mut body = response.body;
    let version = request.http_version().clone();
    let bodiless = *request.method() == tiny_http::Method::Head || matches!(status, 100..=199 | 204 | 304);
    let mut notes: Vec<String> = note.into_iter().collect();
    let head = tiny_http::Response::new(tiny_http::StatusCode(status), headers, io::empty(), length, None)
        // Keep the upstream's Content-Length, however large.
        .with_chunked_threshold(usize::MAX);
    let sent = if !bodiless && length.is_none() && version <= (1, 0) {
        // HTTP/1.0 knows no chunks: the listener reads the whole answer to learn its length.
        let mut whole = Vec::new();
        match copy(&mut body, &mut whole, &shared.stopping) {
            Ok(()) => {
                let length = whole.len();
                request.respond(head.with_data(io::Cursor::new(whole), Some(length))).map_err(Broke::Client)
            }
            Err(broke) => Err(broke),
        }
    } else {
        // As the listener frames it (without the client's `TE`): chunks when the length is unknown.
        let chunked = !bodiless && length.is_none() && !matches!(status, 100..=199 | 204);
        let mut framed = Vec::new();
        let _ = head.raw_print(&mut framed, version, &[], true, None);
        let mut out = Flushing { inner: request.into_writer(), cut: false };
        let sent = out.write_all(&framed).and_then(|()| out.flush()).map_err(Broke::Client);
        match sent {
            Ok(()) if bodiless => Ok(()),
            Ok(()) if chunked => {
                let mut encoder = chunked_transfer::Encoder::with_chunks_size(&mut out, CHUNK);
                let copied = copy(&mut body, &mut encoder, &shared.stopping);
                // An answer that broke off must not end with the last chunk, as if it were whole.
                encoder.get_mut().cut = copied.is_err();
                drop(encoder);
                copied.and_then(|()| out.flush().map_err(Broke::Client))
            }
            Ok(()) => copy(&mut body, &mut out, &shared.stopping),
            Err(broke) => Err(broke),
        }
    };
    match sent {
        Ok(()) => {}
        Err(Broke::Upstream(e)) => notes.push(format!("the answer broke off: {e}")),
        Err(Broke::Stopping) => notes.push("cut short: the proxy is stopping".into()),
        Err(Broke::Client(e)) => notes.push(format!("the client did not take the whole answer: {e}")),
    }
    (status, (!notes.is_empty()).then(|| notes.join("; ")))
}

/// Why an answer did not reach the client whole.
enum Broke {
    /// Reading it from the upstream failed.
    Upstream(io::Error),
    /// The proxy is stopping.
    Stopping,
    /// Writing it to the client failed.
    Client(io::Error),
}

/// Copies the answer's body to the client, each piece flushed as it arrives.
fn copy(body: &mut impl Read, out: &mut impl Write, stopping: &AtomicBool) -> Result<(), Broke> {
    let mut buffer = vec![0; CHUNK];
    loop {
        if stopping.load(Ordering::SeqCst) {
            return Err(Broke::Stopping);
        }
        let n = match body.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Broke::Upstream(e)),
        };
        out.write_all(&buffer[..n]).and_then(|()| out.flush()).map_err(Broke::Client)?;
    }
}

/// The client's connection: every write flushed, and once `cut`, nothing more written.
struct Flushing<W: Write> {
    inner: W,
    cut: bool,
}

impl<W: Write> Write for Flushing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.cut {
            return Err(io::Error::other("the answer was cut"));
        }
        let n = self.inner.write(buf)?;
        self.inner.flush()?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Starts the thread that streams the client's body up: first what was read already, then the
/// rest as it arrives. It hands the request back once the body is read or no more is wanted.
fn pump(
    mut request: tiny_http::Request,
    feed: UploadFeed,
    prefix: Vec<u8>,
) -> Result<mpsc::Receiver<tiny_http::Request>, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("oat-proxy-upload".into())
        .spawn(move || {
            let reader = request.as_reader();
            let mut buffer = vec![0; CHUNK];
            let result = if prefix.is_empty() || feed.send(&prefix) {
                loop {
                    match reader.read(&mut buffer) {
                        Ok(0) => break Ok(()),
                        Ok(n) if feed.send(&buffer[..n]) => {}
                        Ok(_) => break Ok(()),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                }
            } else {
                Ok(())
            };
            feed.finish(result);
            let _ = tx.send(request);
        })
        .map(|_| rx)
        .map_err(|e| format!("cannot start a thread for the request body: {e}"))
}

/// A short plain-text answer of the proxy's own.
fn text(status: u16, reason: &str, cors: Option<&str>) -> tiny_http::Response<io::Cursor<Vec<u8>>> {
    let mut response =
        tiny_http::Response::from_data(format!("oat proxy: {reason}\n").into_bytes()).with_status_code(status);
    add(&mut response, "Content-Type", "text/plain; charset=utf-8");
    add(&mut response, "Cache-Control", "no-store");
    for (name, value) in cors_headers(cors) {
        add(&mut response, name, &value);
    }
    response
}

fn add<R: Read>(response: &mut tiny_http::Response<R>, name: &str, value: &str) {
    if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        response.add_header(header);
    }
}

/// What the gate decided.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Forward it; the answer carries CORS headers for this allowed foreign origin, if any.
    Forward { cors: Option<String> },
    /// A CORS preflight of an allowed origin: answered here with these headers.
    Preflight(Vec<(&'static str, String)>),
    /// Refused, with this status and reason.
    Refuse { status: u16, reason: String },
}

/// Who may use the proxy: requests addressed to it (`Host`), from no web page or its own
/// origin or an allowed one (`Origin`, `Sec-Fetch-Site`).
struct Gate {
    port: u16,
    /// Allowed foreign origins, as `scheme://host[:port]`, lowercase.
    allowed: Vec<String>,
}

impl Gate {
    fn judge(&self, method: &str, headers: &[(String, String)]) -> Verdict {
        let refuse = |status, reason: String| Verdict::Refuse { status, reason };
        match values(headers, "host").as_slice() {
            [host] if self.is_own_host(host) => {}
            [] => return refuse(400, "a request without a Host header is not forwarded".into()),
            [host] => {
                return refuse(
                    421,
                    format!(
                        "Host `{}` is not this proxy's address (127.0.0.1:{port} or localhost:{port})",
                        printable(host),
                        port = self.port
                    ),
                );
            }
            _ => return refuse(400, "a request with several Host headers is not forwarded".into()),
        }
        if values(headers, "connection").iter().any(|v| tokens(v).any(|t| t.eq_ignore_ascii_case("upgrade"))) {
            return refuse(501, "protocol upgrades (WebSocket) are not forwarded".into());
        }
        let origin = match values(headers, "origin").as_slice() {
            [] => {
                // A page of another site (an image, a link, a form sent without an Origin).
                if let Some(site) = header(headers, "sec-fetch-site")
                    && !matches!(site.trim(), "same-origin" | "none")
                {
                    return refuse(
                        403,
                        format!(
                            "a request from a page of another site (Sec-Fetch-Site: {}) is not forwarded",
                            printable(site)
                        ),
                    );
                }
                None
            }
            [origin] => {
                let origin = origin.trim().to_ascii_lowercase();
                if !self.is_own_origin(&origin) && !self.allowed.contains(&origin) {
                    return refuse(
                        403,
                        format!(
                            "Origin `{}` may not use this proxy; start it with --allow-origin {} to let that page in",
                            printable(&origin),
                            printable(&origin)
                        ),
                    );
                }
                Some(origin)
            }
            _ => return refuse(403, "a request with several Origin headers is not forwarded".into()),
        };
        let requested = header(headers, "access-control-request-method");
        if method == "OPTIONS"
            && let (Some(origin), Some(requested)) = (&origin, requested)
        {
            return self.preflight(origin, requested, headers);
        }
        Verdict::Forward { cors: origin.filter(|o| !self.is_own_origin(o)) }
    }

    /// The answer to a CORS preflight from an origin that may use the proxy.
    fn preflight(&self, origin: &str, requested: &str, headers: &[(String, String)]) -> Verdict {
        let requested = requested.trim();
        let asked_headers = header(headers, "access-control-request-headers").unwrap_or("").trim();
        let is_token =
            |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !is_token(requested) || !tokens(asked_headers).all(is_token) {
            return Verdict::Refuse {
                status: 400,
                reason: "a CORS preflight that names no valid method or headers".into(),
            };
        }
        let mut allow = vec![
            ("Access-Control-Allow-Origin", origin.to_string()),
            ("Access-Control-Allow-Methods", requested.to_string()),
            ("Access-Control-Max-Age", "600".to_string()),
            ("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers".to_string()),
        ];
        if !asked_headers.is_empty() {
            allow.push(("Access-Control-Allow-Headers", asked_headers.to_string()));
        }
        // Chrome's Private Network Access: a public page asking for a local address.
        if header(headers, "access-control-request-private-network").is_some_and(|v| v.trim() == "true") {
            allow.push(("Access-Control-Allow-Private-Network", "true".to_string()));
        }
        Verdict::Preflight(allow)
    }

    fn is_own_host(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) => (name, port.parse::<u16>().ok()),
            None => (host.as_str(), Some(80)),
        };
        matches!(name, "127.0.0.1" | "localhost") && port == Some(self.port)
    }

    fn is_own_origin(&self, origin: &str) -> bool {
        let port = if self.port == 80 { String::new() } else { format!(":{}", self.port) };
        origin == format!("http://127.0.0.1{port}") || origin == format!("http://localhost{port}")
    }
}

/// The CORS headers of an answer to an allowed foreign origin.
fn cors_headers(origin: Option<&str>) -> Vec<(&'static str, String)> {
    let Some(origin) = origin else { return Vec::new() };
    vec![
        ("Access-Control-Allow-Origin", origin.to_string()),
        ("Access-Control-Expose-Headers", "*".to_string()),
        ("Vary", "Origin".to_string()),
    ]
}

/// Hop-by-hop headers (RFC 9110 §7.6.1), besides those `Connection` names and `Proxy-*`.
const HOP_BY_HOP: [&str; 6] = ["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"];

/// Whether a header is hop-by-hop in a message with these headers.
fn hop_by_hop(name: &str, headers: &[(String, String)]) -> bool {
    let name = name.to_ascii_lowercase();
    HOP_BY_HOP.contains(&name.as_str())
        || name.starts_with("proxy-")
        || values(headers, "connection").iter().any(|v| tokens(v).any(|t| t.eq_ignore_ascii_case(&name)))
}

/// The client's headers that go upstream: not the hop-by-hop ones, nor its own credentials and
/// cookies (oat's token replaces them; the browser's cookies for 127.0.0.1 are every local
/// app's), nor what the proxy answers for itself (`Host`, `Content-Length`, `Expect`, `Origin`).
fn request_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    const OWN: [&str; 6] = ["host", "authorization", "cookie", "content-length", "expect", "origin"];
    headers
        .iter()
        .filter(|(name, _)| !hop_by_hop(name, headers) && !OWN.iter().any(|o| name.eq_ignore_ascii_case(o)))
        .cloned()
        .collect()
}

/// The upstream's headers that go to the client, and its `Content-Length`: not the hop-by-hop
/// ones, nor cookies (the browser would keep them for every local app), nor its CORS headers
/// and `Alt-Svc` (they are the upstream's, not the proxy's); CORS headers for `cors` instead.
fn response_headers(headers: &[(String, String)], cors: Option<&str>) -> (Vec<tiny_http::Header>, Option<usize>) {
    let length = header(headers, "content-length").and_then(|v| v.trim().parse().ok());
    let dropped = |name: &str| {
        let name = name.to_ascii_lowercase();
        hop_by_hop(&name, headers)
            || matches!(name.as_str(), "content-length" | "set-cookie" | "alt-svc")
            || name.starts_with("access-control-")
    };
    let mut out: Vec<tiny_http::Header> = headers
        .iter()
        .filter(|(name, _)| !dropped(name))
        .filter_map(|(name, value)| tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok())
        .collect();
    for (name, value) in cors_headers(cors) {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            out.push(header);
        }
    }
    (out, length)
}

/// The upstream URL for a request target: the target's path below the upstream's path, and its
/// query. Only a path is taken (not `*` or a full URL), and no `.` or `..` segment, so that no
/// request leaves the upstream's path.
fn upstream_url(upstream: &Url, target: &str) -> Result<Url, String> {
    if !target.starts_with('/') {
        return Err(format!("only a path is forwarded, not `{}`", printable(target)));
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let dots = |segment: &str| {
        matches!(segment.to_ascii_lowercase().as_str(), "." | ".." | "%2e" | ".%2e" | "%2e." | "%2e%2e")
    };
    if path.contains(['\\', '#']) || path.split('/').any(dots) {
        return Err(format!("a path with `.` or `..` segments is not forwarded: `{}`", printable(path)));
    }
    let mut url = upstream.clone();
    url.set_path(&format!("{}{path}", upstream.path().trim_end_matches('/')));
    url.set_query(query);
    Ok(url)
}

/// A request target as the log shows it: secret query values masked, at most 200 characters.
fn shown_target(target: &str) -> String {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let mut shown = path.to_string();
    if let Some(query) = query {
        let masked: Vec<String> = query
            .split('&')
            .map(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                let secret =
                    url::form_urlencoded::parse(key.as_bytes()).any(|(k, _)| crate::redact::is_secret_field(&k));
                if secret { format!("{key}={}", crate::redact::MASK) } else { pair.to_string() }
            })
            .collect();
        shown.push('?');
        shown.push_str(&masked.join("&"));
    }
    let mut shown = printable(&shown);
    if shown.chars().count() > 200 {
        shown = shown.chars().take(200).chain("…".chars()).collect();
    }
    shown
}

/// Text from a client, safe for a terminal: control characters become `?`.
fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// The values of a header (case-insensitive name).
fn values<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
}

/// The first value of a header.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// The comma-separated tokens of a header value.
fn tokens(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn gate() -> Gate {
        Gate { port: 8001, allowed: vec!["http://localhost:3000".into()] }
    }

    fn refused(verdict: Verdict) -> u16 {
        match verdict {
            Verdict::Refuse { status, .. } => status,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn only_requests_addressed_to_the_proxy_pass() {
        let g = gate();
        for host in ["127.0.0.1:8001", "localhost:8001", "LOCALHOST:8001"] {
            assert_eq!(g.judge("GET", &headers(&[("Host", host)])), Verdict::Forward { cors: None }, "{host}");
        }
        for host in ["evil.example:8001", "127.0.0.1:8002", "127.0.0.1", "localhost.evil.example:8001", "[::1]:8001"] {
            assert_eq!(refused(g.judge("GET", &headers(&[("Host", host)]))), 421, "{host}");
        }
        assert_eq!(refused(g.judge("GET", &[])), 400);
        assert_eq!(refused(g.judge("GET", &headers(&[("Host", "127.0.0.1:8001"), ("Host", "evil:1")]))), 400);
        let on_80 = Gate { port: 80, allowed: Vec::new() };
        assert_eq!(on_80.judge("GET", &headers(&[("Host", "localhost")])), Verdict::Forward { cors: None });
    }

    #[test]
    fn web_pages_pass_only_from_the_proxy_or_an_allowed_origin() {
        let g = gate();
        let with = |extra: &[(&str, &str)]| {
            let mut h = headers(&[("Host", "127.0.0.1:8001")]);
            h.extend(headers(extra));
            g.judge("GET", &h)
        };
        assert_eq!(with(&[("Origin", "http://127.0.0.1:8001")]), Verdict::Forward { cors: None });
        assert_eq!(with(&[("Origin", "http://localhost:8001")]), Verdict::Forward { cors: None });
        assert_eq!(
            with(&[("Origin", "http://LocalHost:3000")]),
            Verdict::Forward { cors: Some("http://localhost:3000".into()) }
        );
        for origin in ["http://evil.example", "null", "http://localhost:3001", "https://localhost:3000"] {
            assert_eq!(refused(with(&[("Origin", origin)])), 403, "{origin}");
        }
        assert_eq!(refused(with(&[("Sec-Fetch-Site", "cross-site")])), 403);
        assert_eq!(refused(with(&[("Sec-Fetch-Site", "same-site")])), 403);
        assert_eq!(with(&[("Sec-Fetch-Site", "same-origin")]), Verdict::Forward { cors: None });
        assert_eq!(with(&[("Sec-Fetch-Site", "none")]), Verdict::Forward { cors: None });
        assert_eq!(refused(with(&[("Connection", "Upgrade"), ("Upgrade", "websocket")])), 501);
    }

    #[test]
    fn preflights_are_answered_here_for_allowed_origins_only() {
        let g = gate();
        let preflight = |origin: &str, extra: &[(&str, &str)]| {
            let mut h =
                headers(&[("Host", "127.0.0.1:8001"), ("Origin", origin), ("Access-Control-Request-Method", "PUT")]);
            h.extend(headers(extra));
            g.judge("OPTIONS", &h)
        };
        let Verdict::Preflight(allow) = preflight(
            "http://localhost:3000",
            &[
                ("Access-Control-Request-Headers", "content-type, x-trace"),
                ("Access-Control-Request-Private-Network", "true"),
            ],
        ) else {
            panic!("a preflight")
        };
        let get = |name| allow.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("Access-Control-Allow-Origin"), Some("http://localhost:3000"));
        assert_eq!(get("Access-Control-Allow-Methods"), Some("PUT"));
        assert_eq!(get("Access-Control-Allow-Headers"), Some("content-type, x-trace"));
        assert_eq!(get("Access-Control-Allow-Private-Network"), Some("true"));
        assert_eq!(refused(preflight("http://evil.example", &[])), 403);
        assert_eq!(refused(preflight("http://localhost:3000", &[("Access-Control-Request-Headers", "a\tb")])), 400);
        // An OPTIONS without the preflight's header is an ordinary request.
        let h = headers(&[("Host", "127.0.0.1:8001"), ("Origin", "http://localhost:3000")]);
        assert_eq!(g.judge("OPTIONS", &h), Verdict::Forward { cors: Some("http://localhost:3000".into()) });
    }

    #[test]
    fn hop_by_hop_headers_credentials_and_cookies_stay_behind() {
        let client = headers(&[
            ("Host", "127.0.0.1:8001"),
            ("Connection", "keep-alive, X-Hop"),
            ("X-Hop", "1"),
            ("Keep-Alive", "timeout=5"),
            ("Proxy-Authorization", "Basic eDp5"),
            ("TE", "trailers"),
            ("Authorization", "Bearer the-clients-own"),
            ("Cookie", "session=other-local-app"),
            ("Content-Length", "3"),
            ("Expect", "100-continue"),
            ("Origin", "http://localhost:3000"),
            ("Accept", "application/json"),
            ("X-Custom", "kept"),
        ]);
        let names: Vec<String> = request_headers(&client).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["Accept", "X-Custom"]);

        let upstream = headers(&[
            ("content-type", "application/json"),
            ("content-length", "1234"),
            ("transfer-encoding", "chunked"),
            ("connection", "close, x-upstream-hop"),
            ("x-upstream-hop", "1"),
            ("set-cookie", "track=1"),
            ("access-control-allow-origin", "*"),
            ("proxy-authenticate", "Basic"),
            ("www-authenticate", "Bearer error=\"invalid_token\""),
        ]);
        let (out, length) = response_headers(&upstream, Some("http://localhost:3000"));
        let names: Vec<String> = out.iter().map(|h| h.field.as_str().as_str().to_ascii_lowercase()).collect();
        assert_eq!(length, Some(1234));
        assert_eq!(
            names,
            [
                "content-type",
                "www-authenticate",
                "access-control-allow-origin",
                "access-control-expose-headers",
                "vary"
            ]
        );
        assert_eq!(out[2].value.as_str(), "http://localhost:3000");
    }

    #[test]
    fn targets_go_below_the_upstream_path_and_never_above_it() {
        let base = Url::parse("https://api.example/v1/").unwrap();
        let to = |target| upstream_url(&base, target).map(|u| u.to_string());
        assert_eq!(to("/users?page=2&q=a%20b").unwrap(), "https://api.example/v1/users?page=2&q=a%20b");
        assert_eq!(to("/").unwrap(), "https://api.example/v1/");
        let bare = Url::parse("http://127.0.0.1:9000").unwrap();
        assert_eq!(upstream_url(&bare, "/a/b%2Fc").unwrap().as_str(), "http://127.0.0.1:9000/a/b%2Fc");
        for bad in ["*", "http://evil.example/x", "/../admin", "/a/%2e%2E/admin", "/a/./b", "/a\\..\\b", "/.%2e/x"] {
            assert!(to(bad).is_err(), "{bad}");
        }
        assert!(to("/a..b/...").is_ok(), "dots inside a segment are a name");
    }

    #[test]
    fn the_log_masks_secret_query_values_and_control_characters() {
        assert_eq!(
            shown_target("/cb?code=abc&state=s%20t&access%5Ftoken=x"),
            "/cb?code=[redacted]&state=s%20t&access%5Ftoken=[redacted]"
        );
        assert_eq!(shown_target("/x\u{1b}[31m"), "/x?[31m");
        assert!(shown_target(&format!("/{}", "a".repeat(500))).chars().count() <= 201);
    }
}
