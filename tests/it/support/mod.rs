//! Test support: an isolated environment for the real `oat` binary (with the steps most tests
//! start from: a profile added, a login), the real OpenID provider (panva's `oidc-provider`,
//! started per test on a loopback port), and a real Secret Service (gnome-keyring-daemon on a
//! private D-Bus). Servers for what those cannot play are `fixture` and `faulty`; `git_server`
//! serves git repositories over smart HTTP, `registry` an image over the registry API and
//! `api` an API (for `oat proxy`) and `dpop_api` one that checks DPoP proofs, each behind the provider's introspection; `kube_server` plays
//! a Kubernetes API server (HTTPS) for kubectl, and `github_actions` GitHub Actions' ID-token
//! service; `keys` makes the signing keys such servers use. Every process started here is stopped on drop;
//! a missing prerequisite fails the test loudly with the command that installs it.

#![allow(dead_code)]

pub mod api;
pub mod dpop_api;
mod env;
pub mod expect;
pub mod faulty;
pub mod fixture;
pub mod git_server;
pub mod github_actions;
pub mod keys;
pub mod kube_server;
pub mod registry;
mod threaded;

pub use env::{Env, LoggedIn, Output, login_pasting, run, write_private};
pub use threaded::Threaded;

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

    /// Starts the provider with extra environment, writing its client keys into the
    /// environment's `keys` directory (`OAT_TEST_KEY_DIR`); returns it and that directory.
    pub fn with_keys(env: &Env, extra: &[(&str, &str)]) -> (Provider, PathBuf) {
        let keys = env.dir.path().join("keys");
        std::fs::create_dir_all(&keys).expect("keys dir");
        let mut vars = vec![("OAT_TEST_KEY_DIR", keys.to_str().expect("UTF-8 temp path"))];
        vars.extend_from_slice(extra);
        (Provider::start_with(&vars), keys)
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
        post_form(&format!("{}{path}", self.issuer), client, form).expect("request to the provider")
    }
}

/// POST a form to a URL, with HTTP Basic client credentials if given: (status, body), or why no
/// answer came.
fn post_form(url: &str, client: Option<(&str, &str)>, form: &[(&str, &str)]) -> reqwest::Result<(u16, String)> {
    let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let mut request = http_client().post(url).header("content-type", "application/x-www-form-urlencoded").body(body);
    if let Some((id, secret)) = client {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send()?;
    let status = response.status().as_u16();
    Ok((status, response.text().unwrap_or_default()))
}

/// RFC 7662 introspection of a token at `endpoint`, as the confidential client `machine`.
pub fn introspect(endpoint: &str, token: &str) -> Result<Value, String> {
    match post_form(endpoint, Some(("machine", "machine-secret")), &[("token", token)]) {
        Ok((200, body)) => serde_json::from_str(&body).map_err(|e| format!("introspection: {e}")),
        Ok((status, body)) => Err(format!("introspection answered {status}: {body}")),
        Err(e) => Err(format!("introspection failed: {e}")),
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

/// The claims of a JWT, decoded without checking anything.
pub fn jwt_claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let part = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).expect("base64url"))
        .expect("JSON claims")
}

/// The check named `name` of `oat doctor PROFILE --json`, with the run's exit code.
pub fn doctor_check(env: &Env, profile: &str, name: &str) -> (i32, Value) {
    let out = run(env.oat().args(["doctor", profile, "--json"]));
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{}\n{}", out.stdout, out.stderr));
    let checks = report["profiles"][0]["checks"].as_array().expect("checks");
    let check = checks.iter().find(|c| c["check"] == name).unwrap_or_else(|| panic!("no {name} check: {report}"));
    (out.code, check.clone())
}
