//! Fault injection: a token endpoint (or discovery, or the callback port) that misbehaves in
//! every way a real one does — 5xx pages, rate limits, silence, cut-off and endless bodies,
//! HTML where JSON belongs, redirects, OAuth errors. Each row stores an expired access token
//! with a refresh token, runs `oat token` (so a refresh is due) and checks together: the exit
//! code, one line on stderr that names the problem, nothing on stdout, the stored entry
//! byte-for-byte unchanged; then the same with `-v`, whose trace must never show the refresh
//! token. The faulty servers are `support::faulty` (raw sockets) and `support::fixture`.

use crate::support::faulty::{Action, Faulty};
use crate::support::fixture::{Fixture, Reply};
use crate::support::{Env, Output, run, write_private};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The profile every row uses.
const NAME: &str = "work";

/// The stored entry: an access token long expired (`expires_at` 1) and a refresh token.
const ENTRY: &str =
    r#"{"tokens":{"access_token":"old-at","token_type":"Bearer","expires_at":1,"refresh_token":"old-rt"}}"#;

/// A good token answer.
const GOOD: &str = r#"{"access_token":"new-at","token_type":"Bearer","expires_in":3600,"refresh_token":"new-rt"}"#;

/// Without and with `-v`: every row runs both ways.
const MODES: [bool; 2] = [false, true];

/// An environment (file store) with a profile whose endpoints are at `base` and [`ENTRY`] stored.
struct Case {
    env: Env,
}

impl Case {
    fn new(base: &str) -> Case {
        let env = Env::new();
        env.add_fixture_profile(NAME, base);
        let case = Case { env };
        write_private(&case.entry_path(), ENTRY);
        case
    }

    fn entry_path(&self) -> PathBuf {
        self.env.data_dir().join(format!("{NAME}.json"))
    }

    /// The stored entry's bytes.
    fn entry(&self) -> String {
        std::fs::read_to_string(self.entry_path()).expect("the stored entry is still there")
    }

    /// `oat [-v] ARGS…`, timed.
    fn oat(&self, verbose: bool, args: &[&str]) -> (Output, Duration) {
        let mut cmd = self.env.oat();
        if verbose {
            cmd.arg("-v");
        }
        let started = Instant::now();
        let out = run(cmd.args(args));
        (out, started.elapsed())
    }

    /// `oat [-v] token NAME ARGS…`, timed.
    fn token(&self, verbose: bool, extra: &[&str]) -> (Output, Duration) {
        let mut args = vec!["token", NAME];
        args.extend_from_slice(extra);
        let (out, took) = self.oat(verbose, &args);
        if verbose {
            // The trace shows the refresh request, its refresh token masked.
            assert!(
                out.stderr.contains(">   refresh_token=[redacted sha256:"),
                "the -v trace shows the request:\n{}",
                out.stderr
            );
        }
        (out, took)
    }

    /// A failed run: `code`, nothing on stdout, one `error:` line holding every needle (the
    /// last line under `-v`), no refresh token in the trace, the stored entry untouched.
    fn failed(&self, row: &str, verbose: bool, out: &Output, code: i32, needles: &[&str]) {
        let shown =
            format!("row `{row}` (-v: {verbose}): exit {}\nstderr:\n{}stdout:\n{}", out.code, out.stderr, out.stdout);
        assert_eq!(out.code, code, "{shown}");
        assert!(out.stdout.is_empty(), "nothing on stdout: {shown}");
        let lines: Vec<&str> = out.stderr.lines().collect();
        if !verbose {
            assert_eq!(lines.len(), 1, "one line on stderr: {shown}");
        }
        let line = lines.last().copied().unwrap_or_default();
        assert!(line.starts_with("error: "), "the last line is the error: {shown}");
        for needle in needles {
            assert!(line.contains(needle), "the error line names `{needle}`: {shown}");
        }
        assert!(!out.stderr.contains("old-rt"), "the refresh token never shows: {shown}");
        assert_eq!(self.entry(), ENTRY, "the stored entry is unchanged: {shown}");
    }

    /// A successful refresh: the new token on stdout and in the store.
    fn refreshed(&self, row: &str, verbose: bool, out: &Output) {
        let shown =
            format!("row `{row}` (-v: {verbose}): exit {}\nstderr:\n{}stdout:\n{}", out.code, out.stderr, out.stdout);
        assert_eq!(out.code, 0, "{shown}");
        assert_eq!(out.stdout, "new-at\n", "{shown}");
        assert!(!out.stderr.contains("old-rt"), "the refresh token never shows: {shown}");
        let stored = self.env.stored(NAME).expect("stored entry");
        assert_eq!(stored["tokens"]["access_token"], "new-at", "{shown}");
        assert_eq!(stored["tokens"]["refresh_token"], "new-rt", "{shown}");
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert!(stored["tokens"]["expires_at"].as_u64().unwrap() > now + 3000, "{stored}");
    }
}

/// The token endpoint's requests: each a refresh with the stored refresh token.
fn refreshes(server: &Faulty) -> Vec<crate::support::faulty::Request> {
    let requests = server.requests();
    for r in &requests {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/token"), "{requests:?}");
        assert_eq!(r.param("grant_type"), Some("refresh_token"), "{requests:?}");
        assert_eq!(r.param("refresh_token"), Some("old-rt"), "{requests:?}");
    }
    requests
}

/// An HTML error page of a few kilobytes, as a proxy or framework serves it.
fn html_page(title: &str) -> String {
    let filler = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n".repeat(80);
    format!(
        "<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n{filler}</body>\n</html>\n"
    )
}

// --- HTTP error statuses ---------------------------------------------------------------------

#[test]
fn http_500_with_an_html_page_exits_5_with_a_short_excerpt() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| {
            Action::reply(500, &[("Content-Type", "text/html")], &html_page("Internal Server Error"))
        });
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed("500 HTML", verbose, &out, 5, &["HTTP 500", "Internal Server Error", "/token"]);
        let line = out.stderr.lines().last().unwrap();
        assert!(line.chars().count() < 400, "a short excerpt, not the page: {line}");
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn http_502_exits_5() {
    for verbose in MODES {
        let server =
            Faulty::start(|_, _| Action::reply(502, &[("Content-Type", "text/html")], &html_page("Bad Gateway")));
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed("502", verbose, &out, 5, &["HTTP 502"]);
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn http_503_with_retry_after_1_is_retried_once_and_succeeds() {
    for verbose in MODES {
        let server = Faulty::start(|_, before| match before.len() {
            0 => Action::reply(503, &[("Retry-After", "1"), ("Content-Type", "text/plain")], "busy"),
            _ => Action::json(200, GOOD),
        });
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.refreshed("503 Retry-After: 1, then 200", verbose, &out);
        let requests = refreshes(&server);
        assert_eq!(requests.len(), 2, "{requests:?}");
        let gap = requests[1].at - requests[0].at;
        assert!(gap >= Duration::from_millis(900) && gap < Duration::from_secs(10), "waited {gap:?}");
    }
}

#[test]
fn http_503_with_retry_after_1_twice_exits_5_after_two_requests() {
    for verbose in MODES {
        let server =
            Faulty::start(|_, _| Action::reply(503, &[("Retry-After", "1"), ("Content-Type", "text/plain")], "busy"));
        let case = Case::new(&server.url);
        let (out, took) = case.token(verbose, &[]);
        case.failed("503 Retry-After: 1 twice", verbose, &out, 5, &["HTTP 503"]);
        assert_eq!(refreshes(&server).len(), 2, "exactly one retry");
        assert!(took < Duration::from_secs(10), "took {took:?}");
    }
}

#[test]
fn http_503_with_a_long_retry_after_exits_5_at_once() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| {
            Action::reply(503, &[("Retry-After", "3600"), ("Content-Type", "text/plain")], "busy")
        });
        let case = Case::new(&server.url);
        let (out, took) = case.token(verbose, &[]);
        case.failed("503 Retry-After: 3600", verbose, &out, 5, &["HTTP 503"]);
        assert_eq!(refreshes(&server).len(), 1, "no retry");
        assert!(took < Duration::from_secs(5), "no long wait: took {took:?}");
    }
}

#[test]
fn http_429_with_retry_after_1_is_retried_once_and_succeeds() {
    for verbose in MODES {
        let server = Faulty::start(|_, before| match before.len() {
            0 => Action::reply(
                429,
                &[("Retry-After", "1"), ("Content-Type", "application/json")],
                r#"{"message":"slow down"}"#,
            ),
            _ => Action::json(200, GOOD),
        });
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.refreshed("429 Retry-After: 1, then 200", verbose, &out);
        let requests = refreshes(&server);
        assert_eq!(requests.len(), 2, "{requests:?}");
        assert!(requests[1].at - requests[0].at >= Duration::from_millis(900));
    }
}

#[test]
fn http_429_without_retry_after_exits_5() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| Action::reply(429, &[("Content-Type", "text/plain")], "Too Many Requests"));
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed("429 without Retry-After", verbose, &out, 5, &["HTTP 429"]);
        assert_eq!(refreshes(&server).len(), 1, "no retry");
    }
}

// --- Broken transport ------------------------------------------------------------------------

#[test]
fn a_server_that_never_answers_times_out_after_the_timeout() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| Action::Stall);
        let case = Case::new(&server.url);
        let (out, took) = case.token(verbose, &["--timeout", "2s"]);
        case.failed("no answer, --timeout 2s", verbose, &out, 5, &["no answer within 2s", "--timeout"]);
        assert!(took >= Duration::from_secs(2) && took < Duration::from_secs(6), "took {took:?}");
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn a_connection_closed_in_the_middle_of_the_body_exits_5() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| Action::truncated(200, "application/json", 1000, br#"{"access_"#));
        let case = Case::new(&server.url);
        let (out, took) = case.token(verbose, &[]);
        case.failed("closed mid-body", verbose, &out, 5, &["/token"]);
        assert_eq!(refreshes(&server).len(), 1);
        assert!(took < Duration::from_secs(5), "took {took:?}");
    }
}

#[test]
fn a_100_mb_body_is_refused_past_the_size_limit_quickly() {
    for chunked in [false, true] {
        for verbose in MODES {
            let server = Faulty::start(move |_, _| Action::Flood {
                content_type: "application/json",
                length: 100 * 1024 * 1024,
                chunked,
            });
            let case = Case::new(&server.url);
            let (out, took) = case.token(verbose, &[]);
            let row = if chunked { "100 MB chunked" } else { "100 MB with Content-Length" };
            case.failed(row, verbose, &out, 5, &["larger than", "/token"]);
            assert!(
                out.stderr.lines().last().unwrap().contains("1048576 bytes"),
                "names the 1 MiB limit: {}",
                out.stderr
            );
            assert!(took < Duration::from_secs(5), "{row}: took {took:?}");
            assert!(
                server.flooded() < 50 * 1024 * 1024,
                "{row}: stopped reading early, not after {} bytes",
                server.flooded()
            );
            assert_eq!(refreshes(&server).len(), 1);
        }
    }
}

// --- Answers that are not token answers ------------------------------------------------------

#[test]
fn an_html_login_page_with_200_exits_1() {
    let page = "<!DOCTYPE html>\n<html><head><title>Sign in to Example</title></head>\n<body><form method=\"post\" action=\"/login\"><input name=\"user\"><input type=\"password\" name=\"pw\"></form></body></html>\n";
    for verbose in MODES {
        let server =
            Faulty::start(move |_, _| Action::reply(200, &[("Content-Type", "text/html; charset=utf-8")], page));
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed("200 HTML login page", verbose, &out, 1, &["neither JSON nor form-encoded", "Sign in to Example"]);
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn invalid_json_with_200_exits_1() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| Action::json(200, r#"{"access_token": "new-at", "token_type": "#));
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed("200 invalid JSON", verbose, &out, 1, &["invalid JSON", "/token"]);
        assert!(!out.stderr.contains("new-at"), "a token in an unreadable answer is never quoted: {}", out.stderr);
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn json_without_an_access_token_exits_1() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| Action::json(200, r#"{"token_type":"Bearer","expires_in":3600}"#));
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed("200 JSON without access_token", verbose, &out, 1, &["no access_token"]);
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn a_redirect_loop_is_not_followed_and_exits_1() {
    for verbose in MODES {
        // The address is only known once bound: the handler reads it from the Host header.
        let server = Faulty::start(|r, _| {
            let host = r.header("host").unwrap_or("127.0.0.1").to_string();
            Action::reply(302, &[("Location", &format!("http://{host}/token")), ("Content-Type", "text/plain")], "")
        });
        let case = Case::new(&server.url);
        let (out, took) = case.token(verbose, &[]);
        case.failed("302 to itself", verbose, &out, 1, &["redirect", "does not follow"]);
        assert_eq!(refreshes(&server).len(), 1, "not followed");
        assert!(took < Duration::from_secs(5), "took {took:?}");
    }
}

#[test]
fn json_is_recognised_by_its_content_whatever_the_content_type() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| Action::reply(200, &[("Content-Type", "text/plain")], GOOD));
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.refreshed("200 JSON as text/plain", verbose, &out);
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn an_xml_answer_exits_1() {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<token><access_token>new-at</access_token><token_type>Bearer</token_type></token>\n";
    for verbose in MODES {
        let server = Faulty::start(move |_, _| Action::reply(200, &[("Content-Type", "application/xml")], xml));
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed(
            "200 application/xml",
            verbose,
            &out,
            1,
            &["neither JSON nor form-encoded", "mention token fields"],
        );
        assert!(!out.stderr.contains("new-at"), "a token in an unreadable answer is never quoted: {}", out.stderr);
        assert_eq!(refreshes(&server).len(), 1);
    }
}

// --- OAuth errors ----------------------------------------------------------------------------

#[test]
fn invalid_grant_exits_3_and_says_to_log_in() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| {
            Action::json(400, r#"{"error":"invalid_grant","error_description":"refresh token revoked"}"#)
        });
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed(
            "400 invalid_grant",
            verbose,
            &out,
            3,
            &["invalid_grant", "refresh token revoked", &format!("run `oat login {NAME}`")],
        );
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn invalid_client_exits_4() {
    for verbose in MODES {
        let server = Faulty::start(|_, _| Action::json(400, r#"{"error":"invalid_client"}"#));
        let case = Case::new(&server.url);
        let (out, _) = case.token(verbose, &[]);
        case.failed("400 invalid_client", verbose, &out, 4, &["invalid_client"]);
        assert_eq!(refreshes(&server).len(), 1);
    }
}

#[test]
fn a_refreshed_id_token_for_another_subject_exits_4_and_stores_nothing() {
    // OpenID Connect Core §12.2: an ID token from a refresh names the login's issuer and
    // subject. No real provider here breaks that, so the fixture plays the broken one.
    let jwt = |claims: serde_json::Value| {
        use base64::Engine as _;
        let b64 = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.c2ln", b64(serde_json::json!({"alg": "RS256"})), b64(claims))
    };
    let login = jwt(serde_json::json!({"iss": "https://as.test", "sub": "alice", "aud": "x"}));
    let entry =
        ENTRY.replace(r#""refresh_token":"old-rt""#, &format!(r#""refresh_token":"old-rt","id_token":"{login}""#));
    for (sub, code) in [("mallory", 4), ("alice", 0)] {
        let refreshed = jwt(serde_json::json!({"iss": "https://as.test", "sub": sub, "aud": ["x"]}));
        let body = GOOD
            .replace(r#""refresh_token":"new-rt""#, &format!(r#""refresh_token":"new-rt","id_token":"{refreshed}""#));
        let server = Faulty::start(move |_, _| Action::json(200, &body));
        let case = Case::new(&server.url);
        write_private(&case.entry_path(), &entry);
        let (out, _) = case.token(false, &[]);
        assert_eq!(out.code, code, "{}", out.stderr);
        if code == 4 {
            assert!(out.stdout.is_empty());
            assert!(out.stderr.contains("sub is `mallory`, but the login's ID token said `alice`"), "{}", out.stderr);
            assert!(out.stderr.contains(&format!("oat login {NAME}")), "{}", out.stderr);
            assert_eq!(case.entry(), entry, "nothing stored changed");
        } else {
            assert_eq!(out.stdout, "new-at\n");
            assert_eq!(case.env.stored(NAME).unwrap()["tokens"]["id_token"], refreshed.as_str());
        }
        assert_eq!(refreshes(&server).len(), 1);
    }
}

// --- Discovery -------------------------------------------------------------------------------

/// `oat [-v] profile add NAME --issuer URL --client-id x` against a server without metadata:
/// exit 1, one line naming both well-known URLs and the flags to use instead, no config.toml.
fn discovery_fails(row: &str, server: &Faulty) {
    for verbose in MODES {
        let env = Env::new();
        let mut cmd = env.oat();
        if verbose {
            cmd.arg("-v");
        }
        let out = run(cmd.args(["profile", "add", NAME, "--issuer", &server.url, "--client-id", "x"]));
        let shown =
            format!("row `{row}` (-v: {verbose}): exit {}\nstderr:\n{}stdout:\n{}", out.code, out.stderr, out.stdout);
        assert_eq!(out.code, 1, "{shown}");
        assert!(out.stdout.is_empty(), "{shown}");
        let lines: Vec<&str> = out.stderr.lines().collect();
        if !verbose {
            assert_eq!(lines.len(), 1, "one line on stderr: {shown}");
        }
        let line = lines.last().copied().unwrap_or_default();
        assert!(line.starts_with("error: "), "{shown}");
        for needle in [
            format!("{}/.well-known/openid-configuration", server.url),
            format!("{}/.well-known/oauth-authorization-server", server.url),
            "--auth-url".to_string(),
            "--token-url".to_string(),
        ] {
            assert!(line.contains(&needle), "the error line names `{needle}`: {shown}");
        }
        assert!(!env.config_path().exists(), "no config.toml: {shown}");
    }
}

#[test]
fn discovery_answering_404_names_both_urls_and_the_flags_to_use_instead() {
    let server = Faulty::start(|_, _| Action::reply(404, &[("Content-Type", "text/plain")], "not found"));
    discovery_fails("discovery 404", &server);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    let both = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"];
    assert_eq!(paths, [both, both].concat(), "both URLs, once each, in each of the two runs");
}

#[test]
fn discovery_answering_html_names_both_urls_and_the_flags_to_use_instead() {
    let server = Faulty::start(|_, _| Action::reply(200, &[("Content-Type", "text/html")], &html_page("Welcome")));
    discovery_fails("discovery 200 HTML", &server);
    assert_eq!(server.requests().len(), 4);
}

// --- The callback port -----------------------------------------------------------------------

/// A provider that approves at once and answers a good token.
fn approving() -> Fixture {
    Fixture::start(|r, _| match r.path.as_str() {
        "/auth" => Reply::approve(r, "code-1"),
        "/token" => Reply::json(200, serde_json::from_str(GOOD).unwrap()),
        _ => Reply::not_found(),
    })
}

#[test]
#[allow(clippy::disallowed_types, reason = "the test occupies a loopback port to see oat's listener fail")]
fn a_fixed_callback_port_in_use_exits_5_naming_the_port() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = taken.local_addr().unwrap().port().to_string();
    for verbose in MODES {
        let provider = approving();
        let case = Case::new(&provider.url);
        let (out, took) = case.oat(verbose, &["login", NAME, "--port", &port]);
        case.failed("callback port in use", verbose, &out, 5, &[&format!("127.0.0.1:{port}"), "--port"]);
        assert!(provider.requests().is_empty(), "nothing was asked of the provider");
        assert!(case.env.browser_log().is_empty(), "no browser was opened");
        assert!(took < Duration::from_secs(5), "took {took:?}");
    }
    drop(taken);
}

#[test]
#[allow(clippy::disallowed_types, reason = "the test occupies a loopback port to see oat's listener avoid it")]
fn an_ephemeral_callback_port_works_as_usual() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = taken.local_addr().unwrap().port();
    for verbose in MODES {
        let provider = approving();
        let case = Case::new(&provider.url);
        let (out, _) = case.oat(verbose, &["login", NAME]);
        let shown = format!("-v: {verbose}: exit {}\nstderr:\n{}stdout:\n{}", out.code, out.stderr, out.stdout);
        assert_eq!(out.code, 0, "{shown}");
        assert!(out.stdout.is_empty(), "{shown}");
        assert!(!out.stderr.contains("old-rt"), "{shown}");
        let stored = case.env.stored(NAME).unwrap();
        assert_eq!(stored["tokens"]["access_token"], "new-at", "{shown}");
        let exchange = &provider.requests_to("/token")[0];
        assert_eq!(exchange.param("grant_type"), Some("authorization_code"));
        assert_eq!(exchange.param("code"), Some("code-1"));
        let redirect = url::Url::parse(exchange.param("redirect_uri").unwrap()).unwrap();
        assert_eq!(redirect.host_str(), Some("127.0.0.1"));
        assert_ne!(redirect.port(), Some(port), "not the occupied port");
        assert_eq!(case.env.browser_log().len(), 1);
    }
    drop(taken);
}
