//! The command line: clap's derive model of cli.md and the value parsers it needs.
//! Nothing here touches files or the network.

use crate::config::{
    ClientAuthMethod, Flow, GitAuth, RequestObject, ResponseMode, SecurityProfile, ServedUrl, StoreKind,
};
use crate::flow::api::TokenIn;
use crate::http::Method;
use crate::source::Source;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// OAuth 2.0 / OpenID Connect tokens for terminals, shell scripts and CI jobs.
#[derive(Debug, Parser)]
#[command(name = "oat", version, about, max_term_width = 100)]
#[command(after_help = "Exit codes: 0 ok, 1 other error, 2 usage or bad input, 3 login needed, \
4 OAuth error from the server, 5 network/TLS failure or timeout, 6 keyring or storage failure.")]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Show every HTTP exchange on stderr, secrets redacted (-vv: more detail)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Do not redact secrets in -v output (a trace file is redacted all the same)
    #[arg(long, global = true)]
    pub show_secrets: bool,
    /// Machine-readable output on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// Configuration file [default: <config dir>/oat/config.toml]
    #[arg(long, global = true, env = "OAT_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Extra trusted CA certificates (PEM) for HTTPS
    #[arg(long, global = true, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
    /// Longest wait for any one thing: a server's answer (default 30s) or the browser's
    /// redirect during login (default 300s); e.g. 10s, 2m
    #[arg(long, global = true, value_name = "DURATION", value_parser = duration)]
    pub timeout: Option<Duration>,
    /// Where secrets are kept: the OS keyring or 0600 files [default: keyring]
    #[arg(long, global = true, env = "OAT_STORE", value_name = "STORE", hide_possible_values = false)]
    pub store: Option<StoreKind>,
    /// Append every HTTP exchange, redacted, to FILE as a JSON line (read it with `oat trace FILE`);
    /// without it, OAT_TRACE names the file
    #[arg(long, global = true, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, list, show or remove profiles (one registered client at one server each)
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Log in: run the profile's flow in the browser and store the tokens
    Login(LoginArgs),
    /// Revoke the stored tokens where the server supports it, then delete them
    Logout(NameArg),
    /// Print a valid access token, refreshing it first if it is about to expire
    Token(TokenArgs),
    /// Print `Authorization: Bearer <token>` (`DPoP <token>` for a DPoP-bound one; same rules as `token`)
    Header(HeaderArgs),
    /// Print `DPoP: <proof>` for one request with the profile's DPoP-bound token (RFC 9449), for curl
    Proof(ProofArgs),
    /// Call an API with a valid token; on 401 refresh once and retry
    Request(RequestArgs),
    /// Run a command with OAT_ACCESS_TOKEN and OAT_TOKEN_TYPE in its environment
    Exec(ExecArgs),
    /// Refresh the tokens now
    Refresh(NameArg),
    /// Show profiles and the state of their tokens (never the tokens themselves)
    Status(StatusArgs),
    /// Decode a stored token (or with --ci, the CI job's ID token): JWT header and claims, dates, expiry
    Inspect(InspectArgs),
    /// Decode a token given as an argument (or `-` for stdin)
    Decode(DecodeArgs),
    /// Verify a JWT as an API would: signature against the issuer's keys, iss, aud, exp, nbf, iat
    Verify(VerifyArgs),
    /// Ask the server about a stored token (RFC 7662 introspection)
    Introspect(IntrospectArgs),
    /// Revoke a stored token at the server (RFC 7009) and drop it here
    Revoke(RevokeArgs),
    /// Print the OpenID Connect userinfo for the stored token
    Userinfo(NameArg),
    /// Exchange a token for another at the profile's token endpoint (RFC 8693)
    Exchange(ExchangeArgs),
    /// Print an issuer's metadata (OpenID Connect Discovery, then RFC 8414)
    Discover(DiscoverArgs),
    /// Check a set-up end to end: one line per check, with the fix
    Doctor(DoctorArgs),
    /// Check a server's published metadata against RFC 9700 (and FAPI 2.0): one line per check
    Audit(AuditArgs),
    /// See the whole flow against an authorization server built into oat (no account needed)
    Demo(DemoArgs),
    /// git credential helper (gitcredentials(7)); `oat setup git` makes git call it
    GitCredential(GitCredentialArgs),
    /// kubectl exec credential plugin: prints an ExecCredential for the profile
    KubeCredential(KubeCredentialArgs),
    /// docker credential helper (also run as `docker-credential-oat`)
    DockerCredential(DockerCredentialArgs),
    /// Make git, kubectl or docker get their credentials from oat
    #[command(subcommand)]
    Setup(SetupCommand),
    /// A loopback reverse proxy that adds a valid token to every request it forwards
    Proxy(ProxyArgs),
    /// Read a trace file (OAT_TRACE): one line per HTTP exchange (-v: with headers and bodies), or HAR 1.2
    Trace(TraceArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

/// `oat profile …`
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Register a client; with --issuer the endpoints come from discovery
    Add(Box<ProfileAddArgs>),
    /// List profiles
    List,
    /// Show one profile (secrets are never shown)
    Show(NameArg),
    /// Remove a profile with its stored tokens and client secret
    Remove(NameArg),
    /// Which profile serves a URL (the longest of the profiles' --url prefixes), and why
    Which(WhichArgs),
}

/// `oat profile which`
#[derive(Debug, Args)]
pub struct WhichArgs {
    /// The URL
    #[arg(value_parser = served_url_target)]
    pub url: url::Url,
}

/// A profile name.
#[derive(Debug, Args)]
pub struct NameArg {
    /// Profile name
    pub name: String,
}

/// `oat profile add`
#[derive(Debug, Default, Args)]
pub struct ProfileAddArgs {
    /// Profile name: 1 to 64 of A-Z a-z 0-9 . _ -
    #[arg(required_unless_present = "list_presets")]
    pub name: Option<String>,
    /// List the presets, the options each takes and the quirks each handles
    #[arg(long)]
    pub list_presets: bool,
    /// Start from a provider preset (see --list-presets): github, google, microsoft, gitlab,
    /// facebook, okta, auth0, keycloak, slack, atlassian, salesforce, dropbox, discord, spotify, twitch
    #[arg(long, value_name = "PRESET")]
    pub preset: Option<String>,
    /// The preset's server: GitHub Enterprise or GitLab host, Okta or Auth0 domain, Keycloak
    /// URL, Salesforce login|test|MYDOMAIN; for a provider with fixed hosts, a stand-in that
    /// serves all of its paths (a mock server)
    #[arg(long, visible_alias = "domain", value_name = "HOST", requires = "preset")]
    pub host: Option<String>,
    /// Microsoft Entra tenant: common, organizations, consumers or a tenant id [default: common]
    #[arg(long, value_name = "TENANT", requires = "preset")]
    pub tenant: Option<String>,
    /// Keycloak realm
    #[arg(long, value_name = "REALM", requires = "preset")]
    pub realm: Option<String>,
    /// Okta authorization server: org, default or the id of a custom one [default: default]
    #[arg(long, value_name = "ID", requires = "preset")]
    pub authorization_server: Option<String>,
    /// Facebook Graph API version, e.g. v24.0
    #[arg(long, value_name = "VERSION", requires = "preset")]
    pub graph_version: Option<String>,
    /// Where `oat request NAME /path` sends relative paths (a preset sets one); {instance_url}
    /// and {cloud_id} are filled from what the server said at login
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Issuer URL; its discovery document fills the endpoints
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
    /// The client id registered at the server
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Read the client secret from stdin (it goes to the secret store, never to config.toml)
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Scope to request (repeat for several; replaces a preset's scopes)
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// A fixed loopback redirect URI [default: http://127.0.0.1:<ephemeral>/callback]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// The grant `oat login` runs [default: authorization_code]
    #[arg(long, value_enum)]
    pub flow: Option<Flow>,
    /// Authorization endpoint (overrides discovery)
    #[arg(long, value_name = "URL")]
    pub auth_url: Option<String>,
    /// Token endpoint (overrides discovery)
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// Device authorization endpoint (overrides discovery)
    #[arg(long, value_name = "URL")]
    pub device_url: Option<String>,
    /// Revocation endpoint (overrides discovery)
    #[arg(long, value_name = "URL")]
    pub revocation_url: Option<String>,
    /// Introspection endpoint (overrides discovery)
    #[arg(long, value_name = "URL")]
    pub introspection_url: Option<String>,
    /// Userinfo endpoint (overrides discovery)
    #[arg(long, value_name = "URL")]
    pub userinfo_url: Option<String>,
    /// Client authentication at the token endpoint [default: client_secret_basic with a secret, else none]
    #[arg(long, value_enum)]
    pub client_auth: Option<ClientAuthMethod>,
    /// Private key (PEM, or a service-account JSON key) for private_key_jwt, jwt_bearer and --cert
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// `kid` of the JWTs signed with --key
    #[arg(long, value_name = "KID")]
    pub key_id: Option<String>,
    /// TLS client certificate (PEM) for tls_client_auth; its key is --key
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// With --flow jwt_bearer: the assertion is the token from SOURCE instead of one signed
    /// with --key: github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME or file:PATH
    #[arg(long, value_name = "SOURCE", value_parser = SourceParser)]
    pub subject_token_from: Option<Source>,
    /// Authenticate the client with the token from SOURCE as its client assertion (RFC 7523
    /// §2.2; Entra ID federated credentials): github-actions[:AUDIENCE], gitlab:VARNAME,
    /// env:VARNAME or file:PATH, read anew for every request and never stored
    #[arg(long, value_name = "SOURCE", value_parser = SourceParser, conflicts_with_all = ["client_secret_stdin", "client_auth"])]
    pub client_assertion_from: Option<Source>,
    /// `sub` of JWT bearer assertions (the user a service account acts for)
    #[arg(long, value_name = "SUB")]
    pub subject: Option<String>,
    /// `audience` parameter for token requests
    #[arg(long, value_name = "AUD")]
    pub audience: Option<String>,
    /// `resource` indicator for token requests (RFC 8707)
    #[arg(long, value_name = "URI")]
    pub resource: Option<String>,
    /// `authorization_details` to ask for (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file
    #[arg(long, value_name = "JSON|@FILE")]
    pub authorization_details: Option<String>,
    /// The redirect URI is registered as a single-page app (Microsoft): send an Origin header
    #[arg(long)]
    pub spa: bool,
    /// Push every authorization request to the server first (PAR, RFC 9126)
    #[arg(long)]
    pub par: bool,
    /// Send the authorization request as a request object signed with --key (JAR, RFC 9101)
    #[arg(long, value_enum, value_name = "KIND")]
    pub request_object: Option<RequestObject>,
    /// Ask for the authorization response as a signed JWT (JARM), checked before it is used
    #[arg(long, value_enum, value_name = "MODE")]
    pub response_mode: Option<ResponseMode>,
    /// Bind tokens to a key of this profile with DPoP (RFC 9449): every token request and API
    /// call carries a proof; the key is made on the first token request and kept in the store
    #[arg(long)]
    pub dpop: bool,
    /// Meet a security profile: fapi2 (FAPI 2.0) turns on PAR and DPoP (or mTLS-bound tokens
    /// with --cert) and refuses a profile that cannot meet it, naming what is missing
    #[arg(long, value_enum, value_name = "PROFILE")]
    pub security_profile: Option<SecurityProfile>,
    /// Extra authorization request parameter (repeat for several)
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = key_value)]
    pub params: Vec<(String, String)>,
    /// A URL prefix this profile's tokens are for (repeat for several): commands given a URL
    /// but no profile (git and docker helpers, `oat request URL`, `oat proxy`) take the longest match
    #[arg(long = "url", value_name = "URL", value_parser = served_url)]
    pub urls: Vec<ServedUrl>,
    /// The user name git gets with the token [default: by host: x-access-token on GitHub,
    /// x-token-auth on Bitbucket, else oauth2]
    #[arg(long, value_name = "USER")]
    pub git_username: Option<String>,
    /// How git sends the token: basic (as the password) or bearer (git 2.46+) [default: basic]
    #[arg(long, value_enum)]
    pub git_auth: Option<GitAuth>,
    /// The user name docker gets with the token, for registries without a convention
    #[arg(long, value_name = "USER")]
    pub docker_username: Option<String>,
    /// Replace an existing profile of that name
    #[arg(long)]
    pub force: bool,
}

/// `oat login`
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Profile name
    pub name: String,
    /// Run this flow instead of the profile's
    #[arg(long, value_enum)]
    pub flow: Option<Flow>,
    /// Print the URL instead of opening a browser
    #[arg(long)]
    pub no_browser: bool,
    /// Listen for the redirect on this loopback port
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Request these scopes instead of the profile's (repeat for several)
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// User name for the password flow
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,
    /// Read the password for the password flow from stdin (else it is asked on the terminal)
    #[arg(long)]
    pub password_stdin: bool,
    /// Push the authorization request to the server first (PAR, RFC 9126), for this login
    #[arg(long)]
    pub par: bool,
    /// Ask for the authorization response as a signed JWT (JARM), for this login
    #[arg(long, value_enum, value_name = "MODE")]
    pub response_mode: Option<ResponseMode>,
    /// `authorization_details` to ask for in this login instead of the profile's (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file
    #[arg(long, value_name = "JSON|@FILE")]
    pub authorization_details: Option<String>,
}

/// `oat exchange`
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("subject").required(true).args(["subject_token_from", "subject_token_stdin"]))]
pub struct ExchangeArgs {
    /// The profile whose client and token endpoint do the exchange
    pub name: String,
    /// Where the subject token comes from: github-actions[:AUDIENCE] (the job's ID token),
    /// gitlab:VARNAME (an `id_tokens:` variable), env:VARNAME, file:PATH, or profile:NAME (a
    /// valid access token of that profile; a bare NAME means the same)
    #[arg(long, value_name = "SOURCE", value_parser = SourceParser)]
    pub subject_token_from: Option<Source>,
    /// Read the subject token from stdin
    #[arg(long)]
    pub subject_token_stdin: bool,
    /// Type of the subject token: access_token, refresh_token, id_token, jwt, saml1, saml2 or a
    /// URI [default: access_token for a profile's token and stdin, jwt for the other sources]
    #[arg(long, value_name = "TYPE")]
    pub subject_token_type: Option<String>,
    /// Type of token wanted (same names)
    #[arg(long, value_name = "TYPE")]
    pub requested_token_type: Option<String>,
    /// `audience` of the new token
    #[arg(long, value_name = "AUD")]
    pub audience: Option<String>,
    /// `resource` of the new token (RFC 8707)
    #[arg(long, value_name = "URI")]
    pub resource: Option<String>,
    /// Scope of the new token (repeat for several)
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// `authorization_details` for the new token (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file
    #[arg(long, value_name = "JSON|@FILE")]
    pub authorization_details: Option<String>,
}

/// How `oat token` prints the token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TokenFormat {
    /// The token alone
    #[default]
    Raw,
    /// `{"access_token": …, "token_type": …, "expires_at": …}`
    Json,
    /// `Authorization: Bearer <token>`
    Header,
    /// `export OAT_ACCESS_TOKEN=…` lines for POSIX shells
    Env,
}

/// `oat token`
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Profile name
    pub name: String,
    /// Refresh first if the token expires within this many seconds [default: 60, or half the token's lifetime if shorter]
    #[arg(long, value_name = "SECS")]
    pub min_ttl: Option<u64>,
    /// Output format
    #[arg(long, value_enum, default_value_t = TokenFormat::Raw)]
    pub format: TokenFormat,
    /// Log in (opening the browser) when no usable token is stored
    #[arg(long)]
    pub login: bool,
    /// `authorization_details` for a new token of a client-credentials or JWT-bearer profile, printed and not stored (RFC 9396): a JSON array of objects with a `type`; @FILE reads a file
    #[arg(long, value_name = "JSON|@FILE")]
    pub authorization_details: Option<String>,
}

/// `oat header`
#[derive(Debug, Args)]
pub struct HeaderArgs {
    /// Profile name
    pub name: String,
    /// Refresh first if the token expires within this many seconds [default: 60, or half the token's lifetime if shorter]
    #[arg(long, value_name = "SECS")]
    pub min_ttl: Option<u64>,
}

/// `oat proof`
#[derive(Debug, Args)]
pub struct ProofArgs {
    /// Profile name
    pub name: String,
    /// The URL of the request the proof is for (its query and fragment are not part of it)
    #[arg(long, value_name = "URL")]
    pub url: url::Url,
    /// HTTP method of the request
    #[arg(short = 'X', long = "request", value_name = "METHOD", value_parser = method, default_value = "GET")]
    pub method: Method,
    /// A nonce the server gave in `DPoP-Nonce`
    #[arg(long, value_name = "NONCE")]
    pub nonce: Option<String>,
    /// Refresh first if the token expires within this many seconds [default: 60, or half the token's lifetime if shorter]
    #[arg(long, value_name = "SECS")]
    pub min_ttl: Option<u64>,
}

/// `oat request`
#[derive(Debug, Args)]
#[command(override_usage = "oat request [OPTIONS] [NAME] <URL>")]
pub struct RequestArgs {
    /// [NAME] URL: the profile and the URL (https, or http on loopback); without NAME, the
    /// profile whose --url prefixes match the URL longest
    #[arg(value_name = "NAME|URL", num_args = 1..=2, required = true)]
    pub targets: Vec<String>,
    /// HTTP method [default: GET, or POST with a body]
    #[arg(short = 'X', long = "request", value_name = "METHOD", value_parser = method)]
    pub method: Option<Method>,
    /// Request header (repeat for several)
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = header)]
    pub headers: Vec<(String, String)>,
    /// Body, sent as application/x-www-form-urlencoded unless -H says otherwise; @FILE reads a file, @- stdin
    #[arg(short = 'd', long = "data", value_name = "DATA", group = "body")]
    pub data: Option<String>,
    /// JSON body (checked), sent as application/json; @FILE reads a file, @- stdin
    #[arg(long = "data-json", value_name = "JSON", group = "body")]
    pub data_json: Option<String>,
    /// Form field for an application/x-www-form-urlencoded body (repeat for several)
    #[arg(long = "form", value_name = "KEY=VALUE", value_parser = key_value, group = "body")]
    pub form: Vec<(String, String)>,
    /// Where the token goes
    #[arg(long, value_enum, default_value_t = TokenIn::Header)]
    pub token_in: TokenIn,
    /// Print the status line and the response headers before the body
    #[arg(short = 'i', long = "include")]
    pub include: bool,
    /// Refresh first if the token expires within this many seconds [default: 60, or half the token's lifetime if shorter]
    #[arg(long, value_name = "SECS")]
    pub min_ttl: Option<u64>,
}

/// `oat exec`
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Profile name
    pub name: String,
    /// Refresh first if the token expires within this many seconds [default: 60, or half the token's lifetime if shorter]
    #[arg(long, value_name = "SECS")]
    pub min_ttl: Option<u64>,
    /// The command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

/// `oat inspect`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Profile name
    #[arg(required_unless_present = "ci")]
    pub name: Option<String>,
    /// Decode a CI job's own ID token from SOURCE instead (github-actions[:AUDIENCE],
    /// gitlab:VARNAME, env:VARNAME, file:PATH; default github-actions inside GitHub Actions):
    /// its claims, never the token
    #[arg(long, value_name = "SOURCE", num_args = 0..=1, value_parser = SourceParser,
          conflicts_with_all = ["name", "id_token", "refresh_token"])]
    pub ci: Option<Option<Source>>,
    /// The ID token instead of the access token
    #[arg(long, conflicts_with = "refresh_token")]
    pub id_token: bool,
    /// The refresh token instead of the access token
    #[arg(long)]
    pub refresh_token: bool,
    /// Verify the signature against the issuer's keys (JWKS)
    #[arg(long)]
    pub verify: bool,
}

/// `oat decode`
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token, or `-` to read it from stdin
    pub token: String,
    /// Verify the signature against the keys (JWKS) of the issuer named in `iss`
    #[arg(long)]
    pub verify: bool,
}

/// `oat verify`
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The JWT, or `-` to read it from stdin (recommended: other users can see arguments)
    pub token: String,
    /// The issuer the token must name (`iss`); its keys are found through discovery. Without
    /// it the token's own `iss` is used, and not pinned
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
    /// A value the token's `aud` must contain (the API's identifier)
    #[arg(long, value_name = "A")]
    pub audience: Option<String>,
    /// The keys to check the signature with: a JWKS file (a path that exists) or URL, instead
    /// of the issuer's `jwks_uri`
    #[arg(long, value_name = "URL|FILE")]
    pub jwks: Option<String>,
}

/// `oat introspect`
#[derive(Debug, Args)]
pub struct IntrospectArgs {
    /// Profile name
    pub name: String,
    /// The refresh token instead of the access token
    #[arg(long)]
    pub refresh_token: bool,
}

/// `oat revoke`
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// Profile name
    pub name: String,
    /// Revoke the refresh token (usually ends the whole grant)
    #[arg(long)]
    pub refresh_token: bool,
    /// Revoke the access token (the default when neither is given)
    #[arg(long)]
    pub access_token: bool,
}

/// `oat git-credential`
#[derive(Debug, Args)]
pub struct GitCredentialArgs {
    /// What git asks: get, store or erase (any other operation is ignored, as gitcredentials(7)
    /// asks of helpers)
    #[arg(value_parser = GitCredentialActionParser, hide_possible_values = false)]
    pub action: GitCredentialAction,
    /// Answer for this profile instead of the one that serves the URL git asks about
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

/// The operations of git's credential helper protocol (git-credential(1)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GitCredentialAction {
    /// Give git a credential for the URL it names
    Get,
    /// git accepted the credential (oat already keeps it)
    Store,
    /// The server refused the credential
    Erase,
    /// Which optional parts of the protocol oat understands
    Capability,
    /// An operation oat does not know: ignored, so that a later git can add new ones
    Other,
}

/// Parses git's operation: a known one, else [`GitCredentialAction::Other`], never an error.
#[derive(Clone, Copy, Debug)]
struct GitCredentialActionParser;

impl clap::builder::TypedValueParser for GitCredentialActionParser {
    type Value = GitCredentialAction;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<GitCredentialAction, clap::Error> {
        Ok(match value.to_str() {
            Some("get") => GitCredentialAction::Get,
            Some("store") => GitCredentialAction::Store,
            Some("erase") => GitCredentialAction::Erase,
            Some("capability") => GitCredentialAction::Capability,
            _ => GitCredentialAction::Other,
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        use clap::builder::PossibleValue;
        Some(Box::new(
            [
                PossibleValue::new("get").help("Give git a credential for the URL it names"),
                PossibleValue::new("store").help("git accepted the credential (oat already keeps it)"),
                PossibleValue::new("erase").help("The server refused the credential: drop the stored access token"),
                PossibleValue::new("capability").help("Which optional parts of the protocol oat understands"),
            ]
            .into_iter(),
        ))
    }
}

/// `oat kube-credential`
#[derive(Debug, Args)]
pub struct KubeCredentialArgs {
    /// Profile name
    pub name: String,
    /// Which token kubectl gets: id (the default for OpenID Connect profiles) or access
    #[arg(long, value_enum)]
    pub token_kind: Option<TokenKind>,
}

/// Which of a profile's tokens to hand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TokenKind {
    /// The OpenID Connect ID token
    Id,
    /// The access token
    Access,
}

/// `oat docker-credential`
#[derive(Debug, Args)]
pub struct DockerCredentialArgs {
    /// What docker asks: get, store, erase, list or version
    #[arg(value_enum)]
    pub action: DockerCredentialAction,
}

/// The operations of docker's credential helper protocol (docker-credential-helpers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DockerCredentialAction {
    /// Credentials for the registry named on stdin
    Get,
    /// docker hands over credentials (oat keeps its own)
    Store,
    /// docker drops the credentials of a registry
    Erase,
    /// The registries oat serves
    List,
    /// oat's version
    Version,
}

/// `oat setup …`
#[derive(Debug, Subcommand)]
pub enum SetupCommand {
    /// Make git ask oat for credentials (`credential.<url>.helper`)
    Git(SetupGitArgs),
    /// Add an exec credential entry for oat to a kubeconfig
    Kubectl(SetupKubectlArgs),
    /// Make docker ask oat for a registry's credentials (`credHelpers`)
    Docker(SetupDockerArgs),
}

/// `oat setup git`
#[derive(Debug, Args)]
pub struct SetupGitArgs {
    /// Profile name [default: every profile with --url prefixes]
    pub name: Option<String>,
    /// The URL git should ask oat about, e.g. https://github.com/acme/ (a bare host means
    /// https://HOST) [default: the profile's --url prefixes]
    #[arg(long, value_name = "URL")]
    pub host: Option<String>,
    /// Print the `git config --global` commands instead of running them
    #[arg(long)]
    pub dry_run: bool,
}

/// `oat setup kubectl`
#[derive(Debug, Args)]
pub struct SetupKubectlArgs {
    /// Profile name
    pub name: String,
    /// The kubeconfig user to write [default: the profile name]
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// The kubeconfig file [default: kubectl's, $KUBECONFIG or ~/.kube/config]
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Which token kubectl gets (see `oat kube-credential`)
    #[arg(long, value_enum)]
    pub token_kind: Option<TokenKind>,
    /// Print the configuration instead of writing it
    #[arg(long)]
    pub dry_run: bool,
}

/// `oat setup docker`
#[derive(Debug, Args)]
pub struct SetupDockerArgs {
    /// Profile name
    pub name: String,
    /// The registry host (e.g. europe-docker.pkg.dev)
    #[arg(long, value_name = "HOST")]
    pub registry: String,
    /// Print the configuration instead of writing it
    #[arg(long)]
    pub dry_run: bool,
}

/// `oat proxy`
#[derive(Debug, Args)]
pub struct ProxyArgs {
    /// Profile name [default: per request, the profile that serves the upstream URL]
    pub name: Option<String>,
    /// Where requests go (https, or http on loopback)
    #[arg(long, value_name = "URL", value_parser = api_url)]
    pub upstream: url::Url,
    /// The local port [default: a free one, printed at start]
    #[arg(long, value_name = "PORT", default_value_t = 0, hide_default_value = true)]
    pub port: u16,
    /// A web page origin allowed to call the proxy, e.g. http://localhost:3000 (repeat for several)
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = origin)]
    pub allow_origins: Vec<String>,
}

/// `oat doctor`
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check this profile (else every profile)
    pub name: Option<String>,
}

/// `oat demo`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DemoArgs {
    /// `serve`: keep the demo server running instead
    #[command(subcommand)]
    pub action: Option<DemoAction>,
    /// Print the sign-in URL instead of opening a browser
    #[arg(long)]
    pub no_browser: bool,
    /// Approve the sign-in without showing a page (for CI)
    #[arg(long)]
    pub auto_approve: bool,
    /// Bind the demo's tokens to a DPoP key (RFC 9449) and show a DPoP-bound API call
    #[arg(long)]
    pub dpop: bool,
    /// Port of the demo server [default: a free one]
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,
}

/// What `oat demo` does instead of the tour.
#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Keep the demo server running for experiments and scripts (prints its issuer URL)
    Serve(DemoServeArgs),
}

/// `oat demo serve`
#[derive(Debug, Args)]
pub struct DemoServeArgs {
    /// Port [default: a free one]
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,
    /// Approve every sign-in and device code without showing a page
    #[arg(long)]
    pub auto_approve: bool,
    /// Lifetime of access tokens in seconds
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub access_ttl: u64,
    /// Issue tokens of about this many characters (access, refresh and ID token), as large as
    /// real providers' JWTs; for tests of the secret store
    #[arg(long, value_name = "CHARS", hide = true, value_parser = clap::value_parser!(u64).range(43..=65536))]
    pub token_size: Option<u64>,
}

/// `oat status`
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only this profile
    pub name: Option<String>,
}

/// `oat audit`
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Issuer URL, exactly as the server names itself
    pub issuer: String,
    /// Also check the FAPI 2.0 Security Profile's requirements
    #[arg(long)]
    pub fapi2: bool,
}

/// `oat discover`
#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Issuer URL
    pub issuer: String,
}

/// `oat trace`
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The trace file (what OAT_TRACE or --trace named)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write the exchanges as HAR 1.2 to OUT (`-` for stdout), for browser dev tools and HAR viewers
    #[arg(long, value_name = "OUT")]
    pub har: Option<PathBuf>,
}

/// `oat completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Parses the command line. Bad input, and a request for help or the version, come back as
/// clap's error, which `error::report` shows and turns into the exit code.
pub fn parse() -> Result<Cli, clap::Error> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(args) = as_docker_helper(&args) {
        return match docker_helper(&args) {
            Some(cli) => Ok(cli),
            None => Cli::try_parse_from(args),
        };
    }
    match hot_path(&args) {
        Some(cli) => Ok(cli),
        None => Cli::try_parse_from(args),
    }
}

/// When oat runs as `docker-credential-oat` (argv[0]: docker runs `docker-credential-<helper>`
/// from PATH for `"credHelpers": {"HOST": "oat"}`, and `oat setup docker` links that name to
/// oat), its arguments as those of `oat docker-credential …`; `None` for any other name. One
/// comparison of the program's file name, so `oat token` pays nothing measurable for it.
fn as_docker_helper(args: &[std::ffi::OsString]) -> Option<Vec<std::ffi::OsString>> {
    let program = std::path::Path::new(args.first()?);
    let stem = if program.extension().is_some_and(|e| e.eq_ignore_ascii_case("exe")) {
        program.file_stem()?
    } else {
        program.file_name()?
    };
    (stem == crate::credential::docker::PROGRAM)
        .then(|| ["oat", "docker-credential"].map(Into::into).into_iter().chain(args[1..].iter().cloned()).collect())
}

/// `oat docker-credential ACTION` (as [`as_docker_helper`] spells it) without clap, as docker
/// calls it: one action, or `--version`/`-v` as docker-credential-helpers' own programs take
/// it. Anything else is left to clap.
pub fn docker_helper(args: &[std::ffi::OsString]) -> Option<Cli> {
    let [_, _, action] = args else { return None };
    let action = match action.to_str()? {
        "--version" | "-v" => DockerCredentialAction::Version,
        action => DockerCredentialAction::from_str(action, false).ok()?,
    };
    Some(Cli { global: env_global()?, command: Command::DockerCredential(DockerCredentialArgs { action }) })
}

/// `oat token NAME` and `oat header NAME` (with `--min-ttl N` and `--format F`), the commands
/// scripts call in loops, parsed without building clap's model of every command, which costs
/// more than the rest of a cached-token call together. Anything else, including anything
/// unusual in these (another flag, a help request, a bad value), is left to clap, so both
/// parsers agree on everything this one accepts (a test checks that).
pub fn hot_path(args: &[std::ffi::OsString]) -> Option<Cli> {
    let args: Vec<&str> = args.iter().skip(1).map(|a| a.to_str()).collect::<Option<_>>()?;
    let (&command, rest) = args.split_first()?;
    let (&name, mut rest) = rest.split_first()?;
    if name.starts_with('-') || !matches!(command, "token" | "header") {
        return None;
    }
    let mut min_ttl = None;
    let mut format = TokenFormat::Raw;
    while let Some((&flag, tail)) = rest.split_first() {
        let (flag, value, tail) = match flag.split_once('=') {
            Some((flag, value)) => (flag, value, tail),
            None => (flag, *tail.first()?, tail.get(1..)?),
        };
        match (command, flag) {
            (_, "--min-ttl") if value.bytes().all(|b| b.is_ascii_digit()) => min_ttl = Some(value.parse().ok()?),
            ("token", "--format") => format = TokenFormat::from_str(value, false).ok()?,
            _ => return None,
        }
        rest = tail;
    }
    let global = env_global()?;
    let name = name.to_string();
    let command = match command {
        "token" => Command::Token(TokenArgs { name, min_ttl, format, login: false, authorization_details: None }),
        _ => Command::Header(HeaderArgs { name, min_ttl }),
    };
    Some(Cli { global, command })
}

/// The global options as clap would set them with no flags given: only `OAT_CONFIG` and
/// `OAT_STORE` from the environment; `None` when one of them is not valid (clap says why).
fn env_global() -> Option<Global> {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let store = match env("OAT_STORE") {
        Some(kind) => Some(StoreKind::from_str(kind.to_str()?, false).ok()?),
        None => None,
    };
    Some(Global {
        verbose: 0,
        show_secrets: false,
        json: false,
        config: env("OAT_CONFIG").map(PathBuf::from),
        cacert: None,
        timeout: None,
        store,
        trace: None,
    })
}

/// Parses `300`, `300s`, `5m`, `1h30m` into a duration (a bare number is seconds).
pub fn duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(text).map_err(|e| format!("{e} (use e.g. 30, 30s, 5m)"))
}

/// Expands a token type's short name (RFC 8693 §3) to its URI; URIs pass through.
pub fn token_type(name: &str) -> String {
    match name {
        "access_token" | "refresh_token" | "id_token" | "jwt" | "saml1" | "saml2" => {
            format!("urn:ietf:params:oauth:token-type:{name}")
        }
        other => other.to_string(),
    }
}

/// Parses a token source (`github-actions[:AUDIENCE]`, `gitlab:VAR`, `env:VAR`, `file:PATH`,
/// `profile:NAME`). Its error does not repeat the value, as clap's would: a token given where
/// its source goes must not be printed again.
#[derive(Clone, Copy, Debug)]
pub struct SourceParser;

impl clap::builder::TypedValueParser for SourceParser {
    type Value = Source;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Source, clap::Error> {
        let flag = arg.and_then(|a| a.get_long()).unwrap_or("SOURCE");
        let invalid = |message: String| {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, format!("--{flag}: {message}\n")).with_cmd(cmd)
        };
        let text = value.to_str().ok_or_else(|| invalid("not valid UTF-8".into()))?;
        Source::parse(text).map_err(|e| invalid(e.to_string()))
    }
}

/// Parses an API URL: it must parse, and be https (or http on loopback: a token must not
/// travel in clear text to another machine).
pub fn api_url(text: &str) -> Result<url::Url, String> {
    crate::config::Endpoint::parse(text).map(|e| e.url().clone()).map_err(|e| e.to_string())
}

/// Parses a web origin (`scheme://host[:port]`, as a browser sends it in `Origin`), lowercase.
pub fn origin(text: &str) -> Result<String, String> {
    let hint = "give an origin such as http://localhost:3000 (scheme, host and port; no path)";
    let url = url::Url::parse(text.trim()).map_err(|e| format!("{e}; {hint}"))?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none() && url.username().is_empty();
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || !bare || text.trim().ends_with('/') {
        return Err(hint.to_string());
    }
    Ok(url.origin().ascii_serialization())
}

/// Parses a URL prefix a profile serves.
pub fn served_url(text: &str) -> Result<ServedUrl, String> {
    ServedUrl::parse(text).map_err(|e| e.to_string())
}

/// Parses a URL to choose a profile for: an http(s) URL.
pub fn served_url_target(text: &str) -> Result<url::Url, String> {
    served_url(text).map(|s| s.url().clone())
}

/// Parses an HTTP method, in any case, among those an API is called with.
pub fn method(text: &str) -> Result<Method, String> {
    const KNOWN: [Method; 7] =
        [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::OPTIONS];
    KNOWN
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(text))
        .ok_or_else(|| format!("unknown method; use one of {}", KNOWN.map(|m| m.to_string()).join(", ")))
}

/// Parses a `Name: value` header.
pub fn header(text: &str) -> Result<(String, String), String> {
    let Some((name, value)) = text.split_once(':') else {
        return Err("a header needs a colon: write it as 'Name: value'".into());
    };
    let name = name.trim();
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(format!("`{name}` is not a header name"));
    }
    Ok((name.to_string(), value.trim().to_string()))
}

/// Parses `KEY=VALUE`.
pub fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err("expected KEY=VALUE".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_hot_path_agrees_with_clap() {
        let os = |args: &[&str]| args.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let same = [
            vec!["oat", "token", "gh"],
            vec!["oat", "header", "gh"],
            vec!["oat", "token", "my.app_2-prod", "--min-ttl", "300"],
            vec!["oat", "token", "gh", "--min-ttl=0", "--format", "json"],
            vec!["oat", "token", "gh", "--format=env"],
            vec!["oat", "header", "gh", "--min-ttl", "5"],
        ];
        for args in same {
            let fast = hot_path(&os(&args)).unwrap_or_else(|| panic!("{args:?} takes the hot path"));
            let slow = Cli::try_parse_from(os(&args)).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{args:?}");
        }
        let left_to_clap = [
            vec!["oat"],
            vec!["oat", "token"],
            vec!["oat", "token", "--help"],
            vec!["oat", "token", "-v", "gh"],
            vec!["oat", "token", "gh", "-v"],
            vec!["oat", "token", "gh", "--login"],
            vec!["oat", "token", "gh", "--min-ttl", "-1"],
            vec!["oat", "token", "gh", "--min-ttl"],
            vec!["oat", "token", "gh", "--format", "xml"],
            vec!["oat", "header", "gh", "--format", "raw"],
            vec!["oat", "token", "gh", "extra"],
            vec!["oat", "status"],
        ];
        for args in left_to_clap {
            assert!(hot_path(&os(&args)).is_none(), "{args:?}");
        }
    }

    #[test]
    fn run_as_docker_credential_oat_it_is_the_docker_helper() {
        let os = |args: &[&str]| args.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        for (program, action) in [
            ("docker-credential-oat", "get"),
            ("/home/me/.local/bin/docker-credential-oat", "store"),
            ("docker-credential-oat", "erase"),
            ("docker-credential-oat", "list"),
            ("docker-credential-oat", "version"),
            ("docker-credential-oat.EXE", "get"),
        ] {
            let args = as_docker_helper(&os(&[program, action])).unwrap_or_else(|| panic!("{program}"));
            let fast = docker_helper(&args).unwrap_or_else(|| panic!("{program} {action} needs no clap"));
            let slow = Cli::try_parse_from(&args).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{program} {action}");
        }
        let version = docker_helper(&as_docker_helper(&os(&["docker-credential-oat", "--version"])).unwrap());
        assert!(matches!(
            version,
            Some(Cli {
                command: Command::DockerCredential(DockerCredentialArgs { action: DockerCredentialAction::Version }),
                ..
            })
        ));
        for other in ["oat", "/usr/bin/oat", "docker-credential-oat2", "docker-credential-oat.sh"] {
            assert!(as_docker_helper(&os(&[other, "get"])).is_none(), "{other}");
        }
        for left_to_clap in [
            &["docker-credential-oat"][..],
            &["docker-credential-oat", "get", "x"],
            &["docker-credential-oat", "lookup"],
        ] {
            let args = as_docker_helper(&os(left_to_clap)).unwrap();
            assert!(docker_helper(&args).is_none(), "{left_to_clap:?}");
            assert!(Cli::try_parse_from(&args).is_err(), "{left_to_clap:?}");
        }
    }

    #[test]
    fn durations_accept_seconds_and_units() {
        assert_eq!(duration("300").unwrap(), Duration::from_secs(300));
        assert_eq!(duration("300s").unwrap(), Duration::from_secs(300));
        assert_eq!(duration("5m").unwrap(), Duration::from_secs(300));
        assert!(duration("soon").is_err());
    }

    #[test]
    fn request_values_are_checked() {
        assert_eq!(method("patch").unwrap(), "PATCH");
        assert!(method("FETCH").is_err());
        assert_eq!(header("Accept: application/json").unwrap(), ("Accept".into(), "application/json".into()));
        assert_eq!(header("X-Empty:").unwrap(), ("X-Empty".into(), String::new()));
        assert!(header("no colon").is_err());
        assert!(header("bad name: x").is_err());
        assert!(api_url("https://api.example.com/v1").is_ok());
        assert!(api_url("http://127.0.0.1:8080/").is_ok());
        assert!(api_url("http://api.example.com/").is_err());
        assert!(api_url("not a url").is_err());
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(origin("http://LocalHost:3000").unwrap(), "http://localhost:3000");
        assert_eq!(origin("https://app.example").unwrap(), "https://app.example");
        assert_eq!(origin("https://app.example:443").unwrap(), "https://app.example");
        for bad in
            ["null", "*", "localhost:3000", "http://localhost:3000/", "http://x/app", "file:///tmp", "http://u@x"]
        {
            assert!(origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn token_types_expand_short_names() {
        assert_eq!(token_type("access_token"), "urn:ietf:params:oauth:token-type:access_token");
        assert_eq!(token_type("urn:x:custom"), "urn:x:custom");
    }

    #[test]
    fn key_values_split_at_the_first_equals_sign() {
        assert_eq!(key_value("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert_eq!(key_value("prompt=").unwrap(), ("prompt".into(), String::new()));
        assert!(key_value("=x").is_err());
        assert!(key_value("x").is_err());
    }
}
