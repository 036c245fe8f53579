//! The environment `oat` runs in (a temp HOME, its config and data dirs, its variables), the
//! commands most tests start from (a profile added, a login) and running `oat` to completion.

use super::{Keyring, Provider, browser};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::Duration;

/// The scopes of a profile added by [`Env::add_profile`] or [`LoggedIn`]: an ID token and a
/// refresh token.
const SCOPES: [&str; 2] = ["openid", "offline_access"];

/// A temp HOME with its own config and data dirs, and the environment to run `oat` in it.
pub struct Env {
    pub dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Env {
    /// An environment using the file store.
    pub fn new() -> Env {
        let mut env = Env::bare();
        env.set("OAT_STORE", "file");
        env
    }

    /// An environment with no store chosen (the keyring by default).
    pub fn bare() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().to_path_buf();
        let mut env = Env { dir, vars: Vec::new() };
        let path = std::env::var("PATH").unwrap_or_default();
        env.set("PATH", &path);
        env.set("HOME", home.to_str().unwrap());
        env.set("XDG_CONFIG_HOME", home.join("config").to_str().unwrap());
        env.set("XDG_DATA_HOME", home.join("data").to_str().unwrap());
        env.set("XDG_RUNTIME_DIR", home.join("run").to_str().unwrap());
        env.set("NO_COLOR", "1");
        env.set("BROWSER", browser().to_str().unwrap());
        env.set("OAT_TEST_BROWSER_LOG", home.join("browser.log").to_str().unwrap());
        // No session bus unless a test brings its own keyring.
        env.set("DBUS_SESSION_BUS_ADDRESS", &format!("unix:path={}", home.join("no-bus").display()));
        env
    }

    /// Sets a variable for every `oat` run of this environment.
    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_string(), value.to_string()));
    }

    /// The variables every `oat` run of this environment gets.
    pub fn vars(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Removes a variable.
    pub fn unset(&mut self, key: &str) {
        self.vars.retain(|(k, _)| k != key);
    }

    /// The `oat` binary in this environment (nothing inherited but PATH), with a 60 s limit.
    pub fn oat(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_oat"));
        cmd.env_clear();
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd.timeout(Duration::from_secs(60));
        cmd
    }

    /// The `oat` binary in this environment as a plain process (no time limit), for a test that
    /// runs it in the background or talks to it while it runs.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_oat"));
        cmd.env_clear().envs(self.vars());
        cmd
    }

    /// `oat ARGS` (a shell command line) in this environment on a terminal: util-linux's
    /// `script` gives it one, and its stdout is what the terminal showed.
    pub fn in_terminal(&self, args: &str) -> Command {
        let mut cmd = Command::new("script");
        cmd.args(["-qefc", &format!("'{}' {args}", env!("CARGO_BIN_EXE_oat")), "/dev/null"]);
        cmd.env_clear().envs(self.vars());
        cmd
    }

    /// config.toml.
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config/oat/config.toml")
    }

    /// The data dir (file store and locks).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data/oat")
    }

    /// The file-store entry of a profile, parsed.
    pub fn stored(&self, profile: &str) -> Option<Value> {
        let text = std::fs::read_to_string(self.data_dir().join(format!("{profile}.json"))).ok()?;
        Some(serde_json::from_str(&text).expect("stored entry is JSON"))
    }

    /// One of the tokens (`access_token`, `refresh_token`, `id_token`) in the file-store entry of
    /// a profile, which must be there.
    pub fn stored_token(&self, profile: &str, key: &str) -> String {
        let entry = self.stored(profile).unwrap_or_else(|| panic!("nothing stored for `{profile}`"));
        let token = entry["tokens"][key].as_str().unwrap_or_else(|| panic!("no {key} stored for `{profile}`: {entry}"));
        token.to_string()
    }

    /// The URLs the test browser was asked to open.
    pub fn browser_log(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("browser.log"))
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// `oat profile add NAME --issuer ISSUER --client-id ID` for the provider, to add arguments
    /// to and run.
    pub fn profile_add(&self, name: &str, provider: &Provider, client_id: &str) -> assert_cmd::Command {
        self.profile_add_at(name, &provider.issuer, client_id)
    }

    /// `oat profile add NAME --issuer ISSUER --client-id ID` for any server (a fixture, `oat
    /// demo serve`), to add arguments to and run.
    pub fn profile_add_at(&self, name: &str, issuer: &str, client_id: &str) -> assert_cmd::Command {
        let mut cmd = self.oat();
        cmd.args(["profile", "add", name, "--issuer", issuer, "--client-id", client_id]);
        cmd
    }

    /// `oat profile add NAME --issuer ISSUER --client-id ID --scope openid --scope offline_access`.
    pub fn add_profile(&self, name: &str, provider: &Provider, client_id: &str) {
        let mut add = self.profile_add(name, provider, client_id);
        for scope in SCOPES {
            add.args(["--scope", scope]);
        }
        add.assert().success();
    }

    /// `oat profile add NAME --client-id x --auth-url BASE/auth --token-url BASE/token`, which
    /// must succeed: a profile of a test server, without discovery.
    pub fn add_fixture_profile(&self, name: &str, base: &str) {
        let (auth, token) = (format!("{base}/auth"), format!("{base}/token"));
        let mut add = self.oat();
        add.args(["profile", "add", name, "--client-id", "x", "--auth-url", &auth, "--token-url", &token]);
        succeed("profile add", &mut add);
    }

    /// `oat profile add NAME --client-id tv --flow device_code --token-url BASE/token
    /// --device-url BASE/device`, which must succeed: a device-flow profile of a test server.
    pub fn add_device_fixture_profile(&self, name: &str, base: &str) {
        let (token, device) = (format!("{base}/token"), format!("{base}/device"));
        let mut add = self.oat();
        add.args(["profile", "add", name, "--client-id", "tv", "--flow", "device_code"]);
        add.args(["--token-url", &token, "--device-url", &device]);
        succeed("profile add", &mut add);
    }

    /// `oat login NAME`, which must succeed.
    pub fn login(&self, name: &str) -> Output {
        succeed("login", self.oat().args(["login", name]))
    }

    /// A new environment (file store) with profile NAME of the provider added, with the scopes
    /// openid and offline_access, and logged in; [`LoggedIn`] for anything else.
    pub fn logged_in(name: &str, provider: &Provider, client_id: &str) -> Env {
        LoggedIn::new(name, &provider.issuer, client_id).env()
    }
}

/// One profile added and logged in (the test browser approves), for the tests whose subject
/// comes after the login: the scopes openid and offline_access and the file store unless told
/// otherwise.
pub struct LoggedIn<'a> {
    name: &'a str,
    issuer: &'a str,
    client_id: &'a str,
    scopes: Vec<&'a str>,
    extra: Vec<String>,
    keyring: Option<&'a Keyring>,
}

impl<'a> LoggedIn<'a> {
    /// Profile NAME of the server at ISSUER, as client ID.
    pub fn new(name: &'a str, issuer: &'a str, client_id: &'a str) -> LoggedIn<'a> {
        LoggedIn { name, issuer, client_id, scopes: SCOPES.to_vec(), extra: Vec::new(), keyring: None }
    }

    /// One more scope.
    pub fn scope(mut self, scope: &'a str) -> LoggedIn<'a> {
        self.scopes.push(scope);
        self
    }

    /// More arguments for `oat profile add` (e.g. `--url URL`).
    pub fn add_args(mut self, args: &[&str]) -> LoggedIn<'a> {
        self.extra.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// The keyring, not the file store, for the new environment of [`LoggedIn::env`].
    pub fn keyring(mut self, keyring: &'a Keyring) -> LoggedIn<'a> {
        self.keyring = Some(keyring);
        self
    }

    /// A new environment with the profile added and logged in.
    pub fn env(self) -> Env {
        let env = match self.keyring {
            Some(keyring) => {
                let mut env = Env::bare();
                keyring.attach(&mut env);
                env
            }
            None => Env::new(),
        };
        self.log_in(&env);
        env
    }

    /// `oat profile add …` and `oat login NAME` in an environment; both must succeed.
    pub fn log_in(self, env: &Env) -> Output {
        let mut add = env.profile_add_at(self.name, self.issuer, self.client_id);
        for scope in &self.scopes {
            add.args(["--scope", scope]);
        }
        add.args(&self.extra);
        add.assert().success();
        env.login(self.name)
    }
}

/// What a run printed and how it ended.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a command that must succeed; `what` names it if it does not.
fn succeed(what: &str, cmd: &mut assert_cmd::Command) -> Output {
    let out = run(cmd);
    assert_eq!(out.code, 0, "{what} failed:\n{}", out.stderr);
    out
}

/// Writes a file store entry as oat does: mode 0600 in a 0700 directory.
pub fn write_private(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// Runs a command to completion.
pub fn run(cmd: &mut assert_cmd::Command) -> Output {
    let out = cmd.output().expect("run oat");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `oat ARGS` (a login) on a terminal (`script` gives it one), with the test browser handing
/// the redirected address over instead of following it; `paste` types on that terminal, given
/// its stdin and the address. Returns how the command ended and what the terminal showed.
pub fn login_pasting(
    env: &mut Env,
    args: &str,
    paste: impl FnOnce(&mut std::process::ChildStdin, &str),
) -> (ExitStatus, String) {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let handed = env.dir.path().join("callback.url");
    env.set("OAT_TEST_BROWSER", "hand-over");
    env.set("OAT_TEST_CALLBACK_FILE", handed.to_str().unwrap());
    let mut child = env
        .in_terminal(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run script(1) from util-linux");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !handed.exists() {
        assert!(Instant::now() < deadline, "the browser never handed the callback URL over");
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = std::fs::read_to_string(&handed).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    paste(&mut stdin, &url);
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("oat did not finish after the paste");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(stdin);
    let mut output = String::new();
    child.stdout.take().unwrap().read_to_string(&mut output).unwrap();
    (status, output)
}
