//! One module per command family. Each resolves the profile, builds the [`crate::flow::Ports`],
//! calls `flow` or `oauth`, and renders the result through the [`Printer`]. Shared here: the
//! run's settings ([`App`]) and how flow notices look.

mod completions;
mod demo;
mod docker;
mod doctor;
pub mod git;
mod inspect;
mod kube;
mod login;
mod profile;
mod prompt;
mod proxy;
mod request;
mod status;
mod token;
mod trace;

use crate::cli::{Cli, Command, Global, ProfileCommand, SetupCommand};
use crate::config::{AuthorizationDetails, Config, NamedProfile, Profile, StoreKind};
use crate::error::ExitStatus;
use crate::flow::{Notice, Ports};
use crate::http::{self, Http};
use crate::output::Printer;
use crate::redact::Secret;
use crate::store::{self, SecretStore};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Default wait for a server's answer.
pub(crate) const HTTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Default wait for one keyring call.
pub(crate) const KEYRING_WAIT: Duration = Duration::from_secs(20);
/// Default wait for another process's profile lock.
pub(crate) const LOCK_WAIT: Duration = Duration::from_secs(30);
/// The store's waits.
const STORE_WAITS: store::Waits = store::Waits { keyring: KEYRING_WAIT, lock: LOCK_WAIT };

/// `--authorization-details JSON|@FILE`, read and checked (RFC 9396 §2); a bad value is a
/// usage error naming the flag.
pub(crate) fn authorization_details(flag: Option<&str>) -> anyhow::Result<Option<AuthorizationDetails>> {
    let Some(flag) = flag else { return Ok(None) };
    let text = match flag.strip_prefix('@') {
        Some(file) => std::fs::read_to_string(file)
            .map_err(|e| crate::error::usage(format!("--authorization-details: cannot read `{file}`: {e}")))?,
        None => flag.to_string(),
    };
    AuthorizationDetails::parse(&text)
        .map(Some)
        .map_err(|e| crate::error::usage(format!("--authorization-details: {e}")))
}

/// Runs one command.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let app = App::new(cli.global);
    // `--trace`, else `OAT_TRACE` (empty: none). Nothing is opened here: the file is, at the
    // first exchange, so a run that makes none (a cached token) pays one variable lookup.
    let trace =
        app.global.trace.clone().or_else(|| std::env::var_os("OAT_TRACE").filter(|v| !v.is_empty()).map(PathBuf::from));
    if let Some(path) = trace {
        crate::trace::start(path, app.printer);
        crate::trace::set_command(name(&cli.command));
    }
    let done = |result: anyhow::Result<()>| result.map(|()| ExitStatus::Success);
    match cli.command {
        Command::Profile(ProfileCommand::Add(args)) => done(profile::add(&app, *args)),
        Command::Profile(ProfileCommand::List) => done(profile::list(&app)),
        Command::Profile(ProfileCommand::Show(args)) => done(profile::show(&app, &args.name)),
        Command::Profile(ProfileCommand::Remove(args)) => done(profile::remove(&app, &args.name)),
        Command::Profile(ProfileCommand::Which(args)) => done(profile::which(&app, &args.url)),
        Command::Login(args) => done(login::login(&app, args)),
        Command::Logout(args) => done(login::logout(&app, &args.name)),
        Command::Token(args) => done(token::token(&app, args)),
        Command::Header(args) => done(token::header(&app, &args.name, args.min_ttl)),
        Command::Proof(args) => done(token::proof(&app, args)),
        Command::Request(args) => request::request(&app, args),
        Command::Exec(args) => request::exec(&app, args),
        Command::Refresh(args) => done(token::refresh(&app, &args.name)),
        Command::Status(args) => done(status::status(&app, args.name.as_deref())),
        Command::Inspect(args) => done(inspect::inspect(&app, args)),
        Command::Decode(args) => done(inspect::decode(&app, args)),
        Command::Verify(args) => inspect::verify(&app, args),
        Command::Introspect(args) => done(inspect::introspect(&app, args)),
        Command::Revoke(args) => done(inspect::revoke(&app, args)),
        Command::Userinfo(args) => done(inspect::userinfo(&app, &args.name)),
        Command::Exchange(args) => done(token::exchange(&app, args)),
        Command::Discover(args) => done(profile::discover(&app, &args.issuer)),
        Command::Doctor(args) => doctor::doctor(&app, args.name.as_deref()),
        Command::Audit(args) => doctor::audit(&app, args),
        Command::Demo(args) => done(demo::demo(&app, args)),
        Command::GitCredential(args) => git::credential(&app, args),
        Command::KubeCredential(args) => kube::credential(&app, args),
        Command::DockerCredential(args) => docker::credential(&app, args),
        Command::Setup(SetupCommand::Git(args)) => done(git::setup(&app, args)),
        Command::Setup(SetupCommand::Kubectl(args)) => done(kube::setup(&app, args)),
        Command::Setup(SetupCommand::Docker(args)) => done(docker::setup(&app, args)),
        Command::Proxy(args) => proxy::proxy(&app, args),
        Command::Trace(args) => trace::show(&app, args),
        Command::Completions(args) => done(completions::print(&app, args.shell)),
        Command::Man => done(completions::man(&app)),
    }
}

/// The command's name as the trace file records it.
fn name(command: &Command) -> &'static str {
    match command {
        Command::Profile(ProfileCommand::Add(_)) => "profile add",
        Command::Profile(ProfileCommand::List) => "profile list",
        Command::Profile(ProfileCommand::Show(_)) => "profile show",
        Command::Profile(ProfileCommand::Remove(_)) => "profile remove",
        Command::Profile(ProfileCommand::Which(_)) => "profile which",
        Command::Login(_) => "login",
        Command::Logout(_) => "logout",
        Command::Token(_) => "token",
        Command::Header(_) => "header",
        Command::Proof(_) => "proof",
        Command::Request(_) => "request",
        Command::Exec(_) => "exec",
        Command::Refresh(_) => "refresh",
        Command::Status(_) => "status",
        Command::Inspect(_) => "inspect",
        Command::Decode(_) => "decode",
        Command::Introspect(_) => "introspect",
        Command::Revoke(_) => "revoke",
        Command::Userinfo(_) => "userinfo",
        Command::Exchange(_) => "exchange",
        Command::Discover(_) => "discover",
        Command::Verify(_) => "verify",
        Command::Doctor(_) => "doctor",
        Command::Audit(_) => "audit",
        Command::Demo(_) => "demo",
        Command::GitCredential(_) => "git-credential",
        Command::KubeCredential(_) => "kube-credential",
        Command::DockerCredential(_) => "docker-credential",
        Command::Setup(SetupCommand::Git(_)) => "setup git",
        Command::Setup(SetupCommand::Kubectl(_)) => "setup kubectl",
        Command::Setup(SetupCommand::Docker(_)) => "setup docker",
        Command::Proxy(_) => "proxy",
        Command::Trace(_) => "trace",
        Command::Completions(_) => "completions",
        Command::Man => "man",
    }
}

/// The settings of one run and the things built from them.
pub struct App {
    global: Global,
    printer: Printer,
    notify: Box<dyn Fn(Notice<'_>)>,
}

/// What most commands work with: the configuration and the store.
pub struct Session {
    config: Config,
    path: PathBuf,
    store: Box<dyn SecretStore>,
}

impl App {
    fn new(global: Global) -> App {
        let printer = Printer::new(global.json, global.verbose);
        App { global, printer, notify: Box::new(move |n: Notice<'_>| render(printer, n)) }
    }

    /// Loads the configuration and opens the store; builds nothing else.
    fn session(&self) -> anyhow::Result<Session> {
        let (config, path) = self.config()?;
        let store = self.store(config.store)?;
        Ok(Session { config, path, store })
    }

    /// Runs `f` with profile `name` and the flow ports for it. The HTTP client in the ports
    /// carries the profile's TLS client certificate, and is built only if a request is sent.
    fn with_profile<T>(
        &self,
        name: &str,
        f: impl FnOnce(&Ports<'_>, &NamedProfile<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let (store_kind, profile) = Config::load_profile(&self.config_path()?, name)?;
        crate::trace::set_profile(name);
        let store = self.store(store_kind)?;
        let http = self.http(Some(&profile));
        let nonces = crate::oauth::dpop::Nonces::default();
        let ports = Ports {
            http: &http,
            store: store.as_ref(),
            notify: self.notify.as_ref(),
            open_browser: &|url| crate::browser::open(url, std::env::var_os("BROWSER")),
            now: crate::time::now,
            sleep: std::thread::sleep,
            interrupted,
            env_secret: env_secret(),
            nonces: &nonces,
        };
        f(&ports, &NamedProfile { name, profile: &profile })
    }

    /// The name of the profile that serves `url` (the longest of the profiles' `urls`).
    fn profile_for(&self, url: &url::Url) -> anyhow::Result<String> {
        let (config, _) = self.config()?;
        let name = crate::config::choose(config.named_profiles(), url)?.profile.name.to_string();
        crate::trace::set_profile(&name);
        Ok(name)
    }

    /// Where config.toml is: `--config`/`OAT_CONFIG`, else `<config dir>/oat/config.toml`.
    fn config_path(&self) -> anyhow::Result<PathBuf> {
        if let Some(path) = &self.global.config {
            return Ok(path.clone());
        }
        Ok(base_dirs()?.config_dir().join("oat").join("config.toml"))
    }

    fn config(&self) -> anyhow::Result<(Config, PathBuf)> {
        let path = self.config_path()?;
        Ok((Config::load(&path)?, path))
    }

    /// The secret store: `--store`/`OAT_STORE`, else config's `store`, else the keyring.
    fn store(&self, configured: Option<StoreKind>) -> anyhow::Result<Box<dyn SecretStore>> {
        let (kind, data_dir) = self.store_place(configured)?;
        Ok(store::open(kind, &data_dir, STORE_WAITS))
    }

    /// Which store, and its data directory (for a thread that opens its own).
    fn store_place(&self, configured: Option<StoreKind>) -> anyhow::Result<(StoreKind, PathBuf)> {
        let kind = self.global.store.or(configured).unwrap_or(StoreKind::Keyring);
        Ok((kind, base_dirs()?.data_dir().join("oat")))
    }

    /// The HTTP client, with the profile's TLS client certificate if it has one; nothing is
    /// built until a request is sent.
    fn http(&self, profile: Option<&Profile>) -> Http {
        Http::new(self.http_options(profile))
    }

    /// The settings of [`App::http`] (for a thread that builds its own client).
    fn http_options(&self, profile: Option<&Profile>) -> http::Options {
        let identity = profile.and_then(|p| p.client_cert.clone().zip(p.private_key.clone()));
        http::Options {
            timeout: self.global.timeout.unwrap_or(HTTP_TIMEOUT),
            cacert: self.global.cacert.clone().or_else(|| profile.and_then(|p| p.cacert.clone())),
            identity,
            show_secrets: self.global.show_secrets,
            printer: self.printer,
        }
    }
}

/// Renders a flow's notice on stderr.
fn render(p: Printer, notice: Notice<'_>) {
    match notice {
        Notice::OpenUrl(url) => p.note(&format!("Open this URL in a browser to log in:\n\n    {url}\n")),
        Notice::BrowserFailed(e) => p.warn(&format!("{e}; open the URL above yourself")),
        Notice::Waiting { redirect_uri, timeout } => p.note(&format!(
            "Waiting up to {} for the redirect to {redirect_uri} …",
            crate::time::span(timeout.as_secs())
        )),
        Notice::Paste { redirect_uri, timeout } => p.note(&format!(
            "Once you approve, the browser is sent to {redirect_uri}?code=…, which does not load (nothing here serves https): copy that whole address from the browser's address bar and paste it here within {}.",
            crate::time::span(timeout.as_secs())
        )),
        Notice::SshForward { port } => {
            let host = std::env::var("SSH_CONNECTION")
                .ok()
                .and_then(|c| c.split_whitespace().nth(2).map(str::to_string))
                .unwrap_or_else(|| "<this host>".into());
            p.note(&format!(
                "On SSH: the browser's machine must forward the port first:\n\n    ssh -L {port}:127.0.0.1:{port} {host}\n"
            ));
        }
        Notice::DeviceCode { user_code, verification_uri, verification_uri_complete, offer_browser } => {
            p.note(&format!("To log in, open {verification_uri} on any device and enter the code\n\n    {user_code}\n"));
            if let Some(complete) = verification_uri_complete {
                p.note(&format!("(or open {complete}, which carries the code)"));
            }
            p.qr(verification_uri_complete.unwrap_or(verification_uri));
            if offer_browser {
                p.note("Press Enter to open it in a browser on this machine.");
            }
        }
        Notice::Elapsed { waited } => {
            p.progress(&format!("Waiting for the browser… {}", crate::time::span(waited.as_secs())), waited.as_millis())
        }
        Notice::Countdown { left } => p.progress(
            &format!("Waiting for approval… the code expires in {}", crate::time::span(left)),
            u128::from(left) * 100,
        ),
        Notice::SlowDown { interval } => p.note(&format!("The server asked oat to poll less often: every {interval}s now.")),
        Notice::Approved => p.end_progress(),
        Notice::TokenRefused => p.note("The API refused the token (401); refreshing it and trying once more."),
        Notice::TokenRefusedBodyGone => p.note(
            "The API refused the token (401); it was refreshed, but the request was not sent again (its body was streamed).",
        ),
        Notice::NotDpopBound { profile, token_type } => p.warn(&format!(
            "profile `{profile}` asks for DPoP, but the server answered token_type `{}`, not DPoP: the token is not bound to the key and works as a bearer token; check the server supports DPoP (`oat doctor {profile}`)",
            token_type.chars().filter(|c| !c.is_control()).collect::<String>()
        )),
        Notice::Site { profile, chosen, others, api_base } => {
            // Names and URLs come from the server: no control characters reach the terminal.
            let clean = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
            let site = |s: &crate::flow::sites::Site| format!("{} ({}, cloud id {})", clean(&s.name), clean(&s.url), clean(&s.id));
            if others.is_empty() {
                p.note(&format!("Atlassian site: {}", site(chosen)));
            } else {
                let list: Vec<String> = others.iter().map(|s| format!("    {}", site(s))).collect();
                p.note(&format!(
                    "The token reaches {} Atlassian sites; `oat request {profile}` uses the first, {}. The others:\n{}\nFor another, add the profile again with --api-base {} (and --force).",
                    others.len() + 1,
                    site(chosen),
                    list.join("\n"),
                    api_base.replace("{cloud_id}", "CLOUD_ID"),
                ));
            }
        }
        Notice::NoSite { profile, reason } => p.warn(&format!(
            "could not learn the Atlassian site of `{profile}`: {}; `oat request {profile} /path` needs its cloud id: log in again, or add the profile again with --api-base https://api.atlassian.com/ex/jira/CLOUD_ID (and --force)",
            reason.chars().filter(|c| !c.is_control()).collect::<String>()
        )),
        Notice::ShortLived { profile } => p.warn(&format!(
            "`{profile}` has no App Secret, so its token could not be exchanged for a 60-day one: it lives about 2 hours. Store the App Secret (App settings → Basic) with `oat profile add {profile} --preset facebook --client-id APP_ID --client-secret-stdin --force` and log in again"
        )),
        Notice::LoginDue { profile, expires_at } => p.warn(&login_due(profile, expires_at, crate::time::now())),
        Notice::SecretInConfig => p.warn(
            "the client secret is written in config.toml; keep it in the secret store instead (oat profile add … --client-secret-stdin --force)",
        ),
    }
}

/// A token that cannot be renewed ends soon (or has ended): when, and what to run before then.
pub(crate) fn login_due(profile: &str, expires_at: u64, now: u64) -> String {
    let when = format!("{} ({})", crate::time::instant(expires_at), crate::time::relative(expires_at, now));
    match expires_at > now {
        true => format!(
            "the access token of `{profile}` cannot be renewed (no refresh token) and ends at {when}: run `oat login {profile}` before then"
        ),
        false => {
            format!("the access token of `{profile}` ended at {when} and cannot be renewed: run `oat login {profile}`")
        }
    }
}

/// Set by SIGINT once [`catch_interrupt`] has run.
static INTERRUPTED: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// From here on, Ctrl-C stops a wait for the person (exit 130, nothing stored) instead of
/// killing oat mid-step. Only commands that wait for a person call it.
pub(crate) fn catch_interrupt() {
    let flag = INTERRUPTED.get_or_init(|| Arc::new(AtomicBool::new(false)));
    // If registering fails, Ctrl-C keeps its default action, which also stops oat.
    #[cfg(unix)]
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, flag.clone());
    #[cfg(windows)]
    {
        let _ = flag;
        // SAFETY: registers a handler that only stores to an atomic; the console calls it on
        // a thread of its own for as long as the process runs.
        unsafe { windows_sys::Win32::System::Console::SetConsoleCtrlHandler(Some(on_console_ctrl), 1) };
    }
}

/// The console's Ctrl-C (and Ctrl-Break) on Windows: noted like SIGINT, and handled (the
/// default would end the process at once, mid-step).
#[cfg(windows)]
extern "system" fn on_console_ctrl(kind: u32) -> windows_sys::core::BOOL {
    use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, CTRL_C_EVENT};
    if kind != CTRL_C_EVENT && kind != CTRL_BREAK_EVENT {
        return 0;
    }
    match INTERRUPTED.get() {
        Some(flag) => {
            flag.store(true, Ordering::SeqCst);
            1
        }
        None => 0,
    }
}

pub(crate) fn interrupted() -> bool {
    INTERRUPTED.get().is_some_and(|flag| flag.load(Ordering::SeqCst))
}

/// `OAT_CLIENT_SECRET`, if set.
fn env_secret() -> Option<Secret<String>> {
    std::env::var("OAT_CLIENT_SECRET").ok().filter(|s| !s.is_empty()).map(Secret::new)
}

fn base_dirs() -> anyhow::Result<directories::BaseDirs> {
    directories::BaseDirs::new()
        .ok_or_else(|| anyhow::anyhow!("cannot find the home directory; set HOME (or pass --config)"))
}
