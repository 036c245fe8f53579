//! `oat proxy [NAME] --upstream URL`: a loopback reverse proxy that adds a valid token to every
//! request it forwards. The listener and its guards are [`crate::proxy`]'s; sending with a
//! token, renewing before expiry and once on a refused token is [`crate::flow::api`]'s. Here:
//! the checks before it starts, one forwarder per worker thread (each with its own HTTP client
//! per profile and its own store handle), a log line per request, and the stop on Ctrl-C or
//! SIGTERM.

use super::App;
use crate::cli::ProxyArgs;
use crate::config::{self, Config, ServedUrl, StoreKind};
use crate::error::{ExitStatus, usage};
use crate::flow::api::{self, Api, TokenIn};
use crate::flow::{Notice, Ports};
use crate::http::{self, Http};
use crate::output::Printer;
use crate::proxy::{Answer, Failure, Listener, Outgoing, Served};
use crate::redact::Secret;
use crate::store::SecretStore;
use std::cell::Cell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a stop waits for the requests under way (answers still streaming are cut at once).
const STOP_WAIT: Duration = Duration::from_secs(5);

/// The signal numbers the proxy stops on (as `ExitStatus::Stopped` reports them).
const SIGINT: u8 = 2;
const SIGTERM: u8 = 15;

/// What every worker's forwarder reads.
struct Setup {
    config: Config,
    /// The profile named on the command line; without one, each request's is chosen by URL.
    name: Option<String>,
    /// The HTTP client settings of each profile.
    http: BTreeMap<String, http::Options>,
    store: (StoreKind, PathBuf),
    env_secret: Option<Secret<String>>,
    /// The DPoP nonces servers gave, shared by the workers.
    nonces: crate::oauth::dpop::Nonces,
    printer: Printer,
}

/// `oat proxy [NAME] --upstream URL [--port N] [--allow-origin ORIGIN]…`
pub fn proxy(app: &App, args: ProxyArgs) -> anyhow::Result<ExitStatus> {
    let upstream = args.upstream;
    if upstream.query().is_some() || upstream.fragment().is_some() {
        return Err(usage(format!(
            "--upstream {upstream}: give the URL without `?` or `#`; each request brings its own query"
        )));
    }
    let (config, _) = app.config()?;
    match &args.name {
        Some(name) => drop(config.profile(name)?),
        None => no_profile_serves(&config, &upstream)?,
    }
    let http = config.named_profiles().map(|p| (p.name.to_string(), app.http_options(Some(p.profile)))).collect();
    let setup = Arc::new(Setup {
        store: app.store_place(config.store)?,
        config,
        name: args.name,
        http,
        env_secret: super::env_secret(),
        nonces: Default::default(),
        printer: app.printer,
    });
    let listener = Listener::bind(args.port)?;
    // Caught before the address is printed, so that a script that stops the proxy as soon as
    // it has read it still gets a clean stop.
    super::catch_interrupt();
    let terminated = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        let _ = signal_hook::flag::register(signal_hook::consts::SIGTERM, Arc::clone(&terminated));
    }
    let address = listener.address();
    let printer = app.printer;
    let forwarders = Arc::clone(&setup);
    let running = listener.serve(
        upstream.clone(),
        args.allow_origins.clone(),
        move || forwarder(Arc::clone(&forwarders)),
        move |served: &Served<'_>| printer.note(&line(served)),
    )?;
    announce(app, &setup, &address, &upstream, &args.allow_origins)?;
    while !super::interrupted() && !terminated.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let signal = if super::interrupted() { SIGINT } else { SIGTERM };
    let cut = running.stop(STOP_WAIT);
    match cut {
        0 => app.printer.note("Stopped."),
        n => app.printer.note(&format!("Stopped; {n} request(s) still under way were cut.")),
    }
    Ok(ExitStatus::Stopped(signal))
}

/// Without a profile name, some profile must serve URLs under the upstream, or every request
/// would fail.
fn no_profile_serves(config: &Config, upstream: &url::Url) -> anyhow::Result<()> {
    let below = ServedUrl::parse(upstream.as_str())?;
    let serves = |served: &ServedUrl| served.matches(upstream).is_some() || below.matches(served.url()).is_some();
    if config.named_profiles().any(|p| p.urls.iter().any(serves)) {
        return Ok(());
    }
    Err(usage(format!(
        "no profile serves URLs under {upstream}; name the profile (`oat proxy NAME --upstream {upstream}`), or add the URL to one (`oat profile add NAME … --url {upstream} --force`)"
    )))
}

/// The address on stdout (for a script to read), and how to use it on stderr.
fn announce(app: &App, setup: &Setup, address: &str, upstream: &url::Url, allowed: &[String]) -> anyhow::Result<()> {
    let p = &app.printer;
    if p.json {
        // One line, as without --json, for a script that reads a line.
        let shown = serde_json::json!({ "address": address, "upstream": upstream.as_str(), "profile": setup.name });
        p.data(&shown.to_string())?;
    } else {
        p.data(address)?;
    }
    let whose = match &setup.name {
        Some(name) => format!("a token of `{name}`"),
        None => "a token of the profile that serves each URL".to_string(),
    };
    p.note(&format!("Forwarding {address}/… to {upstream}… with {whose}. Try:\n\n    curl {address}/\n"));
    let pages = match allowed {
        [] => "web pages only from its own origin".to_string(),
        _ => format!("web pages from its own origin and {}", allowed.join(", ")),
    };
    p.note(&format!("Every program on this machine can use it ({pages}). Ctrl-C stops it."));
    if let Some(name) = &setup.name
        && let Ok(store) = app.store(setup.config.store)
        && let Ok(profile) = setup.config.profile(name)
        && !profile.flow.is_unattended()
        && matches!(store.access(name), Ok(None))
    {
        p.warn(&format!(
            "no tokens stored for `{name}` yet: requests get 502 until you run `oat login {name}` (no restart needed)"
        ));
    }
    Ok(())
}

/// The log line of one request: method, path, status, milliseconds, and what happened.
fn line(served: &Served<'_>) -> String {
    let note = served.note.map(|n| format!(" ({n})")).unwrap_or_default();
    format!("{} {} {} {} ms{note}", served.method, served.target, served.status, served.elapsed.as_millis())
}

/// A worker's forwarder: its own store handle and HTTP clients (one per profile, built when
/// first needed), so that workers share nothing but the configuration.
fn forwarder(setup: Arc<Setup>) -> impl FnMut(&Outgoing<'_>) -> Result<Answer, Failure> {
    let (kind, data_dir) = &setup.store;
    let store = crate::store::open(*kind, data_dir, super::STORE_WAITS);
    let mut clients: HashMap<String, Http> = HashMap::new();
    move |outgoing| forward(&setup, store.as_ref(), &mut clients, outgoing)
}

/// Sends one request upstream with a valid token of its profile.
fn forward(
    setup: &Setup,
    store: &dyn SecretStore,
    clients: &mut HashMap<String, Http>,
    outgoing: &Outgoing<'_>,
) -> Result<Answer, Failure> {
    let profile = match &setup.name {
        Some(name) => setup.config.profile(name).map_err(|e| failure(&e.into()))?,
        None => config::choose(setup.config.named_profiles(), outgoing.url).map_err(|e| failure(&e.into()))?.profile,
    };
    crate::trace::set_profile(profile.name);
    let http = match clients.entry(profile.name.to_string()) {
        Entry::Occupied(entry) => entry.into_mut(),
        Entry::Vacant(entry) => {
            // Every profile of the configuration has its settings, made at start.
            let options = setup.http.get(profile.name).cloned().ok_or_else(|| Failure {
                status: 500,
                reason: format!("no HTTP client settings for `{}`", profile.name),
            })?;
            entry.insert(Http::new(options))
        }
    };
    let refused = Cell::new(None);
    let notify = |notice: Notice<'_>| match notice {
        Notice::TokenRefused => refused.set(Some("token refused: renewed and sent again")),
        Notice::TokenRefusedBodyGone => {
            refused.set(Some("token refused: renewed, but the streamed request was not sent again"))
        }
        other => super::render(setup.printer, other),
    };
    let ports = Ports {
        http,
        store,
        notify: &notify,
        open_browser: &|url| crate::browser::open(url, std::env::var_os("BROWSER")),
        now: crate::time::now,
        sleep: std::thread::sleep,
        interrupted: super::interrupted,
        env_secret: setup.env_secret.clone(),
        nonces: &setup.nonces,
    };
    let call = Api {
        url: outgoing.url,
        method: outgoing.method,
        headers: outgoing.headers,
        body: outgoing.body,
        token_in: TokenIn::Header,
    };
    let response = api::call(&ports, &profile, None, &call).map_err(|e| failure(&e))?;
    let mut notes = Vec::new();
    if setup.name.is_none() {
        notes.push(format!("profile `{}`", profile.name));
    }
    notes.extend(refused.get().map(str::to_string));
    Ok(Answer { response, note: (!notes.is_empty()).then(|| notes.join("; ")) })
}

/// What the client gets when there is no answer: 504 when the upstream (or the token endpoint)
/// did not answer in time, else 502, with the reason.
fn failure(err: &anyhow::Error) -> Failure {
    let timeout = err.chain().any(|c| matches!(c.downcast_ref::<http::Error>(), Some(http::Error::Timeout { .. })));
    Failure { status: if timeout { 504 } else { 502 }, reason: format!("{err:#}") }
}
