//! `oat docker-credential get|store|erase|list|version`, which docker runs as
//! `docker-credential-oat`, and `oat setup docker NAME --registry HOST`, which makes it do so.
//! The profile is the one whose `urls` serve the registry; the answer is its access token, valid
//! for at least a minute. Helpers run without a terminal, and also for registries nobody is
//! pulling from (docker's classic builder and testcontainers ask every `credHelpers` entry up
//! front, compose asks for many images at once), so a needed login is never started here: the
//! helper fails at once with the `oat login NAME` hint, which the client shows. As
//! docker-credential-helpers' programs do, failures are one line on stdout, exit 1.

mod link;

use super::App;
use crate::cli::{DockerCredentialAction, DockerCredentialArgs, SetupDockerArgs};
use crate::config::{self, ChoiceError, Config, NamedProfile, ServedUrl};
use crate::credential::docker::config::DockerConfig;
use crate::credential::docker::{self as wire, Credentials, Registry};
use crate::error::{ExitStatus, usage};
use crate::flow::doctor::Check;
use crate::flow::{self, refresh};
use anyhow::Context as _;
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// How long the token handed to docker must still live, in seconds.
const MIN_TTL: u64 = 60;

/// The most oat reads of what docker writes on stdin (a URL, or a credential's JSON).
const MAX_INPUT: u64 = 64 * 1024;

/// What a helper action answers when it does not fail.
enum Answer {
    /// A line of JSON or text on stdout.
    Data(String),
    /// Nothing on stdout (`store`, `erase`).
    Nothing,
    /// docker's "credentials not found" (no profile serves the registry): then docker goes on
    /// without credentials, or with another source.
    NotFound,
}

/// `oat docker-credential ACTION`, as docker runs it (`docker-credential-oat ACTION`).
pub fn credential(app: &App, args: DockerCredentialArgs) -> anyhow::Result<ExitStatus> {
    let answer = match args.action {
        DockerCredentialAction::Get => get(app),
        DockerCredentialAction::Store => store(),
        DockerCredentialAction::Erase => erase(app),
        DockerCredentialAction::List => list(app),
        DockerCredentialAction::Version => {
            Ok(Answer::Data(wire::version_line(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))))
        }
    };
    let p = &app.printer;
    match answer {
        Ok(Answer::Data(text)) => p.data(&text)?,
        Ok(Answer::Nothing) => {}
        Ok(Answer::NotFound) => {
            p.data(wire::NOT_FOUND)?;
            return Ok(ExitStatus::Failure);
        }
        // docker reads a helper's error from its stdout and quotes it in its own message.
        Err(e) => {
            p.data(&format!("{e:#}"))?;
            return Ok(ExitStatus::Failure);
        }
    }
    Ok(ExitStatus::Success)
}

/// `get`: the registry on stdin → `{"ServerURL","Username","Secret"}` of the profile serving it.
fn get(app: &App) -> anyhow::Result<Answer> {
    let Some(Asked { server_url, name, username }) = asked(app)? else { return Ok(Answer::NotFound) };
    let tokens = app
        .with_profile(&name, |ports, profile| {
            flow::bearer_only(refresh::valid_tokens(ports, profile, Some(MIN_TTL))?, profile.name, "docker")
        })
        .with_context(|| format!("credentials for {server_url}"))?;
    let secret = tokens.access_token.expose();
    Ok(Answer::Data(Credentials { server_url: &server_url, username: &username, secret }.to_json()))
}

/// `store`: docker hands over what it logged in with. oat keeps its own tokens, so the input is
/// checked as docker-credential-helpers check it and dropped.
fn store() -> anyhow::Result<Answer> {
    wire::stored_server_url(&read_input()?)?;
    Ok(Answer::Nothing)
}

/// `erase` (`docker logout`): the access token of the profile serving the registry is dropped,
/// so the next `get` gets a fresh one; the refresh token stays (`oat logout NAME` ends the login).
fn erase(app: &App) -> anyhow::Result<Answer> {
    let Some(Asked { server_url, name, .. }) = asked(app)? else { return Ok(Answer::NotFound) };
    let forgotten = app
        .with_profile(&name, |ports, profile| refresh::forget_refused(ports, profile, None))
        .with_context(|| format!("dropping the access token of `{name}` for {server_url}"))?;
    if forgotten != refresh::Forgotten::Nothing {
        app.printer.note(&format!(
            "oat: dropped the access token of `{name}`; the next pull gets a fresh one (`oat logout {name}` ends the login)"
        ));
    }
    Ok(Answer::Nothing)
}

/// The registry docker asks about on stdin, and who answers for it.
struct Asked {
    /// The server URL as docker sent it.
    server_url: String,
    /// The profile that serves it.
    name: String,
    /// The user name docker gets with the profile's token.
    username: String,
}

/// Reads the server URL docker sent and chooses the profile; `None` when no profile serves it
/// (or it names no registry oat can serve).
fn asked(app: &App) -> anyhow::Result<Option<Asked>> {
    let server_url = wire::server_url(&read_input()?)?;
    let Ok(registry) = Registry::parse(&server_url) else { return Ok(None) };
    let (config, _) = app.config()?;
    let Some(profile) = serving(&config, &registry)? else { return Ok(None) };
    let (name, username) = (profile.name.to_string(), username(&registry, &profile).to_string());
    Ok(Some(Asked { server_url, name, username }))
}

/// `list`: the registries docker's config.json sends to oat that a profile serves, each with
/// the user name `get` would answer. (docker itself lists only a default `credsStore`.)
fn list(app: &App) -> anyhow::Result<Answer> {
    let (config, _) = app.config()?;
    let (docker, _) = read_docker_config()?;
    let mut entries = BTreeMap::new();
    for (key, helper) in docker.helpers()? {
        let Ok(registry) = Registry::parse(&key) else { continue };
        if helper != wire::HELPER {
            continue;
        }
        if let Ok(Some(profile)) = serving(&config, &registry) {
            entries.insert(key, username(&registry, &profile).to_string());
        }
    }
    Ok(Answer::Data(wire::list_json(&entries)))
}

/// The profile that serves the registry; `None` when none does. Two equally good ones are an
/// error naming both.
fn serving<'a>(config: &'a Config, registry: &Registry) -> anyhow::Result<Option<NamedProfile<'a>>> {
    match config::choose(config.named_profiles(), registry.url()) {
        Ok(choice) => Ok(Some(choice.profile)),
        Err(ChoiceError::NoProfile { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The user name docker gets: the registry's convention, else the profile's `docker_username`,
/// else `oauth2`.
fn username<'a>(registry: &Registry, profile: &NamedProfile<'a>) -> &'a str {
    registry.conventional_username().or(profile.profile.docker_username.as_deref()).unwrap_or(wire::DEFAULT_USERNAME)
}

/// What docker wrote on stdin, up to [`MAX_INPUT`].
fn read_input() -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin().take(MAX_INPUT).read_to_string(&mut text).context("reading what docker sent on stdin")?;
    Ok(text)
}

/// `oat setup docker NAME --registry HOST`: `"credHelpers": {"HOST": "oat"}` in docker's
/// config.json, HOST among the profile's `urls` if no profile serves it yet, and a
/// `docker-credential-oat` on PATH that runs this oat. `--dry-run` prints the config.json.
pub fn setup(app: &App, args: SetupDockerArgs) -> anyhow::Result<()> {
    let registry = Registry::parse(&args.registry).map_err(|e| usage(e.to_string()))?;
    let (mut config, config_path) = app.config()?;
    let name = config.profile(&args.name)?.name.to_string();
    let new_url = match config::choose(config.named_profiles(), registry.url()) {
        Ok(choice) if choice.profile.name == name => {
            app.printer.note(&format!("`{name}` serves {} (its url {}).", registry.url(), choice.matched));
            None
        }
        Ok(choice) => {
            return Err(usage(format!(
                "profile `{}` already serves {} (its url {}), so docker would get its tokens, not those of `{name}`: \
                 run `oat setup docker {} --registry {}`, or remove that url from `{}`",
                choice.profile.name,
                registry.url(),
                choice.matched,
                choice.profile.name,
                registry.key(),
                choice.profile.name
            )));
        }
        Err(ChoiceError::NoProfile { .. }) => Some(ServedUrl::parse(registry.url().as_str())?),
        Err(e) => return Err(e.into()),
    };
    let (mut docker, docker_path) = read_docker_config()?;
    let already = docker.helper(registry.key())?.as_deref() == Some(wire::HELPER);
    let replaced = docker.set_helper(registry.key(), wire::HELPER)?;
    let plan = link::plan();
    let p = &app.printer;
    let key = registry.key();
    if args.dry_run {
        p.data(docker.render().trim_end())?;
        p.note(&format!("(what {} would hold; nothing was written)", docker_path.display()));
        if let Some(url) = &new_url {
            p.note(&format!("would add {url} to the urls of `{name}` in {}", config_path.display()));
        }
        p.note(&plan.describe(true));
        return Ok(());
    }
    if !already {
        write_docker_config(&docker_path, &docker.render())?;
        let instead = replaced.map(|old| format!(" instead of `docker-credential-{old}`")).unwrap_or_default();
        p.note(&format!("docker now asks oat{instead} for {key}'s credentials ({}).", docker_path.display()));
    } else {
        p.note(&format!("docker already asks oat for {key}'s credentials ({}).", docker_path.display()));
    }
    if let Some(url) = new_url {
        if let Some(profile) = config.profiles.get_mut(&name) {
            profile.urls.push(url.clone());
        }
        config.save(&config_path)?;
        p.note(&format!("Added {url} to the urls of `{name}`, so oat answers for {key} with its tokens."));
    }
    let linked = plan.apply()?;
    p.note(&linked);
    p.note(&format!(
        "Next: `docker pull {key}/IMAGE` gets the tokens of `{name}` (log in first with `oat login {name}` if you have not)."
    ));
    Ok(())
}

/// `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`, as docker finds it.
fn docker_config_path() -> anyhow::Result<PathBuf> {
    match std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir).join("config.json")),
        None => Ok(super::base_dirs()?.home_dir().join(".docker").join("config.json")),
    }
}

/// docker's config.json, parsed (empty when there is none), and where it is.
fn read_docker_config() -> anyhow::Result<(DockerConfig, PathBuf)> {
    let path = docker_config_path()?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading docker's {}", path.display())),
    };
    let config = DockerConfig::parse(&text).with_context(|| format!("reading docker's {}", path.display()))?;
    Ok((config, path))
}

/// Replaces config.json atomically. A symlinked config.json is written where it points (as
/// docker does); an existing file keeps its mode, a new one is 0600 in a 0700 directory.
fn write_docker_config(path: &Path, text: &str) -> anyhow::Result<()> {
    let target = match std::fs::read_link(path) {
        Ok(to) => path.parent().map_or(to.clone(), |dir| dir.join(&to)),
        Err(_) => path.to_path_buf(),
    };
    let mode = std::fs::metadata(&target).ok().map(|m| m.permissions());
    crate::private_file::write_atomic(&target, text.as_bytes())
        .and_then(|()| mode.map_or(Ok(()), |mode| std::fs::set_permissions(&target, mode)))
        .with_context(|| format!("writing docker's {}", target.display()))
}

/// For `oat doctor NAME`: `None` when docker's config.json sends no registry that profile
/// `name` serves to oat (docker is not set up for it); else one check that passes when docker
/// can also run `docker-credential-oat` and it is this oat.
pub(super) fn check(config: &Config, name: &str) -> Option<Check> {
    match read_docker_config() {
        Ok((docker, path)) => judge(config, name, &docker, &path, link::found()),
        Err(e) => {
            let fix = "fix or move the file; `oat setup docker NAME --registry HOST` writes it";
            Some(Check::fail("docker", format!("{e:#}"), fix))
        }
    }
}

/// [`check`] on what was read: docker's config.json (at `path`) and the `docker-credential-oat`
/// found on PATH, if any.
fn judge(config: &Config, name: &str, docker: &DockerConfig, path: &Path, found: Option<link::Plan>) -> Option<Check> {
    let registries: Vec<String> = docker
        .helpers()
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, helper)| helper == wire::HELPER)
        .filter(|(key, _)| {
            Registry::parse(key).is_ok_and(|r| serving(config, &r).ok().flatten().is_some_and(|p| p.name == name))
        })
        .map(|(key, _)| key)
        .collect();
    let first = registries.first()?;
    let asks = format!("docker asks oat for {} ({})", registries.join(", "), path.display());
    let fix = |why: String| format!("{why}; `oat setup docker {name} --registry {first}` links it");
    Some(match found {
        Some(link::Plan::Present(at)) => Check::pass("docker", format!("{asks}; {} runs this oat", at.display())),
        Some(other) => Check::fail(
            "docker",
            format!("{asks}, but {} on PATH is not this oat", wire::PROGRAM),
            fix(other.describe(false)),
        ),
        None => Check::fail(
            "docker",
            format!("{asks}, but docker cannot find {} on PATH", wire::PROGRAM),
            fix(format!("docker runs {} from PATH", wire::PROGRAM)),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctor_names_the_registries_docker_sends_to_oat_for_the_profile() {
        let config = Config::parse(
            "[profiles.reg]\nclient_id = \"r\"\nurls = [\"http://127.0.0.1:5000/\", \"https://registry.example/\"]\n\
             [profiles.other]\nclient_id = \"o\"\nurls = [\"https://gcr.io/\"]\n",
            Path::new("config.toml"),
        )
        .unwrap();
        let docker = DockerConfig::parse(
            r#"{"credHelpers": {"127.0.0.1:5000": "oat", "registry.example": "oat", "gcr.io": "oat", "ghcr.io": "oat", "x.example": "gcloud"}}"#,
        )
        .unwrap();
        let path = Path::new("/home/me/.docker/config.json");
        let here = || Some(link::Plan::Present(PathBuf::from("/home/me/bin/docker-credential-oat")));

        let ok = judge(&config, "reg", &docker, path, here()).expect("set up for reg");
        assert!(ok.ok(), "{ok:?}");
        assert_eq!(
            ok.detail,
            "docker asks oat for 127.0.0.1:5000, registry.example (/home/me/.docker/config.json); \
             /home/me/bin/docker-credential-oat runs this oat"
        );
        let other = judge(&config, "other", &docker, path, None).expect("set up for other");
        assert!(!other.ok());
        assert!(
            other.detail.contains("docker asks oat for gcr.io") && other.detail.contains("cannot find"),
            "{other:?}"
        );
        assert!(other.fix.unwrap().contains("oat setup docker other --registry gcr.io"));
        assert!(judge(&config, "reg", &DockerConfig::parse("{}").unwrap(), path, here()).is_none(), "not set up");
        let elsewhere = DockerConfig::parse(r#"{"credHelpers": {"127.0.0.1:5000": "gcloud"}}"#).unwrap();
        assert!(judge(&config, "reg", &elsewhere, path, here()).is_none(), "docker asks another helper");
    }
}
