//! A git smart-HTTP server on loopback, for the tests of oat as git's credential helper: bare
//! repositories in a temp `GIT_PROJECT_ROOT`, served by git's own CGI program
//! `git http-backend`, behind an access check run on every request.
//!
//! The check gets what a request presented ([`Presented`]: `Authorization: Basic
//! base64(user:token)`, or `Authorization: Bearer token`) and answers a [`Decision`];
//! [`Introspection`] is the check backed by the real provider (RFC 7662), optionally requiring
//! one client per path prefix. A request without credentials, or refused, gets `401` with
//! `WWW-Authenticate: Basic`, which is what makes git ask its credential helpers. Every request
//! is recorded with what it presented and the status answered; request counts a test expects
//! ([`GitServer::expect`]) are checked on drop, which also stops the server, kills any
//! `git http-backend` still running and joins the threads that served requests (tiny_http's own
//! connection threads end with their connections, as in the fixture).
//!
//! [`Git`] runs the git binary as these tests must: isolated from user and system config, with
//! stdin closed, no terminal prompt and a time limit.

use super::expect::Expected;
use super::{Output, Provider, Threaded, post_form};
use base64::Engine as _;
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How git and a helper are installed where they are missing.
const INSTALL_GIT: &str = "apt-get install -y --no-install-recommends git";

/// The `WWW-Authenticate` challenge of a 401.
pub const CHALLENGE: &str = "Basic realm=\"oat test git server\"";

/// How the credentials of a request were presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `Authorization: Basic base64(user:token)`: git's way with a username and password.
    Basic,
    /// `Authorization: Bearer token`: `http.extraHeader`, or a helper answering
    /// `authtype=Bearer` (git 2.46 and later).
    Bearer,
}

/// What a request presented, for the access check to decide on.
#[derive(Clone, Debug)]
pub struct Presented {
    pub method: String,
    /// The path (e.g. `/acme/app.git/info/refs`), without the query.
    pub path: String,
    pub scheme: Scheme,
    /// The username of Basic credentials.
    pub username: Option<String>,
    /// The password of Basic credentials, or the Bearer token.
    pub token: String,
}

/// The access check's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Served, as this user (`REMOTE_USER`, which also enables pushing).
    Allow(String),
    /// Answered 401, for this reason (recorded, and sent as the body).
    Refuse(String),
}

/// One request the server received.
#[derive(Clone, Debug)]
pub struct GitRequest {
    pub method: String,
    pub path: String,
    /// The raw query string (`service=git-upload-pack`), empty if none.
    pub query: String,
    pub headers: Vec<(String, String)>,
    /// How credentials were presented, if they were.
    pub scheme: Option<Scheme>,
    pub username: Option<String>,
    /// The token presented (test tokens only, so kept as they are).
    pub token: Option<String>,
    /// The check's decision; `None` when nothing was presented (then the check is not asked).
    pub decision: Option<Decision>,
    /// The status answered.
    pub status: u16,
    pub at: Instant,
}

impl GitRequest {
    /// A header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// `(method, path, status)`, to compare a whole exchange at once.
    pub fn line(&self) -> (String, String, u16) {
        (self.method.clone(), self.path.clone(), self.status)
    }
}

type Check = dyn Fn(&Presented) -> Decision + Send + Sync;

/// What the request threads share.
struct Shared {
    check: Box<Check>,
    requests: Mutex<Vec<GitRequest>>,
    /// The `git http-backend` processes still running.
    children: Mutex<Vec<Arc<Mutex<Child>>>>,
    backend: PathBuf,
    /// GIT_PROJECT_ROOT.
    projects: PathBuf,
    /// Where request bodies are spooled.
    scratch: PathBuf,
    /// HOME of the backend (and of the git commands the server runs itself).
    home: PathBuf,
    /// The backend's stderr, every request appended.
    log: PathBuf,
}

/// The git server; stopped on drop, which checks the expected request counts.
pub struct GitServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    shared: Arc<Shared>,
    server: Threaded,
    expected: Expected,
    git: Git,
    _dir: tempfile::TempDir,
}

impl GitServer {
    /// Starts a server whose access check is `check`, asked once per request that carries
    /// credentials.
    pub fn start(check: impl Fn(&Presented) -> Decision + Send + Sync + 'static) -> GitServer {
        let backend = http_backend();
        let dir = tempfile::tempdir().expect("temp dir");
        let (projects, scratch, home) =
            (dir.path().join("projects"), dir.path().join("scratch"), dir.path().join("home"));
        for d in [&projects, &scratch, &home] {
            std::fs::create_dir_all(d).expect("git server dirs");
        }
        let shared = Arc::new(Shared {
            check: Box::new(check),
            requests: Mutex::new(Vec::new()),
            children: Mutex::new(Vec::new()),
            backend,
            projects,
            scratch,
            home,
            log: dir.path().join("http-backend.log"),
        });
        let server = Threaded::start("the git server", shared.clone(), serve);
        GitServer { url: server.url(), shared, server, expected: Expected::default(), git: Git::new(), _dir: dir }
    }

    /// Starts a server that lets in the tokens the provider says are active (and, with
    /// [`Introspection::owner`], of the right client for the path).
    pub fn introspecting(introspection: Introspection) -> GitServer {
        GitServer::start(move |presented| introspection.decide(presented))
    }

    /// Creates the bare repository NAME (e.g. `acme/app.git`) with branch `main` and one commit
    /// ("initial commit", adding README.md); its URL.
    pub fn repo(&self, name: &str) -> String {
        let bare = self.path(name);
        let work = tempfile::tempdir_in(&self.shared.scratch).expect("temp dir");
        let bare_arg = bare.to_str().expect("a UTF-8 path");
        self.git.succeed(&self.shared.scratch, &["init", "--quiet", "--bare", "--initial-branch=main", bare_arg]);
        self.git.succeed(work.path(), &["init", "--quiet", "--initial-branch=main"]);
        std::fs::write(work.path().join("README.md"), format!("# {name}\n")).expect("write README.md");
        self.git.succeed(work.path(), &["add", "README.md"]);
        self.git.succeed(work.path(), &["commit", "--quiet", "-m", "initial commit"]);
        self.git.succeed(work.path(), &["push", "--quiet", bare_arg, "main"]);
        self.url_of(name)
    }

    /// The URL of repository NAME.
    pub fn url_of(&self, name: &str) -> String {
        format!("{}/{name}", self.url)
    }

    /// The directory of bare repository NAME.
    pub fn path(&self, name: &str) -> PathBuf {
        self.shared.projects.join(name)
    }

    /// `git ARGS` in bare repository NAME, which must succeed: its stdout, trimmed (e.g.
    /// `["rev-parse", "main"]`, `["log", "--format=%s", "main"]`).
    pub fn git(&self, name: &str, args: &[&str]) -> String {
        self.git.succeed(&self.path(name), args).stdout.trim().to_string()
    }

    /// The same server, which must have received exactly `times` requests to `path` by the
    /// time it is dropped, or the test fails.
    pub fn expect(mut self, path: &str, times: usize) -> GitServer {
        self.expected.add(path, times);
        self
    }

    /// The requests received so far, in the order they were answered.
    pub fn requests(&self) -> Vec<GitRequest> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The requests to one path.
    pub fn requests_to(&self, path: &str) -> Vec<GitRequest> {
        self.requests().into_iter().filter(|r| r.path == path).collect()
    }

    /// Forgets the requests received so far (expected counts are kept, and then count only
    /// what comes after).
    pub fn clear(&self) {
        self.shared.requests.lock().unwrap().clear();
    }

    /// What `git http-backend` wrote on stderr so far.
    pub fn backend_log(&self) -> String {
        std::fs::read_to_string(&self.shared.log).unwrap_or_default()
    }
}

impl Drop for GitServer {
    fn drop(&mut self) {
        let workers = self.server.stop();
        for child in self.shared.children.lock().unwrap().iter() {
            let _ = child.lock().unwrap().kill();
        }
        for worker in workers {
            let _ = worker.join();
        }
        let requests = self.requests();
        self.expected.check(&self.url, requests.iter().map(|r| r.path.as_str()));
    }
}

/// Serves one request: the access check, then `git http-backend` or a 401.
fn serve(mut request: tiny_http::Request, shared: &Shared) {
    let target = request.url().to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let headers: Vec<(String, String)> =
        request.headers().iter().map(|h| (h.field.to_string(), h.value.to_string())).collect();
    let presented = credentials(header(&headers, "Authorization")).map(|(scheme, username, token)| Presented {
        method: request.method().to_string(),
        path: path.to_string(),
        scheme,
        username,
        token,
    });
    let decision = presented.as_ref().map(|p| (shared.check)(p));
    let mut record = GitRequest {
        method: request.method().to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        scheme: presented.as_ref().map(|p| p.scheme),
        username: presented.as_ref().and_then(|p| p.username.clone()),
        token: presented.map(|p| p.token),
        decision: decision.clone(),
        status: 0,
        at: Instant::now(),
    };
    match decision {
        Some(Decision::Allow(user)) => run_backend(request, record, &user, shared),
        refused => {
            let reason = match refused {
                Some(Decision::Refuse(reason)) => reason,
                _ => "no credentials".to_string(),
            };
            // The rest of the body, so that the connection can carry the next request.
            let _ = std::io::copy(request.as_reader(), &mut std::io::sink());
            record.status = 401;
            shared.requests.lock().unwrap().push(record);
            let response = tiny_http::Response::from_string(format!("{reason}\n"))
                .with_status_code(401)
                .with_header(tiny_http::Header::from_bytes("WWW-Authenticate", CHALLENGE).unwrap())
                .with_header(tiny_http::Header::from_bytes("Content-Type", "text/plain").unwrap());
            let _ = request.respond(response);
        }
    }
}

/// Runs `git http-backend` for a request let in as `user` and streams its answer back.
fn run_backend(mut request: tiny_http::Request, mut record: GitRequest, user: &str, shared: &Shared) {
    let started = start_backend(&mut request, &record, user, shared);
    let (child, stdout) = match started {
        Ok(started) => started,
        Err(e) => {
            record.status = 500;
            shared.requests.lock().unwrap().push(record);
            let _ = request
                .respond(tiny_http::Response::from_string(format!("git http-backend: {e}\n")).with_status_code(500));
            return;
        }
    };
    let mut stdout = BufReader::new(stdout);
    let (status, headers, length) = cgi_head(&mut stdout).unwrap_or((502, Vec::new(), None));
    record.status = status;
    shared.requests.lock().unwrap().push(record);
    // The body is streamed from the backend as it writes it (chunked unless it gave a length).
    let response = tiny_http::Response::new(tiny_http::StatusCode(status), headers, stdout, length, None);
    let _ = request.respond(response);
    let _ = child.lock().unwrap().wait();
    shared.children.lock().unwrap().retain(|c| !Arc::ptr_eq(c, &child));
}

/// Spools the request body to a file (so that the backend reads it at its pace and a chunked
/// body gets a length) and starts the backend on it with the CGI variables.
fn start_backend(
    request: &mut tiny_http::Request,
    record: &GitRequest,
    user: &str,
    shared: &Shared,
) -> std::io::Result<(Arc<Mutex<Child>>, ChildStdout)> {
    let mut body = tempfile::tempfile_in(&shared.scratch)?;
    let length = std::io::copy(request.as_reader(), &mut body)?;
    body.seek(SeekFrom::Start(0))?;
    let log = OpenOptions::new().create(true).append(true).open(&shared.log)?;
    let mut cmd = Command::new(&shared.backend);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &shared.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_PROJECT_ROOT", &shared.projects)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("REQUEST_METHOD", &record.method)
        .env("PATH_INFO", &record.path)
        .env("QUERY_STRING", &record.query)
        .env("REMOTE_USER", user)
        .env("REMOTE_ADDR", "127.0.0.1");
    if length > 0 || record.method == "POST" {
        cmd.env("CONTENT_LENGTH", length.to_string());
    }
    for (header, variable) in [
        ("Content-Type", "CONTENT_TYPE"),
        ("Content-Encoding", "HTTP_CONTENT_ENCODING"),
        ("Git-Protocol", "GIT_PROTOCOL"),
    ] {
        if let Some(value) = record.header(header) {
            cmd.env(variable, value);
        }
    }
    let mut child = cmd.stdin(body).stdout(Stdio::piped()).stderr(log).spawn()?;
    let stdout = child.stdout.take().expect("piped stdout");
    let child = Arc::new(Mutex::new(child));
    shared.children.lock().unwrap().push(child.clone());
    Ok((child, stdout))
}

/// Reads the head of a CGI answer: the status (`Status:`, else 302 with a `Location`, else 200),
/// the other headers, and the body length if it gave one.
fn cgi_head(stdout: &mut impl BufRead) -> Option<(u16, Vec<tiny_http::Header>, Option<usize>)> {
    let (mut status, mut headers, mut length, mut location) = (None, Vec::new(), None, false);
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("Status") {
            status = value.split_whitespace().next()?.parse().ok();
        } else if name.eq_ignore_ascii_case("Content-Length") {
            length = value.parse().ok();
        } else {
            location |= name.eq_ignore_ascii_case("Location");
            headers.push(tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()?);
        }
    }
    Some((status.unwrap_or(if location { 302 } else { 200 }), headers, length))
}

/// The scheme, Basic username and token of an `Authorization` header; `None` for anything else.
pub fn credentials(authorization: Option<&str>) -> Option<(Scheme, Option<String>, String)> {
    let (scheme, value) = authorization?.trim().split_once(' ')?;
    let value = value.trim();
    if scheme.eq_ignore_ascii_case("Basic") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(value).ok()?;
        let (user, token) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
        Some((Scheme::Basic, Some(user.to_string()), token.to_string()))
    } else if scheme.eq_ignore_ascii_case("Bearer") {
        Some((Scheme::Bearer, None, value.to_string()))
    } else {
        None
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// The access check backed by the provider: a token is let in when RFC 7662 introspection
/// (`POST {issuer}/token/introspection`, as the confidential client `machine`) says it is
/// active, and, under a path prefix given to [`Introspection::owner`], only when it was issued
/// to that prefix's client. The user is the token's `sub`, else its `client_id`.
#[derive(Clone)]
pub struct Introspection {
    endpoint: String,
    owners: Vec<(String, String)>,
}

impl Introspection {
    /// Introspection at this provider; no path is reserved to a client.
    pub fn new(provider: &Provider) -> Introspection {
        Introspection { endpoint: format!("{}/token/introspection", provider.issuer), owners: Vec::new() }
    }

    /// Paths starting with `prefix` (e.g. `/team-a/`) only let in tokens of `client_id`. The
    /// first prefix that matches applies; a path no prefix matches lets in any active token.
    pub fn owner(mut self, prefix: &str, client_id: &str) -> Introspection {
        self.owners.push((prefix.to_string(), client_id.to_string()));
        self
    }

    /// The decision on one request.
    pub fn decide(&self, presented: &Presented) -> Decision {
        let answer = post_form(&self.endpoint, Some(("machine", "machine-secret")), &[("token", &presented.token)]);
        let body = match answer {
            Ok((200, body)) => body,
            Ok((status, body)) => return Decision::Refuse(format!("introspection answered {status}: {body}")),
            Err(e) => return Decision::Refuse(format!("introspection failed: {e}")),
        };
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        if answer["active"] != true {
            return Decision::Refuse("the token is not active".to_string());
        }
        let client = answer["client_id"].as_str().unwrap_or_default();
        if let Some((prefix, owner)) =
            self.owners.iter().find(|(prefix, _)| presented.path.starts_with(prefix.as_str()))
            && client != owner
        {
            return Decision::Refuse(format!("{prefix} is for tokens of client {owner}, not of {client}"));
        }
        Decision::Allow(answer["sub"].as_str().unwrap_or(client).to_string())
    }
}

/// The `git http-backend` program of the git on PATH; fails the test if either is missing.
fn http_backend() -> PathBuf {
    let out = Command::new("git").arg("--exec-path").stdin(Stdio::null()).output();
    let exec_path = match out {
        Ok(out) if out.status.success() => PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()),
        _ => panic!("`git` is missing or broken: install it with `{INSTALL_GIT}`"),
    };
    let backend = exec_path.join("git-http-backend");
    assert!(
        backend.is_file(),
        "`git http-backend` is missing from {}: install it with `{INSTALL_GIT}`",
        exec_path.display()
    );
    backend
}

/// The installed git's version, e.g. `(2, 47)`.
pub fn git_version() -> (u32, u32) {
    let out = Command::new("git")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("`git` is missing ({e}): install it with `{INSTALL_GIT}`"));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut numbers = text.split_whitespace().nth(2).unwrap_or_default().split('.').map(|n| n.parse().unwrap_or(0));
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0))
}

/// The git binary, isolated: a temp HOME and XDG_CONFIG_HOME, no system or global config, no
/// terminal prompt, a fixed author and committer, the C locale, and nothing else of the
/// test's environment but PATH. Every run has stdin closed and a time limit, after which git
/// and everything it started (remote helpers, credential helpers) are killed and the test fails.
pub struct Git {
    home: tempfile::TempDir,
    vars: Vec<(String, String)>,
    limit: Duration,
}

impl Git {
    /// Isolated git with a 60 s limit per run; fails the test if git is missing.
    pub fn new() -> Git {
        git_version();
        let home = tempfile::tempdir().expect("temp dir");
        let mut git = Git { vars: Vec::new(), limit: Duration::from_secs(60), home };
        let home = git.home.path().to_str().expect("a UTF-8 path").to_string();
        for (key, value) in [
            ("PATH", std::env::var("PATH").unwrap_or_default().as_str()),
            ("HOME", &home),
            ("XDG_CONFIG_HOME", &format!("{home}/config")),
            ("GIT_CONFIG_NOSYSTEM", "1"),
            ("GIT_CONFIG_GLOBAL", "/dev/null"),
            ("GIT_TERMINAL_PROMPT", "0"),
            ("LC_ALL", "C"),
            ("GIT_AUTHOR_NAME", "Test Author"),
            ("GIT_AUTHOR_EMAIL", "author@oat.test"),
            ("GIT_COMMITTER_NAME", "Test Committer"),
            ("GIT_COMMITTER_EMAIL", "committer@oat.test"),
        ] {
            git.set(key, value);
        }
        git
    }

    /// Sets a variable for every run (e.g. `GIT_TRACE_CURL`, or what an `oat` helper needs).
    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_string(), value.to_string()));
    }

    /// Removes a variable (e.g. `GIT_TERMINAL_PROMPT`, for a run that may ask on a terminal).
    pub fn unset(&mut self, key: &str) {
        self.vars.retain(|(k, _)| k != key);
    }

    /// The variables every run gets, for a command that runs git itself (under `script`).
    pub fn vars(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Another time limit per run.
    pub fn limit(&mut self, limit: Duration) {
        self.limit = limit;
    }

    /// The temp HOME.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// `git ARGS` in `dir`, to its end or the time limit.
    pub fn run(&self, dir: &Path, args: &[&str]) -> Output {
        use std::os::unix::process::CommandExt as _;
        let (mut stdout, mut stderr) =
            (tempfile::tempfile().expect("temp file"), tempfile::tempfile().expect("temp file"));
        let mut child = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            // Files, not pipes: a process git left behind cannot keep the test waiting for EOF.
            .stdout(stdout.try_clone().expect("temp file"))
            .stderr(stderr.try_clone().expect("temp file"))
            // Its own process group, so that everything it starts can be killed with it.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run `git` ({e}): install it with `{INSTALL_GIT}`"));
        let deadline = Instant::now() + self.limit;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for git") {
                break Some(status);
            }
            if Instant::now() > deadline {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let read = |file: &mut std::fs::File| {
            let mut text = String::new();
            let _ = file.seek(SeekFrom::Start(0)).and_then(|_| file.read_to_string(&mut text));
            text
        };
        let (stdout, stderr) = (read(&mut stdout), read(&mut stderr));
        let Some(status) = status else {
            panic!("`git {}` did not finish within {:?}; stderr:\n{stderr}", args.join(" "), self.limit);
        };
        Output { code: status.code().unwrap_or(-1), stdout, stderr }
    }

    /// `git ARGS` in `dir`, which must succeed.
    pub fn succeed(&self, dir: &Path, args: &[&str]) -> Output {
        let out = self.run(dir, args);
        assert_eq!(out.code, 0, "`git {}` failed:\n{}", args.join(" "), out.stderr);
        out
    }
}
