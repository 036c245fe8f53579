//! Logging in with the CI's own identity (workload identity federation): a CI job's ID token
//! as a token-exchange subject token, a JWT bearer assertion and a client assertion, from
//! every source (github-actions, gitlab:, env:, file:, profile:). The real provider trusts the
//! tokens of a GitHub Actions stand-in (`support::github_actions`: no real GitHub is reachable)
//! and checks them with jose. The CI token must never be stored, printed or shown in `-v`.

use crate::support::github_actions::{DEFAULT_AUDIENCE, GithubActions, REQUEST_TOKEN, SUBJECT};
use crate::support::{Env, LoggedIn, Output, Provider, doctor_check, run};
use serde_json::Value;

/// The audience the provider's federation rule expects.
const AUDIENCE: &str = "api://oat.test";
const EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// An environment inside a GitHub Actions job whose ID tokens the provider trusts.
fn federation() -> (Env, Provider, GithubActions) {
    let mut env = Env::new();
    let github = GithubActions::start();
    let (provider, keys) = Provider::with_keys(&env, &[("OAT_TEST_FEDERATION_ISSUER", github.url.as_str())]);
    github.sign_with(&keys.join("client-rsa.pem"));
    github.attach(&mut env);
    (env, provider, github)
}

/// No CI token ever issued, nor the request token, is in `text`.
fn assert_no_ci_token(github: &GithubActions, text: &str, what: &str) {
    assert!(!github.issued().is_empty(), "no CI token was issued");
    for token in github.issued() {
        assert!(!text.contains(&token), "a CI token leaked into {what}:\n{text}");
        // Not even its signature, should the rest be reformatted.
        let signature = token.rsplit('.').next().unwrap_or_default();
        assert!(!text.contains(signature), "a CI token's signature leaked into {what}:\n{text}");
    }
    assert!(!text.contains(REQUEST_TOKEN), "the request token leaked into {what}:\n{text}");
}

fn introspect(provider: &Provider, token: &str) -> Value {
    let (_, body) = provider.post_basic("/token/introspection", ("exchanger", "exchanger-secret"), &[("token", token)]);
    serde_json::from_str(&body).unwrap()
}

fn exchange(env: &Env, source: &str) -> Output {
    run(env.oat().args(["exchange", "ex", "--subject-token-from", source]))
}

#[test]
fn a_token_exchange_trades_the_ci_token_from_every_source() {
    let (mut env, provider, github) = federation();
    env.profile_add("ex", &provider, "exchanger")
        .args(["--client-secret-stdin", "--flow", "client_credentials"])
        .write_stdin("exchanger-secret")
        .assert()
        .success();

    // GitHub Actions: the job's ID token for the audience asked, sent as a JWT.
    let out =
        run(env.oat().args(["-v", "exchange", "ex", "--subject-token-from", &format!("github-actions:{AUDIENCE}")]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(github.asked(), vec![Some(AUDIENCE.to_string())]);
    let info = introspect(&provider, out.stdout.trim());
    assert_eq!((info["active"].as_bool(), info["sub"].as_str()), (Some(true), Some(SUBJECT)), "{info}");
    assert_no_ci_token(&github, &out.stderr, "-v output");
    assert_no_ci_token(&github, &out.stdout, "stdout");
    assert!(out.stderr.contains("audience=api%3A%2F%2Foat.test"), "the trace shows the request: {}", out.stderr);

    // --json: the new token, not the CI token.
    let out = run(env.oat().args([
        "exchange",
        "ex",
        "--json",
        "--subject-token-from",
        &format!("github-actions:{AUDIENCE}"),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["issued_token_type"], "urn:ietf:params:oauth:token-type:access_token");
    assert_no_ci_token(&github, &out.stdout, "--json output");

    // A GitLab id_tokens: variable, any variable, a file (trimmed).
    env.set("OAT_ID_TOKEN", &github.token(AUDIENCE));
    env.set("K8S_TOKEN", &github.token(AUDIENCE));
    let file = env.dir.path().join("projected-token");
    std::fs::write(&file, format!("{}\n", github.token(AUDIENCE))).unwrap();
    for source in ["gitlab:OAT_ID_TOKEN", "env:K8S_TOKEN", &format!("file:{}", file.display())] {
        let out = exchange(&env, source);
        assert_eq!(out.code, 0, "{source}: {}", out.stderr);
        assert_eq!(introspect(&provider, out.stdout.trim())["sub"], SUBJECT, "{source}");
    }

    // An explicit --subject-token-type wins over the source's: this provider then looks for
    // an access token of its own and finds none.
    let out = run(env
        .oat()
        .args(["exchange", "ex", "--subject-token-from", "env:K8S_TOKEN"])
        .args(["--subject-token-type", "access_token"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("not an active access token"), "{}", out.stderr);

    // The federation rule expects another audience than GitHub's default: exit 4, the
    // server's error, and the audience the token was issued for with how to change it.
    let out = exchange(&env, "github-actions");
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert_eq!(github.asked().last(), Some(&None), "no audience asked: GitHub's default");
    let stderr = &out.stderr;
    assert!(stderr.contains("invalid_grant") && stderr.contains("\"aud\""), "the server's error: {stderr}");
    assert!(stderr.contains(&format!("audience `{DEFAULT_AUDIENCE}`")), "the token's audience: {stderr}");
    assert!(stderr.contains("github-actions:AUDIENCE") && stderr.contains(SUBJECT), "{stderr}");
    assert!(stderr.contains("GitHub's default") && stderr.contains("api://AzureADTokenExchange"), "{stderr}");
    assert!(!stderr.contains("expired"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert_no_ci_token(&github, stderr, "the error");
    assert!(out.stdout.is_empty());

    // An expired CI token: exit 4, and the hint says when it expired.
    github.issue_expired(true);
    let out = exchange(&env, &format!("github-actions:{AUDIENCE}"));
    github.issue_expired(false);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("\"exp\"") && out.stderr.contains("it expired at"), "{}", out.stderr);

    // Another profile's token, by profile:NAME or (as before) by its bare name, is an access token.
    LoggedIn::new("user", &provider.issuer, "cli-public").log_in(&env);
    for source in ["profile:user", "user"] {
        let out = exchange(&env, source);
        assert_eq!(out.code, 0, "{source}: {}", out.stderr);
        assert_eq!(introspect(&provider, out.stdout.trim())["sub"], "alice", "{source}");
    }
    assert!(provider.grants(EXCHANGE).len() >= 8);
}

#[test]
fn client_credentials_authenticate_with_the_ci_token_and_store_only_the_access_token() {
    let (mut env, provider, github) = federation();
    let source = format!("github-actions:{AUDIENCE}");
    let add = run(env
        .profile_add("ci", &provider, "federated")
        .args(["--flow", "client_credentials"])
        .args(["--client-assertion-from", &source]));
    assert_eq!(add.code, 0, "{}", add.stderr);

    let out = run(env.oat().args(["-v", "token", "ci"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let token = out.stdout.trim();
    assert_eq!(token, env.stored_token("ci", "access_token"), "the access token is stored and handed out");
    assert_no_ci_token(&github, &out.stderr, "-v output");
    assert_no_ci_token(&github, &out.stdout, "stdout");
    let sent = provider.grants("client_credentials");
    let last = sent.last().expect("a client_credentials request");
    assert_eq!(last["client_id"], "federated", "{last}");
    assert_eq!(last["client_assertion_type"], "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "{last}");
    assert_eq!(last["status"], 200, "{last}");

    // Stored and configured: the access token and the source, never the CI token.
    let stored = std::fs::read_to_string(env.data_dir().join("ci.json")).unwrap();
    assert_no_ci_token(&github, &stored, "the store");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains(&format!("client_assertion_from = \"{source}\"")), "{config}");
    assert_no_ci_token(&github, &config, "config.toml");

    // The cached token is handed out without asking GitHub again.
    let asked = github.asked().len();
    let out = run(env.oat().args(["token", "ci", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(github.asked().len(), asked);
    assert_no_ci_token(&github, &out.stdout, "--format json");

    // Introspection and revocation authenticate the client the same way, each with a fresh CI token.
    let out = run(env.oat().args(["introspect", "ci", "--json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let info: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((info["active"].as_bool(), info["client_id"].as_str()), (Some(true), Some("federated")), "{info}");
    assert_eq!(github.asked().len(), asked + 1);
    let out = run(env.oat().args(["revoke", "ci"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let revoked = provider.requests().into_iter().filter(|r| r["path"] == "/token/revocation").collect::<Vec<_>>();
    assert_eq!(
        revoked.last().map(|r| (r["client_assertion_type"].clone(), r["status"].clone())),
        Some((Value::from("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), Value::from(200))),
        "{revoked:?}"
    );
    assert!(env.stored("ci").is_none_or(|s| s["tokens"]["access_token"] != token), "the revoked token is dropped");
    assert_no_ci_token(&github, &out.stderr, "revoke's output");

    // doctor says the job's variables are there, and the client authenticates.
    let (_, check) = doctor_check(&env, "ci", "ci token");
    assert_eq!(check["ok"], true, "{check}");
    assert!(check["detail"].as_str().unwrap().contains("ACTIONS_ID_TOKEN_REQUEST_URL"), "{check}");
    let (_, client) = doctor_check(&env, "ci", "client");
    assert_eq!(client["ok"], true, "{client}");

    // Outside a job with `permissions: id-token: write`: exit 2, saying so; doctor too.
    env.unset("ACTIONS_ID_TOKEN_REQUEST_URL");
    env.unset("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    let out = run(env.oat().args(["login", "ci"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("permissions: id-token: write"), "{}", out.stderr);
    assert!(out.stderr.contains("ACTIONS_ID_TOKEN_REQUEST_URL"), "{}", out.stderr);
    let (code, check) = doctor_check(&env, "ci", "ci token");
    assert_eq!((code, &check["ok"]), (1, &Value::Bool(false)), "{check}");
    assert!(check["fix"].as_str().unwrap().contains("id-token: write"), "{check}");
}

#[test]
fn a_refused_client_assertion_names_its_audience_and_expiry_and_stores_nothing() {
    let (env, provider, github) = federation();
    let add = |name: &str, source: &str| {
        let out = run(env
            .profile_add(name, &provider, "federated")
            .args(["--flow", "client_credentials"])
            .args(["--client-assertion-from", source]));
        assert_eq!(out.code, 0, "{}", out.stderr);
    };
    add("wrong", "github-actions:api://AzureADTokenExchange");
    let out = run(env.oat().args(["token", "wrong"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    let stderr = &out.stderr;
    assert!(stderr.contains("invalid_client") && stderr.contains("unexpected \"aud\" claim value"), "{stderr}");
    assert!(
        stderr.contains("audience `api://AzureADTokenExchange`") && stderr.contains("github-actions:AUDIENCE"),
        "{stderr}"
    );
    assert!(!stderr.contains("--client-auth"), "no hint about secrets, which this client has none of: {stderr}");
    assert_no_ci_token(&github, stderr, "the error");
    assert!(out.stdout.is_empty() && env.stored("wrong").is_none(), "nothing stored");

    add("late", &format!("github-actions:{AUDIENCE}"));
    github.issue_expired(true);
    let out = run(env.oat().args(["token", "late"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("\"exp\" claim timestamp check failed"), "the server's error: {}", out.stderr);
    assert!(out.stderr.contains("it expired at") && out.stderr.contains("fresh one"), "{}", out.stderr);
    assert!(env.stored("late").is_none(), "nothing stored");

    // A source oat cannot use there is refused when the profile is added.
    let out = run(env.profile_add("other", &provider, "federated").args(["--client-assertion-from", "profile:late"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("not the profile `late`"), "{}", out.stderr);
    let out = run(env.profile_add("other", &provider, "federated").args(["--client-assertion-from", "s3:bucket"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("github-actions[:AUDIENCE]"), "{}", out.stderr);
}

#[test]
fn a_jwt_bearer_profile_sends_the_ci_token_as_its_assertion() {
    let (mut env, provider, github) = federation();
    let add = run(env
        .profile_add("jb", &provider, "service@oat.test")
        .args(["--flow", "jwt_bearer", "--scope", "openid"])
        .args(["--subject-token-from", &format!("github-actions:{AUDIENCE}")]));
    assert_eq!(add.code, 0, "{}", add.stderr);
    let out = run(env.oat().args(["-v", "token", "jb"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_no_ci_token(&github, &out.stderr, "-v output");
    let (status, me) = provider.get("/me", Some(out.stdout.trim()));
    assert_eq!(status, 200, "{me}");
    assert_eq!(serde_json::from_str::<Value>(&me).unwrap()["sub"], SUBJECT, "the account is the CI token's subject");
    assert_no_ci_token(&github, &std::fs::read_to_string(env.data_dir().join("jb.json")).unwrap(), "the store");

    // Without a key and without a source, a jwt_bearer profile is refused.
    let out = run(env.profile_add("nokey", &provider, "service@oat.test").args(["--flow", "jwt_bearer"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--subject-token-from SOURCE"), "{}", out.stderr);

    // A subject token source belongs to the jwt_bearer flow; an exchange names its own.
    let out = run(env
        .profile_add("cc", &provider, "machine")
        .args(["--flow", "client_credentials"])
        .args(["--subject-token-from", "env:CI_TOKEN"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("oat exchange cc --subject-token-from SOURCE"), "{}", out.stderr);

    // A file source read anew, and refused once expired, with the hint.
    let file = env.dir.path().join("token");
    github.issue_expired(true);
    std::fs::write(&file, github.token(AUDIENCE)).unwrap();
    let add = run(env
        .profile_add("k8s", &provider, "service@oat.test")
        .args(["--flow", "jwt_bearer"])
        .args(["--subject-token-from", &format!("file:{}", file.display())]));
    assert_eq!(add.code, 0, "{}", add.stderr);
    let out = run(env.oat().args(["token", "k8s"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_grant") && out.stderr.contains("it expired at"), "{}", out.stderr);
    github.issue_expired(false);
    std::fs::write(&file, github.token(AUDIENCE)).unwrap();
    let out = run(env.oat().args(["token", "k8s"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::write(&file, "").unwrap();
    let out = run(env.oat().args(["login", "k8s"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("it is empty") && out.stderr.contains(&file.display().to_string()), "{}", out.stderr);

    // doctor: the variable a gitlab: source needs is missing, and says where it is defined.
    let add = run(env
        .profile_add("gl", &provider, "service@oat.test")
        .args(["--flow", "jwt_bearer"])
        .args(["--subject-token-from", "gitlab:OAT_ID_TOKEN"]));
    assert_eq!(add.code, 0, "{}", add.stderr);
    let (_, check) = doctor_check(&env, "gl", "ci token");
    assert_eq!(check["ok"], false, "{check}");
    assert!(check["fix"].as_str().unwrap().contains("id_tokens"), "{check}");
    env.set("OAT_ID_TOKEN", &github.token(AUDIENCE));
    let (_, check) = doctor_check(&env, "gl", "ci token");
    assert_eq!(check["ok"], true, "{check}");
    assert_no_ci_token(&github, &check.to_string(), "doctor");
}

#[test]
fn inspect_ci_shows_the_claims_and_never_the_token() {
    let (mut env, _provider, github) = federation();
    let out = run(env.oat().args(["inspect", "--ci", &format!("github-actions:{AUDIENCE}"), "--verify"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    for claim in ["repository", "octo-org/app", "refs/heads/main", "environment", "production", AUDIENCE, SUBJECT] {
        assert!(out.stdout.contains(claim), "{claim} missing:\n{}", out.stdout);
    }
    assert!(out.stdout.contains("signature: verified with key gh-1"), "{}", out.stdout);
    assert_no_ci_token(&github, &out.stdout, "stdout");
    assert_no_ci_token(&github, &out.stderr, "stderr");

    // In GitHub Actions the source may be left out: GitHub's default audience.
    let out = run(env.oat().args(["inspect", "--ci", "--json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["claims"]["aud"], DEFAULT_AUDIENCE, "{json}");
    assert_eq!(json["claims"]["ref"], "refs/heads/main", "{json}");
    assert_no_ci_token(&github, &out.stdout, "--json output");

    env.unset("ACTIONS_ID_TOKEN_REQUEST_URL");
    let out = run(env.oat().args(["inspect", "--ci", "github-actions"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("permissions: id-token: write"), "{}", out.stderr);
    let out = run(env.oat().args(["inspect", "--ci"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("gitlab:VARNAME") && out.stderr.contains("file:PATH"), "{}", out.stderr);
    // A token given where its source goes is refused, and not printed again.
    let token = github.token(AUDIENCE);
    for args in [vec!["inspect", "--ci", &token], vec!["exchange", "x", "--subject-token-from", &token]] {
        let out = run(env.oat().args(&args));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("that is a token, not where to get one"), "{}", out.stderr);
        assert_no_ci_token(&github, &out.stderr, "the usage error");
    }
    env.set("CI_JOB_JWT", &github.token(AUDIENCE));
    let out = run(env.oat().args(["inspect", "--ci", "gitlab:CI_JOB_JWT"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("octo-org/app"), "{}", out.stdout);
    assert_no_ci_token(&github, &out.stdout, "stdout");
}
