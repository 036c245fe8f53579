//! `config.toml`: the profiles (one registered client at one authorization server each), their
//! schema, defaults and validation, and saving it back atomically. Secrets do not belong here
//! (they live in the store); a `client_secret` written by hand is honoured with a warning.

mod details;
mod endpoint;
mod security;
mod served;

pub use details::{AuthorizationDetails, DetailsError};
pub use endpoint::{Endpoint, EndpointError, Issuer, RedirectUri, RedirectUriError};
pub use security::SecurityProfile;
pub use served::{Choice, ChoiceError, ServedUrl, ServedUrlError, choose};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The whole configuration file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where secrets live unless `OAT_STORE` says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreKind>,
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// Which secret store to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager).
    Keyring,
    /// One JSON file per profile in the data dir (0600), for machines without a keyring.
    File,
}

/// The grant `oat login` runs for a profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Flow {
    /// Authorization code with PKCE through a loopback redirect (RFC 6749 §4.1, RFC 8252).
    #[default]
    AuthorizationCode,
    /// Device authorization grant (RFC 8628), for SSH sessions and containers.
    DeviceCode,
    /// Client credentials (RFC 6749 §4.4), for machines.
    ClientCredentials,
    /// Resource owner password (RFC 6749 §4.3), for old servers and test set-ups.
    Password,
    /// JWT bearer assertion (RFC 7523 §2.1), for service accounts.
    JwtBearer,
}

impl Flow {
    /// The flow's name as written in config.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::AuthorizationCode => "authorization_code",
            Flow::DeviceCode => "device_code",
            Flow::ClientCredentials => "client_credentials",
            Flow::Password => "password",
            Flow::JwtBearer => "jwt_bearer",
        }
    }

    /// Whether a new token is obtained without a person (so no login is ever needed).
    pub fn is_unattended(self) -> bool {
        matches!(self, Flow::ClientCredentials | Flow::JwtBearer)
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the client authenticates at the token endpoint (RFC 6749 §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
    /// A public client: `client_id` in the body, no secret.
    None,
    /// A JWT signed with the client secret, HS256 (OpenID Connect Core §9).
    ClientSecretJwt,
    /// A JWT signed with the client's private key, RS256 or ES256 (OpenID Connect Core §9).
    PrivateKeyJwt,
    /// A TLS client certificate (RFC 8705 §2.1).
    TlsClientAuth,
}

impl ClientAuthMethod {
    /// The method's registered name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuthMethod::ClientSecretBasic => "client_secret_basic",
            ClientAuthMethod::ClientSecretPost => "client_secret_post",
            ClientAuthMethod::None => "none",
            ClientAuthMethod::ClientSecretJwt => "client_secret_jwt",
            ClientAuthMethod::PrivateKeyJwt => "private_key_jwt",
            ClientAuthMethod::TlsClientAuth => "tls_client_auth",
        }
    }

    /// Whether the method needs the client secret.
    pub fn needs_secret(self) -> bool {
        matches!(
            self,
            ClientAuthMethod::ClientSecretBasic
                | ClientAuthMethod::ClientSecretPost
                | ClientAuthMethod::ClientSecretJwt
        )
    }
}

/// One registered client at one authorization server.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The issuer; discovery filled the endpoints from it when the profile was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Issuer>,
    /// Authorization endpoint (RFC 6749 §3.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_endpoint: Option<Endpoint>,
    /// Token endpoint (RFC 6749 §3.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<Endpoint>,
    /// Device authorization endpoint (RFC 8628 §3.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_authorization_endpoint: Option<Endpoint>,
    /// Revocation endpoint (RFC 7009).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<Endpoint>,
    /// Introspection endpoint (RFC 7662).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint: Option<Endpoint>,
    /// OpenID Connect userinfo endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<Endpoint>,
    /// Where the issuer publishes the keys that sign its ID tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<Endpoint>,
    /// The server sends `iss` with every authorization response (RFC 9207), so one without it
    /// is refused.
    #[serde(default, skip_serializing_if = "is_false")]
    pub iss_parameter: bool,
    /// Where authorization requests are pushed (RFC 9126 §5), from the server's metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_authorization_request_endpoint: Option<Endpoint>,
    /// The server accepts authorization requests only through PAR (RFC 9126 §5).
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_pushed_authorization_requests: bool,
    /// Push every authorization request (RFC 9126), whatever the server's metadata says.
    #[serde(default, skip_serializing_if = "is_false")]
    pub par: bool,
    /// Send the authorization request as a request object (RFC 9101) signed with `private_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_object: Option<RequestObject>,
    /// Ask for the authorization response as a signed JWT (JARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_mode: Option<ResponseMode>,
    /// The client identifier.
    pub client_id: String,
    /// A client secret written here by hand (discouraged: prefer the store or `OAT_CLIENT_SECRET`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Scopes requested at login.
    #[serde(default, skip_serializing_if = "Scopes::is_empty")]
    pub scopes: Scopes,
    /// A fixed loopback redirect URI; by default an ephemeral port on 127.0.0.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<RedirectUri>,
    /// The grant `oat login` runs.
    #[serde(default)]
    pub flow: Flow,
    /// PKCE S256 on authorization-code logins (RFC 7636); on unless set to false.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub pkce: bool,
    /// Client authentication at the token endpoint; `client_secret_basic` when a secret exists,
    /// else `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_auth: Option<ClientAuthMethod>,
    /// `audience` parameter for token requests (client credentials, token exchange).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// `resource` indicator for token requests (RFC 8707).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Private key (PEM, or a Google service-account JSON key) for private_key_jwt, the JWT
    /// bearer grant, and the TLS client certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<PathBuf>,
    /// `kid` header of the JWTs signed with `private_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// `sub` of a JWT bearer assertion (the user a service account acts for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Where the JWT bearer grant's assertion comes from (a CI job's ID token, …), instead of
    /// being signed with `private_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_token_from: Option<crate::source::Source>,
    /// Where the client's assertion comes from (a CI job's ID token, …): the client
    /// authenticates with it (RFC 7523 §2.2) wherever it authenticates, read anew each time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_assertion_from: Option<crate::source::Source>,
    /// Extra trusted CA certificates (PEM) for this profile's servers, as `--cacert` gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cacert: Option<PathBuf>,
    /// TLS client certificate (PEM) for tls_client_auth (RFC 8705).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<PathBuf>,
    /// `authorization_details` (RFC 9396) sent with every login and, for unattended grants,
    /// every token request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<AuthorizationDetails>,
    /// The redirect URI is registered as a single-page app (Microsoft Entra): token requests
    /// carry an `Origin` header.
    #[serde(default, skip_serializing_if = "is_false")]
    pub spa: bool,
    /// Sender-constrained tokens (RFC 9449): every token request and API call carries a DPoP
    /// proof signed with the profile's key, kept in the secret store.
    #[serde(default, skip_serializing_if = "is_false")]
    pub dpop: bool,
    /// A security profile the profile must meet (FAPI 2.0), checked before every use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile: Option<SecurityProfile>,
    /// The provider preset the profile was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// Extra parameters for the authorization request.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// URL prefixes this profile's tokens are for: a command given a URL but no profile (the
    /// credential helpers, `oat request URL`, `oat proxy`) takes the longest match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<ServedUrl>,
    /// The user name git is given with the token; by default the host's convention
    /// (`x-access-token` on GitHub, `x-token-auth` on Bitbucket, else `oauth2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_username: Option<String>,
    /// How git sends the token: as a Basic password (default), or as a Bearer credential
    /// where git (2.46 or later) and the server support it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_auth: Option<GitAuth>,
    /// The user name docker is given with the token, where the registry does not set one by
    /// convention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_username: Option<String>,
    /// Where relative paths of `oat request NAME /path` go; `{instance_url}` and `{cloud_id}`
    /// are filled from what the server said at login (Salesforce, Atlassian).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
}

/// How the authorization request is carried in a request object (RFC 9101).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum RequestObject {
    /// A JWT signed with the profile's key (`--key`), RS256 or ES256 as the key is.
    Signed,
}

/// The response mode of an authorization request; only JARM's are a choice oat offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum ResponseMode {
    /// JARM's default for the code flow: the response JWT in the redirect's query.
    #[serde(rename = "jwt")]
    #[value(name = "jwt")]
    Jwt,
    /// JARM with the response JWT in the redirect's query, named explicitly.
    #[serde(rename = "query.jwt")]
    #[value(name = "query.jwt")]
    QueryJwt,
}

impl ResponseMode {
    /// The `response_mode` parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseMode::Jwt => "jwt",
            ResponseMode::QueryJwt => "query.jwt",
        }
    }
}

/// How git presents the token to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum GitAuth {
    /// `Authorization: Basic`, the token as the password: what every git and server know.
    Basic,
    /// `Authorization: Bearer` (git's `authtype` capability, git 2.46 or later).
    Bearer,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Profile {
    /// Every endpoint the profile names.
    pub fn endpoints(&self) -> Vec<(&'static str, &Endpoint)> {
        [
            ("authorization_endpoint", &self.authorization_endpoint),
            ("token_endpoint", &self.token_endpoint),
            ("device_authorization_endpoint", &self.device_authorization_endpoint),
            ("revocation_endpoint", &self.revocation_endpoint),
            ("introspection_endpoint", &self.introspection_endpoint),
            ("userinfo_endpoint", &self.userinfo_endpoint),
        ]
        .into_iter()
        .filter_map(|(name, e)| e.as_ref().map(|e| (name, e)))
        .collect()
    }

    /// Whether the scopes ask for an OpenID Connect login.
    pub fn is_openid(&self, scopes: &Scopes) -> bool {
        scopes.contains("openid")
    }
}

/// Scopes to ask for (RFC 6749 §3.3), in order and without empty entries; a list of strings in
/// config.toml.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `scope` is one of them.
    pub fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }

    /// The scopes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// The `scope` parameter (RFC 6749 §3.3): the scopes separated by spaces, or `None` when
    /// there are none (a request then asks for the server's default).
    pub fn param(&self) -> Option<String> {
        self.joined(" ")
    }

    /// The scopes joined by `separator` (Facebook and Slack document commas), or `None`.
    pub fn joined(&self, separator: &str) -> Option<String> {
        (!self.is_empty()).then(|| self.0.join(separator))
    }
}

impl FromIterator<String> for Scopes {
    fn from_iter<I: IntoIterator<Item = String>>(scopes: I) -> Scopes {
        Scopes(scopes.into_iter().filter(|s| !s.is_empty()).collect())
    }
}

impl From<Vec<String>> for Scopes {
    fn from(scopes: Vec<String>) -> Scopes {
        scopes.into_iter().collect()
    }
}

impl From<Scopes> for Vec<String> {
    fn from(scopes: Scopes) -> Vec<String> {
        scopes.0
    }
}

/// A profile with the name of its `[profiles.NAME]` table: what commands and flows work
/// with, so that every error about the profile can name it. It reads as the [`Profile`] it
/// borrows.
#[derive(Clone, Copy, Debug)]
pub struct NamedProfile<'a> {
    /// The key of the profile's `[profiles.NAME]` table (the name is never written inside it).
    pub name: &'a str,
    /// The profile's settings.
    pub profile: &'a Profile,
}

impl std::ops::Deref for NamedProfile<'_> {
    type Target = Profile;

    fn deref(&self) -> &Profile {
        self.profile
    }
}

impl<'a> NamedProfile<'a> {
    /// The token endpoint, or the error that says how to set it.
    pub fn token_endpoint(&self) -> Result<&'a Endpoint, ConfigError> {
        self.require(self.profile.token_endpoint.as_ref(), "token_endpoint", "--token-url URL (or --issuer URL)")
    }

    /// The authorization endpoint, or the error that says how to set it.
    pub fn authorization_endpoint(&self) -> Result<&'a Endpoint, ConfigError> {
        self.require(
            self.profile.authorization_endpoint.as_ref(),
            "authorization_endpoint",
            "--auth-url URL (or --issuer URL)",
        )
    }

    /// The device authorization endpoint, or the error that says how to set it.
    pub fn device_endpoint(&self) -> Result<&'a Endpoint, ConfigError> {
        self.require(
            self.profile.device_authorization_endpoint.as_ref(),
            "device_authorization_endpoint",
            "--device-url URL (or --issuer URL)",
        )
    }

    /// The revocation endpoint, or the error that says how to set it.
    pub fn revocation_endpoint(&self) -> Result<&'a Endpoint, ConfigError> {
        self.require(
            self.profile.revocation_endpoint.as_ref(),
            "revocation_endpoint",
            "--revocation-url URL (or --issuer URL)",
        )
    }

    /// The introspection endpoint, or the error that says how to set it.
    pub fn introspection_endpoint(&self) -> Result<&'a Endpoint, ConfigError> {
        self.require(
            self.profile.introspection_endpoint.as_ref(),
            "introspection_endpoint",
            "--introspection-url URL (or --issuer URL)",
        )
    }

    /// The userinfo endpoint, or the error that says how to set it.
    pub fn userinfo_endpoint(&self) -> Result<&'a Endpoint, ConfigError> {
        self.require(
            self.profile.userinfo_endpoint.as_ref(),
            "userinfo_endpoint",
            "--userinfo-url URL (or --issuer URL)",
        )
    }

    /// The private key file, or the error that says how to set it.
    pub fn private_key(&self) -> Result<&'a Path, ConfigError> {
        self.require(self.profile.private_key.as_deref(), "private_key", "--key FILE")
    }

    /// `value`, or [`ConfigError::Incomplete`] naming this profile, the field and its flag.
    fn require<T: ?Sized>(
        &self,
        value: Option<&'a T>,
        missing: &'static str,
        fix: &'static str,
    ) -> Result<&'a T, ConfigError> {
        value.ok_or_else(|| ConfigError::Incomplete { profile: self.name.to_string(), missing, fix })
    }

    /// What the profile's flow and client authentication need but the profile lacks, as a
    /// message naming the flag that supplies it.
    pub fn missing(&self) -> Option<String> {
        let need = |what: &str, how: &str| Some(format!("profile `{}` needs {what}: pass {how}", self.name));
        if self.profile.token_endpoint.is_none() {
            return need("a token endpoint", "--issuer URL, or --token-url URL");
        }
        match self.flow {
            Flow::AuthorizationCode if self.profile.authorization_endpoint.is_none() => {
                return need(
                    "an authorization endpoint for the authorization-code flow",
                    "--issuer URL, or --auth-url URL",
                );
            }
            Flow::DeviceCode if self.profile.device_authorization_endpoint.is_none() => {
                return need(
                    "a device authorization endpoint for the device flow",
                    "--issuer URL, or --device-url URL",
                );
            }
            Flow::JwtBearer if self.profile.private_key.is_none() && self.subject_token_from.is_none() => {
                return need(
                    "a private key to sign its assertions, or a token to send as one",
                    "--key FILE, or --subject-token-from SOURCE",
                );
            }
            _ => {}
        }
        if self.subject_token_from.is_some() && self.flow != Flow::JwtBearer {
            return Some(format!(
                "profile `{}`: --subject-token-from is the assertion of --flow jwt_bearer; for a token exchange, run `oat exchange {} --subject-token-from SOURCE`",
                self.name, self.name
            ));
        }
        for (flag, source) in [
            ("--subject-token-from", &self.subject_token_from),
            ("--client-assertion-from", &self.client_assertion_from),
        ] {
            if let Some(crate::source::Source::Profile(other)) = source {
                return Some(format!(
                    "profile `{}`: {flag} takes github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH, not the profile `{other}`",
                    self.name
                ));
            }
        }
        if let Some(unmet) = self.security_profile.and_then(|s| s.unmet(self.profile)) {
            return Some(format!("profile `{}`: {unmet}", self.name));
        }
        if self.request_object.is_some() && self.profile.private_key.is_none() {
            return need("a private key to sign its request objects (--request-object signed)", "--key FILE");
        }
        match self.client_auth {
            Some(ClientAuthMethod::PrivateKeyJwt) if self.profile.private_key.is_none() => {
                need("a private key for private_key_jwt", "--key FILE")
            }
            Some(ClientAuthMethod::TlsClientAuth) if self.profile.client_cert.is_none() => {
                need("a client certificate for tls_client_auth", "--cert FILE --key FILE")
            }
            _ => None,
        }
    }
}

/// Problems with the configuration file or a profile in it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read {}: {error}", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    /// The file is not valid TOML or does not fit the schema.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file cannot be written.
    #[error("cannot write {}: {error}", path.display())]
    Write { path: PathBuf, error: std::io::Error },
    /// A profile name breaks the naming rule.
    #[error("invalid profile name `{0}`: use 1 to 64 of A-Z a-z 0-9 . _ -")]
    BadName(String),
    /// No such profile.
    #[error("no profile named `{name}`{known}; add one with `oat profile add {name} --issuer URL --client-id ID`")]
    UnknownProfile {
        /// The name asked for.
        name: String,
        /// ` (known: a, b)` or empty.
        known: String,
    },
    /// A profile lacks something a command needs.
    #[error("profile `{profile}` has no {missing}; set it with `oat profile add {profile} {fix} --force`")]
    Incomplete {
        /// Profile name.
        profile: String,
        /// The missing field.
        missing: &'static str,
        /// The flag that sets it.
        fix: &'static str,
    },
}

/// Checks a profile name against `[A-Za-z0-9._-]{1,64}`.
pub fn check_name(name: &str) -> Result<(), ConfigError> {
    let ok = (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok { Ok(()) } else { Err(ConfigError::BadName(name.to_string())) }
}

impl Config {
    /// Reads the file at `path`; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::parse(&read(path)?, path)
    }

    /// Parses configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| parse_error(&e, text, path))?;
        for name in config.profiles.keys() {
            check_name(name)?;
        }
        Ok(config)
    }

    /// The profile called `name`, or an error listing the known ones.
    pub fn profile(&self, name: &str) -> Result<NamedProfile<'_>, ConfigError> {
        check_name(name)?;
        match self.profiles.get_key_value(name) {
            Some((name, profile)) => Ok(NamedProfile { name, profile }),
            None => Err(unknown_profile(name, self.profiles.keys())),
        }
    }

    /// Every profile with its name, in name order.
    pub fn named_profiles(&self) -> impl Iterator<Item = NamedProfile<'_>> {
        self.profiles.iter().map(|(name, profile)| NamedProfile { name, profile })
    }

    /// What a command about one profile needs: the `store` setting and profile `name`. The
    /// whole file must be valid TOML, but only this profile is checked against the schema, so
    /// a mistake in another profile does not stop this one (`oat profile list` and `oat doctor`
    /// check them all), and a script's `oat token` does not pay for parsing every profile's URLs.
    pub fn load_profile(path: &Path, name: &str) -> Result<(Option<StoreKind>, Profile), ConfigError> {
        Config::parse_profile(&read(path)?, path, name)
    }

    /// [`Config::load_profile`] on configuration text; `path` is only used in messages.
    pub fn parse_profile(text: &str, path: &Path, name: &str) -> Result<(Option<StoreKind>, Profile), ConfigError> {
        check_name(name)?;
        let one = toml::Deserializer::parse(text)
            .and_then(|d| serde::de::DeserializeSeed::deserialize(OneProfile(name), d))
            .map_err(|e| parse_error(&e, text, path))?;
        for known in &one.names {
            check_name(known)?;
        }
        match one.profile {
            Some(profile) => Ok((one.store, profile)),
            None => Err(unknown_profile(name, &one.names)),
        }
    }

    /// Writes the configuration atomically (temp file + rename), mode 0600, directory 0700.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| ConfigError::Write { path: path.into(), error: std::io::Error::other(e) })?;
        crate::private_file::write_atomic(path, text.as_bytes())
            .map_err(|error| ConfigError::Write { path: path.into(), error })
    }
}

/// The text of the file at `path`; a missing file reads as empty (no profiles).
fn read(path: &Path) -> Result<String, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(error) => Err(ConfigError::Read { path: path.into(), error }),
    }
}

fn parse_error(e: &toml::de::Error, text: &str, path: &Path) -> ConfigError {
    let line = e.span().map_or(1, |span| text[..span.start.min(text.len())].lines().count().max(1));
    ConfigError::Parse { path: path.into(), line, message: e.message().trim().replace('\n', " ") }
}

fn unknown_profile<S: AsRef<str>>(name: &str, names: impl IntoIterator<Item = S>) -> ConfigError {
    let names: Vec<S> = names.into_iter().collect();
    let mut names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    names.sort_unstable();
    let known = if names.is_empty() { String::new() } else { format!(" (known: {})", names.join(", ")) };
    ConfigError::UnknownProfile { name: name.to_string(), known }
}

/// Deserializes config.toml keeping only the `store` setting and one profile (the others are
/// skipped unchecked; their names are kept for messages).
struct OneProfile<'a>(&'a str);

struct OneProfileFound {
    store: Option<StoreKind>,
    profile: Option<Profile>,
    names: Vec<String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for OneProfile<'_> {
    type Value = OneProfileFound;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<OneProfileFound, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for OneProfile<'_> {
    type Value = OneProfileFound;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OneProfileFound, A::Error> {
        let mut found = OneProfileFound { store: None, profile: None, names: Vec::new() };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "store" => found.store = Some(map.next_value()?),
                "profiles" => (found.profile, found.names) = map.next_value_seed(Profiles(self.0))?,
                other => return Err(serde::de::Error::unknown_field(other, &["store", "profiles"])),
            }
        }
        Ok(found)
    }
}

/// The `profiles` table: profile `.0` deserialized, the others skipped.
struct Profiles<'a>(&'a str);

impl<'de> serde::de::DeserializeSeed<'de> for Profiles<'_> {
    type Value = (Option<Profile>, Vec<String>);

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Profiles<'_> {
    type Value = (Option<Profile>, Vec<String>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of profiles")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut profile, mut names) = (None, Vec::new());
        while let Some(name) = map.next_key::<String>()? {
            if name == self.0 {
                profile = Some(map.next_value::<Profile>()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
            names.push(name);
        }
        Ok((profile, names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rule() {
        assert!(check_name("gh").is_ok());
        assert!(check_name("my.app_2-prod").is_ok());
        assert!(check_name(&"a".repeat(64)).is_ok());
        assert!(check_name("").is_err());
        assert!(check_name(&"a".repeat(65)).is_err());
        assert!(check_name("a#client-secret").is_err());
        assert!(check_name("../x").is_err());
    }

    #[test]
    fn a_profile_round_trips_through_toml() {
        let text = r#"
            [profiles.local]
            issuer = "http://127.0.0.1:3000"
            token_endpoint = "http://127.0.0.1:3000/token"
            client_id = "cli"
            scopes = ["openid", "offline_access"]
            [profiles.local.params]
            prompt = "login"
        "#;
        let config = Config::parse(text, Path::new("config.toml")).unwrap();
        let profile = config.profile("local").unwrap();
        assert!(profile.pkce);
        assert_eq!(profile.flow, Flow::AuthorizationCode);
        assert_eq!(profile.params["prompt"], "login");
        let again = Config::parse(&toml::to_string_pretty(&config).unwrap(), Path::new("x")).unwrap();
        assert_eq!(again.profiles["local"].scopes, profile.scopes);
    }

    #[test]
    fn one_profile_loads_alone_and_a_broken_neighbour_does_not_stop_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let text = "store = \"file\"\n\
            [profiles.good]\nclient_id = \"a\"\ntoken_endpoint = \"http://127.0.0.1:1/t\"\nscopes = [\"openid\"]\n\
            [profiles.bad]\nclient_id = \"b\"\ntoken_endpoint = \"http://example.com/t\"\n";
        std::fs::write(&path, text).unwrap();
        let (store, profile) = Config::load_profile(&path, "good").unwrap();
        assert_eq!(store, Some(StoreKind::File));
        let whole =
            "[profiles.good]\nclient_id = \"a\"\ntoken_endpoint = \"http://127.0.0.1:1/t\"\nscopes = [\"openid\"]\n";
        let expected = Config::parse(whole, &path).unwrap();
        assert_eq!(toml::to_string(&profile).unwrap(), toml::to_string(&expected.profiles["good"]).unwrap());
        // The broken profile is reported, with its line, when it is the one asked for.
        let err = Config::load_profile(&path, "bad").unwrap_err().to_string();
        assert!(err.contains(":8:") && err.contains("plain http"), "{err}");
        let err = Config::load_profile(&path, "other").unwrap_err().to_string();
        assert!(err.contains("no profile named `other` (known: bad, good)"), "{err}");
        // Syntax errors anywhere, unknown top-level keys and bad names still stop every command.
        std::fs::write(&path, format!("{text}[profiles.x\n")).unwrap();
        assert!(matches!(Config::load_profile(&path, "good"), Err(ConfigError::Parse { line: 9, .. })));
        std::fs::write(&path, format!("colour = 1\n{text}")).unwrap();
        let err = Config::load_profile(&path, "good").unwrap_err().to_string();
        assert!(err.contains(":1:") && err.contains("colour"), "{err}");
        std::fs::write(&path, format!("{text}[profiles.\"a b\"]\nclient_id = \"c\"\n")).unwrap();
        assert!(matches!(Config::load_profile(&path, "good"), Err(ConfigError::BadName(_))));
        // No file at all: no profiles.
        let err = Config::load_profile(&dir.path().join("none.toml"), "good").unwrap_err().to_string();
        assert!(err.contains("no profile named `good`;"), "{err}");
    }

    #[test]
    fn a_profile_is_named_by_its_table() {
        let text = "[profiles.gh]\nclient_id = \"x\"\n[profiles.gl]\nclient_id = \"y\"\n";
        let config = Config::parse(text, Path::new("c")).unwrap();
        let gh = config.profile("gh").unwrap();
        assert_eq!((gh.name, gh.client_id.as_str()), ("gh", "x"));
        let named: Vec<(&str, &str)> =
            config.named_profiles().map(|p| (p.name, p.profile.client_id.as_str())).collect();
        assert_eq!(named, [("gh", "x"), ("gl", "y")]);
    }

    #[test]
    fn each_accessor_names_the_profile_the_field_and_its_flag() {
        let settings = Profile::default();
        let profile = NamedProfile { name: "gh", profile: &settings };
        let missing = |e: ConfigError| e.to_string();
        let fix = |field: &str, flag: &str| {
            format!("profile `gh` has no {field}; set it with `oat profile add gh {flag} --force`")
        };
        assert_eq!(
            missing(profile.token_endpoint().unwrap_err()),
            fix("token_endpoint", "--token-url URL (or --issuer URL)")
        );
        assert_eq!(
            missing(profile.authorization_endpoint().unwrap_err()),
            fix("authorization_endpoint", "--auth-url URL (or --issuer URL)")
        );
        assert_eq!(
            missing(profile.device_endpoint().unwrap_err()),
            fix("device_authorization_endpoint", "--device-url URL (or --issuer URL)")
        );
        assert_eq!(
            missing(profile.revocation_endpoint().unwrap_err()),
            fix("revocation_endpoint", "--revocation-url URL (or --issuer URL)")
        );
        assert_eq!(
            missing(profile.introspection_endpoint().unwrap_err()),
            fix("introspection_endpoint", "--introspection-url URL (or --issuer URL)")
        );
        assert_eq!(
            missing(profile.userinfo_endpoint().unwrap_err()),
            fix("userinfo_endpoint", "--userinfo-url URL (or --issuer URL)")
        );
        assert_eq!(missing(profile.private_key().unwrap_err()), fix("private_key", "--key FILE"));
        let endpoint = Endpoint::parse("https://as.example/token").unwrap();
        let complete = Profile { token_endpoint: Some(endpoint.clone()), ..Profile::default() };
        assert_eq!(NamedProfile { name: "gh", profile: &complete }.token_endpoint().unwrap(), &endpoint);
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let text = "[profiles.x]\nclient_id = \"a\"\ntoken_endpoint = \"http://example.com/t\"\n";
        let err = Config::parse(text, Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:3:"), "{err}");
        assert!(err.contains("plain http"), "{err}");
        let err = Config::parse("[profiles.x]\nclient_idd = 1\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains("client_idd"), "{err}");
    }

    #[test]
    fn scopes_keep_their_order_and_drop_empty_entries() {
        let scopes: Scopes = ["openid", "", "offline_access"].map(String::from).into_iter().collect();
        assert_eq!(scopes.iter().collect::<Vec<_>>(), ["openid", "offline_access"]);
        assert!(scopes.contains("offline_access") && !scopes.contains(""));
        assert_eq!(scopes.param().as_deref(), Some("openid offline_access"));
        let none = Scopes::from(vec![String::new()]);
        assert!(none.is_empty());
        assert_eq!(none.param(), None, "no scope parameter at all, rather than an empty one");
        let text = "[profiles.x]\nclient_id = \"a\"\nscopes = [\"b\", \"\", \"a\"]\n";
        let config = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(Vec::from(config.profiles["x"].scopes.clone()), ["b", "a"]);
        let text = toml::to_string(&config).unwrap();
        assert!(text.contains("scopes = [\"b\", \"a\"]\n"), "{text}");
        let bare = Config::parse("[profiles.x]\nclient_id = \"a\"\nscopes = []\n", Path::new("c")).unwrap();
        assert!(!toml::to_string(&bare).unwrap().contains("scopes"));
    }

    #[test]
    fn an_issuer_is_checked_where_config_toml_is_read() {
        let text = "[profiles.x]\nclient_id = \"a\"\nissuer = \"http://as.example\"\n";
        let err = Config::parse(text, Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:3:") && err.contains("plain http"), "{err}");
        let text = "[profiles.x]\nissuer = \"https://as.example/\"\nclient_id = \"a\"\nflow = \"authorization_code\"\n";
        let config = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(toml::to_string(&config).unwrap(), text, "written back as it was written");
    }

    #[test]
    fn a_redirect_uri_is_checked_where_config_toml_is_read() {
        let profile = |uri: &str| format!("[profiles.x]\nclient_id = \"a\"\nredirect_uri = \"{uri}\"\n");
        let err = Config::parse(&profile("127.0.0.1:8080"), Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:3: redirect_uri `127.0.0.1:8080` is not a valid URL: "), "{err}");
        let err = Config::parse(&profile("https://app.example/cb"), Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:3: the redirect URI `https://app.example/cb` is not a loopback"), "{err}");
        let config = Config::parse(&profile("http://localhost"), Path::new("c.toml")).unwrap();
        assert!(toml::to_string(&config).unwrap().contains("redirect_uri = \"http://localhost\"\n"));
    }

    #[test]
    fn unknown_profiles_list_the_known_ones() {
        let config = Config::parse("[profiles.a]\nclient_id = \"x\"\n", Path::new("c")).unwrap();
        let err = config.profile("b").unwrap_err().to_string();
        assert!(err.contains("known: a"), "{err}");
    }
}
