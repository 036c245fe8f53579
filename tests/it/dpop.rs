//! DPoP (RFC 9449) end to end: the real provider with DPoP on and a nonce demanded in every
//! proof, a `--dpop` profile logged in through the test browser, its refresh, `oat request`,
//! `oat header` + `oat proof` used by the real curl, and `oat proxy`, all against a resource
//! server that checks each proof and the token's `cnf.jkt` at the provider's introspection
//! (`support::dpop_api`).

use crate::support::dpop_api::{DpopApi, jwt_part};
use crate::support::{Env, Provider, introspect, run};
use serde_json::Value;
use std::process::{Command, Stdio};

/// The start of every proof oat makes: base64url of `{"alg":"ES256","jwk":` (its header's
/// members are sorted; no other JWT oat sends carries a `jwk`).
const PROOF_PREFIX: &str = "eyJhbGciOiJFUzI1NiIsImp3ayI6";

/// A `--dpop` profile NAME for client `cli-dpop` (which the provider requires to use DPoP),
/// logged in through the test browser.
fn dpop_login(provider: &Provider, name: &str) -> Env {
    let env = Env::new();
    env.profile_add(name, provider, "cli-dpop")
        .args(["--scope", "openid", "--scope", "offline_access", "--dpop"])
        .assert()
        .success();
    env.login(name);
    env
}

/// A `--dpop` client-credentials profile NAME for client `machine`, with more arguments.
fn machine_profile(env: &Env, name: &str, provider: &Provider, extra: &[&str]) {
    env.profile_add(name, provider, "machine")
        .args(["--flow", "client_credentials", "--client-secret-stdin", "--dpop"])
        .args(extra)
        .write_stdin("machine-secret")
        .assert()
        .success();
}

fn introspection(provider: &Provider, token: &str) -> Value {
    introspect(&format!("{}/token/introspection", provider.issuer), token).unwrap()
}

fn token_json(env: &Env, name: &str) -> Value {
    let out = run(env.oat().args(["token", name, "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// The token-endpoint requests of one grant type: (whether a proof came, its nonce, status).
fn token_requests(provider: &Provider, grant_type: &str) -> Vec<(bool, Option<String>, u64)> {
    provider
        .grants(grant_type)
        .iter()
        .map(|r| (r["dpop"] == true, r["dpop_nonce"].as_str().map(str::to_string), r["status"].as_u64().unwrap_or(0)))
        .collect()
}

#[test]
fn a_dpop_login_binds_the_tokens_to_a_stored_key_that_refreshes_keep() {
    let provider = Provider::start();
    let env = dpop_login(&provider, "d");

    // The code exchange carried a proof; the provider wanted a nonce, and got it on the one retry.
    let exchange = token_requests(&provider, "authorization_code");
    assert_eq!(exchange.len(), 2, "{exchange:?}");
    assert!(exchange[0].0 && exchange[0].1.is_none() && exchange[0].2 == 400, "{exchange:?}");
    assert!(exchange[1].0 && exchange[1].1.is_some() && exchange[1].2 == 200, "{exchange:?}");

    let entry = env.stored("d").unwrap();
    assert_eq!(entry["tokens"]["token_type"], "DPoP");
    let key = entry["dpop_key"].as_str().expect("the DPoP key is in the store").to_string();
    let shown = token_json(&env, "d");
    assert_eq!(shown["token_type"], "DPoP");
    let jkt = shown["jkt"].as_str().expect("jkt in --format json").to_string();
    let access = env.stored_token("d", "access_token");
    let bound = introspection(&provider, &access);
    assert_eq!(bound["token_type"], "DPoP");
    assert_eq!(bound["cnf"]["jkt"], jkt.as_str(), "the token is bound to the stored key");

    // A refresh in a new run: same key, rotated refresh token, the new token still bound to it.
    let refresh_before = env.stored_token("d", "refresh_token");
    let out = run(env.oat().args(["refresh", "d"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let refreshes = token_requests(&provider, "refresh_token");
    assert!(refreshes.iter().all(|r| r.0), "every refresh request carries a proof: {refreshes:?}");
    assert_eq!(refreshes.last().map(|r| r.2), Some(200), "{refreshes:?}");
    let entry = env.stored("d").unwrap();
    assert_eq!(entry["dpop_key"].as_str(), Some(key.as_str()), "the key survives the refresh");
    assert_ne!(env.stored_token("d", "refresh_token"), refresh_before, "the refresh token rotated");
    let renewed = env.stored_token("d", "access_token");
    assert_ne!(renewed, access);
    assert_eq!(introspection(&provider, &renewed)["cnf"]["jkt"], jkt.as_str());
    assert_eq!(token_json(&env, "d")["jkt"], jkt.as_str());

    // `oat status` never shows the key.
    let status = run(env.oat().args(["status", "d"]));
    assert!(!status.stdout.contains(&key) && !status.stderr.contains(&key));
}

#[test]
fn oat_request_sends_a_proof_with_ath_and_retries_once_with_the_resources_nonce() {
    let provider = Provider::start();
    let env = dpop_login(&provider, "d");
    let api = DpopApi::start(&provider).demanding_nonce();

    let out = run(env.oat().args(["-v", "request", "d", &format!("{}/things?page=2", api.url)]));
    assert_eq!(out.code, 0, "{}\n{:?}", out.stderr, api.requests());
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(answer["user"], "alice");
    let requests = api.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!((requests[0].status, requests[0].outcome.as_str()), (401, "use_dpop_nonce"));
    assert_eq!(requests[1].status, 200, "{requests:?}");
    let claims = requests[1].claims.as_ref().unwrap();
    assert_eq!(claims["nonce"], api.nonce().as_str());
    assert_eq!(claims["htu"], format!("{}/things", api.url).as_str(), "htu without the query");
    assert!(requests[1].authorization.as_deref().unwrap().starts_with("DPoP "));
    // Neither proof nor token shows in the -v trace.
    assert!(!out.stderr.contains(PROOF_PREFIX), "a proof in the trace:\n{}", out.stderr);
    assert!(
        out.stderr.contains("DPoP: [redacted sha256:") || out.stderr.contains("dpop: [redacted sha256:"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(&env.stored_token("d", "access_token")));

    // A new nonce later: the one retry again, without renewing the token.
    let access = env.stored_token("d", "access_token");
    api.rotate_nonce();
    let out = run(env.oat().args(["request", "d", &format!("{}/again", api.url)]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.stored_token("d", "access_token"), access, "a nonce is not a refused token");
    assert_eq!(api.requests().iter().filter(|r| r.status == 200).count(), 2);
}

#[test]
fn curl_calls_the_resource_with_oat_header_and_oat_proof() {
    let provider = Provider::start();
    let env = dpop_login(&provider, "d");
    let api = DpopApi::start(&provider).demanding_nonce();
    let url = format!("{}/items", api.url);

    let header = run(env.oat().args(["header", "d"]));
    assert_eq!(header.code, 0, "{}", header.stderr);
    let header = header.stdout.trim().to_string();
    assert!(header.starts_with("Authorization: DPoP "), "{header}");
    let proof = |extra: &[&str]| {
        let out = run(env.oat().args(["proof", "d", "--url", &url, "-X", "POST"]).args(extra));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.is_empty(), "{}", out.stderr);
        out.stdout.trim().to_string()
    };
    let curl = |proof: &str| {
        let out = Command::new("curl")
            .args(["-sS", "--max-time", "60", "--noproxy", "*", "-D", "-", "-X", "POST", "-H", &header, "-H", proof])
            .arg(&url)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .output()
            .expect("curl (apt-get install -y --no-install-recommends curl)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    // Without the nonce: refused, and told which one to use.
    let first = proof(&[]);
    assert!(first.starts_with(&format!("DPoP: {PROOF_PREFIX}")), "{first}");
    let header_of = jwt_part(first.strip_prefix("DPoP: ").unwrap(), 0).unwrap();
    assert_eq!(header_of["typ"], "dpop+jwt");
    let refused = curl(&first);
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    let nonce = refused
        .lines()
        .find_map(|l| l.strip_prefix("DPoP-Nonce: ").or_else(|| l.strip_prefix("dpop-nonce: ")))
        .expect("a DPoP-Nonce header")
        .trim()
        .to_string();
    let second = proof(&["--nonce", &nonce]);
    let claims = jwt_part(second.strip_prefix("DPoP: ").unwrap(), 1).unwrap();
    assert_eq!(claims["htm"], "POST");
    assert_eq!(claims["nonce"], nonce.as_str());
    let answered = curl(&second);
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}\n{:?}", api.requests());
    assert!(answered.contains(r#""user":"alice""#), "{answered}");

    // A Bearer profile has no proof to give: one line, exit 2, nothing on stdout.
    let plain = crate::support::LoggedIn::new("b", &provider.issuer, "cli-public").env();
    let out = run(plain.oat().args(["proof", "b", "--url", &url]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty() && out.stderr.contains("not DPoP-bound"), "{}", out.stderr);
}

#[test]
fn client_credentials_with_dpop_get_a_bound_token_with_the_nonce_retry() {
    let provider = Provider::start();
    let env = Env::new();
    machine_profile(&env, "m", &provider, &["--scope", "openid"]);
    let out = run(env.oat().args(["-v", "token", "m", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains(PROOF_PREFIX), "a proof in the trace:\n{}", out.stderr);
    let shown: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(shown["token_type"], "DPoP");
    let bound = introspection(&provider, shown["access_token"].as_str().unwrap());
    assert_eq!(bound["cnf"]["jkt"], shown["jkt"]);
    let grants = token_requests(&provider, "client_credentials");
    assert_eq!(grants.len(), 2, "{grants:?}");
    assert_eq!((grants[0].2, grants[1].2), (400, 200), "{grants:?}");

    // The API takes it.
    let api = DpopApi::start(&provider);
    let out = run(env.oat().args(["request", "m", &format!("{}/jobs", api.url)]));
    assert_eq!(out.code, 0, "{}\n{:?}", out.stderr, api.requests());
    assert!(out.stdout.contains(r#""user":"machine""#), "{}", out.stdout);
}

#[test]
fn logout_and_profile_remove_delete_the_key() {
    let provider = Provider::start();
    let env = dpop_login(&provider, "d");
    let first_key = env.stored("d").unwrap()["dpop_key"].as_str().unwrap().to_string();
    let out = run(env.oat().args(["logout", "d"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(env.stored("d").is_none_or(|e| e.get("dpop_key").is_none()), "{:?}", env.stored("d"));

    // The next login makes a new key; removing the profile deletes it.
    env.login("d");
    let second_key = env.stored("d").unwrap()["dpop_key"].as_str().unwrap().to_string();
    assert_ne!(first_key, second_key);
    let out = run(env.oat().args(["profile", "remove", "d"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(env.stored("d").is_none());
}

#[test]
fn the_proxy_sends_proofs_for_a_dpop_profile() {
    let provider = Provider::start();
    let env = dpop_login(&provider, "d");
    let api = DpopApi::start(&provider).demanding_nonce();
    // The proxy prints its address (`http://127.0.0.1:PORT`, an ephemeral port) as its first line.
    let (mut proxy, address) = spawn(&env, &["proxy", "d", "--upstream", &api.url]);
    let stop = scopeguard(&mut proxy);
    assert!(address.starts_with("http://127.0.0.1:"), "{address:?}");
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "60", "--noproxy", "*"])
        .arg(format!("{address}/via-proxy"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("curl");
    drop(stop);
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(body.contains(r#""user":"alice""#), "{body}\n{:?}", api.requests());
    let requests = api.requests();
    assert_eq!(requests.iter().map(|r| r.status).collect::<Vec<_>>(), vec![401, 200], "{requests:?}");
}

/// Starts `oat ARGS` in the background: the child and the first line it prints (within 20 s).
fn spawn(env: &Env, args: &[&str]) -> (std::process::Child, String) {
    let mut child =
        env.command().args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(std::time::Duration::from_secs(20)).unwrap_or_default();
    (child, line.trim().to_string())
}

/// Kills and reaps the child when dropped.
fn scopeguard(child: &mut std::process::Child) -> impl Drop + '_ {
    struct Guard<'a>(&'a mut std::process::Child);
    impl Drop for Guard<'_> {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    Guard(child)
}

/// A server that ignores DPoP (no real one here does: oidc-provider binds every token asked
/// for with a proof, hence a fixture) answers a Bearer token: oat says so, and keeps it.
#[test]
fn a_bearer_answer_to_a_dpop_request_is_said_plainly() {
    use crate::support::fixture::{Fixture, Reply};
    let server = Fixture::start(|r, _| match r.path.as_str() {
        "/token" if r.header("dpop").is_some() => {
            Reply::json(200, serde_json::json!({"access_token": "plain-at", "token_type": "Bearer", "expires_in": 600}))
        }
        _ => Reply::not_found(),
    })
    .expect("/token", 1);
    let env = Env::new();
    let token_url = format!("{}/token", server.url);
    env.oat()
        .args(["profile", "add", "m", "--client-id", "x", "--token-url", &token_url, "--flow", "client_credentials"])
        .args(["--client-secret-stdin", "--dpop"])
        .write_stdin("s")
        .assert()
        .success();
    let out = run(env.oat().args(["token", "m"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "plain-at");
    assert!(
        out.stderr.contains("asks for DPoP, but the server answered token_type `Bearer`")
            && out.stderr.contains("not bound"),
        "{}",
        out.stderr
    );
}

/// A JWT access token (client credentials for the resource https://api.oat.test) carries its
/// binding in `cnf.jkt`: `oat inspect` shows it and says it is the stored key's; `oat discover`
/// and `oat doctor` say the server takes DPoP and whether the profile uses it.
#[test]
fn inspect_discover_and_doctor_speak_of_the_binding() {
    let provider = Provider::start();
    let env = Env::new();
    machine_profile(&env, "m", &provider, &["--resource", "https://api.oat.test"]);
    let jkt = token_json(&env, "m")["jkt"].as_str().unwrap().to_string();
    let out = run(env.oat().args(["inspect", "m"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!("DPoP: bound to key {jkt} (cnf.jkt), the profile's stored key")),
        "{}",
        out.stdout
    );
    let out = run(env.oat().args(["--json", "inspect", "m"]));
    let shown: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(shown["claims"]["cnf"]["jkt"], jkt.as_str());
    assert_eq!(shown["dpop_key_matches"], true);

    // Another key in the store: the token is not bound to it, and inspect says so.
    let mut entry = env.stored("m").unwrap();
    let other = {
        let other = Env::new();
        machine_profile(&other, "o", &provider, &[]);
        assert_eq!(run(other.oat().args(["token", "o"])).code, 0);
        other.stored("o").unwrap()["dpop_key"].clone()
    };
    entry["dpop_key"] = other;
    crate::support::write_private(&env.data_dir().join("m.json"), &entry.to_string());
    let out = run(env.oat().args(["inspect", "m"]));
    assert!(out.stdout.contains("which is NOT the profile's stored key"), "{}", out.stdout);

    let out = run(env.oat().args(["discover", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("DPoP (RFC 9449): supported with ES256 proofs"), "{}", out.stderr);
    let out = run(env.oat().args(["doctor", "m"]));
    assert!(out.stdout.contains("✓ dpop: the server takes ES256 proofs"), "{}", out.stdout);
}

/// A `--dpop` profile at a server that does not advertise DPoP fails its doctor check, with the
/// fix. A fixture plays that server: the real provider here has DPoP on.
#[test]
fn doctor_fails_a_dpop_profile_at_a_server_without_dpop() {
    use crate::support::fixture::{Fixture, Reply};
    let server = Fixture::start(|r, _| match r.path.as_str() {
        "/.well-known/openid-configuration" => {
            let base = format!("http://{}", r.header("host").unwrap_or_default());
            Reply::json(
                200,
                serde_json::json!({"issuer": base, "token_endpoint": format!("{base}/token"), "authorization_endpoint": format!("{base}/auth")}),
            )
        }
        _ => Reply::not_found(),
    });
    let env = Env::new();
    env.oat().args(["profile", "add", "d", "--issuer", &server.url, "--client-id", "x", "--dpop"]).assert().success();
    let out = run(env.oat().args(["doctor", "d"]));
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("✗ dpop: the profile uses DPoP, but the server does not list ES256"), "{}", out.stdout);
    assert!(out.stdout.contains("remove `dpop = true` from [profiles.d]"), "{}", out.stdout);
    assert!(env.stored("d").is_none(), "doctor makes no key: {:?}", env.stored("d"));
}

/// `oat demo --dpop`: the embedded server binds the tour's tokens to oat's key and its API
/// takes them only with a proof.
#[test]
fn the_demo_shows_a_dpop_bound_call() {
    let env = Env::new();
    let out = run(env.oat().args(["demo", "--dpop", "--no-browser", "--auto-approve"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("--scope api --dpop"), "{}", out.stderr);
    assert!(out.stderr.contains(r#""token_type": "DPoP""#), "{}", out.stderr);
    assert!(out.stderr.contains("authorization: DPoP [redacted sha256:"), "{}", out.stderr);
    assert!(out.stderr.contains("the server rotated the refresh token"), "{}", out.stderr);
    assert!(out.stderr.contains("The token is DPoP-bound to this profile's key (thumbprint "), "{}", out.stderr);
    assert!(out.stderr.contains(r#""dpop_jkt": ""#), "the API saw the binding: {}", out.stderr);
    assert!(!out.stderr.contains(PROOF_PREFIX), "a proof in the trace:\n{}", out.stderr);
}

/// `oat demo serve`: a bound token is refused without its proof, and taken with one (curl).
#[test]
fn the_demo_api_refuses_a_bound_token_without_its_proof() {
    let (mut serve, issuer) = spawn(&Env::new(), &["demo", "serve", "--auto-approve"]);
    let _stop = scopeguard(&mut serve);

    let env = Env::new();
    env.oat()
        .args(["profile", "add", "d", "--issuer", &issuer, "--client-id", "demo-cli", "--dpop"])
        .args(["--scope", "openid", "--scope", "offline_access", "--scope", "api"])
        .assert()
        .success();
    env.login("d");
    let api = format!("{issuer}/api");
    let token = env.stored_token("d", "access_token");
    let curl = |headers: &[&str]| {
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "--max-time", "60", "--noproxy", "*", "-o", "/dev/null", "-w", "%{http_code}"]);
        for h in headers {
            cmd.args(["-H", h]);
        }
        let out = cmd.arg(&api).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(curl(&[&format!("Authorization: Bearer {token}")]), "401", "a bound token alone is refused");
    assert_eq!(curl(&[&format!("Authorization: DPoP {token}")]), "401", "and without a proof");
    let proof = run(env.oat().args(["proof", "d", "--url", &api])).stdout.trim().to_string();
    assert_eq!(curl(&[&format!("Authorization: DPoP {token}"), &proof]), "200");
    assert_eq!(curl(&[&format!("Authorization: DPoP {token}"), &proof]), "401", "a proof is single-use");
    let out = run(env.oat().args(["request", "d", &api]));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// With the keyring store the key is the entry `NAME#dpop-key` of service `oat` in the real
/// Secret Service: a refresh in a later run uses it, and logout deletes it.
#[test]
fn the_key_lives_in_the_keyring_beside_the_tokens() {
    let provider = Provider::start();
    let keyring = crate::support::Keyring::start();
    let env =
        crate::support::LoggedIn::new("d", &provider.issuer, "cli-dpop").add_args(&["--dpop"]).keyring(&keyring).env();
    let key = keyring.lookup("d#dpop-key").expect("the DPoP key in the keyring");
    let tokens: Value = serde_json::from_str(&keyring.lookup("d").expect("tokens in the keyring")).unwrap();
    assert_eq!(tokens["token_type"], "DPoP");
    assert!(!tokens.to_string().contains(&key), "the key is an entry of its own");
    let out = run(env.oat().args(["refresh", "d"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(keyring.lookup("d#dpop-key"), Some(key));
    let refreshed: Value = serde_json::from_str(&keyring.lookup("d").unwrap()).unwrap();
    let jkt = token_json(&env, "d")["jkt"].as_str().unwrap().to_string();
    assert_eq!(introspection(&provider, refreshed["access_token"].as_str().unwrap())["cnf"]["jkt"], jkt.as_str());
    let out = run(env.oat().args(["logout", "d"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(keyring.lookup("d#dpop-key").is_none() && keyring.lookup("d").is_none());
}

#[test]
fn git_docker_and_kubectl_are_told_plainly_that_they_cannot_use_a_dpop_bound_token() {
    // Their protocols carry a bearer token and nothing else: a DPoP-bound token without its
    // proof would be refused by every server, so oat says so instead of handing it out.
    let provider = Provider::start();
    let env = Env::new();
    machine_profile(&env, "m", &provider, &["--url", "https://git.example/"]);
    let mut git = env.oat();
    git.args(["git-credential", "get"]).write_stdin("protocol=https\nhost=git.example\n\n");
    let out = run(&mut git);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "git gets no credential: {}", out.stdout);
    assert!(out.stderr.contains("the access token of `m` is DPoP-bound, and git cannot send"), "{}", out.stderr);

    let mut docker = env.oat();
    docker.args(["docker-credential", "get"]).write_stdin("git.example");
    let out = run(&mut docker);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("DPoP-bound, and docker cannot send"), "{}", out.stdout);

    let out = run(env.oat().args(["kube-credential", "m", "--token-kind", "access"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("DPoP-bound, and kubectl cannot send"), "{}", out.stderr);
}
