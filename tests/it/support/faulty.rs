//! A raw HTTP/1.1 server on loopback for the faults the tiny_http fixture cannot play: an
//! answer cut off in the middle of its body, a server that accepts a connection and never
//! answers, a body of any size streamed without being built in memory, and keep-alive
//! connections closed after a short idle time. [`Faulty::start`] serves one request per
//! connection (every answer says `Connection: close`); [`Faulty::keep_alive`] keeps a
//! connection open after a complete answer and closes it once it has been idle for a given
//! time, as Node's server does after 5 s and load balancers after a minute, only sooner.
//! Every request is recorded with its arrival time and connection. Stopped on drop, stalled
//! connections included; request counts a test expects ([`Faulty::expect`]) are checked then.

#![allow(clippy::disallowed_types, reason = "a test server binds its own loopback socket, as the fixture does")]

use super::expect::Expected;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub at: Instant,
    /// The connection it came on, numbered from 1 in the order they were accepted.
    pub connection: u64,
}

impl Request {
    /// A form field of the body.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What to do with a request.
pub enum Action {
    /// Write these bytes as they are, then close the connection.
    Raw(Vec<u8>),
    /// A complete answer: its status line and headers (each ending in CRLF, without
    /// `Connection`), then the body. The server adds `Connection: close` and closes, or, in
    /// keep-alive mode, keeps the connection for the next request.
    Reply {
        /// Status line and headers.
        head: String,
        /// The body.
        body: Vec<u8>,
    },
    /// Never answer: keep the connection open until the server is dropped.
    Stall,
    /// A 200 answer of `length` body bytes, produced while they are written (never held in
    /// memory), with a `Content-Length` or chunked; stops at the first failed write.
    Flood {
        /// Its `Content-Type`.
        content_type: &'static str,
        /// How many body bytes.
        length: u64,
        /// Chunked transfer encoding instead of a `Content-Length`.
        chunked: bool,
    },
}

impl Action {
    /// A complete answer with these extra headers (`Content-Length` is added, and the
    /// `Connection` header of the server's mode).
    pub fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Action {
        let mut head = status_line(status);
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        Action::Reply { head, body: body.as_bytes().to_vec() }
    }

    /// A complete answer with a JSON body (given as text, so that it may be broken JSON).
    pub fn json(status: u16, body: &str) -> Action {
        Action::reply(status, &[("Content-Type", "application/json")], body)
    }

    /// An answer that announces `declared` body bytes, sends only `sent`, then closes.
    pub fn truncated(status: u16, content_type: &str, declared: usize, sent: &[u8]) -> Action {
        let head = format!(
            "{}Content-Type: {content_type}\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n",
            status_line(status)
        );
        Action::Raw([head.as_bytes(), sent].concat())
    }
}

fn status_line(status: u16) -> String {
    format!("HTTP/1.1 {status} Status {status}\r\n")
}

type Handler = dyn Fn(&Request, &[Request]) -> Action + Send + Sync;

/// What the connection threads share.
struct Shared {
    handler: Box<Handler>,
    requests: Mutex<Vec<Request>>,
    flooded: AtomicU64,
    stop: AtomicBool,
    /// Keep-alive mode: how long a connection may be idle before the server closes it.
    idle: Option<Duration>,
    idle_closes: AtomicU64,
}

/// The server; stopped on drop, which checks the expected request counts.
pub struct Faulty {
    pub url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    expected: Expected,
}

impl Faulty {
    /// Starts a server; `handler` gets each request and those before it.
    pub fn start(handler: impl Fn(&Request, &[Request]) -> Action + Send + Sync + 'static) -> Faulty {
        Faulty::serve(None, Box::new(handler))
    }

    /// Starts a keep-alive server that closes every connection idle for `idle`.
    pub fn keep_alive(
        idle: Duration,
        handler: impl Fn(&Request, &[Request]) -> Action + Send + Sync + 'static,
    ) -> Faulty {
        Faulty::serve(Some(idle), Box::new(handler))
    }

    fn serve(idle: Option<Duration>, handler: Box<Handler>) -> Faulty {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the faulty server");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            handler,
            requests: Mutex::new(Vec::new()),
            flooded: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            idle,
            idle_closes: AtomicU64::new(0),
        });
        let thread = {
            let shared = shared.clone();
            std::thread::spawn(move || {
                for (n, stream) in (1..).zip(listener.incoming()) {
                    if shared.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let shared = shared.clone();
                    std::thread::spawn(move || connection(stream, n, &shared));
                }
            })
        };
        Faulty { url: format!("http://{addr}"), addr, shared, thread: Some(thread), expected: Expected::default() }
    }

    /// The same server, which must have received exactly `times` requests to `path` by the
    /// time it is dropped, or the test fails.
    pub fn expect(mut self, path: &str, times: usize) -> Faulty {
        self.expected.add(path, times);
        self
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The requests to one path.
    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        self.requests().into_iter().filter(|r| r.path == path).collect()
    }

    /// Body bytes written by [`Action::Flood`] answers so far.
    pub fn flooded(&self) -> u64 {
        self.shared.flooded.load(Ordering::SeqCst)
    }

    /// Keep-alive mode: how many connections the server closed because they were idle.
    pub fn idle_closes(&self) -> u64 {
        self.shared.idle_closes.load(Ordering::SeqCst)
    }
}

impl Drop for Faulty {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop up so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let requests = self.requests();
        self.expected.check(&self.url, requests.iter().map(|r| r.path.as_str()));
    }
}

/// Serves one connection: one request, or in keep-alive mode as many as come before it has
/// been idle for too long.
fn connection(stream: TcpStream, n: u64, shared: &Shared) {
    let mut reader = BufReader::new(&stream);
    let mut first = true;
    loop {
        if !first {
            let Some(idle) = shared.idle else { break };
            // Waits for the next request's first byte at most `idle`, then closes.
            let _ = stream.set_read_timeout(Some(idle));
            match reader.fill_buf() {
                Ok([]) => break,
                Ok(_) => {}
                Err(_) => {
                    shared.idle_closes.fetch_add(1, Ordering::SeqCst);
                    break;
                }
            }
        }
        first = false;
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let Some(request) = read_request(&mut reader, n) else { break };
        let before = shared.requests.lock().unwrap().clone();
        let action = (shared.handler)(&request, &before);
        shared.requests.lock().unwrap().push(request);
        if !answer(&stream, action, shared) {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Writes an answer; whether the connection may carry another request.
fn answer(mut stream: &TcpStream, action: Action, shared: &Shared) -> bool {
    match action {
        Action::Raw(bytes) => {
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
            false
        }
        Action::Reply { head, body } => {
            let keep = shared.idle.is_some();
            let connection = if keep { "keep-alive" } else { "close" };
            let bytes = [head.as_bytes(), format!("Connection: {connection}\r\n\r\n").as_bytes(), &body].concat();
            stream.write_all(&bytes).and_then(|()| stream.flush()).is_ok() && keep
        }
        Action::Stall => {
            while !shared.stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
            false
        }
        Action::Flood { content_type, length, chunked } => {
            let framing =
                if chunked { "Transfer-Encoding: chunked".to_string() } else { format!("Content-Length: {length}") };
            let head =
                format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n{framing}\r\nConnection: close\r\n\r\n");
            if stream.write_all(head.as_bytes()).is_err() {
                return false;
            }
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = length;
            while left > 0 && !shared.stop.load(Ordering::SeqCst) {
                let n = left.min(chunk.len() as u64) as usize;
                let written = if chunked {
                    stream
                        .write_all(format!("{n:x}\r\n").as_bytes())
                        .and_then(|()| stream.write_all(&chunk[..n]))
                        .and_then(|()| stream.write_all(b"\r\n"))
                } else {
                    stream.write_all(&chunk[..n])
                };
                if written.is_err() {
                    return false;
                }
                shared.flooded.fetch_add(n as u64, Ordering::SeqCst);
                left -= n as u64;
            }
            if chunked {
                let _ = stream.write_all(b"0\r\n\r\n");
            }
            false
        }
    }
}

/// Reads one request: the head, then a body of `Content-Length` bytes.
fn read_request(reader: &mut BufReader<&TcpStream>, connection: u64) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let path = target.split('?').next().unwrap_or_default().to_string();
    let form = url::form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    Some(Request { method, path, headers, form, at: Instant::now(), connection })
}
