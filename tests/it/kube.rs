//! oat as kubectl's exec credential plugin: the real kubectl (`kubectl get --raw /api`) against
//! a test API server that checks bearer tokens as kube-apiserver's OIDC authenticator does
//! (signature by the real provider's JWKS, issuer, audience, expiry) or by introspection; the
//! first call logs in on kubectl's terminal, later ones come from the store, an expiring ID
//! token is renewed, a call without a terminal fails fast with the hint; `oat setup kubectl`
//! writes the entry kubectl then runs. A fixture plays a server that refreshes without a new
//! ID token, which the real provider never does.

use crate::support::fixture::{Fixture, Reply};
use crate::support::kube_server::{
    Authenticator, INSTALL_KUBECTL, KubeServer, Kubectl, exec_user, kubectl_knows_interactive_mode, kubectl_minor,
};
use crate::support::{Env, Provider, run};
use base64::Engine as _;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const API: [&str; 3] = ["get", "--raw", "/api"];

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Profile `k` of the provider (openid, offline_access; not logged in), an API server for its
/// ID tokens and a kubeconfig whose user `k` runs `oat kube-credential k` (IfAvailable).
fn cluster(provider: &Provider) -> (Env, KubeServer, Kubectl) {
    let env = Env::new();
    env.add_profile("k", provider, "cli-public");
    let server = KubeServer::start(Authenticator::id_tokens(provider, "cli-public"));
    let config = env.dir.path().join("kubeconfig");
    server.kubeconfig(&config, "k", &exec_user("k", &["k"], kubectl_minor(), "IfAvailable"));
    let kubectl = Kubectl::new(&env, &config);
    (env, server, kubectl)
}

#[test]
fn kubectl_logs_in_on_its_terminal_then_uses_the_store_and_renews_an_expiring_id_token() {
    // ID tokens live 30 s (so are handed out for 15 s); access tokens an hour.
    let provider = Provider::start_with(&[("OAT_TEST_ID_TOKEN_TTL", "30")]);
    let (env, server, kubectl) = cluster(&provider);

    // First call, on a terminal: oat logs in through the browser, talking on kubectl's terminal.
    let first = kubectl.in_terminal(&API);
    if kubectl_minor() < 22 {
        // kubectl before 1.22 never tells a plugin it may talk (ExecCredential v1beta1 had no
        // `interactive` then), so the login is the person's: the hint says how.
        assert_ne!(first.code, 0, "{}", first.stdout);
        assert!(first.stdout.contains("run `oat login k`"), "{}", first.stdout);
        env.login("k");
    } else {
        assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
        assert!(
            first.stdout.contains("no tokens stored for `k`") && first.stdout.contains("logging in"),
            "{}",
            first.stdout
        );
        assert!(first.stdout.contains("\"kind\":\"APIVersions\""), "{}", first.stdout);
    }
    assert_eq!(env.browser_log().len(), 1, "one login");
    assert_eq!(provider.grants("authorization_code").len(), 1);
    let id_token = env.stored_token("k", "id_token");
    if kubectl_minor() >= 22 {
        let accepted = server.accepted_tokens();
        assert!(!accepted.is_empty() && accepted.iter().all(|t| *t == id_token), "kubectl sent the stored ID token");
    }

    // Later calls, without a terminal: served from the store, no login, no refresh.
    server.clear();
    let second = kubectl.run(&API);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(second.stdout.contains("\"kind\":\"APIVersions\""), "{}", second.stdout);
    let accepted = server.accepted_tokens();
    assert!(!accepted.is_empty() && accepted.iter().all(|t| *t == id_token), "{accepted:?}");
    assert_eq!(server.requests().iter().filter(|r| r.status == 401).count(), 0);
    assert_eq!(env.browser_log().len(), 1);
    assert!(provider.grants("refresh_token").is_empty(), "nothing renewed while the ID token is fresh");

    // Once the ID token has less than half of its 30 s left it is renewed, although the access
    // token still has most of its hour: the ID token's own expiry decides.
    let exp = claims(&id_token)["exp"].as_u64().unwrap();
    while now() + 15 <= exp {
        std::thread::sleep(Duration::from_millis(200));
    }
    let access_expires = env.stored("k").unwrap()["tokens"]["expires_at"].as_u64().unwrap();
    assert!(access_expires > now() + 1800, "the access token is far from expiry");
    server.clear();
    let third = kubectl.run(&API);
    assert_eq!(third.code, 0, "{}", third.stderr);
    let renewed = env.stored_token("k", "id_token");
    assert_ne!(renewed, id_token);
    assert!(claims(&renewed)["exp"].as_u64().unwrap() > exp);
    let accepted = server.accepted_tokens();
    assert!(!accepted.is_empty() && accepted.iter().all(|t| *t == renewed), "{accepted:?}");
    let refreshes = provider.grants("refresh_token");
    assert_eq!(refreshes.len(), 1, "one refresh, even when kubectl runs oat twice: {refreshes:?}");
    assert_eq!(env.browser_log().len(), 1, "no new login");
}

#[test]
fn without_a_terminal_and_without_tokens_kubectl_fails_fast_with_the_login_hint() {
    let provider = Provider::start();
    let (env, server, kubectl) = cluster(&provider);
    let started = Instant::now();
    let out = kubectl.run(&API);
    assert!(started.elapsed() < Duration::from_secs(20), "it took {:?}", started.elapsed());
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("no tokens stored for `k`; run `oat login k`"), "{}", out.stderr);
    assert!(out.stderr.contains("kubectl lets oat use no terminal"), "{}", out.stderr);
    assert!(env.browser_log().is_empty(), "no browser was started");
    assert!(provider.requests().is_empty());
    assert!(server.accepted_tokens().is_empty());

    // On a terminal, but the kubeconfig says interactiveMode: Never: the same.
    if kubectl_minor() >= 22 {
        let config = env.dir.path().join("kubeconfig");
        server.kubeconfig(&config, "k", &exec_user("k", &["k"], kubectl_minor(), "Never"));
        let out = kubectl.in_terminal(&API);
        assert_ne!(out.code, 0, "{}", out.stdout);
        assert!(out.stdout.contains("run `oat login k`"), "{}", out.stdout);
        assert!(env.browser_log().is_empty(), "no browser was started");
        assert!(env.stored("k").is_none());
    }
}

#[test]
fn an_api_server_that_takes_access_tokens_gets_the_access_token() {
    let provider = Provider::start();
    let env = Env::logged_in("k", &provider, "cli-public");
    let server = KubeServer::start(Authenticator::access_tokens(&provider));
    let config = env.dir.path().join("kubeconfig");
    let minor = kubectl_minor();
    server.kubeconfig(&config, "k", &exec_user("k", &["k", "--token-kind", "access"], minor, "IfAvailable"));
    let kubectl = Kubectl::new(&env, &config);
    let out = kubectl.run(&API);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"kind\":\"APIVersions\""), "{}", out.stdout);
    let access_token = env.stored_token("k", "access_token");
    let accepted = server.accepted_tokens();
    assert!(!accepted.is_empty() && accepted.iter().all(|t| *t == access_token), "{accepted:?}");

    // By default an OpenID profile hands out its ID token, which this server does not take.
    server.clear();
    server.kubeconfig(&config, "k", &exec_user("k", &["k"], minor, "IfAvailable"));
    let out = kubectl.run(&API);
    assert_ne!(out.code, 0, "{}", out.stdout);
    let id_token = env.stored_token("k", "id_token");
    let refused: Vec<_> = server.requests().into_iter().filter(|r| r.status == 401).collect();
    assert!(!refused.is_empty() && refused.iter().all(|r| r.token.as_deref() == Some(id_token.as_str())));
}

#[test]
fn setup_writes_the_user_that_kubectl_then_runs() {
    let provider = Provider::start();
    let env = Env::logged_in("k", &provider, "cli-public");
    let server = KubeServer::start(Authenticator::id_tokens(&provider, "cli-public"));
    let config = env.dir.path().join("kubeconfig");
    // The user exists already, with a static token (which kubectl would send instead).
    server.kubeconfig(&config, "corp-k", "users:\n- name: corp-k\n  user:\n    token: old-static-token\n");
    let written = std::fs::read_to_string(&config).unwrap();
    let oat = std::fs::canonicalize(env!("CARGO_BIN_EXE_oat")).unwrap();
    let setup = |extra: &[&str]| {
        let mut cmd = env.oat();
        cmd.args(["setup", "kubectl", "k", "--user", "corp-k", "--kubeconfig", config.to_str().unwrap()]).args(extra);
        run(&mut cmd)
    };

    // kubectl 1.30 and later write `interactiveMode` (which v1 requires); older ones get v1beta1.
    let modern = kubectl_knows_interactive_mode();
    let api_version = if modern { "client.authentication.k8s.io/v1" } else { "client.authentication.k8s.io/v1beta1" };

    // --dry-run prints the entry and the command, and writes nothing.
    let dry = setup(&["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), written, "a dry run writes nothing");
    let command = json!(oat.to_str().unwrap()).to_string();
    for line in [
        "- name: \"corp-k\"",
        &format!("      apiVersion: {api_version}\n"),
        &format!("      command: {command}"),
        "      - \"kube-credential\"\n      - \"k\"\n",
        "      provideClusterInfo: false",
        &format!("#   kubectl --kubeconfig={} config set-credentials", config.display()),
    ] {
        assert!(dry.stdout.contains(line), "{line:?} in:\n{}", dry.stdout);
    }
    assert_eq!(dry.stdout.contains("      interactiveMode: IfAvailable\n"), modern, "{}", dry.stdout);

    let out = setup(&[]);
    assert!(
        !out.stderr.contains("panic:"),
        "this kubectl cannot write a kubeconfig (Debian's kubernetes-client 1.20 panics on every write); {INSTALL_KUBECTL}:\n{}",
        out.stderr
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Wrote user `corp-k`"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let unset = "kubectl config unset users.corp-k.token";
    assert!(out.stderr.contains("also has `token`") && out.stderr.contains(unset), "{}", out.stderr);
    let kubectl = Kubectl::new(&env, &config);
    let out = kubectl.run(&API);
    assert_ne!(out.code, 0, "the static token goes first: {}", out.stdout);
    // `oat doctor NAME` sees the user, and the token beside it.
    let doctor = || {
        let mut cmd = env.oat();
        cmd.env("KUBECONFIG", &config);
        run(cmd.args(["doctor", "k"]))
    };
    let out = doctor();
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("✗ kubectl: kubectl runs oat for kubeconfig user corp-k, but user `corp-k` also has `token`"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(&format!("fix: {unset}")), "{}", out.stdout);
    assert!(server.accepted_tokens().is_empty());
    // The warning's remedy, as it says.
    let args: Vec<&str> = unset.split(' ').skip(1).collect();
    assert_eq!(kubectl.run(&args).code, 0);
    let view = kubectl.run(&["config", "view", "--raw", "-o", "json"]);
    assert_eq!(view.code, 0, "{}", view.stderr);
    let view: Value = serde_json::from_str(&view.stdout).unwrap();
    let users = view["users"].as_array().unwrap();
    assert_eq!(users.len(), 1, "{view}");
    assert_eq!(users[0]["name"], "corp-k");
    let exec = &users[0]["user"]["exec"];
    assert_eq!(std::fs::canonicalize(exec["command"].as_str().unwrap()).unwrap(), oat);
    assert_eq!(exec["args"], json!(["kube-credential", "k"]));
    assert_eq!(exec["apiVersion"], api_version);
    if modern {
        assert_eq!(exec["interactiveMode"], "IfAvailable");
    }
    assert_eq!(exec["provideClusterInfo"], false);

    let out = doctor();
    assert!(out.stdout.contains("✓ kubectl: kubectl runs oat for kubeconfig user corp-k\n"), "{}", out.stdout);

    // kubectl runs exactly what setup wrote.
    let out = kubectl.run(&API);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let id_token = env.stored_token("k", "id_token");
    let accepted = server.accepted_tokens();
    assert!(!accepted.is_empty() && accepted.iter().all(|t| *t == id_token), "{accepted:?}");

    // Again with --token-kind: the same user, its arguments replaced.
    let out = setup(&["--token-kind", "access"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let view: Value = serde_json::from_str(&kubectl.run(&["config", "view", "--raw", "-o", "json"]).stdout).unwrap();
    assert_eq!(view["users"].as_array().unwrap().len(), 1);
    assert_eq!(view["users"][0]["user"]["exec"]["args"], json!(["kube-credential", "k", "--token-kind=access"]));
}

#[test]
fn setup_refuses_what_cannot_work_and_writes_nothing() {
    let env = Env::new();
    let config = env.dir.path().join("kubeconfig");
    std::fs::write(&config, "apiVersion: v1\nkind: Config\n").unwrap();
    let path = config.to_str().unwrap();
    let out = run(env.oat().args(["setup", "kubectl", "nope", "--kubeconfig", path]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("nope"), "{}", out.stderr);
    env.oat().args(["profile", "add", "gh", "--preset", "github", "--client-id", "x"]).assert().success();
    let out = run(env.oat().args(["setup", "kubectl", "gh", "--kubeconfig", path, "--token-kind", "id"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("openid") && out.stderr.contains("--token-kind access"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "apiVersion: v1\nkind: Config\n");
}

#[test]
fn the_answer_is_an_exec_credential_in_the_version_kubectl_asks_for() {
    let provider = Provider::start();
    let env = Env::logged_in("k", &provider, "cli-public");
    let id_token = env.stored_token("k", "id_token");
    let exp = claims(&id_token)["exp"].as_u64().unwrap();
    let v1 = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let out = run(env.oat().args(["-v", "kube-credential", "k"]).env("KUBERNETES_EXEC_INFO", v1));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1, "one line and nothing else: {}", out.stdout);
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    let expires = jiff::Timestamp::from_second(exp as i64).unwrap().to_string();
    assert_eq!(
        answer,
        json!({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
               "status": {"token": id_token, "expirationTimestamp": expires}})
    );
    assert!(!out.stderr.contains(&id_token), "-v never shows the token: {}", out.stderr);
    assert!(out.stderr.contains("ID token of `k`"), "{}", out.stderr);

    // Without KUBERNETES_EXEC_INFO: v1beta1. The access token with its own expiry on request.
    let out = run(env.oat().args(["kube-credential", "k", "--token-kind", "access"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(answer["apiVersion"], "client.authentication.k8s.io/v1beta1");
    assert_eq!(answer["status"]["token"], env.stored_token("k", "access_token"));
    let expires_at = env.stored("k").unwrap()["tokens"]["expires_at"].as_u64().unwrap();
    let expires = jiff::Timestamp::from_second(expires_at as i64).unwrap().to_string();
    assert_eq!(answer["status"]["expirationTimestamp"], expires);

    // A version oat does not speak: exit 2, nothing on stdout.
    let alpha = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1alpha1","spec":{}}"#;
    let out = run(env.oat().args(["kube-credential", "k"]).env("KUBERNETES_EXEC_INFO", alpha));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("v1alpha1"), "{}", out.stderr);
    assert!(provider.grants("refresh_token").is_empty());
}

#[test]
fn a_refresh_that_brings_no_new_id_token_is_an_error_not_an_expired_token() {
    // A server that sends ID tokens only at login (the real provider sends one on every
    // refresh). The login's ID token expired 30 s ago: within login's minute of clock skew,
    // but never to be handed out.
    let fixture = Fixture::start(|r, before| match r.path.as_str() {
        "/auth" => Reply::approve(r, "code-1"),
        "/token" if r.param("grant_type") == Some("authorization_code") => {
            let nonce = before.iter().find(|b| b.path == "/auth").and_then(|b| b.param("nonce")).unwrap_or_default();
            let now = now();
            let claims = json!({"sub": "alice", "aud": "x", "iat": now - 3600, "exp": now - 30, "nonce": nonce});
            let b64 = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
            let id_token = format!("{}.{}.c2ln", b64(r#"{"alg":"RS256"}"#), b64(&claims.to_string()));
            Reply::json(
                200,
                json!({"access_token": "at-1", "token_type": "Bearer", "expires_in": 3600,
                       "refresh_token": "rt-1", "id_token": id_token}),
            )
        }
        "/token" => Reply::json(200, json!({"access_token": "at-2", "token_type": "Bearer", "expires_in": 3600})),
        _ => Reply::not_found(),
    })
    .expect("/token", 2);
    let env = Env::new();
    let (auth, token) = (format!("{}/auth", fixture.url), format!("{}/token", fixture.url));
    env.oat()
        .args(["profile", "add", "f", "--client-id", "x", "--auth-url", &auth, "--token-url", &token])
        .args(["--scope", "openid", "--scope", "offline_access"])
        .assert()
        .success();
    env.login("f");
    let id_token = env.stored_token("f", "id_token");
    let v1 = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let out = run(env.oat().args(["kube-credential", "f"]).env("KUBERNETES_EXEC_INFO", v1));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains("the ID token of `f` has expired and cannot be renewed")
            && out.stderr.contains("run `oat login f`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(&id_token));
    // The refresh happened and was stored; the old ID token stays what it was.
    assert_eq!(env.stored_token("f", "access_token"), "at-2");
    assert_eq!(env.stored_token("f", "id_token"), id_token);
    let refreshes: Vec<_> =
        fixture.requests_to("/token").into_iter().filter(|r| r.param("grant_type") == Some("refresh_token")).collect();
    assert_eq!(refreshes.len(), 1);
}
