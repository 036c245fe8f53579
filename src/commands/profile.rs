//! `oat profile add|list|show|remove` and `oat discover`.

use super::prompt::read_stdin_secret;
use super::{App, Session};
use crate::cli::ProfileAddArgs;
use crate::config::{
    self, ClientAuthMethod, Config, Endpoint, Flow, Issuer, NamedProfile, Profile, RedirectUri, RedirectUriError,
};
use crate::error::usage;
use crate::oauth::assertion::SigningKey;
use crate::oauth::discovery::{self, Metadata};
use crate::oauth::mtls::Aliases;
use crate::presets::{self, Opt, Preset, Vars};
use anyhow::Context as _;
use serde::Serialize;
use std::ops::Not as _;
use std::path::{Path, PathBuf};

/// `oat profile add NAME …`: checks what was given, learns what it needs (the preset, the
/// key, the secret, the server's metadata), builds the profile ([`build`]), stores the secret
/// and then config.toml.
pub fn add(app: &App, args: ProfileAddArgs) -> anyhow::Result<()> {
    if args.list_presets {
        return list_presets(app);
    }
    let name = args.name.as_deref().unwrap_or_default();
    config::check_name(name)?;
    let (mut config, path) = app.config()?;
    if config.profiles.contains_key(name) && !args.force {
        return Err(usage(format!(
            "profile `{name}` already exists; pass --force to replace it, or remove it first with `oat profile remove {name}`"
        )));
    }
    let preset = preset(&args)?;
    // A needed option that is missing is reported once the client id is there: without it,
    // what to register comes first.
    let vars = preset.map(|p| preset_vars(p, &args));
    // A key is checked now, so that a bad one is reported here rather than at the first login.
    let key = match &args.key {
        Some(file) => Some(SigningKey::load(file, args.key_id.as_deref())?),
        None => None,
    };
    let Some(client_id) = args.client_id.clone().or_else(|| key.as_ref().and_then(|k| k.account.clone())) else {
        let example = match preset {
            Some(p) => {
                app.printer.note(&registration(p, &args));
                let options: Vec<&str> = p.options.iter().filter(|o| o.needed()).map(|o| o.flag()).collect();
                format!("{} {}", p.name, options.join(" ")).trim_end().to_string()
            }
            None => "github".into(),
        };
        return Err(usage(format!(
            "--client-id is required: the id of the client registered at the server (e.g. `oat profile add {name} --preset {example} --client-id ID`)"
        )));
    };
    let vars = vars.transpose()?;
    let details = super::authorization_details(args.authorization_details.as_deref())?;
    let secret = if args.client_secret_stdin { Some(read_stdin_secret("--client-secret-stdin")?) } else { None };
    let redirect_uri = args.redirect_uri.as_deref().map(redirect_uri_flag).transpose()?;
    let metadata = match &args.issuer {
        Some(issuer) => {
            let issuer = Issuer::parse(issuer)?;
            let found = discovery::discover(&app.http(None), &issuer)
                .with_context(|| format!("discovering the endpoints of `{issuer}`"))?;
            app.printer.note(&format!("Discovered the endpoints of {} from {}.", found.metadata.issuer, found.url));
            found.metadata
        }
        None => preset.zip(vars.as_ref()).map(|(p, vars)| preset_metadata(p, vars)).unwrap_or_default(),
    };
    let known = Known {
        preset,
        metadata,
        client_id,
        redirect_uri,
        secret: secret.is_some(),
        key: key.is_some(),
        files: Files {
            key: args.key.as_deref().map(absolute).transpose()?,
            cert: args.cert.as_deref().map(absolute).transpose()?,
            cacert: app.global.cacert.as_deref().map(absolute).transpose()?,
        },
    };
    let discovered = args.issuer.is_some().then(|| known.metadata.clone());
    let mut profile = build(&args, known)?;
    profile.authorization_details = details;
    if let (Some(p), Some(vars)) = (preset, &vars)
        && args.api_base.is_none()
    {
        profile.api_base = p.api_base.map(|t| presets::fill(t, vars));
    }
    if preset.is_some_and(|p| p.name == "auth0") && profile.audience.is_none() {
        app.printer.note(match profile.flow {
            Flow::ClientCredentials => {
                "Auth0 gives machine-to-machine tokens only for an API: pass --audience with its identifier, or Auth0 refuses every token request."
            }
            _ => {
                "Without --audience, Auth0 issues opaque access tokens, good for /userinfo only; pass --audience with the identifier of your API for JWTs it accepts."
            }
        });
    }
    if profile.flow == Flow::AuthorizationCode {
        // What the profile asks for and the server's metadata does not offer is allowed (the
        // server may not list everything it does), but said now rather than at the first login.
        let named = NamedProfile { name, profile: &profile };
        for check in crate::flow::doctor::check_hardening(&named, discovered.as_ref()) {
            if !check.ok() {
                app.printer.warn(&check.detail);
            }
        }
    }
    if profile.client_auth.is_some_and(ClientAuthMethod::needs_secret) && secret.is_none() {
        app.printer.warn(&format!(
            "profile `{name}` uses {} but no secret was given; pass --client-secret-stdin, or set OAT_CLIENT_SECRET when using it",
            profile.client_auth.map_or("", ClientAuthMethod::as_str)
        ));
    }
    let other_party = config.profiles.get(name).is_some_and(|old| another_party(old, &profile));

    // The secret first: if the store refuses it, config.toml stays as it was.
    let store = app.store(config.store)?;
    match &secret {
        Some(secret) => store.save_client_secret(name, secret)?,
        None if args.force => {
            store.delete_client_secret(name)?;
        }
        None => {}
    }
    let dropped = other_party && {
        let _lock = store.lock(name)?;
        store.delete_tokens(name)?
    };
    let needs_redirect = profile.flow == Flow::AuthorizationCode;
    // Grants without a person get their tokens on demand; there is nothing to log in to.
    let next = match profile.flow {
        Flow::ClientCredentials | Flow::JwtBearer => format!("oat token {name}"),
        Flow::AuthorizationCode | Flow::DeviceCode | Flow::Password => format!("oat login {name}"),
    };
    let redirect = profile
        .redirect_uri
        .as_ref()
        .map_or_else(|| "http://127.0.0.1/callback (any port)".into(), ToString::to_string);
    config.profiles.insert(name.to_string(), profile);
    config.save(&path)?;
    let p = &app.printer;
    p.note(&format!("Added profile `{name}` to {}.", path.display()));
    if dropped {
        p.note(&format!(
            "Dropped the tokens stored for `{name}`: another server or client issued them (revoke them there if they must stop working before they expire)."
        ));
    }
    if secret.is_some() {
        p.note(&format!("The client secret is in {}.", store.location(&format!("{name}#client-secret"))));
    }
    if needs_redirect {
        p.note(&format!("Register this redirect URI at the server: {redirect}."));
    }
    p.note(&format!("Next: `{next}`."));
    Ok(())
}

/// The preset `--preset` names, if any, checked against `--flow`.
fn preset(args: &ProfileAddArgs) -> anyhow::Result<Option<&'static Preset>> {
    let Some(name) = &args.preset else { return Ok(None) };
    let p = presets::find(name)
        .ok_or_else(|| usage(format!("unknown preset `{name}`; use one of: {}", presets::names())))?;
    let flow = args.flow.unwrap_or_default();
    if !p.flows.contains(&flow) {
        let flows: Vec<&str> = p.flows.iter().map(|f| f.as_str()).collect();
        return Err(usage(format!("the {} preset supports --flow {}", p.name, flows.join(", "))));
    }
    let takes = |opt: Opt| p.options.contains(&opt);
    for (given, opt, flag) in [
        (args.tenant.is_some(), Opt::Tenant, "--tenant"),
        (args.realm.is_some(), Opt::Realm, "--realm"),
        (args.authorization_server.is_some(), Opt::AuthorizationServer, "--authorization-server"),
        (args.graph_version.is_some(), Opt::GraphVersion, "--graph-version"),
    ] {
        if given && !takes(opt) {
            let owner =
                presets::PRESETS.iter().filter(|o| o.options.contains(&opt)).map(|o| o.name).collect::<Vec<_>>();
            return Err(usage(format!("{flag} is for the {} preset, not {}", owner.join(", "), p.name)));
        }
    }
    if let Some(version) = &args.graph_version
        && !graph_version(version)
    {
        return Err(usage(format!(
            "--graph-version `{version}` is not a Graph API version; give one such as {}",
            presets::GRAPH_VERSION
        )));
    }
    if let Some(id) = &args.authorization_server
        && (id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Err(usage(format!(
            "--authorization-server `{id}` is not an Okta authorization server: give org, default, or the server's ID (the last part of its issuer URI https://DOMAIN/oauth2/ID)"
        )));
    }
    Ok(Some(p))
}

/// Checks `--host`/`--domain` against what the preset makes of it: a domain is a host, as a
/// path would be doubled in every endpoint (an Okta issuer given as the domain), and a
/// Keycloak server's URL stops before its realms.
fn preset_host(p: &Preset, host: &str) -> anyhow::Result<()> {
    let url = presets::base_url(host);
    let path = url.split_once("://").and_then(|(_, rest)| rest.split_once('/')).map_or("", |(_, path)| path);
    let hint = if p.options.contains(&Opt::Realm) && path.split('/').any(|segment| segment == "realms") {
        "give the server's URL without /realms/REALM, and the realm with --realm REALM"
    } else if !path.is_empty() && p.options.iter().any(|o| matches!(o, Opt::Domain(_))) {
        if p.options.contains(&Opt::AuthorizationServer) && path.starts_with("oauth2") {
            "give the domain alone, and the authorization server with --authorization-server (an issuer https://DOMAIN/oauth2/ID is --domain DOMAIN --authorization-server ID)"
        } else {
            "give the domain alone, without a path"
        }
    } else {
        return Ok(());
    };
    let flag = if p.options.contains(&Opt::Realm) { "--host" } else { "--domain" };
    Err(usage(format!("{flag} `{host}` is not what the {} preset takes: {hint}", p.name)))
}

/// A Graph API version as Facebook writes it: `v` then MAJOR.MINOR.
fn graph_version(text: &str) -> bool {
    text.strip_prefix('v').and_then(|v| v.split_once('.')).is_some_and(|(major, minor)| {
        [major, minor].iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The values a preset's templates are filled with, from its options; a needed option that is
/// missing is a usage error naming it.
fn preset_vars(p: &Preset, args: &ProfileAddArgs) -> anyhow::Result<Vars> {
    for opt in p.options.iter().filter(|o| o.needed()) {
        let given = match opt {
            Opt::Realm => args.realm.is_some(),
            _ => args.host.is_some(),
        };
        if !given {
            let example = p.options.iter().filter(|o| o.needed()).map(|o| o.flag()).collect::<Vec<_>>().join(" ");
            return Err(usage(format!(
                "the {} preset needs {}: e.g. `oat profile add {} --preset {} {example} --client-id ID`",
                p.name,
                opt.flag(),
                args.name.as_deref().unwrap_or("NAME"),
                p.name
            )));
        }
    }
    if let Some(host) = &args.host {
        preset_host(p, host)?;
    }
    let (base, stand_in) = match &args.host {
        Some(host) if p.fixed_hosts => (presets::base_url(host), Some(presets::base_url(host))),
        Some(host) if p.name == "salesforce" => (presets::salesforce_base(host), None),
        Some(host) => (presets::base_url(host), None),
        None => (p.base.to_string(), None),
    };
    let mut pairs = vec![("base", base.clone())];
    if let Some(tenant) = args.tenant.as_deref().or(p.tenant) {
        pairs.push(("tenant", tenant.to_string()));
    }
    if let Some(realm) = &args.realm {
        pairs.push(("realm", realm.clone()));
    }
    if p.options.contains(&Opt::GraphVersion) {
        pairs.push(("version", args.graph_version.clone().unwrap_or_else(|| presets::GRAPH_VERSION.into())));
    }
    if p.options.contains(&Opt::AuthorizationServer) {
        // The org authorization server is the domain itself, its endpoints under /oauth2/v1; a
        // custom one is /oauth2/ID, its endpoints under that.
        let (prefix, issuer) = match args.authorization_server.as_deref().unwrap_or("default") {
            "org" => (format!("{base}/oauth2"), base.clone()),
            id => (format!("{base}/oauth2/{id}"), format!("{base}/oauth2/{id}")),
        };
        pairs.push(("okta", prefix));
        pairs.push(("okta_issuer", issuer));
    }
    let github_api = if args.host.is_some() { format!("{base}/api/v3") } else { "https://api.github.com".into() };
    pairs.push(("github_api", github_api));
    Ok(Vars { pairs, stand_in })
}

/// What `profile add` learned before it builds the profile: everything that took reading a
/// file, the terminal or the network, and the flags checked before any of that was done.
pub(super) struct Known {
    /// The preset, if one was named.
    pub(super) preset: Option<&'static Preset>,
    /// The server's metadata: discovered from `--issuer`, else the preset's endpoints.
    pub(super) metadata: Metadata,
    /// `--client-id`, or the `client_email` of a service-account key.
    pub(super) client_id: String,
    /// `--redirect-uri`, checked before the server is asked anything.
    pub(super) redirect_uri: Option<RedirectUri>,
    /// Whether a client secret was given.
    pub(super) secret: bool,
    /// Whether a private key was given (and loads).
    pub(super) key: bool,
    /// The files the profile names, as absolute paths.
    pub(super) files: Files,
}

/// Absolute paths of the files a profile names, so that it works from any directory.
#[derive(Default)]
pub(super) struct Files {
    /// `--key`.
    pub(super) key: Option<PathBuf>,
    /// `--cert`.
    pub(super) cert: Option<PathBuf>,
    /// `--cacert`.
    pub(super) cacert: Option<PathBuf>,
}

/// The profile `profile add` makes from its arguments and what it learned: explicit URLs win
/// over the server's metadata (or the preset's endpoints); the client authentication is
/// chosen from the credentials given when `--client-auth` is not; a profile that lacks what
/// its flow needs is refused, naming the flag that supplies it.
pub(super) fn build(args: &ProfileAddArgs, known: Known) -> anyhow::Result<Profile> {
    let Known { preset, metadata, client_id, redirect_uri, secret, key, files } = known;
    let flow = args.flow.unwrap_or_default();
    // A client that presents a certificate uses the server's mTLS aliases (RFC 8705 §5).
    let aliases = match &files.cert {
        Some(_) => metadata.mtls_endpoint_aliases.clone().unwrap_or_default(),
        None => Aliases::default(),
    };
    let alias = |alias: &Option<String>, plain: &Option<String>| alias.clone().or_else(|| plain.clone());
    let mut profile = Profile {
        client_id,
        scopes: args.scopes.iter().cloned().collect(),
        flow,
        pkce: true,
        client_auth: args.client_auth,
        audience: args.audience.clone(),
        resource: args.resource.clone(),
        private_key: files.key,
        key_id: args.key_id.clone(),
        subject: args.subject.clone(),
        subject_token_from: args.subject_token_from.clone(),
        client_assertion_from: args.client_assertion_from.clone(),
        client_cert: files.cert,
        cacert: files.cacert,
        spa: args.spa,
        par: args.par,
        request_object: args.request_object,
        response_mode: args.response_mode,
        dpop: args.dpop,
        security_profile: args.security_profile,
        params: args.params.iter().cloned().collect(),
        urls: args.urls.clone(),
        git_username: args.git_username.clone(),
        git_auth: args.git_auth,
        docker_username: args.docker_username.clone(),
        api_base: args.api_base.as_deref().map(api_base_flag).transpose()?,
        ..Profile::default()
    };
    if let Some(p) = preset {
        profile.preset = Some(p.name.to_string());
        if args.scopes.is_empty() {
            profile.scopes = p.scopes.iter().map(|s| s.to_string()).collect();
        }
        for (k, v) in p.params {
            profile.params.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
        // Auth0 issues JWT access tokens for the API named in the authorization request.
        if let Some(audience) = &args.audience
            && p.options.contains(&Opt::Audience)
        {
            profile.params.entry("audience".into()).or_insert_with(|| audience.clone());
        }
        profile.redirect_uri = p.redirect_uri.map(RedirectUri::parse).transpose()?;
    }
    if let Some(uri) = redirect_uri {
        profile.redirect_uri = Some(uri);
    }
    let pick = |flag: &Option<String>, found: &Option<String>, field: &str| -> anyhow::Result<Option<Endpoint>> {
        match flag.as_ref().or(found.as_ref()) {
            Some(url) => Endpoint::parse(url).map(Some).with_context(|| format!("the {field}")),
            None => Ok(None),
        }
    };
    profile.authorization_endpoint = pick(&args.auth_url, &metadata.authorization_endpoint, "authorization endpoint")?;
    let token_endpoint = alias(&aliases.token_endpoint, &metadata.token_endpoint);
    profile.token_endpoint = pick(&args.token_url, &token_endpoint, "token endpoint")?;
    let device_endpoint = alias(&aliases.device_authorization_endpoint, &metadata.device_authorization_endpoint);
    profile.device_authorization_endpoint = pick(&args.device_url, &device_endpoint, "device authorization endpoint")?;
    let revocation_endpoint = alias(&aliases.revocation_endpoint, &metadata.revocation_endpoint);
    profile.revocation_endpoint = pick(&args.revocation_url, &revocation_endpoint, "revocation endpoint")?;
    let introspection_endpoint = alias(&aliases.introspection_endpoint, &metadata.introspection_endpoint);
    profile.introspection_endpoint = pick(&args.introspection_url, &introspection_endpoint, "introspection endpoint")?;
    let userinfo_endpoint = alias(&aliases.userinfo_endpoint, &metadata.userinfo_endpoint);
    profile.userinfo_endpoint = pick(&args.userinfo_url, &userinfo_endpoint, "userinfo endpoint")?;
    profile.jwks_uri = pick(&None, &metadata.jwks_uri, "jwks_uri")?;
    profile.issuer =
        metadata.issuer.is_empty().not().then(|| Issuer::parse(&metadata.issuer)).transpose().context("the issuer")?;
    profile.iss_parameter = metadata.authorization_response_iss_parameter_supported;
    let par_endpoint =
        alias(&aliases.pushed_authorization_request_endpoint, &metadata.pushed_authorization_request_endpoint);
    profile.pushed_authorization_request_endpoint =
        pick(&None, &par_endpoint, "pushed authorization request endpoint")?;
    profile.require_pushed_authorization_requests = metadata.require_pushed_authorization_requests;
    if profile.client_auth.is_none() {
        profile.client_auth = match (secret, &args.cert, key) {
            (true, _, _) => Some(
                preset
                    .map_or_else(|| secret_method(&metadata.token_endpoint_auth_methods_supported), |p| p.secret_auth),
            ),
            (false, Some(_), _) => Some(ClientAuthMethod::TlsClientAuth),
            (false, None, true) if flow != Flow::JwtBearer => Some(ClientAuthMethod::PrivateKeyJwt),
            _ => None,
        };
    }
    if let Some(security) = profile.security_profile {
        security.apply(&mut profile);
    }
    if let Some(missing) =
        (NamedProfile { name: args.name.as_deref().unwrap_or_default(), profile: &profile }).missing()
    {
        return Err(usage(missing));
    }
    Ok(profile)
}

/// Whether a profile replacing `old` talks to another server or as another client, so that
/// the tokens stored for `old` are of no use to it. The server is the issuer where both
/// profiles name one, else the token endpoint.
fn another_party(old: &Profile, new: &Profile) -> bool {
    let same_server = match (&old.issuer, &new.issuer) {
        (Some(was), Some(is)) => was == is,
        _ => old.token_endpoint == new.token_endpoint,
    };
    !same_server || old.client_id != new.client_id
}

/// The endpoints of a preset, with its options filled in.
fn preset_metadata(p: &Preset, vars: &Vars) -> Metadata {
    let fill = |t: &str| presets::fill(t, vars);
    // Multi-tenant Microsoft endpoints issue ID tokens naming the user's own tenant.
    let pinned = p.tenant.is_none() || !vars.get("tenant").is_some_and(|t| presets::MULTI_TENANT.contains(&t));
    Metadata {
        issuer: p.issuer.filter(|_| pinned).map(fill).unwrap_or_default(),
        authorization_endpoint: Some(fill(p.authorization)),
        token_endpoint: Some(fill(p.token)),
        device_authorization_endpoint: p.device.map(fill),
        revocation_endpoint: p.revocation.map(fill),
        introspection_endpoint: p.introspection.map(fill),
        userinfo_endpoint: p.userinfo.map(fill),
        ..Metadata::default()
    }
}

/// What to register at a preset's provider: the options given are filled in, the ones
/// missing are named.
fn registration(p: &Preset, args: &ProfileAddArgs) -> String {
    let mut vars = preset_vars(p, args).unwrap_or_else(|_| Vars {
        pairs: vec![
            (
                "base",
                format!(
                    "https://<your {} {}>",
                    p.name,
                    if p.options.contains(&Opt::Host(true)) { "server" } else { "domain" }
                ),
            ),
            ("realm", args.realm.clone().unwrap_or_else(|| "<realm>".into())),
        ],
        stand_in: None,
    });
    vars.stand_in = None;
    let redirect = p.redirect_uri.unwrap_or("http://127.0.0.1/callback");
    vars.pairs.push(("redirect", redirect.to_string()));
    let what = presets::fill(p.register, &vars);
    let scopes = p.scopes.join(" ");
    let scopes = if scopes.is_empty() { String::new() } else { format!(" Default scopes: {scopes}.") };
    let options: String = p.options.iter().filter(|o| o.needed()).map(|o| format!(" {}", o.flag())).collect();
    format!(
        "To use the {} preset, register {what}{scopes}\nThen: oat profile add {} --preset {}{options} --client-id ID [--client-secret-stdin]",
        p.name,
        args.name.as_deref().unwrap_or("NAME"),
        p.name
    )
}

/// `oat profile add --list-presets`
fn list_presets(app: &App) -> anyhow::Result<()> {
    let p = &app.printer;
    if p.json {
        let items: Vec<serde_json::Value> = presets::PRESETS
            .iter()
            .map(|preset| {
                serde_json::json!({
                    "preset": preset.name,
                    "options": preset.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
                    "handles": preset.summary,
                    "flows": preset.flows.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                    "scopes": preset.scopes,
                })
            })
            .collect();
        return Ok(p.json(&items)?);
    }
    p.table(&["PRESET", "OPTIONS", "HANDLES"], &presets::table())?;
    Ok(())
}

/// A path made absolute, so that the profile works from any directory.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))
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

/// `--api-base`, without a trailing slash: an http(s) URL once `{placeholders}` are filled.
fn api_base_flag(text: &str) -> anyhow::Result<String> {
    let base = text.trim().trim_end_matches('/');
    let filled = base.replace("{instance_url}", "https://instance.example").replace("{cloud_id}", "id");
    crate::cli::api_url(&filled)
        .map_err(|e| usage(format!("--api-base `{text}` is not a URL an API can be called at: {e}")))?;
    Ok(base.to_string())
}

/// `--redirect-uri`, or the usage error that says what it must be.
fn redirect_uri_flag(uri: &str) -> anyhow::Result<RedirectUri> {
    RedirectUri::parse(uri).map_err(|e| match e {
        RedirectUriError::Invalid { reason, .. } => {
            usage(format!("--redirect-uri `{uri}` is not a valid URL: {reason}"))
        }
        RedirectUriError::NotLoopback(_) => usage(format!(
            "--redirect-uri `{uri}` must be a loopback http URL such as http://127.0.0.1:8765/callback (RFC 8252 §7.3), or https://localhost:PORT/… for a server that refuses http (the address the browser is sent to is then pasted)"
        )),
    })
}

/// `oat profile which URL`: the profile's name on stdout; on stderr, the prefix that chose it
/// and the shorter ones it beat.
pub fn which(app: &App, url: &url::Url) -> anyhow::Result<()> {
    let (config, _) = app.config()?;
    let choice = config::choose(config.named_profiles(), url)?;
    let p = &app.printer;
    if p.json {
        let others: Vec<serde_json::Value> = choice
            .others
            .iter()
            .map(|(other, prefix)| serde_json::json!({"profile": other.name, "url": prefix.to_string()}))
            .collect();
        return Ok(p.json(&serde_json::json!({
            "profile": choice.profile.name,
            "url": choice.matched.to_string(),
            "path_segments": choice.depth,
            "shorter_matches": others,
        }))?);
    }
    p.data(choice.profile.name)?;
    let segments = match choice.depth {
        0 => "the whole host".to_string(),
        1 => "1 path segment".to_string(),
        n => format!("{n} path segments"),
    };
    let mut why = format!("`{}` serves {url} through {} ({segments})", choice.profile.name, choice.matched);
    if !choice.others.is_empty() {
        let beaten: Vec<String> = choice.others.iter().map(|(o, u)| format!("`{}` ({u})", o.name)).collect();
        why.push_str(&format!(", longer than the other matches: {}", beaten.join(", ")));
    }
    p.note(&format!("{why}."));
    Ok(())
}

/// `oat profile list`
pub fn list(app: &App) -> anyhow::Result<()> {
    let (config, path) = app.config()?;
    let p = &app.printer;
    if p.json {
        let items: Vec<ProfileJson> = config.named_profiles().map(ProfileJson::new).collect();
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
        .map(|(name, pr)| vec![name.clone(), pr.flow.to_string(), pr.client_id.clone(), server(pr)])
        .collect();
    p.table(&["PROFILE", "FLOW", "CLIENT ID", "SERVER"], &rows)?;
    Ok(())
}

fn server(profile: &Profile) -> String {
    profile
        .issuer
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| profile.token_endpoint.as_ref().map(|e| e.url().origin().ascii_serialization()))
        .unwrap_or_default()
}

/// `oat profile show NAME`: the profile as TOML (or JSON); a secret in config.toml is masked.
pub fn show(app: &App, name: &str) -> anyhow::Result<()> {
    let (config, _) = app.config()?;
    let mut profile = config.profile(name)?.profile.clone();
    if profile.client_secret.is_some() {
        profile.client_secret = Some(crate::redact::MASK.into());
    }
    // What the server said at login about where its API is (Salesforce's instance URL,
    // Atlassian's cloud id): best effort, as a store that cannot be read hides nothing here.
    let values = app
        .store(config.store)
        .ok()
        .and_then(|store| store.tokens(name).ok().flatten())
        .map(|tokens| tokens.api_values)
        .unwrap_or_default();
    let api = profile
        .api_base
        .as_ref()
        .map(|base| values.iter().fold(base.clone(), |base, (key, value)| base.replace(&format!("{{{key}}}"), value)));
    let p = &app.printer;
    if p.json {
        let mut json = serde_json::to_value(&profile).context("formatting the profile")?;
        if let Some(object) = json.as_object_mut() {
            if !values.is_empty() {
                object.insert("api_values".into(), serde_json::json!(values));
            }
            if let Some(api) = &api {
                object.insert("api".into(), serde_json::json!(api));
            }
        }
        p.json(&json)?;
        return Ok(());
    }
    let mut one = Config::default();
    one.profiles.insert(name.to_string(), profile);
    let mut text = toml::to_string_pretty(&one).context("formatting the profile")?;
    if !values.is_empty() {
        text.push_str("\n# From the server at the last login:\n");
        for (key, value) in &values {
            text.push_str(&format!("# {key} = {value}\n"));
        }
    }
    if let Some(api) = api.filter(|a| !a.contains('{')) {
        text.push_str(&format!("# `oat request {name} /path` calls {api}/path\n"));
    }
    p.raw(text.as_bytes())?;
    Ok(())
}

/// `oat profile remove NAME`: the stored tokens and secret go first, then the profile.
pub fn remove(app: &App, name: &str) -> anyhow::Result<()> {
    let Session { mut config, path, store, .. } = app.session()?;
    config.profile(name)?;
    {
        let _lock = store.lock(name)?;
        store.delete_tokens(name)?;
        store.delete_client_secret(name)?;
        store.delete_dpop_key(name)?;
    }
    config.profiles.remove(name);
    config.save(&path)?;
    app.printer.note(&format!("Removed profile `{name}` and its stored secrets."));
    Ok(())
}

/// `oat discover ISSUER`: the metadata document, as served, on stdout.
pub fn discover(app: &App, issuer: &str) -> anyhow::Result<()> {
    let issuer = Issuer::parse(issuer)?;
    let http = app.http(None);
    let found = discovery::discover(&http, &issuer).with_context(|| format!("discovering `{issuer}`"))?;
    let offered = crate::flow::doctor::feature::offered(&found.metadata);
    if !offered.is_empty() {
        app.printer.note(&format!("The server offers: {}.", offered.join("; ")));
    }
    app.printer.note(&format!("Metadata from {}:", found.url));
    app.printer.json(&found.document)?;
    for line in hardening(&found.metadata) {
        app.printer.note(&line);
    }
    app.printer.note(if discovery::supports_dpop(&found.document) {
        "DPoP (RFC 9449): supported with ES256 proofs; `oat profile add … --dpop` binds a profile's tokens to a key."
    } else {
        "DPoP (RFC 9449): not advertised (no ES256 in dpop_signing_alg_values_supported)."
    });
    Ok(())
}

/// What the server offers of PAR, request objects and JARM, one line each.
fn hardening(m: &Metadata) -> [String; 3] {
    let list = |items: &[String]| items.join(", ");
    let par = match (&m.pushed_authorization_request_endpoint, m.require_pushed_authorization_requests) {
        (Some(url), true) => format!("PAR (RFC 9126): required, at {url}"),
        (Some(url), false) => format!("PAR (RFC 9126): offered at {url} (use with --par)"),
        (None, _) => "PAR (RFC 9126): not offered".to_string(),
    };
    let jar = match m.request_object_signing_alg_values_supported.as_slice() {
        [] => "request objects (JAR, RFC 9101): not offered".to_string(),
        algs => format!(
            "request objects (JAR, RFC 9101): signed with {} (use with --request-object signed --key FILE)",
            list(algs)
        ),
    };
    let modes: Vec<String> = m.response_modes_supported.iter().filter(|r| r.ends_with("jwt")).cloned().collect();
    let jarm = match (modes.as_slice(), m.authorization_signing_alg_values_supported.as_slice()) {
        ([], _) => "JWT responses (JARM): not offered".to_string(),
        (modes, []) => format!("JWT responses (JARM): {} (use with --response-mode jwt)", list(modes)),
        (modes, algs) => {
            format!("JWT responses (JARM): {}, signed with {} (use with --response-mode jwt)", list(modes), list(algs))
        }
    };
    [par, jar, jarm]
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
    fn new(named: NamedProfile<'a>) -> Self {
        let profile = named.profile;
        ProfileJson {
            name: named.name,
            flow: profile.flow.to_string(),
            client_id: &profile.client_id,
            issuer: profile.issuer.as_ref().map(Issuer::as_str),
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
        assert_eq!(secret_method(&s(&["client_secret_post"])), ClientAuthMethod::ClientSecretPost);
    }

    /// `oat profile add ARGS…` as clap parses it.
    fn args(line: &str) -> ProfileAddArgs {
        let words = ["oat", "profile", "add"].into_iter().chain(line.split_whitespace());
        match <crate::cli::Cli as clap::Parser>::try_parse_from(words).map(|cli| cli.command) {
            Ok(crate::cli::Command::Profile(crate::cli::ProfileCommand::Add(args))) => *args,
            other => panic!("not a profile add: {other:?}"),
        }
    }

    fn known(preset: Option<&'static Preset>, metadata: Metadata, secret: bool) -> Known {
        Known {
            preset,
            metadata,
            client_id: "app".into(),
            redirect_uri: None,
            secret,
            key: false,
            files: Files::default(),
        }
    }

    fn discovered() -> Metadata {
        Metadata {
            issuer: "https://id.example".into(),
            authorization_endpoint: Some("https://id.example/auth".into()),
            token_endpoint: Some("https://id.example/token".into()),
            jwks_uri: Some("https://id.example/jwks".into()),
            authorization_response_iss_parameter_supported: true,
            token_endpoint_auth_methods_supported: vec!["client_secret_post".into()],
            ..Metadata::default()
        }
    }

    #[test]
    fn discovered_metadata_fills_the_profile_and_explicit_urls_win() {
        let a = args("work --issuer https://id.example --client-id app --token-url https://other.example/token");
        let profile = build(&a, known(None, discovered(), true)).unwrap();
        assert_eq!(profile.issuer.as_ref().map(Issuer::as_str), Some("https://id.example"));
        assert_eq!(profile.authorization_endpoint.unwrap().to_string(), "https://id.example/auth");
        assert_eq!(profile.token_endpoint.unwrap().to_string(), "https://other.example/token");
        assert_eq!(profile.jwks_uri.unwrap().to_string(), "https://id.example/jwks");
        assert!(profile.iss_parameter);
        // A secret, and a server that takes it only in the body.
        assert_eq!(profile.client_auth, Some(ClientAuthMethod::ClientSecretPost));
        assert_eq!(profile.flow, Flow::AuthorizationCode);
        assert!(profile.pkce);
    }

    #[test]
    fn a_client_with_a_certificate_uses_the_servers_mtls_aliases() {
        let metadata = Metadata {
            introspection_endpoint: Some("https://id.example/introspect".into()),
            mtls_endpoint_aliases: Some(Aliases {
                token_endpoint: Some("https://mtls.id.example/token".into()),
                userinfo_endpoint: Some("https://mtls.id.example/me".into()),
                ..Aliases::default()
            }),
            ..discovered()
        };
        let cert = Files { cert: Some("/c.pem".into()), key: Some("/k.pem".into()), ..Files::default() };
        let a = args("m --issuer https://id.example --client-id app --cert /c.pem --key /k.pem");
        let profile = build(&a, Known { key: true, files: cert, ..known(None, metadata.clone(), false) }).unwrap();
        assert_eq!(profile.token_endpoint.unwrap().to_string(), "https://mtls.id.example/token");
        assert_eq!(profile.userinfo_endpoint.unwrap().to_string(), "https://mtls.id.example/me");
        assert_eq!(profile.introspection_endpoint.unwrap().to_string(), "https://id.example/introspect", "no alias");
        assert_eq!(profile.authorization_endpoint.unwrap().to_string(), "https://id.example/auth", "never aliased");
        // Without a certificate the plain endpoints; an explicit URL wins over an alias.
        let plain = build(&args("p --issuer https://id.example --client-id app"), known(None, metadata.clone(), false));
        assert_eq!(plain.unwrap().token_endpoint.unwrap().to_string(), "https://id.example/token");
        let cert = Files { cert: Some("/c.pem".into()), key: Some("/k.pem".into()), ..Files::default() };
        let a = args(
            "m --issuer https://id.example --client-id app --cert /c.pem --key /k.pem --token-url https://x.example/t",
        );
        let profile = build(&a, Known { key: true, files: cert, ..known(None, metadata, false) }).unwrap();
        assert_eq!(profile.token_endpoint.unwrap().to_string(), "https://x.example/t");
    }

    #[test]
    fn a_preset_gives_endpoints_scopes_parameters_and_its_secret_method() {
        let a = args("gh --preset github --client-id app");
        let p = preset(&a).unwrap().unwrap();
        let profile = build(&a, known(Some(p), preset_metadata(p, &preset_vars(p, &a).unwrap()), true)).unwrap();
        assert_eq!(profile.preset.as_deref(), Some("github"));
        assert_eq!(profile.token_endpoint.unwrap().to_string(), "https://github.com/login/oauth/access_token");
        assert_eq!(Vec::from(profile.scopes), p.scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(profile.client_auth, Some(p.secret_auth));
        let a = args("gh --preset github --client-id app --scope repo");
        assert_eq!(
            Vec::from(
                build(&a, known(Some(p), preset_metadata(p, &preset_vars(p, &a).unwrap()), false)).unwrap().scopes
            ),
            ["repo"]
        );
    }

    #[test]
    fn the_client_authentication_follows_the_credentials_given() {
        let base = "m --issuer https://id.example --client-id app --flow client_credentials";
        let key = || Files { key: Some("/k.pem".into()), ..Files::default() };
        let with = |files: Files| Known { key: files.key.is_some(), files, ..known(None, discovered(), false) };
        let cert = Files { cert: Some("/c.pem".into()), ..key() };
        let tls = build(&args(&format!("{base} --cert c.pem --key k.pem")), with(cert)).unwrap();
        assert_eq!(tls.client_auth, Some(ClientAuthMethod::TlsClientAuth));
        let signed = build(&args(&format!("{base} --key k.pem")), with(key())).unwrap();
        assert_eq!(signed.client_auth, Some(ClientAuthMethod::PrivateKeyJwt));
        // A JWT bearer grant's key signs the grant, not the client.
        let bearer = build(&args("s --issuer https://id.example --client-id app --flow jwt_bearer"), with(key()));
        assert_eq!(bearer.unwrap().client_auth, None);
        assert_eq!(build(&args(base), known(None, discovered(), false)).unwrap().client_auth, None);
        let chosen = build(&args(&format!("{base} --client-auth client_secret_jwt")), known(None, discovered(), true));
        assert_eq!(chosen.unwrap().client_auth, Some(ClientAuthMethod::ClientSecretJwt));
    }

    #[test]
    fn what_the_flow_needs_is_named_with_its_flag() {
        let a = args("d --client-id app --token-url https://id.example/token --flow device_code");
        let err = build(&a, known(None, Metadata::default(), false)).unwrap_err().to_string();
        assert_eq!(
            err,
            "profile `d` needs a device authorization endpoint for the device flow: pass --issuer URL, or --device-url URL"
        );
        let err = build(&args("x --client-id app"), known(None, Metadata::default(), false)).unwrap_err();
        assert!(err.to_string().contains("needs a token endpoint"), "{err}");
        let plain = args("p --client-id app --token-url http://id.example/token --auth-url https://id.example/a");
        let err = build(&plain, known(None, Metadata::default(), false)).unwrap_err();
        assert!(format!("{err:#}").starts_with("the token endpoint:"), "{err:#}");
    }

    #[test]
    fn tokens_belong_to_one_server_and_one_client() {
        let a = args("w --issuer https://id.example --client-id app");
        let old = build(&a, known(None, discovered(), false)).unwrap();
        let mut new = old.clone();
        new.issuer = Issuer::parse("https://id.example/").ok();
        new.scopes = vec!["email".to_string()].into();
        assert!(!another_party(&old, &new), "a trailing slash or other scopes: the same party");
        new.client_id = "other-app".into();
        assert!(another_party(&old, &new));
        let mut elsewhere = old.clone();
        elsewhere.issuer = Issuer::parse("https://other.example").ok();
        assert!(another_party(&old, &elsewhere));
        let (mut a, mut b) = (old.clone(), old);
        (a.issuer, b.issuer) = (None, None);
        b.token_endpoint = Some(Endpoint::parse("https://id.example/token2").unwrap());
        assert!(another_party(&a, &b), "without issuers, the token endpoint tells");
    }

    #[test]
    fn okta_auth0_and_keycloak_take_a_host_without_the_issuers_path() {
        let message = |line: &str| {
            let a = args(line);
            let p = preset(&a).and_then(|p| preset_vars(p.unwrap(), &a));
            p.err().map(|e| e.to_string())
        };
        for fine in [
            "o --preset okta --domain dev-1.okta.com",
            "o --preset okta --domain https://dev-1.okta.com/ --authorization-server aus1a2B3",
            "a --preset auth0 --domain http://127.0.0.1:8080",
            "k --preset keycloak --host https://sso.example.com/auth --realm dev",
        ] {
            assert_eq!(message(fine), None, "{fine}");
        }
        let refused = message("o --preset okta --domain dev-1.okta.com/oauth2/default").unwrap();
        assert!(refused.contains("is --domain DOMAIN --authorization-server ID"), "{refused}");
        let refused = message("a --preset auth0 --domain https://acme.auth0.com/authorize").unwrap();
        assert!(refused.ends_with("the auth0 preset takes: give the domain alone, without a path"), "{refused}");
        let refused = message("k --preset keycloak --host https://sso.example.com/realms/dev --realm dev").unwrap();
        assert!(refused.starts_with("--host `https://sso.example.com/realms/dev` is not"), "{refused}");
        for bad in ["../x", "https://dev-1.okta.com/oauth2/default", "a-b"] {
            let refused =
                message(&format!("o --preset okta --domain d.okta.com --authorization-server {bad}")).unwrap();
            assert!(refused.contains("is not an Okta authorization server: give org, default, or"), "{refused}");
        }
    }
}
