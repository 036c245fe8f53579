//! `oat profile add|list|show|remove` and `oat discover`.

use super::{App, Session};
use crate::cli::ProfileAddArgs;
use crate::config::{self, ClientAuthMethod, Config, Endpoint, Profile};
use crate::error::usage;
use crate::oauth::discovery::{self, Metadata};
use crate::redact::Secret;
use anyhow::Context as _;
use serde::Serialize;
use std::io::Read;

/// `oat profile add NAME …`
pub fn add(app: &App, args: ProfileAddArgs) -> anyhow::Result<()> {
    let name = args.name.as_str();
    config::check_name(name)?;
    let (mut config, path) = app.config()?;
    if config.profiles.contains_key(name) && !args.force {
        return Err(usage(format!(
            "profile `{name}` already exists; pass --force to replace it, or remove it first with `oat profile remove {name}`"
        )));
    }
    let secret = if args.client_secret_stdin {
        Some(read_secret()?)
    } else {
        None
    };

    let mut profile = Profile {
        client_id: args.client_id.clone(),
        scopes: args.scopes.clone(),
        flow: args.flow,
        pkce: true,
        client_auth: args.client_auth,
        params: args.params.iter().cloned().collect(),
        ..Profile::default()
    };
    if let Some(uri) = &args.redirect_uri {
        check_redirect_uri(uri)?;
        profile.redirect_uri = Some(uri.clone());
    }
    let mut metadata = Metadata::default();
    if let Some(issuer) = &args.issuer {
        let issuer_url = Endpoint::parse(issuer)?;
        let http = app.http();
        let found = discovery::discover(&http, issuer_url.url())
            .with_context(|| format!("discovering the endpoints of `{issuer}`"))?;
        app.printer.note(&format!(
            "Discovered the endpoints of {} from {}.",
            found.metadata.issuer, found.url
        ));
        metadata = found.metadata;
        profile.issuer = Some(metadata.issuer.clone());
    }
    let pick = |flag: &Option<String>,
                found: &Option<String>,
                field: &str|
     -> anyhow::Result<Option<Endpoint>> {
        match flag.as_ref().or(found.as_ref()) {
            Some(url) => Endpoint::parse(url)
                .map(Some)
                .with_context(|| format!("the {field}")),
            None => Ok(None),
        }
    };
    profile.authorization_endpoint = pick(
        &args.auth_url,
        &metadata.authorization_endpoint,
        "authorization endpoint",
    )?;
    profile.token_endpoint = pick(&args.token_url, &metadata.token_endpoint, "token endpoint")?;
    profile.device_authorization_endpoint = pick(
        &args.device_url,
        &metadata.device_authorization_endpoint,
        "device authorization endpoint",
    )?;
    profile.revocation_endpoint = pick(
        &args.revocation_url,
        &metadata.revocation_endpoint,
        "revocation endpoint",
    )?;
    profile.introspection_endpoint = pick(
        &None,
        &metadata.introspection_endpoint,
        "introspection endpoint",
    )?;
    profile.userinfo_endpoint = pick(&None, &metadata.userinfo_endpoint, "userinfo endpoint")?;
    if profile.token_endpoint.is_none() {
        return Err(usage(format!(
            "profile `{name}` needs a token endpoint: pass --issuer URL, or --token-url URL"
        )));
    }
    if profile.authorization_endpoint.is_none() {
        return Err(usage(format!(
            "profile `{name}` needs an authorization endpoint for the authorization-code flow: pass --issuer URL, or --auth-url URL"
        )));
    }
    if secret.is_some() && profile.client_auth.is_none() {
        profile.client_auth = Some(secret_method(
            &metadata.token_endpoint_auth_methods_supported,
        ));
    }
    if profile
        .client_auth
        .is_some_and(ClientAuthMethod::needs_secret)
        && secret.is_none()
    {
        app.printer.warn(&format!(
            "profile `{name}` uses {} but no secret was given; pass --client-secret-stdin, or set OAT_CLIENT_SECRET when using it",
            profile.client_auth.map_or("", ClientAuthMethod::as_str)
        ));
    }

    // The secret first: if the store refuses it, config.toml stays as it was.
    let store = app.store(&config)?;
    match &secret {
        Some(secret) => store.save_client_secret(name, secret)?,
        None if args.force => {
            store.delete_client_secret(name)?;
        }
        None => {}
    }
    let redirect = profile
        .redirect_uri
        .clone()
        .unwrap_or_else(|| "http://127.0.0.1/callback (any port)".into());
    config.profiles.insert(name.to_string(), profile);
    config.save(&path)?;
    let p = &app.printer;
    p.note(&format!("Added profile `{name}` to {}.", path.display()));
    if secret.is_some() {
        p.note(&format!(
            "The client secret is in {}.",
            store.location(&format!("{name}#client-secret"))
        ));
    }
    p.note(&format!(
        "Register this redirect URI at the server: {redirect}. Then run `oat login {name}`."
    ));
    Ok(())
}

/// The client authentication to use with a secret: Basic unless the server lists only POST.
fn secret_method(supported: &[String]) -> ClientAuthMethod {
    let lists = |m: &str| supported.iter().any(|s| s == m);
    if !supported.is_empty() && !lists("client_secret_basic") && lists("client_secret_post") {
        ClientAuthMethod::ClientSecretPost
    } else {
        ClientAuthMethod::ClientSecretBasic
    }
}

/// Reads the client secret from stdin (one line or the whole input, without the newline).
fn read_secret() -> anyhow::Result<Secret<String>> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("reading the client secret from stdin")?;
    let secret = text.trim_end_matches(['\r', '\n']).to_string();
    if secret.is_empty() {
        return Err(usage(
            "--client-secret-stdin got an empty secret; pipe it in, e.g. `printf %s \"$SECRET\" | oat profile add …`",
        ));
    }
    Ok(Secret::new(secret))
}

fn check_redirect_uri(uri: &str) -> anyhow::Result<()> {
    let url = url::Url::parse(uri)
        .map_err(|e| usage(format!("--redirect-uri `{uri}` is not a valid URL: {e}")))?;
    if url.scheme() != "http" || !config::is_loopback(&url) {
        return Err(usage(format!(
            "--redirect-uri `{uri}` must be a loopback http URL such as http://127.0.0.1:8765/callback (RFC 8252 §7.3)"
        )));
    }
    Ok(())
}

/// `oat profile list`
pub fn list(app: &App) -> anyhow::Result<()> {
    let (config, path) = app.config()?;
    let p = &app.printer;
    if p.json {
        let items: Vec<ProfileJson> = config
            .profiles
            .iter()
            .map(|(n, pr)| ProfileJson::new(n, pr))
            .collect();
        p.json(&items)?;
        return Ok(());
    }
    if config.profiles.is_empty() {
        p.note(&format!(
            "No profiles in {}; add one with `oat profile add NAME --issuer URL --client-id ID`.",
            path.display()
        ));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = config
        .profiles
        .iter()
        .map(|(name, pr)| {
            vec![
                name.clone(),
                pr.flow.to_string(),
                pr.client_id.clone(),
                server(pr),
            ]
        })
        .collect();
    p.table(&["PROFILE", "FLOW", "CLIENT ID", "SERVER"], &rows)?;
    Ok(())
}

fn server(profile: &Profile) -> String {
    profile
        .issuer
        .clone()
        .or_else(|| {
            profile
                .token_endpoint
                .as_ref()
                .map(|e| e.url().origin().ascii_serialization())
        })
        .unwrap_or_default()
}

/// `oat profile show NAME`: the profile as TOML (or JSON); a secret in config.toml is masked.
pub fn show(app: &App, name: &str) -> anyhow::Result<()> {
    let (config, _) = app.config()?;
    let mut profile = config.profile(name)?.clone();
    if profile.client_secret.is_some() {
        profile.client_secret = Some(crate::redact::MASK.into());
    }
    let p = &app.printer;
    if p.json {
        p.json(&profile)?;
        return Ok(());
    }
    let mut one = Config::default();
    one.profiles.insert(name.to_string(), profile);
    let text = toml::to_string_pretty(&one).context("formatting the profile")?;
    p.raw(text.as_bytes())?;
    Ok(())
}

/// `oat profile remove NAME`: the stored tokens and secret go first, then the profile.
pub fn remove(app: &App, name: &str) -> anyhow::Result<()> {
    let Session {
        mut config,
        path,
        store,
        ..
    } = app.session()?;
    config.profile(name)?;
    {
        let _lock = store.lock(name)?;
        store.delete_tokens(name)?;
        store.delete_client_secret(name)?;
    }
    config.profiles.remove(name);
    config.save(&path)?;
    app.printer
        .note(&format!("Removed profile `{name}` and its stored secrets."));
    Ok(())
}

/// `oat discover ISSUER`: the metadata document, as served, on stdout.
pub fn discover(app: &App, issuer: &str) -> anyhow::Result<()> {
    let issuer_url = Endpoint::parse(issuer)?;
    let http = app.http();
    let found = discovery::discover(&http, issuer_url.url())
        .with_context(|| format!("discovering `{issuer}`"))?;
    app.printer.note(&format!("Metadata from {}:", found.url));
    app.printer.json(&found.document)?;
    Ok(())
}

#[derive(Serialize)]
struct ProfileJson<'a> {
    name: &'a str,
    flow: String,
    client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_endpoint: Option<String>,
}

impl<'a> ProfileJson<'a> {
    fn new(name: &'a str, profile: &'a Profile) -> Self {
        ProfileJson {
            name,
            flow: profile.flow.to_string(),
            client_id: &profile.client_id,
            issuer: profile.issuer.as_deref(),
            token_endpoint: profile.token_endpoint.as_ref().map(ToString::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_unless_the_server_lists_only_post() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(secret_method(&[]), ClientAuthMethod::ClientSecretBasic);
        assert_eq!(
            secret_method(&s(&["client_secret_post", "client_secret_basic"])),
            ClientAuthMethod::ClientSecretBasic
        );
        assert_eq!(
            secret_method(&s(&["client_secret_post"])),
            ClientAuthMethod::ClientSecretPost
        );
    }
}
