//! Kept-alive connections that the server closes while oat is not looking. oat's requests run
//! on a runtime that only runs while a request is in flight, so a connection the server
//! closed during a pause (a device-flow interval, a wait for the profile lock) still looks
//! open afterwards; oat must notice, or replace connections idle for too long, and never
//! write a request into a dead socket.
//!
//! The server is `support::faulty` in keep-alive mode, which closes every connection idle for
//! 200 ms: real servers do the same after seconds (Node 5 s, load balancers a minute), which
//! no real server here plays on demand, so this fixture injects it, sooner. Each test checks
//! that the fault really happened (the server closed connections while oat was idle). The
//! three pause scenarios run 20 times each, side by side, and all 20 must pass. Against the
//! real provider, the same pause is `device::a_slow_down_from_the_real_provider_…`.

use crate::support::faulty::{Action, Faulty, Request};
use crate::support::{Env, Output, run, write_private};
use std::process::Stdio;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How long the fault server keeps an idle connection open.
const IDLE: Duration = Duration::from_millis(200);

/// Runs `trial` 20 times at once (each with its own server and environment); every one must
/// pass.
fn twenty_times(trial: impl Fn(usize) + Sync) {
    let failed: Vec<usize> = std::thread::scope(|scope| {
        let trial = &trial;
        let runs: Vec<_> = (1..=20).map(|i| (i, scope.spawn(move || trial(i)))).collect();
        runs.into_iter().filter_map(|(i, run)| run.join().is_err().then_some(i)).collect()
    });
    assert!(failed.is_empty(), "trials {failed:?} of 20 failed (their messages are above)");
}

/// Whether the connection of `request` carried an earlier request.
fn reused(request: &Request, before: &[Request]) -> bool {
    before.iter().any(|b| b.connection == request.connection)
}

// --- the device flow: a poll after every interval ----------------------------------------

/// The device answer: interval `interval` seconds, code valid for a minute.
fn device_answer(interval: u64) -> Action {
    Action::json(
        200,
        &format!(
            r#"{{"device_code":"dev-code","user_code":"ABCD-EFGH","verification_uri":"https://as.example/device","expires_in":60,"interval":{interval}}}"#
        ),
    )
}

/// The token endpoint's answer to poll number `n` (from 0): `polls[n]`, the last one repeated.
fn poll_answer(polls: &[&str], before: &[Request]) -> Action {
    let n = before.iter().filter(|b| b.path == "/token").count();
    let body = polls[n.min(polls.len() - 1)];
    Action::json(if body.contains("\"error\"") { 400 } else { 200 }, body)
}

const PENDING: &str = r#"{"error":"authorization_pending"}"#;
const SLOW_DOWN: &str = r#"{"error":"slow_down"}"#;
const ISSUED: &str = r#"{"access_token":"at","token_type":"Bearer","expires_in":3600,"refresh_token":"rt"}"#;

/// A device-flow profile `dev` at `server`.
fn device_env(server: &Faulty) -> Env {
    let env = Env::new();
    env.add_device_fixture_profile("dev", &server.url);
    env
}

/// `oat login dev` completes and stores the tokens; every poll came after the server had
/// closed the connection of the request before it.
fn device_login_completes(trial: usize, server: &Faulty, polls: usize) -> Output {
    let env = device_env(server);
    let out = run(env.oat().args(["login", "dev"]));
    let requests = server.requests();
    let shown = format!("trial {trial}: exit {}\n{}\nrequests: {requests:?}", out.code, out.stderr);
    assert_eq!(out.code, 0, "{shown}");
    assert_eq!(env.stored("dev").expect("stored")["tokens"]["access_token"], "at", "{shown}");
    assert_eq!(server.requests_to("/token").len(), polls, "{shown}");
    // The fault happened: the device request's connection and each poll's but the last were
    // closed by the server for idleness before the next request.
    assert!(server.idle_closes() >= polls as u64, "{} idle closes: {shown}", server.idle_closes());
    assert!(requests.windows(2).all(|w| w[0].connection != w[1].connection), "{shown}");
    out
}

/// A device authorization server (interval 1 s) whose polls get `polls` in turn, closing
/// idle connections after [`IDLE`].
fn device_server(polls: &'static [&'static str]) -> Faulty {
    Faulty::keep_alive(IDLE, move |r, before| match r.path.as_str() {
        "/device" => device_answer(1),
        "/token" => poll_answer(polls, before),
        _ => Action::json(404, "{}"),
    })
}

#[test]
fn the_device_flow_at_its_normal_interval_polls_after_idle_closes_twenty_times() {
    twenty_times(|trial| {
        device_login_completes(trial, &device_server(&[PENDING, PENDING, ISSUED]), 3);
    });
}

#[test]
fn the_device_flow_after_slow_down_polls_after_idle_closes_twenty_times() {
    twenty_times(|trial| {
        let out = device_login_completes(trial, &device_server(&[PENDING, SLOW_DOWN, ISSUED]), 3);
        assert!(out.stderr.contains("poll less often: every 6s"), "trial {trial}: {}", out.stderr);
    });
}

// --- oat request: a 401, a wait for the lock, the retry ----------------------------------

/// What the API and token endpoint of [`api_and_token_endpoint`] have seen so far.
#[derive(Default)]
struct Progress {
    /// A refresh has arrived (and holds the other process's lock while it is answered).
    refreshing: bool,
    /// The API has refused `at-1`.
    refused: bool,
}

/// An API at `/api` that refuses `at-1` and accepts `at-2`, and a token endpoint at `/token`
/// that issues `at-2`, but only once the API has refused `at-1`, and then only after
/// `pause`: another process's refresh, under the lock, while `oat request` waits for it.
fn api_and_token_endpoint(pause: Duration) -> (Faulty, Arc<(Mutex<Progress>, Condvar)>) {
    let progress = Arc::new((Mutex::new(Progress::default()), Condvar::new()));
    let seen = progress.clone();
    let server = Faulty::keep_alive(IDLE, move |r, _| {
        let (state, changed) = &*seen;
        match r.path.as_str() {
            "/token" => {
                state.lock().unwrap().refreshing = true;
                changed.notify_all();
                let state = state.lock().unwrap();
                let _ = changed.wait_timeout_while(state, Duration::from_secs(20), |s| !s.refused).unwrap();
                std::thread::sleep(pause);
                Action::json(
                    200,
                    r#"{"access_token":"at-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-2"}"#,
                )
            }
            "/api" if r.header("authorization") == Some("Bearer at-2") => {
                Action::json(200, &format!(r#"{{"item":"{}"}}"#, r.param("item").unwrap_or_default()))
            }
            "/api" => {
                state.lock().unwrap().refused = true;
                changed.notify_all();
                Action::reply(
                    401,
                    &[("Content-Type", "application/json"), ("WWW-Authenticate", r#"Bearer error="invalid_token""#)],
                    r#"{"message":"token revoked"}"#,
                )
            }
            _ => Action::json(404, "{}"),
        }
    });
    (server, progress)
}

/// A profile `api` whose token endpoint is `base/token`, with `at-1` stored (valid for
/// hours, so `oat request` sends it) and the refresh token `rt-1`.
fn api_env(base: &str) -> Env {
    let env = Env::new();
    env.add_fixture_profile("api", base);
    write_private(
        &env.data_dir().join("api.json"),
        r#"{"tokens":{"access_token":"at-1","token_type":"Bearer","expires_at":4102444800,"refresh_token":"rt-1"}}"#,
    );
    env
}

#[test]
fn request_retries_after_a_401_and_a_wait_for_the_lock_on_a_new_connection_twenty_times() {
    twenty_times(|trial| {
        let (server, progress) = api_and_token_endpoint(Duration::from_millis(500));
        let env = api_env(&server.url);
        // Another process refreshes first and holds the lock until its answer is stored.
        let holder =
            env.command().args(["refresh", "api"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let (state, changed) = &*progress;
        let arrived = changed.wait_timeout_while(state.lock().unwrap(), Duration::from_secs(20), |s| !s.refreshing);
        assert!(arrived.unwrap().0.refreshing, "trial {trial}: the other process's refresh never reached the server");
        // A POST: never sent twice by oat on its own, so only a live connection carries it.
        let out = run(env.oat().args(["request", "api", &format!("{}/api", server.url), "-d", "item=42"]));
        let held = holder.wait_with_output().unwrap();
        let requests = server.requests();
        let shown = format!("trial {trial}: exit {}\n{}\nrequests: {requests:?}", out.code, out.stderr);
        assert!(held.status.success(), "{shown}\nthe other process: {}", String::from_utf8_lossy(&held.stderr));
        assert_eq!(out.code, 0, "{shown}");
        assert_eq!(out.stdout.trim(), r#"{"item":"42"}"#, "{shown}");
        assert!(out.stderr.contains("refused the token (401)"), "{shown}");
        let api = server.requests_to("/api");
        assert_eq!(api.len(), 2, "{shown}");
        assert_eq!(api[0].header("authorization"), Some("Bearer at-1"), "{shown}");
        assert_eq!(api[1].header("authorization"), Some("Bearer at-2"), "{shown}");
        assert!(api.iter().all(|r| r.method == "POST" && r.param("item") == Some("42")), "{shown}");
        // The fault happened: the first call's connection was closed while oat waited.
        assert_ne!(api[0].connection, api[1].connection, "{shown}");
        assert!(server.idle_closes() >= 1, "{shown}");
        // oat request took the other process's new token instead of refreshing again.
        assert_eq!(server.requests_to("/token").len(), 1, "{shown}");
        assert_eq!(env.stored("api").unwrap()["tokens"]["refresh_token"], "rt-2", "{shown}");
    });
}

// --- a close that crosses the request --------------------------------------------------------

/// An API that refuses `at-1`, and closes without answering any request that arrives on a
/// connection that already carried one: its idle close crossing oat's next request.
fn api_closing_reused_connections() -> Faulty {
    Faulty::keep_alive(Duration::from_secs(10), |r, before| {
        if reused(r, before) {
            return Action::Raw(Vec::new());
        }
        match r.header("authorization") {
            Some("Bearer at-2") => Action::json(200, r#"{"ok":true}"#),
            _ => Action::reply(
                401,
                &[("Content-Type", "application/json"), ("WWW-Authenticate", r#"Bearer error="invalid_token""#)],
                "{}",
            ),
        }
    })
}

/// A token endpoint that issues `at-2`, and must be asked exactly once.
fn token_endpoint() -> Faulty {
    Faulty::start(|_, _| {
        Action::json(200, r#"{"access_token":"at-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-2"}"#)
    })
    .expect("/token", 1)
}

#[test]
fn a_get_whose_reused_connection_closes_unanswered_is_sent_again_once() {
    let (api, tokens) = (api_closing_reused_connections(), token_endpoint());
    let env = api_env(&tokens.url);
    let out = run(env.oat().args(["-v", "request", "api", &format!("{}/api", api.url)]));
    let requests = api.requests();
    let shown = format!("exit {}\n{}\nrequests: {requests:?}", out.code, out.stderr);
    assert_eq!(out.code, 0, "{shown}");
    assert_eq!(out.stdout.trim(), r#"{"ok":true}"#, "{shown}");
    assert!(
        out.stderr.contains("the server closed the connection without answering; sending the GET again on a new one"),
        "{shown}"
    );
    // The 401, the retry on the same connection (closed unanswered), the same retry on a new one.
    assert_eq!(requests.len(), 3, "{shown}");
    assert_eq!(requests[1].connection, requests[0].connection, "{shown}");
    assert_ne!(requests[2].connection, requests[0].connection, "{shown}");
    assert_eq!(requests[1].header("authorization"), requests[2].header("authorization"), "{shown}");
}

#[test]
fn a_post_whose_reused_connection_closes_unanswered_is_not_sent_again() {
    let (api, tokens) = (api_closing_reused_connections(), token_endpoint());
    let env = api_env(&tokens.url);
    let out = run(env.oat().args(["request", "api", &format!("{}/api", api.url), "-d", "item=42"]));
    let requests = api.requests();
    let shown = format!("exit {}\n{}\nrequests: {requests:?}", out.code, out.stderr);
    assert_eq!(out.code, 5, "{shown}");
    assert!(out.stdout.is_empty(), "{shown}");
    assert!(out.stderr.contains("as the request may have reached it, it was not sent again"), "{shown}");
    assert_eq!(out.stderr.lines().count(), 2, "the 401 note and one error line: {shown}");
    assert_eq!(requests.len(), 2, "{shown}");
}

#[test]
fn a_connection_idle_for_more_than_a_second_is_not_reused() {
    // A server that closes connections idle for 1.5 s, at the moment a request arrives on
    // one: the close and the request cross, and a POST (a device poll) cannot be resent. oat
    // polls every 2 s and must never offer it such a connection.
    let server = Faulty::keep_alive(Duration::from_secs(10), |r, before| {
        let last = before.iter().rev().find(|b| b.connection == r.connection);
        if last.is_some_and(|b| r.at - b.at >= Duration::from_millis(1500)) {
            return Action::Raw(Vec::new());
        }
        match r.path.as_str() {
            "/device" => device_answer(2),
            "/token" => poll_answer(&[PENDING, ISSUED], before),
            _ => Action::json(404, "{}"),
        }
    });
    let env = device_env(&server);
    let out = run(env.oat().args(["login", "dev"]));
    let requests = server.requests();
    let shown = format!("exit {}\n{}\nrequests: {requests:?}", out.code, out.stderr);
    assert_eq!(out.code, 0, "{shown}");
    assert_eq!(requests.len(), 3, "{shown}");
    assert!(requests.windows(2).all(|w| w[0].connection != w[1].connection), "{shown}");
}
