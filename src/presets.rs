//! Provider presets: data only. Each carries the provider's endpoints (templates with `{base}`
//! for the host `--host`/`--domain` names and the placeholders of the options it takes), the
//! default scopes and parameters, the flows it supports, the API base `oat request NAME /path`
//! resolves against, and what to register there. Quirks that need code are named by a
//! [`Quirk`], which the protocol code in `oauth/` and `flow/` matches on; the rest is said in
//! the comments.

use crate::config::{ClientAuthMethod, Flow};

/// A provider preset.
#[derive(Debug)]
pub struct Preset {
    /// `--preset` name.
    pub name: &'static str,
    /// One line on what the preset handles, for `--list-presets`.
    pub summary: &'static str,
    /// The options it takes, and whether each is needed.
    pub options: &'static [Opt],
    /// `https://host` when no `--host`/`--domain` is given (`{base}`); empty when one is needed.
    pub base: &'static str,
    /// The provider's hosts are its own (no self-hosted or regional ones): `--host` then names a
    /// stand-in that serves every path of every one of them (a mock server, a gateway).
    pub fixed_hosts: bool,
    /// Tenant when no `--tenant` is given (`{tenant}`).
    pub tenant: Option<&'static str>,
    /// Issuer, when ID tokens carry a fixed one.
    pub issuer: Option<&'static str>,
    /// Authorization endpoint.
    pub authorization: &'static str,
    /// Token endpoint.
    pub token: &'static str,
    /// Device authorization endpoint.
    pub device: Option<&'static str>,
    /// Revocation endpoint (RFC 7009), where there is one.
    pub revocation: Option<&'static str>,
    /// Introspection endpoint (RFC 7662), where there is one.
    pub introspection: Option<&'static str>,
    /// Userinfo endpoint.
    pub userinfo: Option<&'static str>,
    /// The API base relative `oat request` paths resolve against; `{instance_url}` and
    /// `{cloud_id}` are filled from what the server said at login.
    pub api_base: Option<&'static str>,
    /// Default scopes.
    pub scopes: &'static [&'static str],
    /// How scopes are sent in the authorization request.
    pub scope_style: ScopeStyle,
    /// Extra authorization parameters.
    pub params: &'static [(&'static str, &'static str)],
    /// Flows the provider supports.
    pub flows: &'static [Flow],
    /// Client authentication to use with a secret.
    pub secret_auth: ClientAuthMethod,
    /// A redirect URI the provider needs fixed; else any loopback port.
    pub redirect_uri: Option<&'static str>,
    /// What to register at the provider (`{base}`, `{redirect}` and the options filled in).
    pub register: &'static str,
    /// The quirk the protocol code handles for it, if any.
    pub quirk: Option<Quirk>,
}

/// An option a preset takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opt {
    /// `--host HOST` (or `--domain`), needed when `true`.
    Host(bool),
    /// `--domain DOMAIN` (or `--host`), needed when `true`.
    Domain(bool),
    /// `--tenant TENANT`.
    Tenant,
    /// `--realm REALM`, needed.
    Realm,
    /// `--authorization-server org|default|ID`.
    AuthorizationServer,
    /// `--graph-version vNN.N`.
    GraphVersion,
    /// `--audience AUD`, also sent in the authorization request.
    Audience,
}

impl Opt {
    /// The flag as `--list-presets` and messages show it.
    pub fn flag(self) -> &'static str {
        match self {
            Opt::Host(_) => "--host HOST",
            Opt::Domain(_) => "--domain DOMAIN",
            Opt::Tenant => "--tenant TENANT",
            Opt::Realm => "--realm REALM",
            Opt::AuthorizationServer => "--authorization-server org|default|ID",
            Opt::GraphVersion => "--graph-version vNN.N",
            Opt::Audience => "--audience API",
        }
    }

    /// Whether a profile cannot be made without it.
    pub fn needed(self) -> bool {
        matches!(self, Opt::Host(true) | Opt::Domain(true) | Opt::Realm)
    }
}

/// How scopes go into the authorization request: the parameter's name and the separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeStyle {
    /// The parameter (`scope`; Slack's user scopes go in `user_scope`).
    pub name: &'static str,
    /// What separates them (a space, RFC 6749 §3.3; Facebook and Slack document commas).
    pub separator: &'static str,
}

impl ScopeStyle {
    /// RFC 6749 §3.3.
    pub const STANDARD: ScopeStyle = ScopeStyle { name: "scope", separator: " " };
}

/// A provider's departure from the RFCs that takes code, not data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quirk {
    /// No refresh tokens: the login's short-lived token is exchanged at once for a long-lived
    /// one (`grant_type=fb_exchange_token`); device login speaks its own dialect
    /// (`/device/login`, `/device/login_status`, `access_token=APP_ID|CLIENT_TOKEN`).
    Facebook,
    /// `oauth.v2.access`: the user token comes under `authed_user`.
    Slack,
    /// The API base needs the site's cloud id, from `accessible-resources` after the login.
    Atlassian,
    /// `instance_url` in the token answer is the API base.
    Salesforce,
    /// API calls carry a `Client-Id` header; the device flow names its parameter `scopes`.
    Twitch,
}

/// Microsoft tenants that are not one directory: their ID tokens name the user's own tenant.
pub const MULTI_TENANT: &[&str] = &["common", "organizations", "consumers"];

/// The Graph API version the facebook preset uses unless `--graph-version` says otherwise.
pub const GRAPH_VERSION: &str = "v24.0";

/// A preset with nothing set, for the entries below to fill in.
const NONE: Preset = Preset {
    name: "",
    summary: "",
    options: &[],
    base: "",
    fixed_hosts: false,
    tenant: None,
    issuer: None,
    authorization: "",
    token: "",
    device: None,
    revocation: None,
    introspection: None,
    userinfo: None,
    api_base: None,
    scopes: &[],
    scope_style: ScopeStyle::STANDARD,
    params: &[],
    flows: &[Flow::AuthorizationCode],
    secret_auth: ClientAuthMethod::ClientSecretPost,
    redirect_uri: None,
    register: "",
    quirk: None,
};

/// The presets.
pub const PRESETS: &[Preset] = &[
    // GitHub: answers form-encoded unless asked for JSON (oat always sends Accept:
    // application/json and reads both) and reports token errors with HTTP 200 (read whatever
    // the status). OAuth App tokens never expire; GitHub App user tokens expire after 8 hours
    // and rotate their refresh token on every use. No RFC 7009 revocation endpoint. GitHub
    // Enterprise serves its API under /api/v3 of its own host.
    Preset {
        name: "github",
        summary: "form-encoded answers and errors with HTTP 200; rotating refresh tokens of GitHub Apps",
        options: &[Opt::Host(false)],
        base: "https://github.com",
        authorization: "{base}/login/oauth/authorize",
        token: "{base}/login/oauth/access_token",
        device: Some("{base}/login/device/code"),
        api_base: Some("{github_api}"),
        scopes: &["read:user"],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode],
        register: "an OAuth App at {base}/settings/applications/new (or a GitHub App at {base}/settings/apps/new) \
                   with the callback URL {redirect}; GitHub accepts any port on a loopback callback. \
                   For --flow device_code, tick \"Enable Device Flow\" in the app's settings.",
        ..NONE
    },
    // Google: a refresh token only with access_type=offline, and again on a later login only
    // with prompt=consent; any loopback port; the device endpoint names its field
    // `verification_url` (read as verification_uri).
    Preset {
        name: "google",
        summary: "refresh token only with access_type=offline and prompt=consent; verification_url",
        base: "https://accounts.google.com",
        issuer: Some("https://accounts.google.com"),
        authorization: "https://accounts.google.com/o/oauth2/v2/auth",
        token: "https://oauth2.googleapis.com/token",
        device: Some("https://oauth2.googleapis.com/device/code"),
        revocation: Some("https://oauth2.googleapis.com/revoke"),
        userinfo: Some("https://openidconnect.googleapis.com/v1/userinfo"),
        api_base: Some("https://www.googleapis.com"),
        scopes: &["openid", "email", "profile"],
        params: &[("access_type", "offline"), ("prompt", "consent")],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode, Flow::JwtBearer],
        register: "an OAuth client ID of type \"Desktop app\" at https://console.cloud.google.com/apis/credentials \
                   (Google accepts any loopback port, so nothing else to register); type \"TVs and Limited Input \
                   devices\" for --flow device_code; for --flow jwt_bearer, a service account key (JSON) given with --key.",
        ..NONE
    },
    // Microsoft Entra ID: a refresh token only with offline_access; ID tokens of the
    // multi-tenant endpoints name the user's tenant, so no issuer is pinned for them; a redirect
    // registered as a single-page app needs an Origin header on token requests (--spa) and
    // one registered as desktop/web must not get one; refresh answers may omit the refresh
    // token (the old one is kept). No RFC 7009 revocation endpoint.
    Preset {
        name: "microsoft",
        summary: "offline_access for refresh; multi-tenant issuers; --spa Origin header; localhost redirect",
        options: &[Opt::Tenant],
        base: "https://login.microsoftonline.com",
        tenant: Some("common"),
        issuer: Some("{base}/{tenant}/v2.0"),
        authorization: "{base}/{tenant}/oauth2/v2.0/authorize",
        token: "{base}/{tenant}/oauth2/v2.0/token",
        device: Some("{base}/{tenant}/oauth2/v2.0/devicecode"),
        userinfo: Some("https://graph.microsoft.com/oidc/userinfo"),
        api_base: Some("https://graph.microsoft.com/v1.0"),
        scopes: &["openid", "profile", "offline_access"],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode, Flow::ClientCredentials],
        redirect_uri: Some("http://localhost"),
        register: "an app registration at https://entra.microsoft.com (App registrations → New registration) with the \
                   platform \"Mobile and desktop applications\" and the redirect URI {redirect} (Entra ignores the port \
                   of a localhost redirect); set \"Allow public client flows\" for --flow device_code. A redirect \
                   registered as \"Single-page application\" instead needs --spa.",
        ..NONE
    },
    // GitLab: redirect URIs must match exactly, so the preset fixes the port.
    Preset {
        name: "gitlab",
        summary: "redirect URI compared letter for letter (fixed port)",
        options: &[Opt::Host(false)],
        base: "https://gitlab.com",
        issuer: Some("{base}"),
        authorization: "{base}/oauth/authorize",
        token: "{base}/oauth/token",
        device: Some("{base}/oauth/authorize_device"),
        revocation: Some("{base}/oauth/revoke"),
        introspection: Some("{base}/oauth/introspect"),
        userinfo: Some("{base}/oauth/userinfo"),
        api_base: Some("{base}/api/v4"),
        scopes: &["openid", "profile", "read_user"],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode],
        secret_auth: ClientAuthMethod::ClientSecretBasic,
        redirect_uri: Some("http://127.0.0.1:7890/callback"),
        register: "an application at {base}/-/user_settings/applications with the redirect URI {redirect} exactly \
                   (GitLab compares it letter for letter) and the scopes openid, profile and read_user; untick \
                   \"Confidential\" unless you pass --client-secret-stdin.",
        ..NONE
    },
    // Facebook Login: no refresh tokens at all. A login's user token lives about two hours,
    // so it is exchanged at once for a long-lived one (about 60 days) with
    // grant_type=fb_exchange_token, which needs the app secret; when that one nears its end
    // only a new login helps, and `oat token` says so before it comes. The token endpoint
    // answers GET and POST alike (oat POSTs). Redirect URIs must be listed exactly under
    // "Valid OAuth Redirect URIs"; localhost ones work for apps in development mode. Graph
    // errors are objects: {"error": {"message", "type", "code", "error_subcode"}}. Device
    // login authenticates with access_token=APP_ID|CLIENT_TOKEN, answers `code` for the
    // device code, and polls /device/login_status.
    Preset {
        name: "facebook",
        summary: "no refresh tokens: fb_exchange_token for a 60-day token, warned before it ends; Graph errors; device login",
        options: &[Opt::GraphVersion],
        base: "https://www.facebook.com",
        fixed_hosts: true,
        authorization: "https://www.facebook.com/{version}/dialog/oauth",
        token: "https://graph.facebook.com/{version}/oauth/access_token",
        device: Some("https://graph.facebook.com/{version}/device/login"),
        api_base: Some("https://graph.facebook.com/{version}"),
        scopes: &["public_profile", "email"],
        scope_style: ScopeStyle { name: "scope", separator: "," },
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode],
        redirect_uri: Some("http://localhost:7891/callback"),
        register: "an app at https://developers.facebook.com/apps (use case \"Authenticate and request data from users \
                   with Facebook Login\"); under Facebook Login → Settings add {redirect} to \"Valid OAuth Redirect \
                   URIs\" (localhost redirects work while the app is in development mode). The App ID is the client id; \
                   pass the App Secret (App settings → Basic) with --client-secret-stdin: it exchanges each login's \
                   two-hour token for a 60-day one. For --flow device_code, turn on \"Login from Devices\" and pass the \
                   Client Token (App settings → Advanced) with --client-secret-stdin instead.",
        quirk: Some(Quirk::Facebook),
        ..NONE
    },
    // Okta: each authorization server has its own issuer: the org server is the domain
    // itself (endpoints under /oauth2/v1), a custom one (`default`, or an id) is
    // {domain}/oauth2/{id}. A refresh token only with offline_access (and the refresh grant
    // allowed for the app). DPoP is optional per app (--dpop).
    Preset {
        name: "okta",
        summary: "issuer per authorization server (org or custom); offline_access for refresh; DPoP optional",
        options: &[Opt::Domain(true), Opt::AuthorizationServer],
        issuer: Some("{okta_issuer}"),
        authorization: "{okta}/v1/authorize",
        token: "{okta}/v1/token",
        device: Some("{okta}/v1/device/authorize"),
        revocation: Some("{okta}/v1/revoke"),
        introspection: Some("{okta}/v1/introspect"),
        userinfo: Some("{okta}/v1/userinfo"),
        scopes: &["openid", "profile", "email", "offline_access"],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode, Flow::ClientCredentials],
        secret_auth: ClientAuthMethod::ClientSecretBasic,
        redirect_uri: Some("http://localhost:7898/callback"),
        register: "an app integration in the Okta Admin Console ({base}/admin → Applications → Applications → Create \
                   App Integration): \"OIDC - OpenID Connect\", \"Native Application\", grant types Authorization Code \
                   and Refresh Token (and Device Authorization for --flow device_code), sign-in redirect URI {redirect} \
                   (Okta compares it exactly, port included); for --dpop, tick \"Require Demonstrating Proof of \
                   Possession (DPoP) header in token requests\". Assign the app to yourself. A custom authorization \
                   server (default, or --authorization-server ID) must let the app use it in an access policy rule.",
        ..NONE
    },
    // Auth0: an access token is a JWT only when the authorization request names an
    // `audience` (an API registered in the tenant); without one it is opaque and good for
    // /userinfo only. A refresh token with offline_access when the API allows offline access;
    // rotation with reuse detection revokes the whole family when an old refresh token comes
    // back, so refreshes run under the profile lock, one at a time. Issuer with a trailing slash.
    Preset {
        name: "auth0",
        summary: "JWT access tokens only with --audience (else opaque); offline_access; rotation with reuse detection",
        options: &[Opt::Domain(true), Opt::Audience],
        issuer: Some("{base}/"),
        authorization: "{base}/authorize",
        token: "{base}/oauth/token",
        device: Some("{base}/oauth/device/code"),
        revocation: Some("{base}/oauth/revoke"),
        userinfo: Some("{base}/userinfo"),
        scopes: &["openid", "profile", "email", "offline_access"],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode, Flow::ClientCredentials],
        redirect_uri: Some("http://localhost:7899/callback"),
        register: "an application in the Auth0 Dashboard (Applications → Create Application) of type \"Native\" with \
                   {redirect} under \"Allowed Callback URLs\" (Auth0 compares it exactly, port included); turn on \
                   Refresh Token Rotation, and \"Allow Offline Access\" on the API you pass with --audience. \
                   \"Machine to Machine\" for --flow client_credentials.",
        ..NONE
    },
    // Keycloak: the issuer is {url}/realms/{realm} (Keycloak before 17 served it under /auth:
    // include that in --host). offline_access gives an offline token, which survives the
    // end of the SSO session (logout in the browser) where a plain refresh token dies with it.
    Preset {
        name: "keycloak",
        summary: "issuer {url}/realms/REALM; offline_access gives offline tokens that survive session logout",
        options: &[Opt::Host(true), Opt::Realm],
        issuer: Some("{base}/realms/{realm}"),
        authorization: "{base}/realms/{realm}/protocol/openid-connect/auth",
        token: "{base}/realms/{realm}/protocol/openid-connect/token",
        device: Some("{base}/realms/{realm}/protocol/openid-connect/auth/device"),
        revocation: Some("{base}/realms/{realm}/protocol/openid-connect/revoke"),
        introspection: Some("{base}/realms/{realm}/protocol/openid-connect/token/introspect"),
        userinfo: Some("{base}/realms/{realm}/protocol/openid-connect/userinfo"),
        scopes: &["openid", "profile", "email", "offline_access"],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode, Flow::ClientCredentials, Flow::Password],
        secret_auth: ClientAuthMethod::ClientSecretBasic,
        redirect_uri: Some("http://127.0.0.1:7900/callback"),
        register: "a client in the realm's admin console ({base}/admin/master/console/#/{realm}/clients → Create client): \
                   OpenID Connect, \"Client authentication\" off (or on with --client-secret-stdin), \"Standard flow\" \
                   (and \"OAuth 2.0 Device Authorization Grant\" for --flow device_code, \"Direct access grants\" for \
                   --flow password), valid redirect URI {redirect}. Users need the offline_access role (a default role) for offline tokens.",
        ..NONE
    },
    // Slack (v2, oauth.v2.access): user scopes go in `user_scope`, comma-separated, and the
    // user token comes back under `authed_user` (the top level is the bot's); errors come
    // with HTTP 200 as {"ok": false, "error": "..."}. With token rotation turned on, tokens
    // live 12 hours and come with a refresh token. Redirect URLs must be registered, and Slack
    // takes https ones only: nothing here answers https://localhost, so the person pastes the
    // address the browser was sent to.
    Preset {
        name: "slack",
        summary: "oauth.v2.access: user token under authed_user, errors with HTTP 200 and ok:false; token rotation",
        fixed_hosts: true,
        base: "https://slack.com",
        authorization: "https://slack.com/oauth/v2/authorize",
        token: "https://slack.com/api/oauth.v2.access",
        api_base: Some("https://slack.com/api"),
        scopes: &["users:read"],
        scope_style: ScopeStyle { name: "user_scope", separator: "," },
        redirect_uri: Some("https://localhost:7896/callback"),
        register: "an app at https://api.slack.com/apps (Create New App → From scratch); under OAuth & Permissions add \
                   the redirect URL {redirect} (Slack takes https only; the browser will not load it, and `oat login` \
                   asks you to paste the address it shows) and the User Token Scopes you need (users:read by default); for 12-hour \
                   tokens with refresh, opt in to token rotation there. Pass the Client Secret (Basic Information) \
                   with --client-secret-stdin.",
        quirk: Some(Quirk::Slack),
        ..NONE
    },
    // Atlassian (Jira, Confluence): the authorization request needs audience=api.atlassian.com
    // and prompt=consent; refresh tokens (offline_access) rotate on every use. API calls go
    // to https://api.atlassian.com/ex/jira/{cloud id}, the cloud id coming from
    // accessible-resources after the login.
    Preset {
        name: "atlassian",
        summary: "audience=api.atlassian.com and prompt=consent; rotating refresh tokens; cloud id for the API base",
        fixed_hosts: true,
        base: "https://auth.atlassian.com",
        authorization: "https://auth.atlassian.com/authorize",
        token: "https://auth.atlassian.com/oauth/token",
        api_base: Some("https://api.atlassian.com/ex/jira/{cloud_id}"),
        scopes: &["read:me", "read:jira-user", "read:jira-work", "offline_access"],
        params: &[("audience", "api.atlassian.com"), ("prompt", "consent")],
        redirect_uri: Some("http://localhost:7897/callback"),
        register: "an OAuth 2.0 (3LO) app at https://developer.atlassian.com/console/myapps with the callback URL \
                   {redirect} (Authorization), and under Permissions the Jira API scopes read:jira-user and \
                   read:jira-work (and User identity API read:me). Pass the Secret (Settings) with --client-secret-stdin.",
        quirk: Some(Quirk::Atlassian),
        ..NONE
    },
    // Salesforce: the token answer's instance_url is the org's API base (stored and shown);
    // the answer has no expires_in (the session timeout decides; a refused token is renewed);
    // refresh answers carry no refresh token (the old one stays). A refresh token only with
    // the refresh_token scope. login, test (sandboxes) or a My Domain.
    Preset {
        name: "salesforce",
        summary: "instance_url is the API base; no expires_in; refresh answers without a refresh token",
        options: &[Opt::Domain(false)],
        base: "https://login.salesforce.com",
        authorization: "{base}/services/oauth2/authorize",
        token: "{base}/services/oauth2/token",
        revocation: Some("{base}/services/oauth2/revoke"),
        introspection: Some("{base}/services/oauth2/introspect"),
        userinfo: Some("{base}/services/oauth2/userinfo"),
        api_base: Some("{instance_url}"),
        scopes: &["api", "refresh_token"],
        flows: &[Flow::AuthorizationCode, Flow::ClientCredentials],
        redirect_uri: Some("http://localhost:1717/OauthRedirect"),
        register: "an External Client App (or a Connected App) in Setup → App Manager with OAuth enabled, the callback URL \
                   {redirect}, the scopes \"Manage user data via APIs (api)\" and \"Perform requests at any time \
                   (refresh_token, offline_access)\", and \"Require PKCE\"; untick \"Require Secret for Web Server Flow\" \
                   unless you pass --client-secret-stdin. The Consumer Key is the client id.",
        quirk: Some(Quirk::Salesforce),
        ..NONE
    },
    // Dropbox: a refresh token only with token_access_type=offline; access tokens are
    // short-lived (4 hours) only. Redirect URIs must be registered exactly.
    Preset {
        name: "dropbox",
        summary: "token_access_type=offline for a refresh token; short-lived tokens only",
        fixed_hosts: true,
        base: "https://www.dropbox.com",
        authorization: "https://www.dropbox.com/oauth2/authorize",
        token: "https://api.dropboxapi.com/oauth2/token",
        api_base: Some("https://api.dropboxapi.com/2"),
        scopes: &["account_info.read"],
        params: &[("token_access_type", "offline")],
        redirect_uri: Some("http://localhost:7892/callback"),
        register: "an app at https://www.dropbox.com/developers/apps (Scoped access) with the redirect URI {redirect} \
                   (OAuth 2 → Redirect URIs) and the permissions you need (account_info.read by default). The App key \
                   is the client id; PKCE needs no secret, or pass the App secret with --client-secret-stdin.",
        ..NONE
    },
    // Discord: space-separated scopes; the token endpoint takes form bodies only and client
    // credentials in Basic or the body (Basic here), or none for a public client with PKCE
    // (its RFC 8414 metadata lists both, and S256); RFC 7009 revocation at /token/revoke;
    // client credentials give the app owner's token.
    Preset {
        name: "discord",
        summary: "space-separated scopes, form bodies only, Basic client auth; revocation",
        fixed_hosts: true,
        base: "https://discord.com",
        authorization: "https://discord.com/oauth2/authorize",
        token: "https://discord.com/api/oauth2/token",
        revocation: Some("https://discord.com/api/oauth2/token/revoke"),
        api_base: Some("https://discord.com/api/v10"),
        scopes: &["identify"],
        flows: &[Flow::AuthorizationCode, Flow::ClientCredentials],
        secret_auth: ClientAuthMethod::ClientSecretBasic,
        redirect_uri: Some("http://localhost:7893/callback"),
        register: "an application at https://discord.com/developers/applications; under OAuth2 add the redirect \
                   {redirect} exactly. The Client ID is the client id; pass the Client Secret with \
                   --client-secret-stdin, or turn on \"Public Client\" there to log in with PKCE alone.",
        ..NONE
    },
    // Spotify: the client secret goes in Basic (the only way its docs give), or PKCE without
    // one; loopback redirects must use an IP literal (127.0.0.1, not localhost), and one
    // registered without a port matches any port, so oat's ephemeral one does; refresh
    // answers may leave out the refresh token (the old one stays).
    Preset {
        name: "spotify",
        summary: "Basic client auth; redirect on 127.0.0.1 (not localhost), any port; refresh may omit the refresh token",
        fixed_hosts: true,
        base: "https://accounts.spotify.com",
        authorization: "https://accounts.spotify.com/authorize",
        token: "https://accounts.spotify.com/api/token",
        api_base: Some("https://api.spotify.com/v1"),
        scopes: &["user-read-private", "user-read-email"],
        secret_auth: ClientAuthMethod::ClientSecretBasic,
        register: "an app at https://developer.spotify.com/dashboard with the redirect URI {redirect} exactly as \
                   written (a loopback IP without a port matches any port; Spotify refuses localhost) and the Web API \
                   ticked. The Client ID is the client id; PKCE needs no secret, or pass the Client secret with \
                   --client-secret-stdin.",
        ..NONE
    },
    // Twitch: client id and secret in the body only; `scope` comes back as a JSON array;
    // every Helix API call needs a Client-Id header beside the token; errors are
    // {"status": 400, "message": "..."}; the device flow takes `scopes` (public clients).
    Preset {
        name: "twitch",
        summary: "Client-Id header on API calls; client auth in the body; scope arrays; device flow with `scopes`",
        fixed_hosts: true,
        base: "https://id.twitch.tv",
        issuer: Some("https://id.twitch.tv/oauth2"),
        authorization: "https://id.twitch.tv/oauth2/authorize",
        token: "https://id.twitch.tv/oauth2/token",
        device: Some("https://id.twitch.tv/oauth2/device"),
        revocation: Some("https://id.twitch.tv/oauth2/revoke"),
        userinfo: Some("https://id.twitch.tv/oauth2/userinfo"),
        api_base: Some("https://api.twitch.tv/helix"),
        scopes: &["user:read:email"],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode, Flow::ClientCredentials],
        redirect_uri: Some("http://localhost:7895/callback"),
        register: "an application at https://dev.twitch.tv/console/apps with the OAuth Redirect URL {redirect}, \
                   category of your choice, and client type \"Confidential\" (pass the secret with \
                   --client-secret-stdin) or \"Public\" for --flow device_code.",
        quirk: Some(Quirk::Twitch),
        ..NONE
    },
];

/// The preset called `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The quirk of the preset a profile was made from, if any.
pub fn quirk(preset: Option<&str>) -> Option<Quirk> {
    preset.and_then(find).and_then(|p| p.quirk)
}

/// How the profile made from `preset` sends its scopes.
pub fn scope_style(preset: Option<&str>) -> ScopeStyle {
    preset.and_then(find).map_or(ScopeStyle::STANDARD, |p| p.scope_style)
}

/// The names of all presets, for messages.
pub fn names() -> String {
    PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

/// The values a preset's templates are filled with.
#[derive(Debug, Default)]
pub struct Vars {
    /// `{name}` → value.
    pub pairs: Vec<(&'static str, String)>,
    /// A stand-in for every host of a preset with fixed hosts (`--host`).
    pub stand_in: Option<String>,
}

impl Vars {
    /// The value of `{name}`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

/// Fills a template's placeholders; with a stand-in, the URL's scheme and host become its.
pub fn fill(template: &str, vars: &Vars) -> String {
    let mut text = template.to_string();
    for (name, value) in &vars.pairs {
        let value = if *name == "base" { value.trim_end_matches('/') } else { value };
        text = text.replace(&format!("{{{name}}}"), value);
    }
    if let Some(stand_in) = &vars.stand_in
        && let Some(rest) = text.strip_prefix("https://")
    {
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        text = format!("{}{path}", stand_in.trim_end_matches('/'));
    }
    text
}

/// `https://HOST` for a bare host, a URL as given.
pub fn base_url(host: &str) -> String {
    if host.contains("://") { host.trim_end_matches('/').to_string() } else { format!("https://{host}") }
}

/// `--domain` for the salesforce preset: `login`, `test` (sandboxes), a My Domain name, or a host.
pub fn salesforce_base(domain: &str) -> String {
    match domain {
        "login" | "test" => format!("https://{domain}.salesforce.com"),
        d if !d.contains('.') && !d.contains(':') => format!("https://{d}.my.salesforce.com"),
        d => base_url(d),
    }
}

/// The `--list-presets` table: name, options, quirks handled.
pub fn table() -> Vec<Vec<String>> {
    PRESETS
        .iter()
        .map(|p| {
            let options: Vec<&str> = p.options.iter().map(|o| o.flag()).collect();
            vec![p.name.to_string(), options.join(", "), p.summary.to_string()]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Endpoint, RedirectUri};

    fn vars(p: &Preset) -> Vars {
        let base = if p.base.is_empty() { "https://example.test".to_string() } else { p.base.to_string() };
        Vars {
            pairs: vec![
                ("base", base.clone()),
                ("tenant", p.tenant.unwrap_or("t").to_string()),
                ("version", GRAPH_VERSION.into()),
                ("realm", "r".into()),
                ("okta", format!("{base}/oauth2/default")),
                ("okta_issuer", format!("{base}/oauth2/default")),
                ("github_api", "https://api.github.com".into()),
            ],
            stand_in: None,
        }
    }

    #[test]
    fn every_preset_has_valid_endpoints() {
        for p in PRESETS {
            let v = vars(p);
            for t in
                [Some(p.authorization), Some(p.token), p.device, p.revocation, p.introspection, p.userinfo, p.issuer]
                    .into_iter()
                    .flatten()
            {
                let url = fill(t, &v);
                assert!(Endpoint::parse(&url).is_ok(), "{}: {url}", p.name);
                assert!(!url.contains('{'), "{}: {url}", p.name);
            }
            assert!(p.flows.contains(&Flow::AuthorizationCode), "{}", p.name);
            assert!(!p.summary.is_empty() && !p.register.is_empty(), "{}", p.name);
            assert!(p.register.contains("{redirect}") || p.redirect_uri.is_none(), "{}: names its redirect", p.name);
            assert_eq!(p.base.is_empty(), p.options.iter().any(|o| matches!(o, Opt::Host(true) | Opt::Domain(true))));
        }
        assert!(find("github").is_some() && find("nope").is_none());
        assert_eq!(PRESETS.len(), 15);
    }

    #[test]
    fn every_fixed_redirect_uri_is_a_loopback_http_url() {
        for p in PRESETS {
            if let Some(uri) = p.redirect_uri {
                assert_eq!(RedirectUri::parse(uri).unwrap().as_str(), uri, "{}: kept as written", p.name);
            }
        }
        assert_eq!(find("microsoft").unwrap().redirect_uri, Some("http://localhost"));
    }

    #[test]
    fn hosts_and_tenants_are_filled_in() {
        let ms = find("microsoft").unwrap();
        let v = Vars {
            pairs: vec![("base", ms.base.into()), ("tenant", "contoso.onmicrosoft.com".into())],
            stand_in: None,
        };
        assert_eq!(fill(ms.token, &v), "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        let gh = find("github").unwrap();
        let v = Vars { pairs: vec![("base", "https://ghe.example.com/".into())], stand_in: None };
        assert_eq!(fill(gh.token, &v), "https://ghe.example.com/login/oauth/access_token");
    }

    #[test]
    fn a_stand_in_takes_every_host_of_a_fixed_host_preset() {
        let fb = find("facebook").unwrap();
        let v = Vars { pairs: vec![("version", "v24.0".into())], stand_in: Some("http://127.0.0.1:9/".into()) };
        assert_eq!(fill(fb.authorization, &v), "http://127.0.0.1:9/v24.0/dialog/oauth");
        assert_eq!(fill(fb.token, &v), "http://127.0.0.1:9/v24.0/oauth/access_token");
        let v = Vars { pairs: vec![("version", "v24.0".into())], stand_in: None };
        assert_eq!(fill(fb.api_base.unwrap(), &v), "https://graph.facebook.com/v24.0");
    }

    #[test]
    fn salesforce_domains() {
        assert_eq!(salesforce_base("login"), "https://login.salesforce.com");
        assert_eq!(salesforce_base("test"), "https://test.salesforce.com");
        assert_eq!(salesforce_base("acme"), "https://acme.my.salesforce.com");
        assert_eq!(salesforce_base("acme.my.salesforce.com"), "https://acme.my.salesforce.com");
        assert_eq!(salesforce_base("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
    }
}
