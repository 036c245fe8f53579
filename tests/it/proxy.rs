//! `oat proxy` with the real curl in front of it and, behind it, a test API that lets in only the
//! tokens the real provider says are active (`support::api`): the token is added and the
//! client's own credentials, cookies and hop-by-hop headers are not passed on (and a redirect
//! to the API comes back pointed at the proxy); a token that
//! expires mid-session is renewed before the API could refuse it; a refused token is renewed
//! and the request sent once more (or, for a streamed body, not); 50 MiB go up and down in
//! bounded memory, and an event stream arrives event by event; a rebinding `Host` and foreign origins are refused; without a profile name
//! each request gets the token of the profile that serves its URL; SIGINT and SIGTERM stop it
//! cleanly and free its port.

use crate::support::api::{Api, pattern};
use crate::support::git_server::Introspection;
use crate::support::{Env, LoggedIn, Provider, run, write_private};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How curl is installed where it is missing.
const INSTALL_CURL: &str = "apt-get install -y --no-install-recommends curl";

/// `oat proxy ARGS` in the background, its address read from its stdout; killed on drop.
struct Proxy {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    address: String,
    port: u16,
    stderr: tempfile::NamedTempFile,
}

impl Proxy {
    fn start(env: &Env, args: &[&str]) -> Proxy {
        let stderr = tempfile::NamedTempFile::new().unwrap();
        let mut child = env
            .command()
            .arg("proxy")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().unwrap())
            .spawn()
            .expect("start oat proxy");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        let address = line.trim().to_string();
        let port = address.strip_prefix("http://127.0.0.1:").and_then(|p| p.parse().ok());
        let mut proxy = Proxy { child, address, port: port.unwrap_or(0), stderr };
        if port.is_none() {
            let _ = proxy.child.kill();
            panic!("the proxy printed no address ({line:?}); stderr:\n{}", proxy.log());
        }
        proxy
    }

    /// What it wrote on stderr so far.
    fn log(&self) -> String {
        std::fs::read_to_string(self.stderr.path()).unwrap_or_default()
    }

    /// `URL` of a path through the proxy.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a signal (`INT`, `TERM`) and waits for the proxy to end: its exit code and how long
    /// it took.
    fn signal(&mut self, signal: &str) -> (i32, Duration) {
        let sent = Instant::now();
        let status = Command::new("kill").args([&format!("-{signal}"), &self.child.id().to_string()]).status();
        assert!(status.is_ok_and(|s| s.success()), "kill -{signal}");
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status.code().unwrap_or(-1), sent.elapsed());
            }
            assert!(sent.elapsed() < Duration::from_secs(20), "the proxy did not stop on SIG{signal}:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The most memory the process has held (VmHWM), in KiB.
    fn peak_memory_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/PID/status");
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What curl got.
struct Curl {
    /// curl's exit code.
    code: i32,
    status: u16,
    /// The headers of the final answer (lowercase names).
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    stderr: String,
}

impl Curl {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// `curl ARGS` (Debian's curl; no proxy from the environment, at most two minutes), with stdin
/// from a file if given.
fn curl(args: &[&str], stdin: Option<&Path>) -> Curl {
    let dir = tempfile::tempdir().unwrap();
    let (head, body) = (dir.path().join("head"), dir.path().join("body"));
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "120", "--noproxy", "*", "-D"])
        .arg(&head)
        .arg("-o")
        .arg(&body)
        .args(["-w", "%{http_code}"])
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(stdin.map_or_else(Stdio::null, |path| std::fs::File::open(path).unwrap().into()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run curl ({e}): install it with `{INSTALL_CURL}`"));
    let head = std::fs::read_to_string(&head).unwrap_or_default();
    // The last block: a `100 Continue` comes first.
    let last = head.split("\r\n\r\n").filter(|b| !b.trim().is_empty()).last().unwrap_or_default();
    let headers = last
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Curl {
        code: out.status.code().unwrap_or(-1),
        status: String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0),
        headers,
        body: std::fs::read(&body).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `curl ARGS` that must have been answered (any status).
fn answered(args: &[&str]) -> Curl {
    let got = curl(args, None);
    assert_eq!(got.code, 0, "curl {args:?}: {}", got.stderr);
    got
}

/// A file of `size` bytes of the API's pattern, and its SHA-256 in hex.
fn pattern_file(dir: &Path, size: u64) -> (std::path::PathBuf, String) {
    use sha2::Digest as _;
    let path = dir.join(format!("pattern-{size}"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut hash = sha2::Sha256::new();
    let block: Vec<u8> = (0..251 * 1024).map(pattern).collect();
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n]).unwrap();
        hash.update(&block[..n]);
        left -= n as u64;
    }
    file.flush().unwrap();
    (path, hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Replaces the stored access token of `profile` (file store) with one the provider never
/// issued, keeping its expiry: the proxy will present it, and the API will refuse it.
fn spoil_access_token(env: &Env, profile: &str) {
    let mut entry = env.stored(profile).unwrap();
    entry["tokens"]["access_token"] = "not-a-token-the-provider-issued".into();
    write_private(&env.data_dir().join(format!("{profile}.json")), &entry.to_string());
}

#[test]
fn a_request_gets_the_token_and_the_clients_credentials_cookies_and_hop_headers_stay_behind() {
    let provider = Provider::start();
    let env = Env::logged_in("api", &provider, "cli-public");
    let api = Api::start(Introspection::new(&provider));
    let proxy = Proxy::start(&env, &["api", "--upstream", &api.url, "-v"]);
    let token = env.stored_token("api", "access_token");

    let got = answered(&[
        &proxy.url("/things?page=2"),
        "-H",
        "Authorization: Bearer the-clients-own",
        "-H",
        "Cookie: session=another-local-app",
        "-H",
        "Connection: keep-alive, X-Hop",
        "-H",
        "X-Hop: 1",
        "-H",
        "Proxy-Authorization: Basic eDp5",
        "-H",
        "X-Custom: kept",
    ]);
    assert_eq!(got.status, 200, "{}\n{}", got.text(), proxy.log());
    let answer = got.json();
    assert_eq!((answer["user"].as_str(), answer["path"].as_str()), (Some("alice"), Some("/things")));
    assert_eq!(answer["query"], "page=2");
    // What reached the API: oat's token only, none of the client's credentials or hop headers.
    let requests = api.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let seen = &requests[0];
    assert_eq!(seen.values("authorization"), [format!("Bearer {token}")]);
    for gone in ["cookie", "x-hop", "proxy-authorization", "connection", "origin"] {
        assert!(seen.values(gone).is_empty(), "{gone} reached the API: {:?}", seen.headers);
    }
    assert_eq!(seen.values("x-custom"), ["kept"]);
    assert_eq!(seen.values("host"), [api.url.trim_start_matches("http://")]);
    // What came back: the API's headers, without its cookies, hop-by-hop or CORS headers.
    assert_eq!(got.header("x-api"), Some("yes"));
    for gone in ["set-cookie", "keep-alive", "proxy-authenticate", "access-control-allow-origin"] {
        assert!(got.header(gone).is_none(), "{gone} reached the client: {:?}", got.headers);
    }

    // A redirect to the API's own URL comes back pointed at the proxy, so following it keeps the token.
    let moved = answered(&[&proxy.url("/redirect")]);
    assert_eq!((moved.status, moved.header("location")), (302, Some(proxy.url("/landing").as_str())));

    let log = proxy.log();
    assert!(log.lines().any(|l| l.starts_with("GET /things?page=2 200 ") && l.ends_with(" ms")), "{log}");
    assert!(log.contains("authorization: Bearer [redacted sha256:"), "-v shows the exchange, redacted: {log}");
    for secret in [token, env.stored_token("api", "refresh_token"), env.stored_token("api", "id_token")] {
        assert!(!log.contains(&secret), "a token in the proxy's log:\n{log}");
    }
    assert!(!log.contains("the-clients-own"), "{log}");
}

#[test]
fn a_token_that_expires_mid_session_is_renewed_before_the_api_sees_it() {
    // Access tokens live 4 s and are renewed when less than half of that is left.
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "4")]);
    let env = Env::logged_in("api", &provider, "cli-public");
    let api = Api::start(Introspection::new(&provider));
    let proxy = Proxy::start(&env, &["api", "--upstream", &api.url]);

    let mut tokens = Vec::new();
    for round in 0..3 {
        if round > 0 {
            std::thread::sleep(Duration::from_millis(4500));
        }
        let got = answered(&[&proxy.url("/session")]);
        assert_eq!(got.status, 200, "round {round}: {}\n{}", got.text(), proxy.log());
        tokens.push(api.requests().last().unwrap().token.clone().unwrap());
    }
    // Each round came after the last token had expired: a new one each time, and the API never
    // refused one (no 401, no retry).
    assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2], "{tokens:?}");
    assert!(api.requests().iter().all(|r| r.status == 200), "{:?}", api.requests());
    let refreshes = provider.grants("refresh_token");
    assert!(refreshes.len() >= 2 && refreshes.iter().all(|r| r["status"] == 200), "{refreshes:?}");
    assert_eq!(env.stored_token("api", "access_token"), tokens[2]);
    assert!(!proxy.log().contains("refused"), "{}", proxy.log());
}

#[test]
fn a_refused_token_is_renewed_once_and_the_request_with_its_body_sent_again() {
    let provider = Provider::start();
    let env = Env::logged_in("api", &provider, "cli-public");
    let api = Api::start(Introspection::new(&provider));
    spoil_access_token(&env, "api");
    let proxy = Proxy::start(&env, &["api", "--upstream", &api.url]);

    let body = "x".repeat(100_000);
    let got = answered(&["-X", "POST", "--data-binary", &body, &proxy.url("/items")]);
    assert_eq!(got.status, 200, "the client never sees the 401: {}\n{}", got.text(), proxy.log());
    assert_eq!(got.json()["body_bytes"], 100_000);
    let seen: Vec<_> = api.requests().iter().map(|r| (r.status, r.token.clone().unwrap(), r.body_bytes)).collect();
    let renewed = env.stored_token("api", "access_token");
    assert_eq!(
        seen,
        [(401, "not-a-token-the-provider-issued".to_string(), 100_000), (200, renewed, 100_000)],
        "the same body twice, with the renewed token the second time"
    );
    assert_eq!(provider.grants("refresh_token").len(), 1);
    let log = proxy.log();
    assert!(log.contains("POST /items 200 ") && log.contains("token refused: renewed and sent again"), "{log}");
}

#[test]
fn a_refused_token_with_a_streamed_body_is_renewed_and_the_refusal_passed_on() {
    let provider = Provider::start();
    let env = Env::logged_in("api", &provider, "cli-public");
    let api = Api::start(Introspection::new(&provider));
    spoil_access_token(&env, "api");
    let proxy = Proxy::start(&env, &["api", "--upstream", &api.url]);
    let dir = tempfile::tempdir().unwrap();
    // Larger than the proxy holds: it is streamed, and cannot be sent again.
    let (file, sha256) = pattern_file(dir.path(), 3 * 1024 * 1024);
    let file = file.to_str().unwrap();

    let got = answered(&["-T", file, &proxy.url("/upload")]);
    assert_eq!(got.status, 401, "{}", got.text());
    assert_eq!(got.header("www-authenticate"), Some("Bearer error=\"invalid_token\""));
    assert_eq!(provider.grants("refresh_token").len(), 1, "renewed for the next request");
    assert!(proxy.log().contains("renewed, but the streamed request was not sent again"), "{}", proxy.log());

    let got = answered(&["-T", file, &proxy.url("/upload")]);
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!((got.json()["bytes"].as_u64(), got.json()["sha256"].as_str()), (Some(3 * 1024 * 1024), Some(&*sha256)));
    assert_eq!(provider.grants("refresh_token").len(), 1, "the renewed token is used");
}

#[test]
fn fifty_mebibytes_stream_up_and_down_in_bounded_memory() {
    const SIZE: u64 = 50 * 1024 * 1024;
    let provider = Provider::start();
    let env = Env::logged_in("api", &provider, "cli-public");
    let api = Api::start(Introspection::new(&provider));
    let proxy = Proxy::start(&env, &["api", "--upstream", &api.url]);
    let dir = tempfile::tempdir().unwrap();
    let (file, sha256) = pattern_file(dir.path(), SIZE);

    // Up with a Content-Length, and chunked from stdin.
    let with_length = answered(&["-T", file.to_str().unwrap(), &proxy.url("/upload")]);
    let chunked = curl(&["-T", "-", &proxy.url("/upload")], Some(&file));
    for (how, got) in [("with a length", with_length), ("chunked", chunked)] {
        assert_eq!((got.code, got.status), (0, 200), "{how}: {} {}", got.stderr, got.text());
        let answer = got.json();
        assert_eq!((answer["bytes"].as_u64(), answer["sha256"].as_str()), (Some(SIZE), Some(&*sha256)), "{how}");
    }
    let uploads: Vec<_> = api.requests().iter().map(|r| r.values("transfer-encoding").join(",")).collect();
    assert_eq!(uploads, ["", "chunked"], "the length went upstream when there was one");

    // Down with a length and chunked.
    for query in ["", "&chunked=1"] {
        let got = answered(&[&proxy.url(&format!("/download?bytes={SIZE}{query}"))]);
        assert_eq!(got.status, 200);
        assert_eq!(got.header("content-length").is_some(), query.is_empty(), "{:?}", got.headers);
        assert_eq!(got.body.len() as u64, SIZE, "{query}");
        assert!(got.body.iter().enumerate().all(|(i, b)| *b == pattern(i as u64)), "{query}: the bytes as sent");
    }
    // The whole body never sat in the proxy's memory.
    let peak = proxy.peak_memory_kib();
    assert!(peak < 40 * 1024, "the proxy held {peak} KiB at its peak while moving 50 MiB bodies");
}

#[test]
fn an_event_stream_reaches_the_client_event_by_event() {
    let provider = Provider::start();
    let env = Env::logged_in("api", &provider, "cli-public");
    let api = Api::start(Introspection::new(&provider));
    let proxy = Proxy::start(&env, &["api", "--upstream", &api.url]);
    let mut child = Command::new("curl")
        .args(["-sS", "--no-buffer", "--max-time", "30", "--noproxy", "*", &proxy.url("/events")])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run curl ({e}): install it with `{INSTALL_CURL}`"));
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok).filter(|l| !l.is_empty()) {
            let _ = tx.send((line, Instant::now()));
        }
    });
    let next = || rx.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| panic!("no event:\n{}", proxy.log()));
    let ((first, first_at), (second, second_at)) = (next(), next());
    let _ = child.wait();
    assert_eq!((first.as_str(), second.as_str()), ("data: event 1", "data: event 2"));
    // The API sends the second 1.5 s after the first: the first was not held back until then.
    assert!(second_at - first_at > Duration::from_secs(1), "the events came together: {:?}", second_at - first_at);
}

#[test]
fn a_rebinding_host_and_foreign_origins_are_refused_and_an_allowed_origin_gets_cors() {
    let provider = Provider::start();
    let env = Env::logged_in("api", &provider, "cli-public");
    let api = Api::start(Introspection::new(&provider));
    let proxy = Proxy::start(&env, &["api", "--upstream", &api.url, "--allow-origin", "http://localhost:3000"]);
    let port = proxy.port;
    let own = proxy.address.clone();
    let url = proxy.url("/data");
    let with = |headers: &[String]| {
        let mut args: Vec<&str> = headers.iter().flat_map(|h| ["-H", h.as_str()]).collect();
        args.push(&url);
        answered(&args)
    };

    // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
    let rebound = with(&[format!("Host: evil.example:{port}")]);
    assert_eq!(rebound.status, 421, "{}", rebound.text());
    assert!(rebound.text().contains("not this proxy's address"), "{}", rebound.text());
    assert_eq!(with(&[format!("Host: localhost:{port}")]).status, 200);

    let foreign = with(&["Origin: http://evil.example".into()]);
    assert_eq!(foreign.status, 403);
    assert!(foreign.text().contains("--allow-origin http://evil.example"), "{}", foreign.text());
    assert!(foreign.header("access-control-allow-origin").is_none());
    let cross_site = with(&["Sec-Fetch-Site: cross-site".into()]);
    assert_eq!(cross_site.status, 403, "an image or link of another site, which sends no Origin");

    let same = with(&[format!("Origin: {own}")]);
    assert_eq!((same.status, same.header("access-control-allow-origin")), (200, None));
    let allowed = with(&["Origin: http://localhost:3000".into()]);
    assert_eq!((allowed.status, allowed.header("access-control-allow-origin")), (200, Some("http://localhost:3000")));

    let preflight = |origin: &str| {
        answered(&[
            "-X",
            "OPTIONS",
            "-H",
            &format!("Origin: {origin}"),
            "-H",
            "Access-Control-Request-Method: PUT",
            "-H",
            "Access-Control-Request-Headers: content-type",
            &url,
        ])
    };
    let ok = preflight("http://localhost:3000");
    assert_eq!(ok.status, 204);
    assert_eq!(ok.header("access-control-allow-origin"), Some("http://localhost:3000"));
    assert_eq!(ok.header("access-control-allow-methods"), Some("PUT"));
    assert_eq!(ok.header("access-control-allow-headers"), Some("content-type"));
    assert_eq!(preflight("http://evil.example").status, 403);

    // Only the three requests let in reached the API, preflights none.
    let reached: Vec<_> = api.requests().iter().map(|r| format!("{} {}", r.method, r.status)).collect();
    assert_eq!(reached, ["GET 200"; 3], "{reached:?}");
    let log = proxy.log();
    assert!(log.contains("GET /data 421 ") && log.contains("GET /data 403 "), "{log}");
    assert!(log.contains("OPTIONS /data 204 "), "{log}");
}

#[test]
fn without_a_name_each_request_gets_the_token_of_the_profile_that_serves_its_url() {
    let provider = Provider::start();
    let introspection =
        Introspection::new(&provider).owner("/team-a/", "cli-public").owner("/team-b/", "cli-confidential");
    let api = Api::start(introspection);
    let mut env = Env::new();
    let team_a = format!("{}/team-a/", api.url);
    let team_b = format!("{}/team-b/", api.url);
    LoggedIn::new("team-a", &provider.issuer, "cli-public").add_args(&["--url", &team_a]).log_in(&env);
    let mut add = env.profile_add("team-b", &provider, "cli-confidential");
    add.args(["--scope", "openid", "--scope", "offline_access", "--url", &team_b, "--client-secret-stdin"]);
    add.write_stdin("cli-confidential-secret").assert().success();
    env.login("team-b");
    let trace = env.dir.path().join("trace.jsonl");
    env.set("OAT_TRACE", trace.to_str().unwrap());

    let proxy = Proxy::start(&env, &["--upstream", &api.url]);
    let a = answered(&[&proxy.url("/team-a/repo")]);
    let b = answered(&[&proxy.url("/team-b/repo")]);
    assert_eq!((a.status, b.status), (200, 200), "{}\n{}\n{}", a.text(), b.text(), proxy.log());
    let tokens: Vec<_> = api.requests().iter().map(|r| (r.path.clone(), r.token.clone().unwrap())).collect();
    assert_eq!(
        tokens,
        [
            ("/team-a/repo".to_string(), env.stored_token("team-a", "access_token")),
            ("/team-b/repo".to_string(), env.stored_token("team-b", "access_token")),
        ]
    );
    let elsewhere = answered(&[&proxy.url("/team-c/repo")]);
    assert_eq!(elsewhere.status, 502);
    assert!(elsewhere.text().contains("no profile serves"), "{}", elsewhere.text());
    assert_eq!(api.requests().len(), 2, "nothing was sent without a token");
    let log = proxy.log();
    assert!(log.contains("GET /team-a/repo 200 ") && log.contains("(profile `team-a`)"), "{log}");
    assert!(log.contains("(profile `team-b`)"), "{log}");
    // The trace file names each exchange's profile, though one process served both.
    let traced: Vec<serde_json::Value> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &serde_json::Value| r["url"].as_str().is_some_and(|u| u.ends_with("/repo")))
        .collect();
    let profiles: Vec<_> = traced.iter().map(|r| (r["url"].as_str().unwrap(), r["profile"].as_str())).collect();
    assert_eq!(
        profiles,
        [(format!("{team_a}repo").as_str(), Some("team-a")), (format!("{team_b}repo").as_str(), Some("team-b"))]
    );
    assert!(
        traced.iter().all(|r| r["command"] == "proxy" && r["response"]["body"]["omitted"] == "streamed as it arrived")
    );

    // Without a name, some profile must serve URLs under the upstream.
    let out = run(env.oat().args(["proxy", "--upstream", "http://127.0.0.1:9/"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty() && out.stderr.contains("no profile serves URLs under"), "{}", out.stderr);
}

#[test]
#[allow(clippy::disallowed_types, reason = "the test binds the proxy's port to show it is free")]
fn sigint_stops_it_cleanly_cutting_a_download_and_freeing_its_port() {
    let provider = Provider::start();
    let env = Env::logged_in("api", &provider, "cli-public");
    let api = Api::start(Introspection::new(&provider));
    let mut proxy = Proxy::start(&env, &["api", "--upstream", &api.url]);
    assert_eq!(answered(&[&proxy.url("/before")]).status, 200);

    // A download that trickles for minutes is under way when Ctrl-C comes.
    let url = proxy.url("/download?bytes=100000000&slow=1");
    let download = std::thread::spawn(move || curl(&[&url], None));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !api.requests().iter().any(|r| r.path == "/download") {
        assert!(Instant::now() < deadline, "the download did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_secs(1));
    let (code, took) = proxy.signal("INT");
    assert_eq!(code, 130, "{}", proxy.log());
    assert!(took < Duration::from_secs(8), "stopped in {took:?}");
    assert!(proxy.log().trim_end().ends_with("Stopped."), "{}", proxy.log());
    let cut = download.join().unwrap();
    assert_ne!(cut.code, 0, "the download was cut, not completed: {}", cut.stderr);
    assert!(!cut.body.is_empty() && cut.body.len() < 100_000_000);

    let free = std::net::TcpListener::bind(("127.0.0.1", proxy.port));
    assert!(free.is_ok(), "port {} is free again: {free:?}", proxy.port);
    drop(free);

    // SIGTERM (a service manager's stop) stops it the same way.
    let mut again = Proxy::start(&env, &["api", "--upstream", &api.url]);
    let (code, _) = again.signal("TERM");
    assert_eq!(code, 143, "{}", again.log());
}
