//! A scripted HTTP server on loopback for what the real provider cannot play: the documented
//! quirks of GitHub, Google and Microsoft (which CI cannot reach) and injected protocol
//! sequences (`slow_down`, expiry). Every request is recorded with its arrival time; request
//! counts a test expects ([`Fixture::expect`]) are checked when the fixture is dropped.

#![allow(clippy::disallowed_types)]

use super::expect::Expected;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

/// One request the fixture received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub at: Instant,
}

impl Recorded {
    /// A form field or query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.form.iter().chain(&self.query).find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An answer.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// Headers besides `Content-Type`, in order.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// A reply of any status, type and body, without other headers.
    pub fn new(status: u16, content_type: &'static str, body: impl Into<String>) -> Reply {
        Reply { status, content_type, body: body.into(), headers: Vec::new() }
    }

    /// The same reply with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// A JSON body.
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::new(status, "application/json", body.to_string())
    }

    /// A form-encoded body, as GitHub answers unless asked for JSON.
    pub fn form(status: u16, body: &str) -> Reply {
        Reply::new(status, "application/x-www-form-urlencoded; charset=utf-8", body)
    }

    /// A redirect.
    pub fn redirect(location: String) -> Reply {
        Reply::new(302, "text/plain", "").with_header("Location", &location)
    }

    /// 404.
    pub fn not_found() -> Reply {
        Reply::new(404, "text/plain", "not found")
    }

    /// Redirects an authorization request straight back to its redirect URI with a code,
    /// as a provider does once the user has approved.
    pub fn approve(request: &Recorded, code: &str) -> Reply {
        let mut back = url::Url::parse(request.param("redirect_uri").unwrap_or("http://127.0.0.1/")).unwrap();
        back.query_pairs_mut().append_pair("code", code).append_pair("state", request.param("state").unwrap_or(""));
        Reply::redirect(back.to_string())
    }
}

type Handler = dyn Fn(&Recorded, &[Recorded]) -> Reply + Send + Sync;

/// The fixture server; stopped on drop, which checks the expected request counts.
pub struct Fixture {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    expected: Expected,
}

impl Fixture {
    /// Starts a fixture; `handler` gets each request and those before it.
    pub fn start(handler: impl Fn(&Recorded, &[Recorded]) -> Reply + Send + Sync + 'static) -> Fixture {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind fixture"));
        let port = server.server_addr().to_ip().expect("ip address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let thread = {
            let (server, requests) = (server.clone(), requests.clone());
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let url = url::Url::parse("http://fixture").unwrap().join(request.url()).unwrap();
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let recorded = Recorded {
                        method: request.method().to_string(),
                        path: url.path().to_string(),
                        query: url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
                        headers: request.headers().iter().map(|h| (h.field.to_string(), h.value.to_string())).collect(),
                        form: url::form_urlencoded::parse(body.as_bytes())
                            .map(|(k, v)| (k.into_owned(), v.into_owned()))
                            .collect(),
                        at: Instant::now(),
                    };
                    let before = requests.lock().unwrap().clone();
                    let reply = handler(&recorded, &before);
                    requests.lock().unwrap().push(recorded);
                    let mut response = tiny_http::Response::from_string(reply.body)
                        .with_status_code(reply.status)
                        .with_header(tiny_http::Header::from_bytes("Content-Type", reply.content_type).unwrap());
                    for (name, value) in &reply.headers {
                        response.add_header(tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap());
                    }
                    let _ = request.respond(response);
                }
            })
        };
        Fixture {
            url: format!("http://127.0.0.1:{port}"),
            requests,
            server,
            thread: Some(thread),
            expected: Expected::default(),
        }
    }

    /// The same fixture, which must have received exactly `times` requests to `path` by the
    /// time it is dropped, or the test fails.
    pub fn expect(mut self, path: &str, times: usize) -> Fixture {
        self.expected.add(path, times);
        self
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests to one path.
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests().into_iter().filter(|r| r.path == path).collect()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let requests = self.requests();
        self.expected.check(&self.url, requests.iter().map(|r| r.path.as_str()));
    }
}
