//! `oat git-credential get|store|erase` and `oat setup git`: oat as git's credential helper.
//! `get` picks the profile for the URL git names and hands git a token that lives at least a
//! minute more, logging in first when it can (a browser for the authorization code, the
//! controlling terminal for the device flow) and else saying what to run; `erase` drops a
//! token the server refused. git's wire format is `credential::git`'s; stdout carries only the
//! answer to `get`, and all talk goes to stderr or the terminal.

use super::App;
use super::prompt::ControllingTerminal;
use crate::cli::{GitCredentialAction, GitCredentialArgs, SetupGitArgs};
use crate::config::{self, ChoiceError, Config, Flow, GitAuth, NamedProfile, Profile, ServedUrl, StoreKind};
use crate::credential::git::{self as wire, Answer, Request};
use crate::error::{ExitStatus, usage};
use crate::flow::device::DeviceOptions;
use crate::flow::doctor::Check;
use crate::flow::login::LoginOptions;
use crate::flow::refresh::{self, Forgotten};
use crate::flow::{self, LoginRequired, Notice, Ports};
use crate::oauth::Tokens;
use anyhow::Context as _;
use std::ffi::OsStr;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How much longer a token handed to git must live: a clone or push may take a while.
const MIN_TTL: u64 = 60;
/// Default wait for the browser's redirect, as `oat login` waits (`--timeout` changes both).
const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

/// `oat git-credential ACTION`
pub fn credential(app: &App, args: GitCredentialArgs) -> anyhow::Result<ExitStatus> {
    let action = args.action;
    if action == GitCredentialAction::Capability {
        app.printer.raw(wire::CAPABILITIES.as_bytes())?;
    }
    if !matches!(action, GitCredentialAction::Get | GitCredentialAction::Erase) {
        // `store`: oat keeps its tokens itself; anything else is ignored, as gitcredentials(7)
        // asks of helpers, so that a later git can add operations.
        return Ok(ExitStatus::Success);
    }
    let request = wire::read(&mut std::io::stdin().lock()).map_err(|e| usage(e.to_string()))?;
    let profile = args.profile.as_deref();
    if action == GitCredentialAction::Get { get(app, &request, profile) } else { erase(app, &request, profile) }
}

/// `get`: the answer for the chosen profile, or nothing (git then asks its next helper).
fn get(app: &App, request: &Request, named: Option<&str>) -> anyhow::Result<ExitStatus> {
    let Some(name) = chosen(app, request, named)? else {
        return Ok(ExitStatus::Success);
    };
    let answer = app.with_profile(&name, |ports, profile| {
        let tokens = match refresh::valid_tokens(ports, profile, Some(MIN_TTL)) {
            Err(e) if e.chain().any(|c| c.is::<LoginRequired>()) => log_in(app, ports, profile, e)?,
            other => Some(other?),
        };
        let tokens = tokens.map(|tokens| flow::bearer_only(tokens, profile.name, "git")).transpose()?;
        tokens.map(|tokens| answer(app, request, profile, &tokens)).transpose()
    })?;
    if let Some(text) = answer {
        app.printer.raw(text.as_bytes())?;
    }
    Ok(ExitStatus::Success)
}

/// The lines git reads: a Bearer credential where the profile asks for one and git can take
/// it, else the token as the password of the host's conventional user.
fn answer(app: &App, request: &Request, profile: &NamedProfile<'_>, tokens: &Tokens) -> anyhow::Result<String> {
    let bearer = profile.git_auth == Some(GitAuth::Bearer);
    let git_takes_bearer = request.has_capability("authtype");
    if bearer && !git_takes_bearer {
        app.printer.warn(&format!(
            "`{}` sets git_auth = \"bearer\", but this git cannot take a Bearer credential (git 2.46 or later can); the token goes as a Basic password instead",
            profile.name
        ));
    }
    let username = username(profile, request.host_name().as_deref());
    let (token, expires_at) = (&tokens.access_token, tokens.expires_at);
    let answer = if bearer && git_takes_bearer {
        Answer::Bearer { token, expires_at }
    } else {
        Answer::Basic { username: &username, password: token, expires_at }
    };
    wire::render(&answer).with_context(|| format!("answering git for `{}`", profile.name))
}

/// The user name that goes with the token: the profile's `git_username`, else the host's
/// convention — GitHub (and GitHub Enterprise, a `github` preset) takes any user name with a
/// token but documents `x-access-token`, Bitbucket Cloud requires `x-token-auth`, and GitLab,
/// Gitea and most others take `oauth2`.
fn username(profile: &Profile, host: Option<&str>) -> String {
    if let Some(name) = &profile.git_username {
        return name.clone();
    }
    let host = host.unwrap_or_default();
    let github = host == "github.com" || host.ends_with(".github.com") || profile.preset.as_deref() == Some("github");
    let name = if github {
        "x-access-token"
    } else if host == "bitbucket.org" {
        "x-token-auth"
    } else {
        "oauth2"
    };
    name.to_string()
}

/// `erase`: git got a 401 with the token it presents; drop it if it is still the stored one.
fn erase(app: &App, request: &Request, named: Option<&str>) -> anyhow::Result<ExitStatus> {
    let Some(presented) = request.presented() else { return Ok(ExitStatus::Success) };
    // A URL no profile serves, or two serve (`get` said so already), is not oat's to erase.
    let Ok(Some(name)) = chosen(app, request, named) else { return Ok(ExitStatus::Success) };
    let forgotten =
        app.with_profile(&name, |ports, profile| refresh::forget_refused(ports, profile, Some(presented)))?;
    if forgotten != Forgotten::Nothing {
        app.printer.note(&format!(
            "oat: the server refused the token of `{name}`, so oat dropped it; the next git command gets a new one"
        ));
    }
    Ok(ExitStatus::Success)
}

/// The profile to answer for: `--profile`, else the one that serves the URL git names (host,
/// and path when git sends one); `None` when no profile serves it.
fn chosen(app: &App, request: &Request, named: Option<&str>) -> anyhow::Result<Option<String>> {
    if let Some(name) = named {
        return Ok(Some(name.to_string()));
    }
    let Some(url) = request.url() else { return Ok(None) };
    let (config, _) = app.config()?;
    match config::choose(config.named_profiles(), &url) {
        Ok(choice) => Ok(Some(choice.profile.name.to_string())),
        Err(ChoiceError::NoProfile { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// How a login can run from inside git, or why none can.
#[derive(Debug, PartialEq, Eq)]
enum Way {
    /// The authorization code in a browser oat starts: git's stdin is a pipe, but the browser
    /// needs no terminal, and all talk goes to stderr.
    Browser,
    /// The device flow, with its code shown (and Enter heard) on the controlling terminal.
    Terminal,
    /// None, for this reason.
    Nothing(String),
}

/// The way to log in from git: a browser login where a browser can be started; a device login
/// where git could ask on the terminal too (there is one, and `GIT_TERMINAL_PROMPT` allows
/// it); nothing for the other flows, which need a person to type at oat itself.
fn way(flow: Flow, browser: Result<String, String>, terminal: bool, prompts: bool) -> Way {
    match flow {
        Flow::AuthorizationCode => match browser {
            Ok(_) => Way::Browser,
            Err(why) => Way::Nothing(format!("no browser can be started ({why})")),
        },
        Flow::DeviceCode if !prompts => Way::Nothing("GIT_TERMINAL_PROMPT forbids asking on the terminal".into()),
        Flow::DeviceCode if !terminal => Way::Nothing("the device flow needs a terminal, and there is none".into()),
        Flow::DeviceCode => Way::Terminal,
        other => Way::Nothing(format!("the {other} flow runs only in `oat login`")),
    }
}

/// Whether git may ask on the terminal: `GIT_TERMINAL_PROMPT` unset or true (git reads it as
/// a boolean: `0`, `false`, `no`, `off` and the empty string are false).
fn prompts_allowed(value: Option<&OsStr>) -> bool {
    let Some(value) = value else { return true };
    let value = value.to_string_lossy().to_ascii_lowercase();
    !matches!(value.trim(), "" | "0" | "false" | "no" | "off")
}

/// Set when the browser oat started for git's login exits with an error: no redirect will come.
static BROWSER_FAILED: AtomicBool = AtomicBool::new(false);

/// Whether the wait for the person is over without them: Ctrl-C, or a browser that failed.
fn given_up() -> bool {
    super::interrupted() || BROWSER_FAILED.load(Ordering::SeqCst)
}

/// Runs the profile's login if it can run here, and returns its tokens; where it cannot,
/// says on stderr what to run and returns `None`, so that git goes on at once.
fn log_in(
    app: &App,
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    needed: anyhow::Error,
) -> anyhow::Result<Option<Tokens>> {
    let name = profile.name;
    let browser = crate::browser::available(std::env::var_os("BROWSER"));
    let prompts = prompts_allowed(std::env::var_os("GIT_TERMINAL_PROMPT").as_deref());
    let terminal = if profile.flow == Flow::DeviceCode { ControllingTerminal::open() } else { None };
    let give_up = |why: &str| -> anyhow::Result<Option<Tokens>> {
        app.printer.note(&format!("oat: {needed:#}\noat: a login cannot start from git here: {why}"));
        Ok(None)
    };
    super::catch_interrupt();
    let logged_in = match (way(profile.flow, browser, terminal.is_some(), prompts), terminal) {
        (Way::Nothing(why), _) => return give_up(&why),
        (Way::Browser, _) => {
            app.printer.note(&format!("oat: git needs a token of `{name}`; logging in."));
            let client = flow::client(ports, profile)?;
            let open_browser =
                |url: &str| crate::browser::open_watched(url, std::env::var_os("BROWSER"), &BROWSER_FAILED);
            let ports = Ports { open_browser: &open_browser, interrupted: given_up, ..copy(ports) };
            let options = LoginOptions {
                scopes: &profile.scopes,
                port: None,
                open_browser: true,
                timeout: app.global.timeout.unwrap_or(BROWSER_TIMEOUT),
                pasted: None,
                ssh: std::env::var_os("SSH_CONNECTION").is_some_and(|v| !v.is_empty()),
                par: false,
                response_mode: None,
            };
            match flow::login::authorization_code(&ports, profile, &client, options) {
                Err(_) if BROWSER_FAILED.load(Ordering::SeqCst) => {
                    return give_up("the browser exited with an error before the login was done");
                }
                other => other,
            }
        }
        (Way::Terminal, Some(terminal)) => {
            let client = flow::client(ports, profile)?;
            let talk = terminal.try_clone().context("opening the terminal")?;
            let notify = |notice: Notice<'_>| match notice {
                Notice::DeviceCode { user_code, verification_uri, verification_uri_complete, offer_browser } => {
                    talk.say(&format!(
                        "oat: git needs a token of `{name}`. To log in, open {verification_uri} on any device and enter the code\n\n    {user_code}\n"
                    ));
                    if let Some(complete) = verification_uri_complete {
                        talk.say(&format!("(or open {complete}, which carries the code)"));
                    }
                    if offer_browser {
                        talk.say("Press Enter to open it in a browser on this machine.");
                    }
                }
                other => (app.notify)(other),
            };
            let ports = Ports { notify: &notify, ..copy(ports) };
            let options = DeviceOptions { scopes: &profile.scopes, open_request: Some(terminal.enter_pressed()) };
            flow::device::device_code(&ports, profile, &client, options)
        }
        (Way::Terminal, None) => return give_up("there is no terminal"),
    }
    .with_context(|| format!("logging in to `{name}` for git"))?;
    let who = logged_in.identity.as_deref().map(|w| format!(" as {w}")).unwrap_or_default();
    app.printer.note(&format!("oat: logged in to `{name}`{who}."));
    Ok(Some(logged_in.tokens))
}

/// The same ports, for a struct update that replaces some of them.
fn copy<'a>(ports: &Ports<'a>) -> Ports<'a> {
    Ports {
        http: ports.http,
        store: ports.store,
        notify: ports.notify,
        open_browser: ports.open_browser,
        now: ports.now,
        sleep: ports.sleep,
        interrupted: ports.interrupted,
        env_secret: ports.env_secret.clone(),
        nonces: ports.nonces,
    }
}

/// One URL git is to ask oat about, and the helper it runs for it.
struct Target {
    /// The URL prefix, as the profile (or `--host`) names it: the `<url>` of `credential.<url>.*`.
    url: ServedUrl,
    /// The `credential.helper` value.
    helper: String,
}

/// `oat setup git [NAME] [--host URL] [--dry-run]`
pub fn setup(app: &App, args: SetupGitArgs) -> anyhow::Result<()> {
    let (config, _) = app.config()?;
    let p = &app.printer;
    for target in targets(app, &config, &args)? {
        let commands = wire::config_commands(&target.url.to_string(), &target.helper, target.url.has_path());
        if args.dry_run {
            for command in &commands {
                let words: Vec<String> = command.iter().map(|w| wire::shell_word(w)).collect();
                p.data(&format!("git config {}", words.join(" ")))?;
            }
            continue;
        }
        if state(&target.url, &target.helper)? == State::Current {
            p.note(&format!("git already asks oat for credentials for {}.", target.url));
            continue;
        }
        for command in &commands {
            git_config(command)?;
        }
        p.note(&format!(
            "git now asks oat for credentials for {} (credential.{}.helper in git's global configuration).",
            target.url, target.url
        ));
    }
    Ok(())
}

/// What to set up: NAME's --url prefixes (or `--host`), or every profile's; the helper takes
/// the profile from the URL, as git's configuration may match several prefixes of one URL
/// and the longest must win, except for a `--host` URL that NAME does not serve, whose helper
/// names NAME.
fn targets(app: &App, config: &Config, args: &SetupGitArgs) -> anyhow::Result<Vec<Target>> {
    let by_url = helper(app, None)?;
    let host = args.host.as_deref().map(host_url).transpose()?;
    let mut targets: Vec<Target> = match (&args.name, host) {
        (Some(name), Some(url)) => {
            config.profile(name)?;
            let serves = config::choose(config.named_profiles(), url.url()).is_ok_and(|c| c.profile.name == name);
            let helper = if serves { by_url } else { helper(app, Some(name))? };
            vec![Target { url, helper }]
        }
        (Some(name), None) => {
            let profile = config.profile(name)?;
            if profile.urls.is_empty() {
                return Err(usage(format!(
                    "profile `{name}` has no --url prefixes; add the URLs git uses with `oat profile add {name} … --url URL --force`, or pass --host URL"
                )));
            }
            profile.urls.iter().map(|url| Target { url: url.clone(), helper: by_url.clone() }).collect()
        }
        (None, Some(url)) => {
            if config::choose(config.named_profiles(), url.url()).is_err() {
                app.printer.warn(&format!(
                    "no profile serves {url} yet: git gets nothing from oat there until one does (`oat profile add NAME … --url {url}`)"
                ));
            }
            vec![Target { url, helper: by_url }]
        }
        (None, None) => {
            let urls: Vec<Target> = config
                .named_profiles()
                .flat_map(|p| p.profile.urls.iter())
                .map(|url| Target { url: url.clone(), helper: by_url.clone() })
                .collect();
            if urls.is_empty() {
                return Err(usage(
                    "no profile has --url prefixes, so git has nothing to ask oat for; add them with `oat profile add NAME … --url URL --force`, or name a profile and a URL: `oat setup git NAME --host URL`",
                ));
            }
            urls
        }
    };
    let mut seen = std::collections::HashSet::new();
    targets.retain(|t| seen.insert(t.url.to_string()));
    Ok(targets)
}

/// `--host`: a URL prefix, or a bare host name for `https://HOST`.
fn host_url(text: &str) -> anyhow::Result<ServedUrl> {
    let text = if text.contains("://") { text.to_string() } else { format!("https://{text}") };
    Ok(ServedUrl::parse(&text)?)
}

/// The helper git is to run: this very binary by its absolute path, with the options of this
/// run that shape how it runs later — `--config` and `--store` given on the command line (from
/// the environment, `OAT_CONFIG` and `OAT_STORE`, git passes on itself), `--cacert` and
/// `--timeout` — and `--profile NAME` if given.
fn helper(app: &App, profile: Option<&str>) -> anyhow::Result<String> {
    let exe = std::env::current_exe().context("finding the path of the oat binary")?;
    let exe =
        exe.to_str().ok_or_else(|| anyhow::anyhow!("the path of the oat binary is not UTF-8: {}", exe.display()))?;
    let global = &app.global;
    let from_env = |name: &str, value: &OsStr| std::env::var_os(name).as_deref() == Some(value);
    let absolute = |path: &std::path::Path| -> anyhow::Result<String> {
        let path = std::path::absolute(path).with_context(|| format!("finding {}", path.display()))?;
        Ok(path.to_string_lossy().into_owned())
    };
    let mut args: Vec<String> = Vec::new();
    if let Some(path) = &global.config
        && !from_env("OAT_CONFIG", path.as_os_str())
    {
        args.extend(["--config".into(), absolute(path)?]);
    }
    let store = global.store.map(|kind| if kind == StoreKind::File { "file" } else { "keyring" });
    if let Some(store) = store
        && !from_env("OAT_STORE", OsStr::new(store))
    {
        args.extend(["--store".into(), store.into()]);
    }
    if let Some(path) = &global.cacert {
        args.extend(["--cacert".into(), absolute(path)?]);
    }
    if let Some(timeout) = global.timeout {
        args.extend(["--timeout".into(), humantime::format_duration(timeout).to_string()]);
    }
    args.push("git-credential".into());
    if let Some(name) = profile {
        args.extend(["--profile".to_string(), name.to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Ok(wire::helper(exe, &args))
}

/// How git's global configuration stands for one URL.
#[derive(Debug, PartialEq, Eq)]
enum State {
    /// Exactly what `oat setup git` writes.
    Current,
    /// The last helper git runs for it is an oat's (another binary path, or more around it).
    Oat,
    /// Not oat's.
    Other,
}

/// Reads `credential.<url>.helper` (and `useHttpPath`) from git's global configuration.
fn state(url: &ServedUrl, helper: &str) -> anyhow::Result<State> {
    let key = |name: &str| format!("credential.{url}.{name}");
    let helpers = git_values(&["--global", "-z", "--get-all", &key("helper")])?;
    let path_ok =
        !url.has_path() || git_values(&["--global", "--type=bool", "--get", &key("useHttpPath")])? == ["true"];
    let oat = |last: &String| last.starts_with('!') && last.contains(" git-credential") && last.contains("oat");
    Ok(match helpers.last() {
        _ if path_ok && helpers == ["", helper] => State::Current,
        Some(last) if path_ok && oat(last) => State::Oat,
        _ => State::Other,
    })
}

/// The values `git config ARGS` prints (NUL- or newline-separated); none when the key is unset.
fn git_values(args: &[&str]) -> anyhow::Result<Vec<String>> {
    let out = git(args)?;
    match out.status.code() {
        Some(0) => {
            let text = String::from_utf8_lossy(&out.stdout);
            let separator = if args.contains(&"-z") { '\0' } else { '\n' };
            Ok(text.split_terminator(separator).map(str::to_string).collect())
        }
        // git config's "the key was not found".
        Some(1) => Ok(Vec::new()),
        _ => Err(git_failed(args, &out)),
    }
}

/// Runs `git config ARGS`, which must succeed.
fn git_config(args: &[String]) -> anyhow::Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = git(&args)?;
    if out.status.success() { Ok(()) } else { Err(git_failed(&args, &out)) }
}

fn git(args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git")
        .arg("config")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run `git config` (is git installed and on PATH?)")
}

fn git_failed(args: &[&str], out: &std::process::Output) -> anyhow::Error {
    let said = String::from_utf8_lossy(&out.stderr);
    anyhow::anyhow!("`git config {}` failed ({}): {}", args.join(" "), out.status, said.trim())
}

/// For `oat doctor NAME`: whether git asks oat for credentials for the profile's --url
/// prefixes (git's global `credential.<url>.helper`). `None` when it does for none of them, or
/// git is not installed: git is not set up for the profile. Fails when a prefix runs an oat
/// helper other than the one `oat setup git` would write now (e.g. oat has moved).
pub fn doctor_check(app: &App, profile: &NamedProfile<'_>) -> Option<Check> {
    if profile.urls.is_empty() {
        return None;
    }
    let name = profile.name;
    let check = |ok: bool, detail: String| match ok {
        true => Check::pass("git", detail),
        false => Check::fail("git", detail, format!("run `oat setup git {name}`")),
    };
    let helper = match helper(app, None) {
        Ok(helper) => helper,
        Err(e) => return Some(check(false, format!("{e:#}"))),
    };
    let (mut current, mut stale, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    for url in &profile.urls {
        match state(url, &helper) {
            Ok(State::Current) => current.push(url.to_string()),
            Ok(State::Oat) => stale.push(url.to_string()),
            Ok(State::Other) => missing.push(url.to_string()),
            Err(e) if not_installed(&e) => return None,
            Err(e) => return Some(check(false, format!("{e:#}"))),
        }
    }
    if current.is_empty() && stale.is_empty() {
        return None;
    }
    let mut detail = if stale.is_empty() {
        format!("git asks oat for credentials for {}", current.join(", "))
    } else {
        format!("git runs another oat helper line than `oat setup git` writes for {}", stale.join(", "))
    };
    if !missing.is_empty() {
        detail.push_str(&format!(" (not for {})", missing.join(", ")));
    }
    Some(check(stale.is_empty(), detail))
}

/// Whether `error` says that git is not installed.
fn not_installed(error: &anyhow::Error) -> bool {
    error.root_cause().downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_name_follows_the_profile_then_the_host() {
        let plain = Profile::default();
        assert_eq!(username(&plain, Some("github.com")), "x-access-token");
        assert_eq!(username(&plain, Some("gist.github.com")), "x-access-token");
        assert_eq!(username(&plain, Some("bitbucket.org")), "x-token-auth");
        assert_eq!(username(&plain, Some("gitlab.com")), "oauth2");
        assert_eq!(username(&plain, Some("notgithub.com")), "oauth2");
        assert_eq!(username(&plain, None), "oauth2");
        let ghe = Profile { preset: Some("github".into()), ..Profile::default() };
        assert_eq!(username(&ghe, Some("git.corp.example")), "x-access-token");
        let own = Profile { git_username: Some("bot".into()), ..Profile::default() };
        assert_eq!(username(&own, Some("github.com")), "bot");
    }

    #[test]
    fn a_login_runs_only_where_it_can_finish() {
        let browser = || Ok("$BROWSER".to_string());
        let none = || Err("no $BROWSER and no xdg-open".to_string());
        assert_eq!(way(Flow::AuthorizationCode, browser(), false, false), Way::Browser);
        assert_eq!(
            way(Flow::AuthorizationCode, none(), true, true),
            Way::Nothing("no browser can be started (no $BROWSER and no xdg-open)".into())
        );
        assert_eq!(way(Flow::DeviceCode, none(), true, true), Way::Terminal);
        assert!(matches!(way(Flow::DeviceCode, browser(), false, true), Way::Nothing(why) if why.contains("terminal")));
        assert!(
            matches!(way(Flow::DeviceCode, browser(), true, false), Way::Nothing(why) if why.contains("GIT_TERMINAL_PROMPT"))
        );
        assert!(matches!(way(Flow::Password, browser(), true, true), Way::Nothing(why) if why.contains("password")));
    }

    #[test]
    fn git_terminal_prompt_is_read_as_git_reads_a_boolean() {
        assert!(prompts_allowed(None));
        for yes in ["1", "true", "yes", "on", "TRUE"] {
            assert!(prompts_allowed(Some(OsStr::new(yes))), "{yes}");
        }
        for no in ["0", "false", "no", "off", "", "False"] {
            assert!(!prompts_allowed(Some(OsStr::new(no))), "{no}");
        }
    }

    #[test]
    fn a_bare_host_means_https() {
        assert_eq!(host_url("github.example.com").unwrap().to_string(), "https://github.example.com");
        assert_eq!(host_url("http://127.0.0.1:8080/acme/").unwrap().to_string(), "http://127.0.0.1:8080/acme/");
        assert!(host_url("ftp://example.com").is_err());
    }
}
