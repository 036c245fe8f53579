//! A tiny Kubernetes API server over HTTPS on loopback, for the tests of oat as kubectl's exec
//! credential plugin (no real API server runs here): it answers `/version`, `/api` and `/apis`
//! as kube-apiserver does, and only to a request whose bearer token passes its authenticator:
//! - [`Authenticator::IdTokens`], what kube-apiserver's OIDC authenticator checks: a JWT whose
//!   signature verifies with the real provider's published keys (its JWKS), whose `iss` is the
//!   provider, whose `aud` contains the client id and whose `exp` is in the future (no leeway);
//! - [`Authenticator::AccessTokens`], an API that takes access tokens (like kube-apiserver's
//!   webhook token authenticator): the provider's introspection says the token is active.
//!
//! Anything else gets kube-apiserver's `401 Unauthorized` Status. TLS uses a test CA
//! ([`super::Pki`]) that the kubeconfig names. Every request is recorded with the token it
//! presented and the decision. Stopped on drop.
//!
//! [`Kubectl`] runs the real kubectl as these tests must: its own HOME, `--kubeconfig`, stdin
//! closed or a terminal from util-linux's `script`, a time limit.

#![allow(clippy::disallowed_types, reason = "a test server binds its own loopback socket, as the fixture does")]

use super::{Env, Output, Pki, Provider, http_client, pki, post_form};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What kubectl needs where it is missing. Debian's own `kubernetes-client` (1.20) speaks only
/// ExecCredential v1beta1 and cannot write a kubeconfig (it panics), so the kubectl of the
/// Google Cloud SDK (`kubectl`, 1.22 or later) is the one to have.
pub const INSTALL_KUBECTL: &str =
    "install kubectl 1.22 or later (Google Cloud SDK's `apt-get install kubectl`, or the upstream binary)";

/// The version kube-apiserver reports, which Google Cloud SDK's kubectl dispatcher uses to pick
/// its kubectl (one it ships).
const SERVER_VERSION: (&str, &str) = ("1", "32");

/// How a request's bearer token is judged.
pub enum Authenticator {
    /// OIDC: a JWT signed with one of these keys (the provider's JWKS), for this issuer and client.
    IdTokens { issuer: String, client_id: String, jwks: Value },
    /// Tokens the provider's introspection (as client `machine`) says are active.
    AccessTokens { introspection: String },
}

impl Authenticator {
    /// kube-apiserver's OIDC authenticator for the provider's ID tokens issued to `client_id`.
    pub fn id_tokens(provider: &Provider, client_id: &str) -> Authenticator {
        let get = |url: &str| -> Value {
            let body = http_client().get(url).send().and_then(|r| r.text()).expect("a request to the provider");
            serde_json::from_str(&body).expect("JSON from the provider")
        };
        let metadata = get(&format!("{}/.well-known/openid-configuration", provider.issuer));
        let jwks = get(metadata["jwks_uri"].as_str().expect("jwks_uri"));
        Authenticator::IdTokens { issuer: provider.issuer.clone(), client_id: client_id.to_string(), jwks }
    }

    /// An authenticator that asks the provider's introspection endpoint about each token.
    pub fn access_tokens(provider: &Provider) -> Authenticator {
        Authenticator::AccessTokens { introspection: format!("{}/token/introspection", provider.issuer) }
    }

    /// The user the token authenticates, or why it does not.
    pub fn authenticate(&self, token: &str) -> Result<String, String> {
        match self {
            Authenticator::IdTokens { issuer, client_id, jwks } => verify_id_token(token, issuer, client_id, jwks),
            Authenticator::AccessTokens { introspection } => {
                let answer = post_form(introspection, Some(("machine", "machine-secret")), &[("token", token)]);
                let body = match answer {
                    Ok((200, body)) => body,
                    Ok((status, body)) => return Err(format!("introspection answered {status}: {body}")),
                    Err(e) => return Err(format!("introspection failed: {e}")),
                };
                let answer: Value = serde_json::from_str(&body).unwrap_or_default();
                if answer["active"] != true {
                    return Err("the token is not active".into());
                }
                Ok(answer["sub"].as_str().unwrap_or_default().to_string())
            }
        }
    }
}

/// The OIDC authenticator's checks: signature by `kid` from the JWKS, `iss`, `aud`, `exp`
/// (required, strictly in the future).
fn verify_id_token(token: &str, issuer: &str, client_id: &str, jwks: &Value) -> Result<String, String> {
    use jsonwebtoken::{DecodingKey, Validation, decode, decode_header, jwk::Jwk};
    let header = decode_header(token).map_err(|e| format!("not a JWT: {e}"))?;
    let kid = header.kid.ok_or("no kid")?;
    let jwk = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid.as_str()))
        .ok_or(format!("no key {kid} in the provider's JWKS"))?;
    let jwk: Jwk = serde_json::from_value(jwk.clone()).map_err(|e| format!("JWK: {e}"))?;
    let key = DecodingKey::from_jwk(&jwk).map_err(|e| format!("JWK: {e}"))?;
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&[client_id]);
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = 0;
    let claims = decode::<Value>(token, &key, &validation).map_err(|e| format!("rejected: {e}"))?.claims;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    if claims["exp"].as_u64().is_none_or(|exp| exp <= now) {
        return Err("expired".into());
    }
    Ok(claims["sub"].as_str().unwrap_or_default().to_string())
}

/// One request the server received.
#[derive(Clone, Debug)]
pub struct KubeRequest {
    pub method: String,
    pub path: String,
    /// The bearer token presented (test tokens only, so kept as they are).
    pub token: Option<String>,
    /// The user it authenticated, or why not (`None` without a token).
    pub decision: Option<Result<String, String>>,
    pub status: u16,
    pub at: Instant,
}

struct Shared {
    authenticator: Authenticator,
    requests: Mutex<Vec<KubeRequest>>,
    tls: Arc<rustls::ServerConfig>,
    stop: AtomicBool,
}

/// The API server; stopped on drop.
pub struct KubeServer {
    /// `https://127.0.0.1:PORT`.
    pub url: String,
    /// The CA (PEM) that signed its certificate.
    pub ca: PathBuf,
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<Vec<JoinHandle<()>>>>,
    _dir: tempfile::TempDir,
}

impl KubeServer {
    /// Starts a server that lets in the requests `authenticator` accepts.
    pub fn start(authenticator: Authenticator) -> KubeServer {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().expect("temp dir");
        let Pki { ca, server_cert, server_key, .. } = pki(dir.path());
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(&server_cert).unwrap().collect::<Result<_, _>>().unwrap();
        let key = PrivateKeyDer::from_pem_file(&server_key).unwrap();
        let tls = rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(certs, key).unwrap();
        let shared = Arc::new(Shared {
            authenticator,
            requests: Mutex::new(Vec::new()),
            tls: Arc::new(tls),
            stop: AtomicBool::new(false),
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the API server");
        let addr = listener.local_addr().unwrap();
        let thread = {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let mut workers: Vec<JoinHandle<()>> = Vec::new();
                for stream in listener.incoming() {
                    if shared.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    workers.retain(|w| !w.is_finished());
                    let shared = shared.clone();
                    workers.push(std::thread::spawn(move || serve_connection(stream, &shared)));
                }
                workers
            })
        };
        KubeServer { url: format!("https://{addr}"), ca, addr, shared, thread: Some(thread), _dir: dir }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<KubeRequest> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The tokens of the requests that were let in, in order.
    pub fn accepted_tokens(&self) -> Vec<String> {
        self.requests().into_iter().filter(|r| matches!(r.decision, Some(Ok(_)))).filter_map(|r| r.token).collect()
    }

    /// Forgets the requests received so far.
    pub fn clear(&self) {
        self.shared.requests.lock().unwrap().clear();
    }

    /// A kubeconfig with this server as cluster `test`, context `test` (current) using user
    /// `user`, and `users` as its `users:` list (YAML, e.g. from [`exec_user`]), written to
    /// `path`.
    pub fn kubeconfig(&self, path: &Path, user: &str, users: &str) {
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {}\n    \
             certificate-authority: {}\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: {user}\n\
             current-context: test\n{users}",
            self.url,
            self.ca.display()
        );
        std::fs::write(path, text).expect("write the kubeconfig");
    }
}

impl Drop for KubeServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop up so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        let workers = self.thread.take().and_then(|t| t.join().ok()).unwrap_or_default();
        for worker in workers {
            let _ = worker.join();
        }
    }
}

/// A `users:` list of one user whose exec plugin is `oat kube-credential ARGS` in the form
/// kubectl `minor` understands: v1 with `interactiveMode` (1.22 and later), else v1beta1.
pub fn exec_user(user: &str, args: &[&str], minor: u32, interactive_mode: &str) -> String {
    let mut text = format!("users:\n- name: {user}\n  user:\n    exec:\n");
    if minor >= 22 {
        text.push_str(&format!(
            "      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: {interactive_mode}\n"
        ));
    } else {
        text.push_str("      apiVersion: client.authentication.k8s.io/v1beta1\n");
    }
    text.push_str(&format!("      command: {}\n      args:\n      - kube-credential\n", env!("CARGO_BIN_EXE_oat")));
    for arg in args {
        text.push_str(&format!("      - {arg}\n"));
    }
    text
}

/// Serves the requests of one connection (keep-alive) until it closes or idles for 10 s.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(connection) = rustls::ServerConnection::new(shared.tls.clone()) else { return };
    let mut tls = BufReader::new(rustls::StreamOwned::new(connection, stream));
    while !shared.stop.load(Ordering::SeqCst) {
        let Some((method, path, headers)) = read_head(&mut tls) else { return };
        let length = header(&headers, "content-length").and_then(|l| l.parse::<u64>().ok()).unwrap_or(0);
        if std::io::copy(&mut (&mut tls).take(length), &mut std::io::sink()).is_err() {
            return;
        }
        let token = header(&headers, "authorization")
            .and_then(|a| a.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim().to_string());
        let decision = token.as_deref().map(|t| shared.authenticator.authenticate(t));
        let (status, body) = match &decision {
            Some(Ok(_)) => answer(&path),
            _ => (401, status_body(401, "Unauthorized", "Unauthorized")),
        };
        shared.requests.lock().unwrap().push(KubeRequest { method, path, token, decision, status, at: Instant::now() });
        let reason = match status {
            200 => "OK",
            401 => "Unauthorized",
            _ => "Not Found",
        };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nCache-Control: no-cache, private\r\n\r\n",
            body.len()
        );
        let out = tls.get_mut();
        if out
            .write_all(head.as_bytes())
            .and_then(|()| out.write_all(body.as_bytes()))
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// A request's method, path and headers.
type Head = (String, String, Vec<(String, String)>);

/// The request line's method and path, and the headers; `None` at the end of the connection.
fn read_head(reader: &mut impl BufRead) -> Option<Head> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let path = target.split('?').next().unwrap_or_default().to_string();
    Some((method, path, headers))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// What kube-apiserver answers an authenticated GET of `path` (the few paths kubectl's
/// discovery and `get --raw` ask for).
fn answer(path: &str) -> (u16, String) {
    let (major, minor) = SERVER_VERSION;
    let body = match path {
        "/version" => json!({
            "major": major, "minor": minor, "gitVersion": format!("v{major}.{minor}.0"),
            "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
            "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc", "platform": "linux/amd64"
        }),
        "/api" => json!({
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]
        }),
        "/apis" => json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": []}),
        _ => return (404, status_body(404, "NotFound", "the server could not find the requested resource")),
    };
    (200, body.to_string())
}

/// kube-apiserver's `Status` object for a failure.
fn status_body(code: u16, reason: &str, message: &str) -> String {
    json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code
    })
    .to_string()
}

/// The real kubectl, isolated: the environment's variables (which kubectl hands on to oat),
/// its own HOME for kubectl's cache, `--kubeconfig` always, a 60 s limit per run after which
/// kubectl and everything it started are killed and the test fails.
pub struct Kubectl {
    vars: Vec<(String, String)>,
    kubeconfig: PathBuf,
    _home: tempfile::TempDir,
}

impl Kubectl {
    /// kubectl with `kubeconfig`, for oat's environment `env`; fails the test if it is missing.
    pub fn new(env: &Env, kubeconfig: &Path) -> Kubectl {
        kubectl_minor();
        let home = tempfile::tempdir().expect("temp dir");
        let mut vars: Vec<(String, String)> =
            env.vars().filter(|(k, _)| *k != "HOME").map(|(k, v)| (k.to_string(), v.to_string())).collect();
        vars.push(("HOME".into(), home.path().to_str().unwrap().to_string()));
        Kubectl { vars, kubeconfig: kubeconfig.to_path_buf(), _home: home }
    }

    /// `kubectl --kubeconfig FILE ARGS` with stdin closed (no terminal: `spec.interactive` is false).
    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("kubectl");
        cmd.arg(format!("--kubeconfig={}", self.kubeconfig.display())).args(args);
        self.finish(cmd, args)
    }

    /// The same on a terminal (util-linux's `script`): kubectl then tells oat it may talk to
    /// the person. The output is what the terminal showed: kubectl's stdout and oat's stderr.
    pub fn in_terminal(&self, args: &[&str]) -> Output {
        let line = format!("kubectl --kubeconfig='{}' {}", self.kubeconfig.display(), args.join(" "));
        let mut cmd = Command::new("script");
        cmd.args(["-qefc", &line, "/dev/null"]);
        self.finish(cmd, args)
    }

    fn finish(&self, mut cmd: Command, args: &[&str]) -> Output {
        use std::os::unix::process::CommandExt as _;
        let (mut stdout, mut stderr) = (tempfile::tempfile().unwrap(), tempfile::tempfile().unwrap());
        let mut child = cmd
            .env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            // A pipe kept open until the end: `script` would pass an EOF on to the terminal.
            .stdin(Stdio::piped())
            .stdout(stdout.try_clone().unwrap())
            .stderr(stderr.try_clone().unwrap())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run kubectl ({e}): {INSTALL_KUBECTL}"));
        let stdin = child.stdin.take();
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > deadline {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        drop(stdin);
        let read = |file: &mut std::fs::File| {
            let mut text = String::new();
            let _ = file.seek(SeekFrom::Start(0)).and_then(|_| file.read_to_string(&mut text));
            text
        };
        let (stdout, stderr) = (read(&mut stdout), read(&mut stderr));
        let Some(status) = status else {
            panic!("`kubectl {}` did not finish within 60 s:\n{stdout}{stderr}", args.join(" "))
        };
        Output { code: status.code().unwrap_or(-1), stdout, stderr }
    }
}

/// The minor version of the kubectl on PATH (e.g. 32); fails the test if there is none.
pub fn kubectl_minor() -> u32 {
    let out = Command::new("kubectl")
        .args(["version", "--client", "-o", "json"])
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("kubectl is missing ({e}): {INSTALL_KUBECTL}"));
    let version: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!("`kubectl version --client -o json` said: {}", String::from_utf8_lossy(&out.stderr))
    });
    let minor = version["clientVersion"]["minor"].as_str().unwrap_or_default();
    minor.trim_end_matches('+').parse().unwrap_or_else(|_| panic!("kubectl's minor version: {version}"))
}

/// Whether the kubectl on PATH can write `interactiveMode` (`--exec-interactive-mode`, 1.30 and
/// later).
pub fn kubectl_knows_interactive_mode() -> bool {
    let out = Command::new("kubectl")
        .args(["config", "set-credentials", "--help"])
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("kubectl is missing ({e}): {INSTALL_KUBECTL}"));
    String::from_utf8_lossy(&out.stdout).contains("--exec-interactive-mode")
}
