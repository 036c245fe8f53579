//! A test API on loopback, for the tests of `oat proxy`: a request is let in only when its
//! `Authorization: Bearer` token is active at the real provider ([`Introspection`], as for the
//! git test server, optionally one client per path prefix); otherwise it gets `401` with an
//! RFC 6750 challenge. No real API here checks provider tokens, hence this server; the client in
//! front of the proxy is always the real curl.
//!
//! Routes, once let in: `PUT|POST /upload` hashes the body as it arrives and answers
//! `{"bytes", "sha256", "user"}`; `GET /download?bytes=N` streams N bytes of [`pattern`] (with a
//! `Content-Length`, or chunked with `&chunked=1`, or trickled with `&slow=1`, 16 KiB per 50 ms);
//! `GET /redirect` answers 302 to its own `/landing` by full URL; `GET /events` is an event
//! stream of two events 1.5 s apart, each chunk flushed as it is written (tiny_http's own
//! responses buffer 8 KiB); anything else answers `{"user", "method", "path", "query", "body_bytes"}` with headers a
//! proxy must not pass on (`Set-Cookie`, `Keep-Alive`, `Proxy-Authenticate`, CORS). Every
//! request is recorded with its headers, the token presented, the status and the body's size.
//! Dropping the server stops it and joins the threads that served requests.

use super::Threaded;
use super::git_server::{Decision, Introspection, Presented, Scheme};
use sha2::Digest as _;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request the API received.
#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, empty if none.
    pub query: String,
    pub headers: Vec<(String, String)>,
    /// The Bearer token presented, if one was (test tokens only, so kept as they are).
    pub token: Option<String>,
    /// The status answered.
    pub status: u16,
    /// The size of the body received.
    pub body_bytes: u64,
}

impl ApiRequest {
    /// Every value of a header (case-insensitive name).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }
}

/// The byte at offset `i` of every download (and of the tests' uploads).
pub fn pattern(i: u64) -> u8 {
    (i % 251) as u8
}

struct Shared {
    check: Introspection,
    requests: Mutex<Vec<ApiRequest>>,
}

/// The API; stopped on drop.
pub struct Api {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    shared: Arc<Shared>,
    server: Threaded,
}

impl Api {
    /// Starts the API, letting in the tokens `check` finds active.
    pub fn start(check: Introspection) -> Api {
        let shared = Arc::new(Shared { check, requests: Mutex::new(Vec::new()) });
        let server = Threaded::start("the test API", shared.clone(), serve);
        Api { url: server.url(), shared, server }
    }

    /// The requests answered so far, in the order they were answered.
    pub fn requests(&self) -> Vec<ApiRequest> {
        self.shared.requests.lock().unwrap().clone()
    }
}

fn serve(mut request: tiny_http::Request, shared: &Shared) {
    let target = request.url().to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let headers: Vec<(String, String)> =
        request.headers().iter().map(|h| (h.field.to_string(), h.value.to_string())).collect();
    let token = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let decision = token.as_ref().map(|token| {
        shared.check.decide(&Presented {
            method: request.method().to_string(),
            path: path.to_string(),
            scheme: Scheme::Bearer,
            username: None,
            token: token.clone(),
        })
    });
    let mut record = ApiRequest {
        method: request.method().to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        token,
        status: 0,
        body_bytes: 0,
    };
    let user = match decision {
        Some(Decision::Allow(user)) => user,
        refused => {
            let reason = match refused {
                Some(Decision::Refuse(reason)) => reason,
                _ => "no token".to_string(),
            };
            record.body_bytes = std::io::copy(request.as_reader(), &mut std::io::sink()).unwrap_or(0);
            record.status = 401;
            shared.requests.lock().unwrap().push(record);
            let response = tiny_http::Response::from_string(format!("{reason}\n"))
                .with_status_code(401)
                .with_header(header("WWW-Authenticate", "Bearer error=\"invalid_token\""));
            let _ = request.respond(response);
            return;
        }
    };
    let param = |name: &str| {
        url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    };
    match (record.method.as_str(), path) {
        ("PUT" | "POST", "/upload") => {
            let mut hash = sha2::Sha256::new();
            let mut buffer = vec![0; 64 * 1024];
            let reader = request.as_reader();
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        hash.update(&buffer[..n]);
                        record.body_bytes += n as u64;
                    }
                }
            }
            let sha256 = hex(&hash.finalize());
            let body = serde_json::json!({ "bytes": record.body_bytes, "sha256": sha256, "user": user });
            answer(request, record, shared, json(200, &body));
        }
        ("GET", "/redirect") => {
            // To a page of the API itself, by its full URL.
            let host = record.values("host").first().map(|h| h.to_string()).unwrap_or_default();
            let response =
                json(302, &serde_json::json!({})).with_header(header("Location", &format!("http://{host}/landing")));
            answer(request, record, shared, response);
        }
        ("GET", "/events") => {
            record.status = 200;
            shared.requests.lock().unwrap().push(record);
            let mut out = request.into_writer();
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
            let _ = out.write_all(head.as_bytes()).and_then(|()| out.flush());
            for (n, pause) in [(1, 0), (2, 1500)] {
                std::thread::sleep(Duration::from_millis(pause));
                let event = format!("data: event {n}\n\n");
                let _ = write!(out, "{:x}\r\n{event}\r\n", event.len()).and_then(|()| out.flush());
            }
            let _ = out.write_all(b"0\r\n\r\n").and_then(|()| out.flush());
        }
        ("GET", "/download") => {
            let bytes: u64 = param("bytes").and_then(|b| b.parse().ok()).unwrap_or(0);
            let slow = param("slow").is_some();
            let length = (param("chunked").is_none() && !slow).then_some(bytes as usize);
            let body = Pattern { at: 0, end: bytes, slow };
            let response = tiny_http::Response::new(
                tiny_http::StatusCode(200),
                vec![header("Content-Type", "application/octet-stream")],
                body,
                length,
                None,
            )
            .with_chunked_threshold(usize::MAX);
            record.status = 200;
            shared.requests.lock().unwrap().push(record);
            let _ = request.respond(response);
        }
        (method, path) => {
            record.body_bytes = std::io::copy(request.as_reader(), &mut std::io::sink()).unwrap_or(0);
            let body = serde_json::json!({
                "user": user, "method": method, "path": path, "query": query, "body_bytes": record.body_bytes,
            });
            let response = json(200, &body)
                .with_header(header("Set-Cookie", "track=1; Path=/"))
                .with_header(header("Keep-Alive", "timeout=5"))
                .with_header(header("Proxy-Authenticate", "Basic realm=\"upstream\""))
                .with_header(header("Access-Control-Allow-Origin", "*"))
                .with_header(header("X-Api", "yes"));
            answer(request, record, shared, response);
        }
    }
}

fn answer(
    request: tiny_http::Request,
    mut record: ApiRequest,
    shared: &Shared,
    response: tiny_http::Response<std::io::Cursor<Vec<u8>>>,
) {
    record.status = response.status_code().0;
    shared.requests.lock().unwrap().push(record);
    let _ = request.respond(response);
}

fn json(status: u16, body: &serde_json::Value) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_string(body.to_string())
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json"))
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A download's body: [`pattern`] from `at` to `end`, trickled when `slow`.
struct Pattern {
    at: u64,
    end: u64,
    slow: bool,
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = (buf.len() as u64).min(self.end - self.at) as usize;
        if self.slow {
            std::thread::sleep(Duration::from_millis(50));
            n = n.min(16 * 1024);
        }
        for (i, byte) in buf[..n].iter_mut().enumerate() {
            *byte = pattern(self.at + i as u64);
        }
        self.at += n as u64;
        Ok(n)
    }
}
