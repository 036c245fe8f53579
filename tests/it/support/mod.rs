//! Test support: an isolated environment for the real `oat` binary (with the steps most tests
//! start from: a profile added, a login), the real OpenID provider (panva's `oidc-provider`,
//! started per test on a loopback port), and a real Secret Service (gnome-keyring-daemon on a
//! private D-Bus). Servers for what those cannot play are `fixture` and `faulty`. Every process
//! started here is stopped on drop; a missing prerequisite fails the test loudly with the
//! command that installs it.

#![allow(dead_code)]

pub mod expect;
pub mod faulty;
pub mod fixture;

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The test browser that `oat` runs as `$BROWSER`.
pub fn browser() -> PathBuf {
    root().join("tests/provider/browser.mjs")
}

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
        succeed("profile add", add.args(["--token-url", &token, "--device-url", &device]));
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
    keyring: Option<&'a Keyring>,
}

impl<'a> LoggedIn<'a> {
    /// Profile NAME of the server at ISSUER, as client ID.
    pub fn new(name: &'a str, issuer: &'a str, client_id: &'a str) -> LoggedIn<'a> {
        LoggedIn { name, issuer, client_id, scopes: SCOPES.to_vec(), keyring: None }
    }

    /// One more scope.
    pub fn scope(mut self, scope: &'a str) -> LoggedIn<'a> {
        self.scopes.push(scope);
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

/// Kills and reaps a child.
fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Reads the first line a child prints on stdout, or fails after `limit`.
fn first_line(child: &mut Child, limit: Duration) -> Option<String> {
    let stdout = child.stdout.take()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    rx.recv_timeout(limit).ok().filter(|l| !l.trim().is_empty())
}

/// The real OpenID provider on a loopback port, stopped on drop.
pub struct Provider {
    child: Child,
    pub issuer: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Provider {
    /// Starts the provider with default settings.
    pub fn start() -> Provider {
        Provider::start_with(&[])
    }

    /// Starts the provider with extra environment (e.g. `OAT_TEST_ACCESS_TTL`).
    pub fn start_with(env: &[(&str, &str)]) -> Provider {
        let dir = root().join("tests/provider");
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "the test OpenID provider is not installed: run `npm ci --prefix tests/provider` (scripts/test does it)"
        );
        let tmp = tempfile::tempdir().expect("temp dir");
        let log = tmp.path().join("provider.log");
        let mut child = Command::new("node")
            .arg(dir.join("server.mjs"))
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("provider log"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `node` for the test provider ({e}); install Node.js 20+"));
        let Some(line) = first_line(&mut child, Duration::from_secs(30)) else {
            stop(&mut child);
            panic!("the test provider did not start:\n{}", std::fs::read_to_string(&log).unwrap_or_default());
        };
        let ready: Value = serde_json::from_str(&line).expect("provider ready line");
        let issuer = ready["issuer"].as_str().expect("issuer").to_string();
        Provider { child, issuer, log, _dir: tmp }
    }

    /// What the provider logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The requests the provider's token and revocation endpoints received.
    pub fn requests(&self) -> Vec<Value> {
        let (status, body) = self.get("/_test/requests", None);
        assert_eq!(status, 200);
        serde_json::from_str::<Vec<Value>>(&body).expect("request log")
    }

    /// The token-endpoint requests with this grant type.
    pub fn grants(&self, grant_type: &str) -> Vec<Value> {
        self.requests().into_iter().filter(|r| r["grant_type"] == grant_type).collect()
    }

    /// GET a path of the provider, optionally with a bearer token: (status, body).
    pub fn get(&self, path: &str, bearer: Option<&str>) -> (u16, String) {
        let client = http_client();
        let mut request = client.get(format!("{}{path}", self.issuer));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().expect("request to the provider");
        let status = response.status().as_u16();
        (status, response.text().unwrap_or_default())
    }

    /// GET a path with a full `Authorization` header value.
    pub fn get_with_header(&self, path: &str, header: &str) -> (u16, String) {
        let response = http_client()
            .get(format!("{}{path}", self.issuer))
            .header("Authorization", header)
            .send()
            .expect("request to the provider");
        let status = response.status().as_u16();
        (status, response.text().unwrap_or_default())
    }

    /// POST a form with HTTP Basic client credentials: (status, body).
    pub fn post_basic(&self, path: &str, client: (&str, &str), form: &[(&str, &str)]) -> (u16, String) {
        self.post_as(path, Some(client), form)
    }

    /// POST a form to a path: (status, body).
    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        self.post_as(path, None, form)
    }

    fn post_as(&self, path: &str, client: Option<(&str, &str)>, form: &[(&str, &str)]) -> (u16, String) {
        let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let mut request = http_client()
            .post(format!("{}{path}", self.issuer))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some((id, secret)) = client {
            request = request.basic_auth(id, Some(secret));
        }
        let response = request.send().expect("request to the provider");
        let status = response.status().as_u16();
        (status, response.text().unwrap_or_default())
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

#[allow(clippy::disallowed_types)]
fn http_client() -> reqwest::blocking::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(20)).build().expect("http client")
}

/// A real Secret Service: gnome-keyring-daemon on a private D-Bus session bus, stopped on drop.
pub struct Keyring {
    bus: Child,
    daemon: Child,
    pub address: String,
    dir: tempfile::TempDir,
}

impl Keyring {
    /// Starts a bus and an unlocked keyring on it.
    pub fn start() -> Keyring {
        for tool in ["dbus-daemon", "gnome-keyring-daemon", "dbus-send", "secret-tool"] {
            assert!(
                which(tool),
                "`{tool}` is missing: install the Secret Service test set-up with \
                 `apt-get install -y --no-install-recommends dbus-daemon dbus-bin gnome-keyring libsecret-tools`"
            );
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("bus");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let Some(address) = first_line(&mut bus, Duration::from_secs(10)) else {
            stop(&mut bus);
            panic!("dbus-daemon did not print its address");
        };
        let address = address.trim().to_string();
        for sub in ["data", "run", "home"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("keyring dirs");
        }
        set_mode(&dir.path().join("run"), 0o700);
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_RUNTIME_DIR", dir.path().join("run"))
            .env("HOME", dir.path().join("home"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        // A non-empty password: with an empty one gnome-keyring asks a GUI prompt instead.
        if let Some(mut stdin) = daemon.stdin.take() {
            let _ = stdin.write_all(b"test-keyring-password");
        }
        let keyring = Keyring { bus, daemon, address, dir };
        let deadline = Instant::now() + Duration::from_secs(15);
        while !keyring.secrets_owned() {
            assert!(Instant::now() < deadline, "gnome-keyring-daemon did not take org.freedesktop.secrets on the bus");
            std::thread::sleep(Duration::from_millis(50));
        }
        keyring
    }

    fn secrets_owned(&self) -> bool {
        Command::new("dbus-send")
            .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/"])
            .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
    }

    /// `secret-tool lookup service oat username ACCOUNT`: the stored value, if any.
    pub fn lookup(&self, account: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", "oat", "username", account])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .expect("run secret-tool");
        let value = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.success() && !value.is_empty()).then_some(value)
    }

    /// Locks the login collection (as a screen lock or a reboot would).
    pub fn lock(&self) {
        let status = Command::new("dbus-send")
            .args(["--session", "--print-reply", "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets"])
            .args(["org.freedesktop.Secret.Service.Lock", "array:objpath:/org/freedesktop/secrets/collection/login"])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdout(Stdio::null())
            .status()
            .expect("dbus-send");
        assert!(status.success(), "locking the keyring");
    }

    /// Points an environment at this keyring.
    pub fn attach(&self, env: &mut Env) {
        env.unset("OAT_STORE");
        env.set("DBUS_SESSION_BUS_ADDRESS", &self.address);
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        stop(&mut self.daemon);
        stop(&mut self.bus);
    }
}

fn which(tool: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Certificates for a TLS test: a CA, a server certificate for 127.0.0.1, a client certificate
/// (CN=oat-test-client) and a stranger's client certificate from the same CA, as PEM files.
pub struct Pki {
    pub ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
    pub stranger_cert: PathBuf,
    pub stranger_key: PathBuf,
}

/// Generates a [`Pki`] in `dir`.
pub fn pki(dir: &Path) -> Pki {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
        KeyPair, KeyUsagePurpose,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "oat test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let leaf = |sans: Vec<String>, cn: &str, usage: ExtendedKeyUsagePurpose, name: &str| {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(sans).unwrap();
        params.distinguished_name = DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, cn);
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![usage];
        let cert = params.signed_by(&key, &ca).unwrap();
        (write(&format!("{name}.pem"), cert.pem()), write(&format!("{name}-key.pem"), key.serialize_pem()))
    };
    let (server_cert, server_key) =
        leaf(vec!["127.0.0.1".into()], "127.0.0.1", ExtendedKeyUsagePurpose::ServerAuth, "server");
    let (client_cert, client_key) = leaf(vec![], "oat-test-client", ExtendedKeyUsagePurpose::ClientAuth, "client");
    let (stranger_cert, stranger_key) = leaf(vec![], "someone-else", ExtendedKeyUsagePurpose::ClientAuth, "stranger");
    Pki { ca: write("ca.pem", ca.pem()), server_cert, server_key, client_cert, client_key, stranger_cert, stranger_key }
}
