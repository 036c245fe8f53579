//! `oat demo`: the whole flow against the authorization server embedded in oat, step by step
//! with every HTTP exchange shown, in a temporary config and store that are removed at the end;
//! `oat demo serve` keeps that server running for experiments and scripts.

use super::profile::{Files, Known};
use super::{App, KEYRING_WAIT, LOCK_WAIT};
use crate::cli::{DemoAction, DemoArgs, DemoServeArgs, ProfileAddArgs};
use crate::config::{Config, Endpoint, Issuer, NamedProfile, Profile};
use crate::demo::{self, DemoServer, Settings};
use crate::flow::api::{self, Api, TokenIn};
use crate::flow::login::{LoginOptions, Which};
use crate::flow::{self, Ports, refresh};
use crate::http::{self, Call, Http, Method};
use crate::oauth::token::ClientCredentials;
use crate::oauth::{Tokens, discovery, introspect};
use crate::output::{Printer, Style};
use crate::store;
use anyhow::Context as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

const NAME: &str = "demo";
const SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "api"];

/// `oat demo [serve]`: sets up the server, a scratch config and store, and the ports the
/// steps share, then runs the tour one step after another.
pub fn demo(app: &App, args: DemoArgs) -> anyhow::Result<()> {
    if let Some(DemoAction::Serve(serve_args)) = args.action {
        return serve(app, serve_args);
    }
    // Where no browser can be started (a container, CI) the tour approves by itself rather
    // than wait five minutes for a redirect that cannot come.
    let headless =
        !args.no_browser && !args.auto_approve && crate::browser::available(std::env::var_os("BROWSER")).is_err();
    let auto = args.auto_approve || headless;
    let server = DemoServer::start(args.port, Settings { auto_approve: auto, ..Settings::default() })?;
    let issuer = server.issuer().to_string();
    super::catch_interrupt();
    let scratch = Scratch::new()?;
    let p = app.printer;
    // The tour shows every exchange: that is what it is for.
    let trace = Printer { verbose: app.global.verbose.max(1), ..p };
    let http_options = http::Options {
        timeout: app.global.timeout.unwrap_or(super::HTTP_TIMEOUT),
        cacert: None,
        identity: None,
        show_secrets: app.global.show_secrets,
        printer: trace,
    };
    let http = Http::new(http_options.clone());
    let store = store::open(
        crate::config::StoreKind::File,
        &scratch.path().join("data"),
        store::Waits { keyring: KEYRING_WAIT, lock: LOCK_WAIT },
    );
    // With --auto-approve nobody needs to see the page: oat itself follows the redirect, on a
    // thread of its own, since the listener is waiting on this one.
    let visit = |url: &str| -> Result<(), crate::browser::BrowserError> {
        if !auto {
            return crate::browser::open(url, std::env::var_os("BROWSER"));
        }
        let (url, options) = (url.to_string(), http_options.clone());
        std::thread::spawn(move || {
            let _ = follow(&Http::new(options), &url);
        });
        Ok(())
    };
    let nonces = crate::oauth::dpop::Nonces::default();
    let ports = Ports {
        http: &http,
        store: store.as_ref(),
        notify: app.notify.as_ref(),
        open_browser: &visit,
        now: crate::time::now,
        sleep: std::thread::sleep,
        interrupted: super::interrupted,
        // The demo's client is public: a secret meant for the user's own clients is not sent.
        env_secret: None,
        nonces: &nonces,
    };
    p.note(
        &p.paint(Style::Good, &format!("The oat demo: an authorization server built into oat is running at {issuer}.")),
    );
    p.note(&format!("It uses a temporary config and store in {}, removed at the end.", scratch.path().display()));
    if headless {
        p.note("No browser can be started here, so the demo approves the sign-in by itself (as --auto-approve does).");
    }

    let tour = Tour { p, ports: &ports, issuer: &issuer };
    let settings = tour.add_profile(scratch.path(), args.dpop)?;
    let profile = NamedProfile { name: NAME, profile: &settings };
    let client = flow::client(&ports, &profile)?;
    let wait = app.global.timeout.unwrap_or(Duration::from_secs(300));
    tour.login(
        &profile,
        &client,
        LoginOptions {
            scopes: &settings.scopes,
            port: None,
            open_browser: !args.no_browser || auto,
            timeout: wait,
            pasted: if auto { None } else { super::prompt::Terminal::stdin().map(|t| t.paste_redirect(p)) },
            ssh: false,
            par: false,
            response_mode: None,
        },
    )?;
    let tokens = tour.token(&profile)?;
    tour.refresh(&profile, &tokens)?;
    tour.request(&profile, true)?;
    tour.introspect(&profile, &client)?;
    tour.revoke(&profile)?;
    tour.request(&profile, false)?;
    tour.logout(&profile)?;
    p.note(&p.paint(
        Style::Good,
        "\nThat was the whole flow. The demo server has stopped; its profile and tokens are gone. \
         Run `oat demo serve` to keep a server for your own experiments.",
    ));
    drop(server);
    Ok(())
}

/// What the tour's steps share: the printer, the flow ports, the demo server's issuer.
struct Tour<'a> {
    p: Printer,
    ports: &'a Ports<'a>,
    issuer: &'a str,
}

impl Tour<'_> {
    /// `oat profile add`: what discovery finds at the demo server makes the profile, which is
    /// saved in the scratch config in `dir`.
    fn add_profile(&self, dir: &Path, dpop: bool) -> anyhow::Result<Profile> {
        let scopes = SCOPES.map(str::to_string).to_vec();
        self.step(&format!(
            "oat profile add {NAME} --issuer {} --client-id {} {}{}",
            self.issuer,
            demo::PUBLIC_CLIENT,
            scopes.iter().map(|s| format!("--scope {s}")).collect::<Vec<_>>().join(" "),
            if dpop { " --dpop" } else { "" }
        ));
        let args = ProfileAddArgs {
            name: Some(NAME.into()),
            issuer: Some(self.issuer.to_string()),
            client_id: Some(demo::PUBLIC_CLIENT.into()),
            scopes,
            dpop,
            ..ProfileAddArgs::default()
        };
        let found = discovery::discover(self.ports.http, &Issuer::parse(self.issuer)?)?;
        let known = Known {
            preset: None,
            metadata: found.metadata,
            client_id: demo::PUBLIC_CLIENT.into(),
            redirect_uri: None,
            secret: false,
            key: false,
            files: Files::default(),
        };
        let profile = super::profile::build(&args, known)?;
        let mut config = Config::default();
        config.profiles.insert(NAME.into(), profile.clone());
        let path = dir.join("config.toml");
        config.save(&path)?;
        self.p.note(&format!("Discovery filled in the endpoints; the profile is in {}.", path.display()));
        Ok(profile)
    }

    /// `oat login`: the authorization-code flow through the demo's sign-in page.
    fn login(
        &self,
        profile: &NamedProfile<'_>,
        client: &ClientCredentials,
        options: LoginOptions<'_>,
    ) -> anyhow::Result<()> {
        self.step(&format!("oat login {NAME}"));
        let logged_in = flow::login::authorization_code(self.ports, profile, client, options)?;
        self.p.note(&format!(
            "Logged in as {}; {}.",
            logged_in.identity.as_deref().unwrap_or("the demo user"),
            super::status::validity(&logged_in.tokens, crate::time::now())
        ));
        Ok(())
    }

    /// `oat token`: a valid token from the store, without a request.
    fn token(&self, profile: &NamedProfile<'_>) -> anyhow::Result<Tokens> {
        self.step(&format!("oat token {NAME}"));
        let tokens = refresh::valid_tokens(self.ports, profile, None)?;
        self.p.note(&format!("{} — served from the store: no request was needed.", preview(&tokens)));
        Ok(tokens)
    }

    /// `oat refresh`: a refresh now, and whether the server rotated the refresh token.
    fn refresh(&self, profile: &NamedProfile<'_>, tokens: &Tokens) -> anyhow::Result<()> {
        self.step(&format!("oat refresh {NAME}"));
        let before = tokens.refresh_token.as_ref().map(|t| t.expose().clone());
        let refreshed = refresh::renew(self.ports, profile, |_: &Tokens, _| true)?;
        let rotated = refreshed.refresh_token.as_ref().map(|t| t.expose().clone()) != before;
        self.p.note(&format!(
            "{}; the server {} the refresh token, and oat stored the new one before handing out the access token.",
            preview(&refreshed),
            if rotated { "rotated" } else { "kept" }
        ));
        Ok(())
    }

    /// `oat request`: the demo API with a valid token; the first call also says what a DPoP
    /// binding does.
    fn request(&self, profile: &NamedProfile<'_>, first: bool) -> anyhow::Result<()> {
        let url = format!("{}/api", self.issuer);
        self.step(&format!("oat request {NAME} {url}"));
        let api_url = Endpoint::parse(&url)?;
        let call =
            Api { url: api_url.url(), method: &Method::GET, headers: &[], body: None, token_in: TokenIn::Header };
        show_body(&self.p, api::call(self.ports, profile, None, &call)?)?;
        if profile.dpop && first {
            let key = flow::stored_dpop_key(self.ports, NAME)?.context("the demo's DPoP key vanished")?;
            self.p.note(&format!(
                "The token is DPoP-bound to this profile's key (thumbprint {}): oat sent `Authorization: DPoP` with a \
                 proof signed by that key for this very request (method, URL and the token's hash), and the API checked it. \
                 A copy of the token alone is of no use to anyone without the key.",
                key.thumbprint()
            ));
        }
        Ok(())
    }

    /// `oat introspect`: what the server says of the access token (RFC 7662).
    fn introspect(&self, profile: &NamedProfile<'_>, client: &ClientCredentials) -> anyhow::Result<()> {
        self.step(&format!("oat introspect {NAME}"));
        let endpoint = profile.introspection_endpoint()?;
        let current = self.ports.store.tokens(NAME)?.context("the demo tokens vanished")?;
        let answer = introspect::introspect(self.ports.http, endpoint, client, &current.access_token, "access_token")?;
        self.p.note(&format!(
            "The server says the token is {}, for `{}` with the scopes {}.",
            if answer["active"] == true { "active" } else { "not active" },
            answer["sub"].as_str().unwrap_or("?"),
            answer["scope"].as_str().unwrap_or("?")
        ));
        Ok(())
    }

    /// `oat revoke --access-token` (RFC 7009): revoked there, dropped here.
    fn revoke(&self, profile: &NamedProfile<'_>) -> anyhow::Result<()> {
        self.step(&format!("oat revoke {NAME} --access-token"));
        flow::login::revoke(self.ports, profile, Which { access: true, refresh: false })?;
        self.p.note(
            "Revoked at the server and dropped here, so the next call first gets a new access token with the refresh token.",
        );
        Ok(())
    }

    /// `oat logout`: revoked at the server, deleted here.
    fn logout(&self, profile: &NamedProfile<'_>) -> anyhow::Result<()> {
        self.step(&format!("oat logout {NAME}"));
        flow::login::logout(self.ports, profile)?;
        self.p.note("Revoked at the server and deleted here.");
        Ok(())
    }

    /// Shows the command a step stands for.
    fn step(&self, command: &str) {
        self.p.note(&self.p.paint(Style::Request, &format!("\n$ {command}")));
    }
}

/// `oat demo serve`: the issuer URL on stdout, how to use it on stderr, then serve until killed.
fn serve(app: &App, args: DemoServeArgs) -> anyhow::Result<()> {
    let server = DemoServer::start(
        args.port,
        Settings {
            auto_approve: args.auto_approve,
            access_ttl: args.access_ttl,
            // Base64url: 3 bytes make 4 characters.
            token_bytes: args.token_size.map_or(32, |chars| usize::try_from(chars * 3 / 4).unwrap_or(32)),
            ..Settings::default()
        },
    )?;
    let issuer = server.issuer().to_string();
    let p = &app.printer;
    p.note(&format!(
        "The oat demo server is running at {issuer} (Ctrl-C stops it).\n\
         Clients: {public} (public, PKCE; authorization code, device code, refresh) and \
         {machine} with secret {secret} (client credentials).\n\
         Try:\n  oat profile add demo --issuer {issuer} --client-id {public} --scope openid --scope offline_access --scope api\n  \
         oat login demo && oat request demo {issuer}/api\n\
         (add --dpop to the profile to bind its tokens to a key, RFC 9449)",
        public = demo::PUBLIC_CLIENT,
        machine = demo::MACHINE_CLIENT,
        secret = demo::MACHINE_SECRET,
    ));
    p.data(&issuer)?;
    server.wait();
    Ok(())
}

/// Plays the browser for --auto-approve: GET the authorization URL and follow its redirect to
/// the loopback listener.
fn follow(http: &Http, url: &str) -> std::io::Result<()> {
    let mut next = url::Url::parse(url).map_err(std::io::Error::other)?;
    for _ in 0..5 {
        let response = http
            .stream(&Call { method: &Method::GET, url: &next, headers: &[], authorization: None, body: None })
            .map_err(std::io::Error::other)?;
        let Some(location) = response.header("location") else { return Ok(()) };
        next = next.join(location).map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// A token shown the way a person can recognise it without copying it.
fn preview(tokens: &Tokens) -> String {
    let token = tokens.access_token.expose();
    let head: String = token.chars().take(6).collect();
    format!(
        "access token {head}… ({} characters), {}",
        token.chars().count(),
        super::status::validity(tokens, crate::time::now())
    )
}

fn show_body(p: &Printer, mut response: http::Streaming) -> anyhow::Result<()> {
    let mut text = String::new();
    (&mut response.body).take(64 * 1024).read_to_string(&mut text)?;
    let shown = serde_json::from_str::<serde_json::Value>(&text)
        .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
        .unwrap_or(text);
    p.note(&format!("HTTP {} {}\n{shown}", response.status, response.reason));
    Ok(())
}

/// A private temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> anyhow::Result<Scratch> {
        let mut salt = [0u8; 6];
        getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness for a temporary directory: {e}"))?;
        let name: String = salt.iter().map(|b| format!("{b:02x}")).collect();
        let dir = std::env::temp_dir().join(format!("oat-demo-{}-{name}", std::process::id()));
        crate::private_file::create_private_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Scratch(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
