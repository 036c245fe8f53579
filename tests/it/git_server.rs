//! The git smart-HTTP test server (`support::git_server`) proven with the real git binary and
//! tokens of the real provider, without oat: what git presents (Basic from a credential helper,
//! Bearer from `http.extraHeader` or from a helper answering `authtype=Bearer`) reaches the
//! provider's introspection, a valid token clones and pushes, a revoked, unknown or missing one
//! gets 401 and git fails without waiting for anyone, and a path owned by one client refuses
//! the tokens of another.

use crate::support::Provider;
use crate::support::faulty::{Action, Faulty};
use crate::support::git_server::{Decision, Git, GitServer, Introspection, Presented, Scheme, git_version};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// The password grant of client `cli-password` for alice: an access token.
fn alice_token(provider: &Provider) -> String {
    let form = [("grant_type", "password"), ("username", "alice"), ("password", "correct horse battery staple")];
    token(provider.post_basic("/token", ("cli-password", "cli-password-secret"), &form))
}

/// The client-credentials grant of client `machine`: an access token.
fn machine_token(provider: &Provider) -> String {
    token(provider.post_basic("/token", ("machine", "machine-secret"), &[("grant_type", "client_credentials")]))
}

fn token((status, body): (u16, String)) -> String {
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    answer["access_token"].as_str().expect("an access token").to_string()
}

/// `-c credential.helper=` (no helper from anywhere else), then a helper (a shell function, as
/// gitcredentials(7) allows) that answers every `get` with `username=x` and `password=TOKEN` and
/// appends each action it is asked (`get`, `store`, `erase`) to LOG.
fn helper(token: &str, log: &Path) -> [String; 4] {
    let script = format!(
        "!f() {{ cat >/dev/null; echo \"$1\" >>'{}'; test \"$1\" = get || exit 0; \
         echo username=x; echo password={token}; }}; f",
        log.display()
    );
    ["-c".into(), "credential.helper=".into(), "-c".into(), format!("credential.helper={script}")]
}

/// A helper that answers `get` with `authtype=Bearer` and `credential=TOKEN` (git 2.46 and later,
/// which announce `capability[]=authtype`), logging like [`helper`].
fn bearer_helper(token: &str, log: &Path) -> [String; 4] {
    let script = format!(
        "!f() {{ cat >/dev/null; echo \"$1\" >>'{}'; test \"$1\" = get || exit 0; \
         echo capability[]=authtype; echo authtype=Bearer; echo credential={token}; }}; f",
        log.display()
    );
    ["-c".into(), "credential.helper=".into(), "-c".into(), format!("credential.helper={script}")]
}

/// `-c credential.helper= -c http.extraHeader=Authorization: Bearer TOKEN`.
fn bearer_header(token: &str) -> [String; 4] {
    ["-c".into(), "credential.helper=".into(), "-c".into(), format!("http.extraHeader=Authorization: Bearer {token}")]
}

/// `git CONFIG... ARGS...` as a list of arguments.
fn args<'a>(config: &'a [String], rest: &[&'a str]) -> Vec<&'a str> {
    config.iter().map(String::as_str).chain(rest.iter().copied()).collect()
}

/// The actions the helper logged at LOG.
fn helper_calls(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log).unwrap_or_default().lines().map(str::to_string).collect()
}

#[test]
fn a_token_from_a_credential_helper_clones_and_pushes_over_basic() {
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider));
    let url = server.repo("acme/app.git");
    let token = alice_token(&provider);
    let git = Git::new();
    let log = git.home().join("helper.log");
    let config = helper(&token, &log);

    git.succeed(git.home(), &args(&config, &["clone", "--quiet", &url, "app"]));
    let clone = git.home().join("app");
    assert_eq!(git.succeed(&clone, &["log", "--format=%s"]).stdout.trim(), "initial commit");
    let clone_requests = server.requests();
    // The first request carries no credentials; git asks its helper only after the 401.
    let first = &clone_requests[0];
    assert_eq!((first.path.as_str(), first.query.as_str()), ("/acme/app.git/info/refs", "service=git-upload-pack"));
    assert_eq!((first.scheme, first.status), (None, 401));
    for request in &clone_requests[1..] {
        assert_eq!(request.scheme, Some(Scheme::Basic), "{request:?}");
        assert_eq!((request.username.as_deref(), request.token.as_deref()), (Some("x"), Some(token.as_str())));
        assert_eq!(request.decision, Some(Decision::Allow("alice".into())));
        assert_eq!(request.status, 200, "{request:?}");
    }
    assert_eq!(helper_calls(&log), ["get", "store"]);

    std::fs::write(clone.join("CHANGES.md"), "a change\n").unwrap();
    git.succeed(&clone, &["add", "CHANGES.md"]);
    git.succeed(&clone, &["commit", "--quiet", "-m", "a change"]);
    server.clear();
    git.succeed(&clone, &args(&config, &["push", "--quiet", "origin", "main"]));

    let pushed = git.succeed(&clone, &["rev-parse", "HEAD"]).stdout.trim().to_string();
    assert_eq!(server.git("acme/app.git", &["rev-parse", "main"]), pushed);
    assert_eq!(server.git("acme/app.git", &["log", "--format=%s", "main"]), "a change\ninitial commit");
    let lines: Vec<_> = server.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            ("GET".into(), "/acme/app.git/info/refs".into(), 401),
            ("GET".into(), "/acme/app.git/info/refs".into(), 200),
            ("POST".into(), "/acme/app.git/git-receive-pack".into(), 200),
        ],
        "{}",
        server.backend_log()
    );
    assert_eq!(helper_calls(&log), ["get", "store", "get", "store"]);
}

#[test]
fn a_bearer_header_clones_and_pushes_a_chunked_pack_without_a_401() {
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider));
    let url = server.repo("acme/app.git");
    let token = machine_token(&provider);
    let git = Git::new();
    let config = bearer_header(&token);

    git.succeed(git.home(), &args(&config, &["clone", "--quiet", &url, "app"]));
    let clone = git.home().join("app");
    // A pack larger than http.postBuffer goes as a chunked body.
    std::fs::write(clone.join("noise.bin"), noise(256 * 1024)).unwrap();
    git.succeed(&clone, &["add", "noise.bin"]);
    git.succeed(&clone, &["commit", "--quiet", "-m", "noise"]);
    git.succeed(&clone, &args(&config, &["-c", "http.postBuffer=65536", "push", "--quiet", "origin", "main"]));

    let pushed = git.succeed(&clone, &["rev-parse", "HEAD"]).stdout.trim().to_string();
    assert_eq!(server.git("acme/app.git", &["rev-parse", "main"]), pushed);
    let requests = server.requests();
    for request in &requests {
        assert_eq!((request.scheme, request.token.as_deref()), (Some(Scheme::Bearer), Some(token.as_str())));
        // A client-credentials token has no sub: the user is the client.
        assert_eq!(request.decision, Some(Decision::Allow("machine".into())));
        assert_eq!(request.status, 200, "{request:?}");
    }
    // git probes with a tiny POST before it streams a pack too large to resend, then sends it
    // chunked.
    let posts: Vec<_> = server.requests_to("/acme/app.git/git-receive-pack");
    let framing: Vec<_> = posts.iter().map(|r| (r.header("Content-Length"), r.header("Transfer-Encoding"))).collect();
    assert_eq!(framing, [(Some("4"), None), (None, Some("chunked"))], "{posts:#?}");
}

/// Incompressible bytes (xorshift), so that the pack is as large as the file.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn a_revoked_token_gets_401_and_git_fails() {
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider));
    let url = server.repo("acme/app.git");
    let token = alice_token(&provider);
    let git = Git::new();
    let config = bearer_header(&token);
    git.succeed(git.home(), &args(&config, &["clone", "--quiet", &url, "app"]));

    let (status, body) =
        provider.post_basic("/token/revocation", ("cli-password", "cli-password-secret"), &[("token", &token)]);
    assert_eq!(status, 200, "{body}");
    server.clear();
    let out = git.run(&git.home().join("app"), &args(&config, &["fetch", "origin"]));

    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("terminal prompts disabled"), "{}", out.stderr);
    let requests = server.requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert_eq!(request.status, 401, "{request:?}");
        assert_eq!(request.token.as_deref(), Some(token.as_str()), "{request:?}");
        assert_eq!(request.decision, Some(Decision::Refuse("the token is not active".into())));
    }
}

#[test]
fn an_unknown_token_from_a_helper_gets_401_and_git_fails_after_erasing_it() {
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider)).expect("/acme/app.git/git-upload-pack", 0);
    let url = server.repo("acme/app.git");
    let git = Git::new();
    let log = git.home().join("helper.log");

    let out = git.run(git.home(), &args(&helper("not-a-token", &log), &["clone", &url, "app"]));

    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Authentication failed"), "{}", out.stderr);
    // git shows the body of the last 401 as a remote message.
    assert!(out.stderr.contains("remote: the token is not active"), "{}", out.stderr);
    assert!(!git.home().join("app").exists());
    assert_eq!(helper_calls(&log), ["get", "erase"]);
    let requests = server.requests();
    let presented: Vec<_> = requests.iter().map(|r| (r.scheme, r.token.as_deref(), r.status)).collect();
    assert_eq!(presented, [(None, None, 401), (Some(Scheme::Basic), Some("not-a-token"), 401)]);
}

#[test]
fn no_credentials_get_401_and_git_fails_without_prompting() {
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider));
    let url = server.repo("acme/app.git");
    let git = Git::new();

    let out = git.run(git.home(), &["-c", "credential.helper=", "clone", &url, "app"]);

    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("terminal prompts disabled"), "{}", out.stderr);
    let lines: Vec<_> = server.requests().iter().map(|r| (r.line(), r.scheme)).collect();
    assert_eq!(lines, [(("GET".into(), "/acme/app.git/info/refs".into(), 401), None)]);
}

#[test]
fn a_path_owned_by_one_client_refuses_the_tokens_of_another() {
    let provider = Provider::start();
    let server = GitServer::introspecting(
        Introspection::new(&provider).owner("/people/", "cli-password").owner("/robots/", "machine"),
    );
    let people = server.repo("people/app.git");
    let robots = server.repo("robots/app.git");
    let (alice, machine) = (alice_token(&provider), machine_token(&provider));
    let git = Git::new();
    let clone =
        |token: &str, url: &str, dir: &str| git.run(git.home(), &args(&bearer_header(token), &["clone", url, dir]));

    assert_eq!(clone(&alice, &people, "a-people").code, 0);
    assert_eq!(clone(&machine, &robots, "m-robots").code, 0);
    assert_ne!(clone(&alice, &robots, "a-robots").code, 0);
    assert_ne!(clone(&machine, &people, "m-people").code, 0);

    let refused: Vec<_> = server
        .requests()
        .into_iter()
        .filter_map(|r| match r.decision {
            Some(Decision::Refuse(why)) => Some(why),
            _ => None,
        })
        .collect();
    assert_eq!(
        refused,
        [
            "/robots/ is for tokens of client machine, not of cli-password",
            "/people/ is for tokens of client cli-password, not of machine",
        ]
    );
}

#[test]
fn a_helper_answering_authtype_bearer_makes_git_send_bearer() {
    let version = git_version();
    assert!(version >= (2, 46), "credential authtype needs git 2.46 or later; this git is {version:?}");
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider));
    let url = server.repo("acme/app.git");
    let token = alice_token(&provider);
    let git = Git::new();
    let log = git.home().join("helper.log");

    git.succeed(git.home(), &args(&bearer_helper(&token, &log), &["clone", "--quiet", &url, "app"]));

    let presented: Vec<_> = server.requests().iter().map(|r| (r.scheme, r.username.clone(), r.status)).collect();
    assert_eq!(presented[0], (None, None, 401));
    assert!(presented[1..].iter().all(|p| *p == (Some(Scheme::Bearer), None, 200)), "{presented:?}");
    assert_eq!(helper_calls(&log), ["get", "store"]);
}

#[test]
fn a_check_of_its_own_decides_on_what_each_request_presented_and_gzipped_bodies_pass() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let server = {
        let seen = seen.clone();
        GitServer::start(move |presented: &Presented| {
            seen.lock().unwrap().push(presented.clone());
            match presented.token.as_str() {
                "open-sesame" => Decision::Allow("tester".into()),
                _ => Decision::Refuse("wrong token".into()),
            }
        })
    };
    let url = server.repo("acme/app.git");
    let mut git = Git::new();
    let log = git.home().join("helper.log");
    let config = helper("open-sesame", &log);
    git.succeed(git.home(), &args(&config, &["clone", "--quiet", &url, "one"]));
    git.succeed(git.home(), &args(&config, &["clone", "--quiet", &url, "two"]));
    let (one, two) = (git.home().join("one"), git.home().join("two"));
    git.succeed(&one, &["commit", "--quiet", "--allow-empty", "-m", "upstream"]);
    git.succeed(&one, &args(&config, &["push", "--quiet", "origin", "main"]));
    // Enough commits the server lacks that git's negotiation request is large enough to gzip
    // (over 1 KiB). Negotiation offers the newest commits first: each gets a later committer
    // date, so that none shares a second with the common one and the common one comes last.
    for n in 0..40 {
        git.set("GIT_COMMITTER_DATE", &format!("@{} +0000", 2_000_000_000 + n));
        git.succeed(&two, &["commit", "--quiet", "--allow-empty", "-m", &format!("local {n}")]);
    }
    git.unset("GIT_COMMITTER_DATE");
    git.succeed(&two, &args(&config, &["fetch", "--quiet", "origin"]));

    assert_eq!(git.succeed(&two, &["log", "--format=%s", "origin/main"]).stdout, "upstream\ninitial commit\n");
    let requests = server.requests();
    let gzipped = requests.iter().filter(|r| r.header("Content-Encoding") == Some("gzip") && r.status == 200);
    assert!(gzipped.count() > 0, "no gzipped request body: {requests:#?}");
    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|p| p.scheme == Scheme::Basic && p.username.as_deref() == Some("x")), "{seen:#?}");
    // The check was asked about every request that carried credentials, and only those.
    let asked: Vec<_> = seen.iter().map(|p| (p.method.clone(), p.path.clone())).collect();
    let presented: Vec<_> =
        requests.iter().filter(|r| r.scheme.is_some()).map(|r| (r.method.clone(), r.path.clone())).collect();
    assert_eq!(asked, presented);
}

#[test]
#[should_panic(expected = "did not finish within 2s")]
fn a_git_that_hangs_is_killed_and_fails_the_test() {
    let stalled = Faulty::start(|_, _| Action::Stall);
    let mut git = Git::new();
    git.limit(Duration::from_secs(2));
    git.run(git.home(), &["-c", "credential.helper=", "clone", &format!("{}/x.git", stalled.url), "x"]);
}
