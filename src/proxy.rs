//! The local proxy's listener (`oat proxy`): binds 127.0.0.1 only and serves requests on a few
//! worker threads, each with its own forwarder. Before anything is forwarded, [`Gate`] refuses
//! what a web page could use to reach the user's API with the user's token: a `Host` that is
//! not the proxy's own address (421, DNS rebinding), an `Origin` that is not its own nor
//! allowed, or a cross-site request without one (403); a CORS preflight is answered here, only
//! for an allowed origin. What passes goes to the upstream URL with the request's path and
//! query below it, without the hop-by-hop headers (RFC 9110 §7.6.1), the client's credentials
//! and cookies, its body streamed both ways. Adding the token is the forwarder's (a closure
//! from the command), and so is the log line. The rules live in [`gate`] (who may use the proxy)
//! and [`rewrite`] (what changes on the way through); the sockets and threads here.
// The proxy owns its socket, as the callback listener and the demo server do.
#![allow(clippy::disallowed_types)]

mod gate;
mod rewrite;

use crate::http::{self, Body, Method, Payload, Streaming, Upload, UploadFeed};
use gate::{Gate, Verdict};
use rewrite::{relocate, request_headers, response_headers, shown_target, upstream_url};
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
            // The answer came: a server that answers before the whole body wants no more of it.
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
    let own = format!("http://127.0.0.1:{}", shared.gate.port);
    let relocated = |location: &str| relocate(location, &shared.upstream, &own);
    let (headers, length) = response_headers(&response.headers, cors, &relocated);
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
    // It echoes what the client sent (a Host, an Origin): never to be read as a page.
    add(&mut response, "X-Content-Type-Options", "nosniff");
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

/// The CORS headers of an answer to an allowed foreign origin.
fn cors_headers(origin: Option<&str>) -> Vec<(&'static str, String)> {
    let Some(origin) = origin else { return Vec::new() };
    vec![
        ("Access-Control-Allow-Origin", origin.to_string()),
        ("Access-Control-Expose-Headers", "*".to_string()),
        ("Vary", "Origin".to_string()),
    ]
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
