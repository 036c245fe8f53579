//! A container registry on loopback (Docker Registry HTTP API V2, plain http), for the tests of
//! oat as docker's credential helper with real registry clients (skopeo, the docker CLI). No
//! registry program is packaged for these machines, so this plays one, as small as a client
//! allows: `/v2/` and one image, `acme/app:1.0` (a manifest, its config blob, no layers, the
//! tag list).
//!
//! Access is decided by the real provider: the credential a client sends is let in only when
//! RFC 7662 introspection says its token is active ([`Introspection`], shared with the git
//! server). Two ways to challenge, as registries do: [`Challenge::Basic`] (`WWW-Authenticate:
//! Basic`, the token as the password of every request) and [`Challenge::Bearer`] (a token
//! service at `/token` that takes the Basic credential once and issues a registry token, as
//! Docker Hub, GitLab and Google's Artifact Registry do). Every request is recorded with what
//! it presented and what was answered; the server stops on drop.
//!
//! It speaks just enough HTTP/1.1 for GET and HEAD, one request per connection. Like Go's
//! `net/http` server, which real registries run on, it answers a TLS handshake on its plain
//! port with `400 Bad Request`: that answer is what makes Go clients (the docker CLI) fall back
//! from https to http for a registry without TLS.

#![allow(clippy::disallowed_types, reason = "a test server binds its own loopback socket, as the fixture does")]

use super::git_server::{Decision, Introspection, Presented, Scheme, credentials};
use sha2::Digest as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The one repository.
pub const REPOSITORY: &str = "acme/app";
/// Its one tag.
pub const TAG: &str = "1.0";
/// The `service` of the Bearer challenge.
const SERVICE: &str = "oat-test-registry";

/// How the registry asks for credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Challenge {
    /// `WWW-Authenticate: Basic realm=…`: every request carries `Basic user:token`.
    Basic,
    /// `WWW-Authenticate: Bearer realm=…/token,service=…,scope=…`: the client trades its Basic
    /// credential at `/token` for a registry token and sends that.
    Bearer,
}

/// One request the registry received.
#[derive(Clone, Debug)]
pub struct RegistryRequest {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// How credentials were presented, if they were.
    pub scheme: Option<Scheme>,
    /// The Basic user name.
    pub username: Option<String>,
    /// The Basic password (the OAuth token) or the Bearer registry token.
    pub token: Option<String>,
    /// The decision on an OAuth token (`None` when no OAuth token was judged).
    pub decision: Option<Decision>,
    pub status: u16,
}

struct Shared {
    challenge: Challenge,
    introspection: Introspection,
    requests: Mutex<Vec<RegistryRequest>>,
    /// Registry tokens issued by `/token`.
    issued: Mutex<Vec<String>>,
    counter: AtomicUsize,
    url: String,
    stop: AtomicBool,
}

/// The registry; stopped on drop.
pub struct Registry {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// `127.0.0.1:PORT`: the registry as docker names it.
    pub host: String,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Registry {
    /// Starts a registry that challenges as told and lets in what `introspection` allows.
    pub fn start(challenge: Challenge, introspection: Introspection) -> Registry {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the registry");
        let host = listener.local_addr().expect("the registry's address").to_string();
        let url = format!("http://{host}");
        let shared = Arc::new(Shared {
            challenge,
            introspection,
            requests: Mutex::new(Vec::new()),
            issued: Mutex::new(Vec::new()),
            counter: AtomicUsize::new(0),
            url: url.clone(),
            stop: AtomicBool::new(false),
        });
        let thread = {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let mut workers: Vec<JoinHandle<()>> = Vec::new();
                for stream in listener.incoming() {
                    if shared.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let shared = shared.clone();
                    workers.retain(|w| !w.is_finished());
                    workers.push(std::thread::spawn(move || connection(stream, &shared)));
                }
                for worker in workers {
                    let _ = worker.join();
                }
            })
        };
        Registry { url, host, shared, thread: Some(thread) }
    }

    /// `HOST/acme/app:1.0`, the image as clients name it.
    pub fn image(&self) -> String {
        format!("{}/{REPOSITORY}:{TAG}", self.host)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<RegistryRequest> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The OAuth tokens presented (as Basic passwords) and let in, in order.
    pub fn admitted_tokens(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.scheme == Some(Scheme::Basic) && matches!(r.decision, Some(Decision::Allow(_))))
            .filter_map(|r| r.token)
            .collect()
    }

    /// The digest of the image's manifest (`sha256:…`).
    pub fn manifest_digest() -> String {
        digest(&manifest())
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect(&self.host);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One connection: a TLS handshake gets Go's answer; else one request is read and answered.
fn connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut first = [0u8; 1];
    if stream.peek(&mut first).is_ok_and(|n| n == 1) && first[0] == 0x16 {
        let mut stream = stream;
        let _ = stream.write_all(b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
        return;
    }
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else { return };
    let (method, target) = (method.to_string(), target.to_string());
    let mut authorization = None;
    let mut length = 0u64;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).map_or(true, |n| n == 0) || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("Authorization") {
                authorization = Some(value.trim().to_string());
            } else if name.trim().eq_ignore_ascii_case("Content-Length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let _ = std::io::copy(&mut reader.take(length), &mut std::io::sink());
    let reply = answer(shared, &method, &target, authorization.as_deref());
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    let length = if method == "HEAD" { reply.length } else { reply.body.len() };
    for (name, value) in reply.headers.iter().chain(&[
        ("Content-Type".to_string(), reply.content_type.to_string()),
        ("Content-Length".to_string(), length.to_string()),
        ("Docker-Distribution-API-Version".to_string(), "registry/2.0".to_string()),
        ("Connection".to_string(), "close".to_string()),
    ]) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let body = if method == "HEAD" { &[][..] } else { reply.body.as_bytes() };
    let _ = writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(body)).and_then(|()| writer.flush());
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        _ => "Status",
    }
}

/// The config blob of the image.
fn config_blob() -> String {
    serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-02T03:04:05Z",
        "config": {"Labels": {"org.opencontainers.image.title": "oat test image"}},
        "rootfs": {"type": "layers", "diff_ids": []},
        "history": []
    })
    .to_string()
}

/// The image manifest (Docker schema 2), pointing at the config blob and no layers.
fn manifest() -> String {
    let config = config_blob();
    serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": config.len(),
            "digest": digest(&config),
        },
        "layers": []
    })
    .to_string()
}

fn digest(text: &str) -> String {
    let hash = sha2::Sha256::digest(text.as_bytes());
    format!("sha256:{}", hash.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Answers one request: the token service, or the V2 API behind the access check.
fn answer(shared: &Shared, method: &str, target: &str, authorization: Option<&str>) -> Reply {
    let path = target.split_once('?').map_or(target, |(p, _)| p).to_string();
    let presented = credentials(authorization);
    let mut record = RegistryRequest {
        method: method.to_string(),
        path: path.clone(),
        scheme: presented.as_ref().map(|(s, _, _)| *s),
        username: presented.as_ref().and_then(|(_, u, _)| u.clone()),
        token: presented.as_ref().map(|(_, _, t)| t.clone()),
        decision: None,
        status: 0,
    };
    let reply = if path == "/token" && shared.challenge == Challenge::Bearer {
        token_service(shared, &mut record, method, &path)
    } else {
        let admitted = match (shared.challenge, &presented) {
            (Challenge::Basic, Some((Scheme::Basic, username, token))) => {
                let decision = judge(shared, method, &path, username.clone(), token);
                let allowed = matches!(decision, Decision::Allow(_));
                record.decision = Some(decision);
                allowed
            }
            (Challenge::Bearer, Some((Scheme::Bearer, _, token))) => shared.issued.lock().unwrap().contains(token),
            _ => false,
        };
        if admitted { api(&path) } else { challenge(shared, &path) }
    };
    record.status = reply.status;
    shared.requests.lock().unwrap().push(record);
    reply
}

/// The provider's word on an OAuth token.
fn judge(shared: &Shared, method: &str, path: &str, username: Option<String>, token: &str) -> Decision {
    let presented =
        Presented { method: method.into(), path: path.into(), scheme: Scheme::Basic, username, token: token.into() };
    shared.introspection.decide(&presented)
}

/// `GET /token`: a Basic credential whose token is active buys a registry token.
fn token_service(shared: &Shared, record: &mut RegistryRequest, method: &str, path: &str) -> Reply {
    let (Some(Scheme::Basic), Some(token)) = (record.scheme, record.token.clone()) else {
        return Reply::error(401, "UNAUTHORIZED", "the token service takes Basic credentials")
            .header("WWW-Authenticate", &format!("Basic realm=\"{SERVICE}\""));
    };
    let decision = judge(shared, method, path, record.username.clone(), &token);
    record.decision = Some(decision.clone());
    match decision {
        Decision::Allow(_) => {
            let n = shared.counter.fetch_add(1, Ordering::SeqCst);
            let issued = format!("registry-token-{n}");
            shared.issued.lock().unwrap().push(issued.clone());
            Reply::json(
                200,
                serde_json::json!({"token": issued, "access_token": issued, "expires_in": 300}).to_string(),
            )
        }
        Decision::Refuse(reason) => Reply::error(401, "UNAUTHORIZED", &reason),
    }
}

/// The 401 that makes a client look for credentials.
fn challenge(shared: &Shared, path: &str) -> Reply {
    let value = match shared.challenge {
        Challenge::Basic => "Basic realm=\"oat test registry\"".to_string(),
        Challenge::Bearer => {
            let scope = repository(path).map(|r| format!(",scope=\"repository:{r}:pull\"")).unwrap_or_default();
            format!("Bearer realm=\"{}/token\",service=\"{SERVICE}\"{scope}", shared.url)
        }
    };
    Reply::error(401, "UNAUTHORIZED", "authentication required").header("WWW-Authenticate", &value)
}

/// The repository a path is about (`/v2/acme/app/manifests/1.0` → `acme/app`).
fn repository(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/v2/")?;
    ["/manifests/", "/blobs/", "/tags/"].iter().find_map(|marker| rest.find(marker).map(|i| &rest[..i]))
}

/// The V2 API for a client let in.
fn api(path: &str) -> Reply {
    let base = format!("/v2/{REPOSITORY}");
    let manifest = manifest();
    let config = config_blob();
    let found = |body: String, content_type: &'static str| {
        let digest = digest(&body);
        Reply {
            status: 200,
            content_type,
            length: body.len(),
            body,
            headers: vec![("Docker-Content-Digest".into(), digest)],
        }
    };
    if path == "/v2/" {
        Reply::json(200, "{}".into())
    } else if path == format!("{base}/manifests/{TAG}") || path == format!("{base}/manifests/{}", digest(&manifest)) {
        found(manifest, "application/vnd.docker.distribution.manifest.v2+json")
    } else if path == format!("{base}/blobs/{}", digest(&config)) {
        found(config, "application/octet-stream")
    } else if path == format!("{base}/tags/list") {
        Reply::json(200, serde_json::json!({"name": REPOSITORY, "tags": [TAG]}).to_string())
    } else {
        Reply::error(404, "NAME_UNKNOWN", "no such repository, manifest or blob")
    }
}

/// An answer.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
    /// The body's length (also for HEAD, which sends no body).
    length: usize,
    headers: Vec<(String, String)>,
}

impl Reply {
    fn json(status: u16, body: String) -> Reply {
        Reply { status, content_type: "application/json", length: body.len(), body, headers: Vec::new() }
    }

    /// A registry error (`{"errors": [{code, message}]}`).
    fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::json(status, serde_json::json!({"errors": [{"code": code, "message": message}]}).to_string())
    }

    fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}
