//! oat as docker's credential helper, run by its real name: `oat setup docker` links
//! `docker-credential-oat` into a directory on PATH (HOME/bin here) and adds the registry to
//! `credHelpers` in `$DOCKER_CONFIG/config.json`. The protocol is then driven exactly as
//! docker-credential-helpers' client (client/client.go) drives it — the program looked up on
//! PATH, the action as its one argument, a bare server URL on stdin for get and erase, a JSON
//! line for store, "unused" for list, the answer read from stdout, "not found" recognised by
//! its exact text — and by real registry clients that read `credHelpers` without a daemon:
//! skopeo (`inspect` with `--authfile` on docker's config.json) and the docker CLI (`manifest
//! inspect`, `logout`), against the test registry (support::registry), which lets in only tokens
//! the real provider says are active.

use crate::support::git_server::{Decision, Introspection, Scheme};
use crate::support::registry::{Challenge, REPOSITORY, Registry, TAG};
use crate::support::{Env, Output, Provider, run};
use serde_json::Value;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const NOT_FOUND: &str = "credentials not found in native keychain";
const INSTALL_SKOPEO: &str = "install it with `apt-get install -y --no-install-recommends skopeo`";
const INSTALL_DOCKER: &str =
    "install the docker CLI with `apt-get install -y --no-install-recommends docker.io` (or Docker's docker-ce-cli)";

/// A config.json as docker writes it, with keys oat knows nothing about.
const DOCKER_WROTE: &str = "{\n\t\"auths\": {\n\t\t\"ghcr.io\": {\n\t\t\t\"auth\": \"dXNlcjpwYXNz\"\n\t\t}\n\t},\n\t\"credHelpers\": {\n\t\t\"gcr.io\": \"gcloud\"\n\t},\n\t\"psFormat\": \"table {{.ID}}\\t{{.Names}}\",\n\t\"proxies\": {\"default\": {\"httpProxy\": \"http://proxy.example:3128\"}},\n\t\"x-unknown\": [1, 2.50, null]\n}";

/// Makes `env` one a docker user has: HOME/bin first on PATH and DOCKER_CONFIG=HOME/docker.
fn docker_user(env: &mut Env) {
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let path = std::env::var("PATH").unwrap_or_default();
    env.set("PATH", &format!("{}:{path}", bin.display()));
    env.set("DOCKER_CONFIG", env.dir.path().join("docker").to_str().unwrap());
}

fn docker_config(env: &Env) -> PathBuf {
    env.dir.path().join("docker/config.json")
}

fn link(env: &Env) -> PathBuf {
    env.dir.path().join("bin/docker-credential-oat")
}

/// `oat setup docker NAME --registry HOST`, which must succeed.
fn setup(env: &Env, name: &str, registry: &str) -> Output {
    let out = run(env.oat().args(["setup", "docker", name, "--registry", registry]));
    assert_eq!(out.code, 0, "setup docker: {}", out.stderr);
    out
}

/// The logged-in profile `registry` (client cli-public) in a docker user's environment, set up
/// for `host`.
fn logged_in_for(provider: &Provider, host: &str) -> Env {
    let mut env = Env::logged_in("registry", provider, "cli-public");
    docker_user(&mut env);
    setup(&env, "registry", host);
    env
}

/// How a helper call failed, as docker's client tells.
#[derive(Debug, PartialEq)]
enum HelperError {
    /// `credentials.IsErrCredentialsNotFoundMessage(out)`.
    NotFound,
    /// Any other failure: the exit code and stdout (which docker quotes).
    Failed(i32, String),
}

/// docker-credential-helpers' client: `exec.Command("docker-credential-oat", action)` found on
/// PATH, stdin as given, stdout read (`cmd.Output()`), stderr passed on (kept here to check).
struct HelperClient<'a> {
    env: &'a Env,
}

impl HelperClient<'_> {
    fn run(&self, action: &str, input: &str) -> Output {
        let mut cmd = assert_cmd::Command::new("docker-credential-oat");
        cmd.arg(action).env_clear().envs(self.env.vars()).write_stdin(input).timeout(Duration::from_secs(60));
        run(&mut cmd)
    }

    fn failure(out: Output) -> HelperError {
        if out.stdout.trim() == NOT_FOUND { HelperError::NotFound } else { HelperError::Failed(out.code, out.stdout) }
    }

    /// `client.Get`: the server URL as stdin, the JSON answer decoded (here: kept whole).
    fn get(&self, server_url: &str) -> Result<Value, HelperError> {
        let out = self.run("get", server_url);
        if out.code != 0 {
            return Err(Self::failure(out));
        }
        assert!(out.stderr.is_empty(), "get said on stderr: {}", out.stderr);
        Ok(serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("get answered {:?}: {e}", out.stdout)))
    }

    /// `client.Store`: `json.NewEncoder(buffer).Encode(creds)`, a JSON line.
    fn store(&self, server_url: &str, username: &str, secret: &str) -> Result<Output, HelperError> {
        let line =
            format!("{}\n", serde_json::json!({"ServerURL": server_url, "Username": username, "Secret": secret}));
        let out = self.run("store", &line);
        if out.code != 0 { Err(Self::failure(out)) } else { Ok(out) }
    }

    /// `client.Erase`: the server URL as stdin.
    fn erase(&self, server_url: &str) -> Result<Output, HelperError> {
        let out = self.run("erase", server_url);
        if out.code != 0 { Err(Self::failure(out)) } else { Ok(out) }
    }

    /// `client.List`: "unused" as stdin, a JSON map answered.
    fn list(&self) -> Result<BTreeMap<String, String>, HelperError> {
        let out = self.run("list", "unused");
        if out.code != 0 {
            return Err(Self::failure(out));
        }
        Ok(serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("list answered {:?}: {e}", out.stdout)))
    }
}

/// A real client program in `env`, stdin closed, within a minute; fails the test if the program
/// is missing, naming how to install it.
fn client(program: &str, install: &str, env: &Env) -> assert_cmd::Command {
    let found = std::process::Command::new(program).arg("--version").output();
    assert!(found.is_ok_and(|o| o.status.success()), "`{program}` is missing: {install}");
    let mut cmd = assert_cmd::Command::new(program);
    cmd.env_clear().envs(env.vars()).timeout(Duration::from_secs(60));
    cmd
}

/// `skopeo ARGS` with docker's config.json as its auth file, isolated from the machine's
/// containers configuration.
fn skopeo(env: &Env, args: &[&str]) -> Output {
    let registries = env.dir.path().join("registries.conf");
    std::fs::write(&registries, "").unwrap();
    let mut cmd = client("skopeo", INSTALL_SKOPEO, env);
    cmd.env("CONTAINERS_REGISTRIES_CONF", &registries).args(args).arg("--authfile").arg(docker_config(env));
    run(&mut cmd)
}

/// `skopeo inspect docker://IMAGE` (plain http: `--tls-verify=false`), which must succeed:
/// what it says about the image.
fn inspect(env: &Env, registry: &Registry) -> Value {
    let image = format!("docker://{}", registry.image());
    let out = skopeo(env, &["inspect", "--tls-verify=false", &image]);
    assert_eq!(out.code, 0, "skopeo inspect {image}: {}", out.stderr);
    let answer: Value = serde_json::from_str(&out.stdout).expect("skopeo's JSON");
    assert_eq!(answer["Digest"], Registry::manifest_digest(), "{answer}");
    assert_eq!(answer["Name"], format!("{}/{REPOSITORY}", registry.host), "{answer}");
    assert_eq!(answer["RepoTags"], serde_json::json!([TAG]), "{answer}");
    answer
}

/// The docker CLI (no daemon needed for `manifest inspect` and `logout`), isolated in `env`
/// (DOCKER_CONFIG, PATH).
fn docker(env: &Env, args: &[&str]) -> Output {
    run(client("docker", INSTALL_DOCKER, env).args(args))
}

#[test]
fn setup_docker_adds_its_helper_keeps_every_other_key_and_links_the_helper_on_path() {
    let mut env = Env::new();
    docker_user(&mut env);
    env.add_fixture_profile("registry", "http://127.0.0.1:9/as");
    let mut other = env.oat();
    other.args(["profile", "add", "google", "--client-id", "g", "--auth-url", "http://127.0.0.1:9/auth"]);
    other.args(["--token-url", "http://127.0.0.1:9/token"]);
    other.args(["--url", "https://europe-docker.pkg.dev/"]);
    other.assert().success();
    let config = docker_config(&env);
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, DOCKER_WROTE).unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o640)).unwrap();
    let oat_config = std::fs::read_to_string(env.config_path()).unwrap();
    let expected = DOCKER_WROTE
        .replace("\t\t\"gcr.io\": \"gcloud\"\n", "\t\t\"gcr.io\": \"gcloud\",\n\t\t\"127.0.0.1:5000\": \"oat\"\n")
        + "\n";

    let out = run(env.oat().args(["setup", "docker", "registry", "--registry", "127.0.0.1:5000", "--dry-run"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, expected, "--dry-run prints the config.json it would write");
    assert!(out.stderr.contains("would add http://127.0.0.1:5000/ to the urls of `registry`"), "{}", out.stderr);
    assert!(out.stderr.contains(&format!("would link {}", link(&env).display())), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), DOCKER_WROTE, "--dry-run writes nothing");
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), oat_config);
    assert!(std::fs::symlink_metadata(link(&env)).is_err(), "--dry-run links nothing");

    let out = setup(&env, "registry", "127.0.0.1:5000");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), expected, "every other key kept as docker wrote it");
    let mode = std::fs::metadata(&config).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the file keeps its mode");
    assert!(out.stderr.contains("docker now asks oat for 127.0.0.1:5000's credentials"), "{}", out.stderr);
    assert!(out.stderr.contains("Added http://127.0.0.1:5000/ to the urls of `registry`"), "{}", out.stderr);
    let target = std::fs::read_link(link(&env)).expect("docker-credential-oat is a symlink");
    assert_eq!(std::fs::canonicalize(target).unwrap(), std::fs::canonicalize(env!("CARGO_BIN_EXE_oat")).unwrap());
    let which = run(env.oat().args(["profile", "which", "http://127.0.0.1:5000/v2/"]));
    assert_eq!(which.stdout.trim(), "registry", "{}", which.stderr);

    let doctor = run(env.oat().args(["doctor", "registry", "--json"]));
    let report: Value = serde_json::from_str(&doctor.stdout).unwrap();
    let checks = report["profiles"][0]["checks"].as_array().unwrap();
    let check = checks.iter().find(|c| c["check"] == "docker").expect("a docker check");
    assert_eq!(check["ok"], true, "{check}");
    assert!(check["detail"].as_str().unwrap().starts_with("docker asks oat for 127.0.0.1:5000"), "{check}");

    // Again: nothing to do, nothing rewritten.
    let out = setup(&env, "registry", "127.0.0.1:5000");
    assert!(out.stderr.contains("docker already asks oat for 127.0.0.1:5000"), "{}", out.stderr);
    assert!(out.stderr.contains("runs this oat"), "{}", out.stderr);
    assert!(!out.stderr.contains("Added"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), expected);

    // A registry another profile serves: docker would get that profile's tokens, so no.
    let out = run(env.oat().args(["setup", "docker", "registry", "--registry", "europe-docker.pkg.dev"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("profile `google` already serves https://europe-docker.pkg.dev/"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), expected, "nothing written");

    // No config.json yet: made 0600 in a 0700 directory, with the helper alone.
    std::fs::remove_dir_all(config.parent().unwrap()).unwrap();
    setup(&env, "google", "europe-docker.pkg.dev");
    let text = std::fs::read_to_string(&config).unwrap();
    assert_eq!(text, "{\n\t\"credHelpers\": {\n\t\t\"europe-docker.pkg.dev\": \"oat\"\n\t}\n}\n");
    assert_eq!(std::fs::metadata(&config).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(config.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
}

#[test]
fn docker_s_client_gets_the_stored_token_from_docker_credential_oat() {
    let provider = Provider::start();
    let env = logged_in_for(&provider, "127.0.0.1:5000");
    let client = HelperClient { env: &env };
    let stored = env.stored("registry").unwrap();
    let access = env.stored_token("registry", "access_token");

    let answer = client.get("127.0.0.1:5000").expect("credentials");
    assert_eq!(
        answer,
        serde_json::json!({"ServerURL": "127.0.0.1:5000", "Username": "oauth2", "Secret": access}),
        "the stored access token, under the default user name"
    );
    let (status, me) = provider.get("/me", Some(&access));
    assert_eq!(status, 200, "{me}");
    assert_eq!(provider.grants("refresh_token").len(), 0, "a valid stored token needs no refresh");

    assert_eq!(client.list().unwrap(), BTreeMap::from([("127.0.0.1:5000".to_string(), "oauth2".to_string())]));
    let version = client.run("version", "");
    assert_eq!((version.code, version.stdout.as_str()), (0, "docker-credential-oat (oat-cli) v0.1.0\n"));

    // store: docker hands over what it logged in with; oat keeps its own tokens.
    let out = client.store("127.0.0.1:5000", "someone", "a-password-docker-had").expect("store succeeds");
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{}{}", out.stdout, out.stderr);
    assert_eq!(env.stored("registry").unwrap(), stored, "nothing stored changed");
    let refused = client.store("127.0.0.1:5000", "", "x").err();
    assert_eq!(refused, Some(HelperError::Failed(1, "no credentials username\n".into())));
    assert_eq!(client.get(""), Err(HelperError::Failed(1, "no credentials server URL\n".into())));

    // The registry's convention, then the profile's docker_username.
    let mut add = env.oat();
    add.args(["profile", "add", "google", "--client-id", "g", "--auth-url", "http://127.0.0.1:9/auth"]);
    add.args(["--token-url", "http://127.0.0.1:9/token"]);
    add.args(["--url", "https://europe-docker.pkg.dev/", "--url", "https://ghcr.io/", "--docker-username", "octocat"]);
    add.assert().success();
    let store = env.data_dir().join("google.json");
    let tokens = serde_json::json!({"tokens": {"access_token": "google-token", "token_type": "Bearer"}});
    crate::support::write_private(&store, &tokens.to_string());
    let gar = client.get("europe-docker.pkg.dev").expect("credentials");
    assert_eq!((gar["Username"].as_str(), gar["Secret"].as_str()), (Some("oauth2accesstoken"), Some("google-token")));
    let ghcr = client.get("https://ghcr.io").expect("credentials");
    assert_eq!((ghcr["ServerURL"].as_str(), ghcr["Username"].as_str()), (Some("https://ghcr.io"), Some("octocat")));
}

#[test]
fn a_registry_no_profile_serves_is_not_found_as_docker_expects() {
    let mut env = Env::new();
    docker_user(&mut env);
    env.add_fixture_profile("registry", "http://127.0.0.1:9/as");
    setup(&env, "registry", "127.0.0.1:5000");
    let client = HelperClient { env: &env };
    for server_url in ["registry.example", "127.0.0.1:5001", "https://index.docker.io/v1/", "https://127.0.0.1:5000"] {
        for action in ["get", "erase"] {
            let out = client.run(action, server_url);
            assert_eq!(
                (out.code, out.stdout.as_str(), out.stderr.as_str()),
                (1, "credentials not found in native keychain\n", ""),
                "{action} {server_url}"
            );
        }
        assert_eq!(client.get(server_url), Err(HelperError::NotFound));
    }
}

#[test]
fn a_needed_login_fails_at_once_with_the_hint_and_opens_no_browser() {
    let provider = Provider::start();
    let registry = Registry::start(Challenge::Basic, Introspection::new(&provider));
    let mut env = Env::new();
    docker_user(&mut env);
    env.add_profile("registry", &provider, "cli-public");
    setup(&env, "registry", &registry.host);

    let started = Instant::now();
    let failed = HelperClient { env: &env }.get(&registry.host).unwrap_err();
    let HelperError::Failed(1, out) = failed else { panic!("{failed:?}") };
    assert_eq!(
        out,
        format!("credentials for {}: no tokens stored for `registry`; run `oat login registry`\n", registry.host)
    );

    // skopeo shows that line to the person, and stops there.
    let image = format!("docker://{}", registry.image());
    let out = skopeo(&env, &["inspect", "--tls-verify=false", &image]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("run `oat login registry`"), "{}", out.stderr);
    assert!(started.elapsed() < Duration::from_secs(30), "no wait for a login that cannot come");
    assert!(env.browser_log().is_empty(), "no browser: {:?}", env.browser_log());
    assert!(registry.admitted_tokens().is_empty());
}

#[test]
fn erase_drops_the_access_token_and_the_next_get_is_fresh() {
    let provider = Provider::start();
    let env = logged_in_for(&provider, "127.0.0.1:5000");
    let client = HelperClient { env: &env };
    let before = env.stored_token("registry", "access_token");
    let refresh_token = env.stored_token("registry", "refresh_token");

    let out = client.erase("127.0.0.1:5000").expect("erase succeeds");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("dropped the access token of `registry`"), "{}", out.stderr);
    assert_eq!(env.stored_token("registry", "access_token"), "", "the access token is gone");
    assert_eq!(env.stored_token("registry", "refresh_token"), refresh_token, "the refresh token stays");

    let answer = client.get("127.0.0.1:5000").expect("credentials");
    let fresh = answer["Secret"].as_str().unwrap();
    assert_ne!(fresh, before);
    assert_eq!(fresh, env.stored_token("registry", "access_token"));
    assert_eq!(provider.grants("refresh_token").len(), 1);
    assert_eq!(provider.get("/me", Some(fresh)).0, 200);
}

#[test]
fn skopeo_inspects_an_image_with_the_stored_token_over_basic() {
    let provider = Provider::start();
    let registry = Registry::start(Challenge::Basic, Introspection::new(&provider));
    let env = logged_in_for(&provider, &registry.host);
    let access = env.stored_token("registry", "access_token");

    inspect(&env, &registry);
    let admitted = registry.requests().into_iter().filter(|r| r.decision.is_some()).collect::<Vec<_>>();
    assert!(!admitted.is_empty(), "skopeo sent credentials: {:?}", registry.requests());
    for request in admitted {
        assert_eq!(request.scheme, Some(Scheme::Basic), "{request:?}");
        assert_eq!(request.username.as_deref(), Some("oauth2"), "{request:?}");
        assert_eq!(request.token.as_deref(), Some(access.as_str()), "the stored token: {request:?}");
        assert_eq!(request.decision, Some(Decision::Allow("alice".into())), "{request:?}");
    }
    assert_eq!(provider.grants("refresh_token").len(), 0);
}

#[test]
fn skopeo_gets_a_refreshed_token_when_the_stored_one_is_about_to_expire_over_bearer() {
    // Access tokens live 30 s: less than the minute docker is promised, so `get` refreshes.
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "30")]);
    let registry = Registry::start(Challenge::Bearer, Introspection::new(&provider));
    let env = logged_in_for(&provider, &registry.host);
    let before = env.stored_token("registry", "access_token");

    inspect(&env, &registry);
    let sent = registry.admitted_tokens();
    assert!(!sent.is_empty(), "skopeo went to the token service: {:?}", registry.requests());
    assert!(!sent.contains(&before), "the old token was not handed out");
    assert_eq!(sent.last(), Some(&env.stored_token("registry", "access_token")), "the refreshed token is stored");
    let refreshes = provider.grants("refresh_token");
    assert!(!refreshes.is_empty() && refreshes.iter().all(|r| r["status"] == 200), "{refreshes:?}");
    let token_service: Vec<_> = registry.requests().into_iter().filter(|r| r.path == "/token").collect();
    assert!(token_service.iter().all(|r| r.username.as_deref() == Some("oauth2")), "{token_service:?}");
    let bearer = registry.requests().into_iter().filter(|r| r.scheme == Some(Scheme::Bearer) && r.status == 200);
    assert!(bearer.count() >= 2, "the manifest and config were fetched with the registry token");
}

#[test]
fn the_docker_cli_reads_manifests_with_oat_s_token_and_its_logout_drops_it() {
    let provider = Provider::start();
    let registry = Registry::start(Challenge::Basic, Introspection::new(&provider));
    let env = logged_in_for(&provider, &registry.host);
    let before = env.stored_token("registry", "access_token");

    let out = docker(&env, &["manifest", "inspect", "--insecure", &registry.image()]);
    assert_eq!(out.code, 0, "docker manifest inspect: {}", out.stderr);
    let manifest: Value = serde_json::from_str(&out.stdout).expect("the manifest");
    assert_eq!(manifest["schemaVersion"], 2, "{manifest}");
    assert_eq!(registry.admitted_tokens().last(), Some(&before));

    let out = docker(&env, &["logout", &registry.host]);
    assert_eq!(out.code, 0, "docker logout: {}", out.stderr);
    assert!(out.stderr.contains("dropped the access token of `registry`"), "{}", out.stderr);
    assert_eq!(env.stored_token("registry", "access_token"), "");

    let out = docker(&env, &["manifest", "inspect", "--insecure", &registry.image()]);
    assert_eq!(out.code, 0, "docker manifest inspect: {}", out.stderr);
    let fresh = registry.admitted_tokens().last().cloned().unwrap();
    assert_ne!(fresh, before, "after docker logout, a fresh token");
    assert_eq!(fresh, env.stored_token("registry", "access_token"));
    assert_eq!(provider.grants("refresh_token").len(), 1);
}
