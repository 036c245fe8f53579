//! oat as git's credential helper, with the real git (2.47) against the smart-HTTP test server
//! whose access the real provider decides by introspection (`support::git_server`). git is
//! set up by `oat setup git` into an isolated global configuration (`GIT_CONFIG_GLOBAL`), and
//! runs oat as git runs any helper, with git's environment: the test's oat environment (config,
//! file store, the test browser as `$BROWSER`), stdin a pipe, no terminal prompt. The protocol's
//! edge cases are driven through `git credential`, git's own front-end to its helpers.

use crate::support::git_server::{Decision, Git, GitServer, Introspection, Presented, Scheme, git_version};
use crate::support::{Env, Output, Provider, run};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// git for an oat environment: oat, run by git as its helper, inherits git's environment, so
/// git gets the test's oat variables (all but HOME, which stays git's own temp HOME), and a
/// global configuration file of its own that `oat setup git` writes.
fn git_for(env: &Env) -> Git {
    let mut git = Git::new();
    for (key, value) in env.vars() {
        if !matches!(key, "HOME" | "PATH") {
            git.set(key, value);
        }
    }
    let global = global_config(&git);
    git.set("GIT_CONFIG_GLOBAL", global.to_str().unwrap());
    git
}

/// The global configuration file of `git_for`'s git.
fn global_config(git: &Git) -> PathBuf {
    git.home().join("global.gitconfig")
}

/// `oat setup git ARGS` in `env`, writing `git`'s global configuration.
fn setup(env: &Env, git: &Git, args: &[&str]) -> Output {
    let mut cmd = env.oat();
    cmd.env("GIT_CONFIG_GLOBAL", global_config(git)).env("GIT_CONFIG_NOSYSTEM", "1");
    run(cmd.args(["setup", "git"]).args(args))
}

/// `oat profile add NAME` for the provider's CLIENT (openid, offline_access), serving URLS,
/// with more arguments; a confidential client's secret goes in on stdin.
fn add(env: &Env, name: &str, provider: &Provider, client: &str, urls: &[&str], more: &[&str]) {
    let mut cmd = env.profile_add(name, provider, client);
    cmd.args(["--scope", "openid", "--scope", "offline_access"]);
    for url in urls {
        cmd.args(["--url", url]);
    }
    cmd.args(more);
    if client == "cli-confidential" {
        cmd.args(["--client-secret-stdin"]).write_stdin("cli-confidential-secret");
    }
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// What a request that carried credentials presented: (scheme, username, token, status).
type Shown = (Option<Scheme>, Option<String>, Option<String>, u16);

/// The requests that carried credentials.
fn presented(server: &GitServer) -> Vec<Shown> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.scheme.is_some())
        .map(|r| (r.scheme, r.username, r.token, r.status))
        .collect()
}

/// Whether every request that carried credentials presented `token` and was let in (and
/// there was one).
fn all_let_in_with(server: &GitServer, token: &str) -> bool {
    let shown = presented(server);
    !shown.is_empty() && shown.iter().all(|p| p.2.as_deref() == Some(token) && p.3 == 200)
}

/// The statuses of the refresh-token grants the provider answered so far.
fn refreshes(provider: &Provider) -> Vec<Option<u64>> {
    provider.grants("refresh_token").iter().map(|r| r["status"].as_u64()).collect()
}

/// The stored tokens of a profile (file store).
fn tokens(env: &Env, profile: &str) -> Value {
    env.stored(profile).map(|entry| entry["tokens"].clone()).unwrap_or(Value::Null)
}

/// Where most tests start: repository acme/app.git on `server`, profile `work` of the public
/// client serving the whole server (with MORE arguments to `profile add`), not logged in, and
/// git set up for it by `oat setup git work`.
struct Scene {
    server: GitServer,
    /// The repository's URL.
    url: String,
    env: Env,
    git: Git,
}

impl Scene {
    fn new(provider: &Provider, server: GitServer, more: &[&str]) -> Scene {
        let url = server.repo("acme/app.git");
        let env = Env::new();
        add(&env, "work", provider, "cli-public", &[&format!("{}/", server.url)], more);
        let git = git_for(&env);
        let out = setup(&env, &git, &["work"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        Scene { server, url, env, git }
    }

    /// A scene whose server lets in the tokens the provider says are active.
    fn introspecting(provider: &Provider, more: &[&str]) -> Scene {
        Scene::new(provider, GitServer::introspecting(Introspection::new(provider)), more)
    }

    /// `git clone --quiet URL app`, which must succeed; the clone's directory.
    fn clone(&self) -> PathBuf {
        self.git.succeed(self.git.home(), &["clone", "--quiet", &self.url, "app"]);
        self.git.home().join("app")
    }
}

#[test]
fn the_first_clone_logs_in_through_the_browser_later_ones_use_the_stored_token_and_push_works() {
    let provider = Provider::start();
    let Scene { server, url, env, git } = Scene::introspecting(&provider, &[]);

    let out = git.succeed(git.home(), &["clone", "--quiet", &url, "app"]);

    assert!(out.stderr.contains("oat: git needs a token of `work`; logging in."), "{}", out.stderr);
    assert!(out.stderr.contains("oat: logged in to `work` as alice."), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(env.browser_log().len(), 1);
    let token = env.stored_token("work", "access_token");
    let requests = server.requests();
    assert_eq!((requests[0].scheme, requests[0].status), (None, 401), "git asks its helper after the 401");
    let basic = (Some(Scheme::Basic), Some("oauth2".to_string()), Some(token.clone()), 200);
    assert!(presented(&server).iter().all(|p| *p == basic), "{:?}", presented(&server));
    assert!(requests.iter().any(|r| r.decision == Some(Decision::Allow("alice".into()))));

    // The next clone is served from the store: no browser, no refresh.
    server.clear();
    git.succeed(git.home(), &["clone", "--quiet", &url, "again"]);
    assert_eq!(env.browser_log().len(), 1);
    assert!(provider.grants("refresh_token").is_empty());
    assert!(!presented(&server).is_empty() && presented(&server).iter().all(|p| *p == basic));

    // And a push, with the same token.
    let clone = git.home().join("app");
    std::fs::write(clone.join("CHANGES.md"), "a change\n").unwrap();
    git.succeed(&clone, &["add", "CHANGES.md"]);
    git.succeed(&clone, &["commit", "--quiet", "-m", "a change"]);
    server.clear();
    git.succeed(&clone, &["push", "--quiet", "origin", "main"]);
    let pushed = git.succeed(&clone, &["rev-parse", "HEAD"]).stdout.trim().to_string();
    assert_eq!(server.git("acme/app.git", &["rev-parse", "main"]), pushed);
    let receive = server.requests_to("/acme/app.git/git-receive-pack");
    assert_eq!(receive.iter().map(|r| (r.token.clone(), r.status)).collect::<Vec<_>>(), [(Some(token), 200)]);
}

#[test]
fn an_expired_token_is_refreshed_without_a_browser() {
    let provider = Provider::start_with(&[("OAT_TEST_ACCESS_TTL", "4")]);
    let scene = Scene::introspecting(&provider, &[]);
    let clone = scene.clone();
    let Scene { server, env, mut git, .. } = scene;
    let first = env.stored_token("work", "access_token");
    // git passes OAT_TRACE on to the helper it runs, which appends its exchanges.
    let trace = env.dir.path().join("trace.jsonl");
    git.set("OAT_TRACE", trace.to_str().unwrap());

    let expires_at = tokens(&env, "work")["expires_at"].as_u64().unwrap();
    while (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()) <= expires_at {
        std::thread::sleep(Duration::from_millis(200));
    }
    server.clear();
    let out = git.succeed(&clone, &["fetch", "--quiet", "origin"]);

    assert_eq!(env.browser_log().len(), 1, "{}", out.stderr);
    assert_eq!(refreshes(&provider), [Some(200)]);
    let second = env.stored_token("work", "access_token");
    assert_ne!(first, second);
    assert!(all_let_in_with(&server, &second));
    let traced = std::fs::read_to_string(&trace).unwrap_or_default();
    let refresh = traced.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).find(|r| {
        r["command"] == "git-credential" && r["profile"] == "work" && r["url"] == format!("{}/token", provider.issuer)
    });
    assert!(refresh.is_some_and(|r| r["response"]["status"] == 200), "the helper's refresh is traced: {traced}");
    assert!(!traced.contains(&second), "{traced}");
}

#[test]
fn a_token_the_server_rejects_is_erased_and_the_next_command_gets_a_fresh_one() {
    let provider = Provider::start();
    let scene = Scene::introspecting(&provider, &[]);
    let clone = scene.clone();
    let Scene { server, env, git, .. } = scene;
    let first = env.stored_token("work", "access_token");
    // Revoked at the provider, not in oat's store: the server refuses a token oat still holds
    // (and the provider revokes the grant's refresh token with it).
    let (status, body) = provider.post("/token/revocation", &[("token", &first), ("client_id", "cli-public")]);
    assert_eq!(status, 200, "{body}");

    let refused = git.run(&clone, &["fetch", "origin"]);

    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("Authentication failed"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("oat: the server refused the token of `work`, so oat dropped it"),
        "{}",
        refused.stderr
    );
    let stored = tokens(&env, "work");
    assert_eq!(stored["access_token"], "", "git's erase dropped the access token: {stored}");
    assert!(stored["refresh_token"].as_str().is_some_and(|t| !t.is_empty()), "and kept the refresh token: {stored}");

    // The next command renews: the refresh token was revoked with the access token, so that
    // is a new login in the browser, and then the fetch goes through.
    server.clear();
    let out = git.succeed(&clone, &["fetch", "--quiet", "origin"]);
    assert!(out.stderr.contains("oat: logged in to `work`"), "{}", out.stderr);
    assert_eq!(refreshes(&provider), [Some(400)]);
    assert_eq!(env.browser_log().len(), 2);
    let fresh = env.stored_token("work", "access_token");
    assert_ne!(fresh, first);
    assert!(all_let_in_with(&server, &fresh));
}

#[test]
fn a_refused_token_is_dropped_and_the_refresh_token_renews_it_without_a_browser() {
    let provider = Provider::start();
    let introspection = Introspection::new(&provider);
    let blocked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let server = {
        let blocked = blocked.clone();
        GitServer::start(move |p: &Presented| {
            if blocked.lock().unwrap().contains(&p.token) {
                return Decision::Refuse("this token is blocked".into());
            }
            introspection.decide(p)
        })
    };
    let scene = Scene::new(&provider, server, &[]);
    let clone = scene.clone();
    let Scene { server, env, git, .. } = scene;
    let first = env.stored_token("work", "access_token");
    let refresh_token = env.stored_token("work", "refresh_token");
    blocked.lock().unwrap().insert(first.clone());

    assert_ne!(git.run(&clone, &["fetch", "origin"]).code, 0);
    assert_eq!(tokens(&env, "work")["access_token"], "");
    assert_eq!(env.stored_token("work", "refresh_token"), refresh_token);

    server.clear();
    git.succeed(&clone, &["fetch", "--quiet", "origin"]);
    assert_eq!(env.browser_log().len(), 1, "renewed with the refresh token, not a login");
    assert_eq!(refreshes(&provider), [Some(200)]);
    let renewed = env.stored_token("work", "access_token");
    assert_ne!(renewed, first);
    assert!(all_let_in_with(&server, &renewed));
}

#[test]
fn two_profiles_for_two_paths_on_one_host_each_get_their_own_token() {
    let provider = Provider::start();
    let server = GitServer::introspecting(
        Introspection::new(&provider).owner("/team-a/", "cli-public").owner("/team-b/", "cli-confidential"),
    );
    let (a_url, b_url) = (server.repo("team-a/app.git"), server.repo("team-b/app.git"));
    let env = Env::new();
    add(&env, "a", &provider, "cli-public", &[&format!("{}/team-a/", server.url)], &[]);
    add(&env, "b", &provider, "cli-confidential", &[&format!("{}/team-b/", server.url)], &[]);
    let git = git_for(&env);
    // Without a name: every profile that has --url prefixes.
    let out = setup(&env, &git, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = std::fs::read_to_string(global_config(&git)).unwrap();
    assert_eq!(config.matches("useHttpPath = true").count(), 2, "{config}");

    git.succeed(git.home(), &["clone", "--quiet", &a_url, "a"]);
    git.succeed(git.home(), &["clone", "--quiet", &b_url, "b"]);
    git.succeed(git.home(), &["clone", "--quiet", &a_url, "a-again"]);

    let opened = env.browser_log();
    assert_eq!(opened.len(), 2, "{opened:?}");
    assert!(opened[0].contains("client_id=cli-public") && opened[1].contains("client_id=cli-confidential"));
    let (a, b) = (env.stored_token("a", "access_token"), env.stored_token("b", "access_token"));
    assert_ne!(a, b);
    for request in server.requests().iter().filter(|r| r.scheme.is_some()) {
        let expected = if request.path.starts_with("/team-a/") { &a } else { &b };
        assert_eq!((request.token.as_ref(), request.status), (Some(expected), 200), "{request:?}");
    }
}

#[test]
fn git_auth_bearer_makes_git_send_a_bearer_token() {
    let version = git_version();
    assert!(version >= (2, 46), "credential authtype needs git 2.46 or later; this git is {version:?}");
    let provider = Provider::start();
    let Scene { server, url, env, git } = Scene::introspecting(&provider, &["--git-auth", "bearer"]);

    let out = git.succeed(git.home(), &["clone", "--quiet", &url, "app"]);

    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    let token = env.stored_token("work", "access_token");
    let seen = presented(&server);
    assert!(
        !seen.is_empty() && seen.iter().all(|p| *p == (Some(Scheme::Bearer), None, Some(token.clone()), 200)),
        "{seen:?}"
    );
}

/// A device-flow profile of the provider serving URL.
fn add_device(env: &Env, provider: &Provider, url: &str) {
    add(env, "tv", provider, "cli-device", &[url], &["--flow", "device_code"]);
}

#[test]
fn with_no_terminal_no_browser_and_no_tokens_git_falls_through_at_once() {
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider));
    let url = server.repo("acme/app.git");
    let device_url = server.repo("tv/app.git");
    let mut env = Env::new();
    add(&env, "work", &provider, "cli-public", &[&format!("{}/acme/", server.url)], &[]);
    add_device(&env, &provider, &format!("{}/tv/", server.url));
    let request = format!("protocol=http\nhost={}\npath=acme/app.git\n", server.url.trim_start_matches("http://"));
    let bin = tempfile::tempdir().unwrap();
    let failing = bin.path().join("failing-browser");
    std::fs::write(&failing, "#!/bin/sh\necho 'cannot open a window' >&2\nexit 3\n").unwrap();
    std::fs::set_permissions(&failing, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let cases = [
        // Whether or not xdg-open is installed: there is no display.
        (None, "no browser can be started ("),
        (Some("/nonexistent/browser"), "no browser can be started ($BROWSER is `/nonexistent/browser`"),
        (Some(failing.to_str().unwrap()), "the browser exited with an error before the login was done"),
    ];
    for (browser, why) in cases {
        match browser {
            Some(browser) => env.set("BROWSER", browser),
            // No $BROWSER, no display for xdg-open: nothing can open a page.
            None => env.unset("BROWSER"),
        }
        let git = git_for(&env);
        setup(&env, &git, &[]);
        let started = Instant::now();
        let out = git.run(git.home(), &["clone", &url, "app"]);
        let took = started.elapsed();

        assert_ne!(out.code, 0, "{browser:?}");
        assert!(took < Duration::from_secs(10), "{browser:?} took {took:?}");
        assert!(out.stderr.contains("terminal prompts disabled"), "git fails with its own message: {}", out.stderr);
        let hint = format!(
            "oat: no tokens stored for `work`; run `oat login work`\noat: a login cannot start from git here: {why}"
        );
        assert!(out.stderr.contains(&hint), "{browser:?}: {}", out.stderr);
        assert!(env.stored("work").is_none());

        // The helper itself: nothing on stdout, exit 0, the hint on stderr, within seconds.
        let started = Instant::now();
        let helper = run(env.oat().args(["git-credential", "get"]).write_stdin(request.as_str()));
        assert_eq!((helper.code, helper.stdout.as_str()), (0, ""), "{}", helper.stderr);
        assert!(helper.stderr.contains("run `oat login work`"), "{}", helper.stderr);
        assert!(started.elapsed() < Duration::from_secs(10));
    }
    assert!(!env.browser_log().iter().any(|u| u.contains("client_id=cli-public")));

    // A device-flow profile needs a terminal: GIT_TERMINAL_PROMPT=0 (git's tests' setting)
    // forbids it, and a process without a controlling terminal has none.
    let git = git_for(&env);
    setup(&env, &git, &[]);
    let out = git.run(git.home(), &["clone", &device_url, "tv"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("run `oat login tv`\noat: a login cannot start from git here: GIT_TERMINAL_PROMPT forbids"),
        "{}",
        out.stderr
    );
    let mut detached = Command::new("setsid");
    detached.args(["-w", env!("CARGO_BIN_EXE_oat"), "git-credential", "get"]).env_clear().envs(env.vars());
    let device_request = request.replace("acme/", "tv/");
    let out = feed(detached, &device_request);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    assert!(out.stderr.contains("the device flow needs a terminal, and there is none"), "{}", out.stderr);
    assert!(provider.grants("urn:ietf:params:oauth:grant-type:device_code").is_empty());
}

/// Runs a command with `input` on its stdin, to its end (at most 30 s).
fn feed(mut cmd: Command, input: &str) -> Output {
    use std::io::Write as _;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the command did not finish within 30 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn setup_prints_writes_once_and_git_clones_with_exactly_what_it_wrote() {
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider));
    let url = server.repo("acme/app.git");
    let env = Env::new();
    let acme = format!("{}/acme/", server.url);
    add(&env, "work", &provider, "cli-public", &[&acme, "https://git.example.com"], &[]);
    let git = git_for(&env);
    let global = global_config(&git);
    // A helper set before, for every URL, that would answer with a wrong password: the empty
    // helper setup writes first must keep git from asking it for oat's URLs.
    let wrong = "!f() { test \"$1\" = get && echo username=wrong && echo password=wrong; }; f";
    git.succeed(git.home(), &["config", "--global", "credential.helper", wrong]);
    let before = std::fs::read_to_string(&global).unwrap();

    let doctor = |git: &Git| {
        let mut cmd = env.oat();
        cmd.env("GIT_CONFIG_GLOBAL", global_config(git)).env("GIT_CONFIG_NOSYSTEM", "1");
        run(cmd.args(["doctor", "work"]))
    };
    let out = doctor(&git);
    assert!(out.stdout.contains("no integration set up: `oat setup git|kubectl|docker work`"), "{}", out.stdout);
    assert!(!out.stdout.contains("git:"), "{}", out.stdout);

    let dry = setup(&env, &git, &["work", "--dry-run"]);

    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_oat")).unwrap();
    let helper = format!("!'{}' git-credential", exe.display());
    let quoted = format!("'{}'", helper.replace('\'', r"'\''"));
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(
        dry.stdout,
        format!(
            "git config --global --replace-all credential.{acme}.helper ''\n\
             git config --global --add credential.{acme}.helper {quoted}\n\
             git config --global credential.{acme}.useHttpPath true\n\
             git config --global --replace-all credential.https://git.example.com.helper ''\n\
             git config --global --add credential.https://git.example.com.helper {quoted}\n"
        )
    );
    assert_eq!(std::fs::read_to_string(&global).unwrap(), before, "--dry-run writes nothing");
    // The printed lines are shell commands that write the same as setup does.
    let mut sh = Command::new("sh");
    sh.arg("-ec").arg(&dry.stdout).env_clear().envs(git.vars()).current_dir(git.home());
    assert!(sh.status().unwrap().success());
    let by_hand = std::fs::read_to_string(&global).unwrap();
    std::fs::write(&global, &before).unwrap();

    let out = setup(&env, &git, &["work"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains(&format!("git now asks oat for credentials for {acme}")), "{}", out.stderr);
    let written = std::fs::read_to_string(&global).unwrap();
    assert_eq!(written, by_hand);
    let helpers = git.succeed(git.home(), &["config", "--global", "--get-all", &format!("credential.{acme}.helper")]);
    assert_eq!(helpers.stdout, format!("\n{helper}\n"));

    // `oat doctor NAME` says so.
    let out = doctor(&git);
    let line = format!("✓ git: git asks oat for credentials for {acme}, https://git.example.com\n");
    assert!(out.stdout.contains(&line), "{}", out.stdout);
    assert!(!out.stdout.contains("no integration"), "{}", out.stdout);

    let again = setup(&env, &git, &["work"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains(&format!("git already asks oat for credentials for {acme}")), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&global).unwrap(), written, "a second run changes nothing");

    let out = git.succeed(git.home(), &["clone", "--quiet", &url, "app"]);
    assert!(out.stderr.contains("oat: logged in to `work`"), "{}", out.stderr);
    let token = env.stored_token("work", "access_token");
    assert!(presented(&server).iter().all(|p| p.1.as_deref() == Some("oauth2") && p.2.as_deref() == Some(&token)));

    // The options that shape how the helper runs go into its line: --timeout (how long it
    // waits for a server, and for the browser during a login) and a --store given on the
    // command line (OAT_STORE, like OAT_CONFIG, git passes on itself).
    let shaped = setup(&env, &git, &["work", "--dry-run", "--timeout", "90s", "--store", "keyring"]);
    let shaped_helper = format!("!'{}' --store keyring --timeout '1m 30s' git-credential", exe.display());
    assert!(shaped.stdout.contains(&format!("'{}'", shaped_helper.replace('\'', r"'\''"))), "{}", shaped.stdout);
    let plain_store = setup(&env, &git, &["work", "--dry-run", "--store", "file"]);
    assert!(plain_store.stdout.contains(&quoted), "OAT_STORE=file already says so: {}", plain_store.stdout);

    // NAME with a --host it does not serve: the helper names the profile.
    let pinned = setup(&env, &git, &["work", "--host", "gitlab.example.com", "--dry-run"]);
    assert!(pinned.stdout.contains("credential.https://gitlab.example.com.helper"), "{}", pinned.stdout);
    assert!(pinned.stdout.contains("git-credential --profile work'"), "{}", pinned.stdout);
    // Nothing to set up is a usage error that says what to do.
    let lone = Env::new();
    add(&lone, "plain", &provider, "cli-public", &[], &[]);
    let out = setup(&lone, &git, &["plain"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("profile `plain` has no --url prefixes"), "{}", out.stderr);
    assert_eq!(setup(&lone, &git, &[]).code, 2);
}

/// `git credential ACTION` with INPUT on its stdin.
fn git_credential(git: &Git, action: &str, input: &str) -> Output {
    let mut cmd = Command::new("git");
    cmd.args(["credential", action]).env_clear().envs(git.vars()).current_dir(git.home());
    feed(cmd, input)
}

/// `key=value` lines as a map (the last value of a key wins).
fn attributes(text: &str) -> std::collections::BTreeMap<String, String> {
    text.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn git_credential_drives_the_protocol_s_edge_cases() {
    let provider = Provider::start();
    let env = Env::new();
    add(&env, "work", &provider, "cli-public", &["https://git.example.com/"], &[]);
    add(&env, "bearer", &provider, "cli-public", &["https://bearer.example.com/"], &["--git-auth", "bearer"]);
    env.login("work");
    env.login("bearer");
    let git = git_for(&env);
    setup(&env, &git, &[]);
    let (token, refresh) = (env.stored_token("work", "access_token"), env.stored_token("work", "refresh_token"));

    // `url=` instead of protocol/host/path; no useHttpPath for a host, so no path reaches oat.
    let fill = git_credential(&git, "fill", "url=https://git.example.com/acme/app.git\n");
    assert_eq!(fill.code, 0, "{}", fill.stderr);
    let got = attributes(&fill.stdout);
    assert_eq!(got["username"], "oauth2");
    assert_eq!(got["password"], token);
    let expiry: u64 = got["password_expiry_utc"].parse().unwrap();
    assert_eq!(Some(expiry), tokens(&env, "work")["expires_at"].as_u64());
    assert!(!got.contains_key("path"));
    assert!(!fill.stdout.contains(&refresh), "never a refresh token");

    // git announces capability[]=authtype: a bearer profile answers with a Bearer credential.
    let fill = git_credential(&git, "fill", "capability[]=authtype\nprotocol=https\nhost=bearer.example.com\n");
    assert_eq!(fill.code, 0, "{}", fill.stderr);
    let got = attributes(&fill.stdout);
    assert_eq!((got["capability[]"].as_str(), got["authtype"].as_str()), ("authtype", "Bearer"));
    assert_eq!(got["credential"], env.stored_token("bearer", "access_token"));
    assert_eq!(got["ephemeral"], "1");
    assert!(!got.contains_key("password") && !got.contains_key("username"), "{}", fill.stdout);
    // Without it (an older git), the token goes as a password, with a warning.
    let fill = git_credential(&git, "fill", "protocol=https\nhost=bearer.example.com\n");
    assert_eq!(attributes(&fill.stdout)["password"], env.stored_token("bearer", "access_token"));
    assert!(fill.stderr.contains("sets git_auth = \"bearer\", but this git cannot take a Bearer credential"));

    // No profile serves the URL: oat says nothing, and git fails with its own message.
    let fill = git_credential(&git, "fill", "protocol=https\nhost=elsewhere.example.com\n");
    assert_ne!(fill.code, 0);
    assert_eq!(fill.stdout, "");
    assert!(fill.stderr.contains("terminal prompts disabled"), "{}", fill.stderr);
    assert!(!fill.stderr.contains("oat"), "{}", fill.stderr);

    // approve is nothing to do; reject with another token (one oat no longer holds) changes
    // nothing; reject with the stored one drops it and keeps the refresh token.
    let before = tokens(&env, "work");
    let described = "protocol=https\nhost=git.example.com\nusername=oauth2\n";
    assert_eq!(git_credential(&git, "approve", &format!("{described}password={token}\n")).code, 0);
    assert_eq!(tokens(&env, "work"), before);
    assert_eq!(git_credential(&git, "reject", &format!("{described}password=an-older-token\n")).code, 0);
    assert_eq!(tokens(&env, "work"), before);
    let reject = git_credential(&git, "reject", &format!("{described}password={token}\n"));
    assert_eq!(reject.code, 0);
    assert!(reject.stderr.contains("oat: the server refused the token of `work`, so oat dropped it"));
    let after = tokens(&env, "work");
    assert_eq!((after["access_token"].as_str(), after["refresh_token"].as_str()), (Some(""), Some(refresh.as_str())));
    // The next fill refreshes.
    let fill = git_credential(&git, "fill", "protocol=https\nhost=git.example.com\n");
    let renewed = env.stored_token("work", "access_token");
    assert_eq!(attributes(&fill.stdout)["password"], renewed);
    assert_ne!(renewed, token);
    assert_eq!(provider.grants("refresh_token").len(), 1);

    // The helper on its own, with what git could send it: CRLF, `=` in values, unknown keys,
    // wwwauth[], a blank line and then more.
    let odd = "capability[]=state\r\nprotocol=https\r\nhost=git.example.com\r\nwwwauth[]=Basic realm=\"a=b\"\r\n\
               future[]=x\r\n\r\nhost=elsewhere.example.com\n";
    let out = run(env.oat().args(["git-credential", "get"]).write_stdin(odd));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("username=oauth2\npassword={renewed}\npassword_expiry_utc={}\n", tokens(&env, "work")["expires_at"])
    );
    let out =
        run(env.oat().args(["git-credential", "get", "--profile", "bearer"]).write_stdin("capability[]=authtype\n"));
    assert!(out.stdout.starts_with("capability[]=authtype\nauthtype=Bearer\ncredential="), "{}", out.stdout);
    // Operations git may add later are ignored; a line without `=` is bad input (never echoed).
    let out = run(env.oat().args(["git-credential", "frobnicate"]).write_stdin("protocol=https\n"));
    assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (0, "", ""));
    let out = run(env.oat().args(["git-credential", "get"]).write_stdin("protocol=https\nsecret-token-line\n"));
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out.stderr.contains("line 2 of git's credential request has no `=`") && !out.stderr.contains("secret"));
    let out = run(env.oat().args(["git-credential", "capability"]));
    assert_eq!(out.stdout, "version 0\ncapability authtype\n");
    // store and erase for a URL no profile serves: nothing, exit 0.
    for action in ["store", "erase"] {
        let input = "protocol=https\nhost=elsewhere.example.com\nusername=u\npassword=p\n";
        let out = run(env.oat().args(["git-credential", action]).write_stdin(input));
        assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (0, "", ""), "{action}");
    }
}

/// `git ARGS` in `dir` on a terminal (util-linux `script`), with git's variables but without
/// `GIT_TERMINAL_PROMPT`: what the terminal showed, once the test browser approved the device
/// code shown there, as a person on another device would.
fn git_on_a_terminal(git: &Git, dir: &Path, args: &str) -> (i32, String) {
    let mut cmd = Command::new("script");
    cmd.args(["-qefc", &format!("git {args}"), "/dev/null"])
        .env_clear()
        .envs(git.vars().filter(|(k, _)| *k != "GIT_TERMINAL_PROMPT"))
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    crate::device::drive(cmd, true, "approve")
}

#[test]
fn a_device_flow_profile_logs_in_on_the_terminal_git_runs_on() {
    let provider = Provider::start();
    let server = GitServer::introspecting(Introspection::new(&provider));
    let url = server.repo("tv/app.git");
    let env = Env::new();
    add_device(&env, &provider, &format!("{}/tv/", server.url));
    let git = git_for(&env);
    setup(&env, &git, &["tv"]);

    let (code, shown) = git_on_a_terminal(&git, git.home(), &format!("clone --quiet {url} app"));

    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains(&format!("open {}/device on any device and enter the code", provider.issuer)), "{shown}");
    assert!(shown.contains("oat: logged in to `tv` as alice."), "{shown}");
    assert_eq!(git.succeed(&git.home().join("app"), &["log", "--format=%s"]).stdout.trim(), "initial commit");
    let token = env.stored_token("tv", "access_token");
    assert!(all_let_in_with(&server, &token));
}
