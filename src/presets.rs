//! Provider presets: data only. Each carries the provider's endpoints (with `{base}` for the
//! host and `{tenant}` for a Microsoft tenant), default scopes and parameters, the flows it
//! supports, and what to register there. Quirks that are handled in the protocol code rather
//! than here are named in the comments.

use crate::config::{ClientAuthMethod, Flow};

/// A provider preset.
#[derive(Debug)]
pub struct Preset {
    /// `--preset` name.
    pub name: &'static str,
    /// `https://host` when no `--host` is given (`{base}`).
    pub base: &'static str,
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
    /// Userinfo endpoint.
    pub userinfo: Option<&'static str>,
    /// Default scopes.
    pub scopes: &'static [&'static str],
    /// Extra authorization parameters.
    pub params: &'static [(&'static str, &'static str)],
    /// Flows the provider supports.
    pub flows: &'static [Flow],
    /// Client authentication to use with a secret.
    pub secret_auth: ClientAuthMethod,
    /// A redirect URI the provider needs fixed; else any loopback port.
    pub redirect_uri: Option<&'static str>,
    /// What to register at the provider (`{base}` and `{redirect}` filled in).
    pub register: &'static str,
}

/// Microsoft tenants that are not one directory: their ID tokens name the user's own tenant.
pub const MULTI_TENANT: &[&str] = &["common", "organizations", "consumers"];

/// The presets.
pub const PRESETS: &[Preset] = &[
    // GitHub: answers form-encoded unless asked for JSON (oat always sends Accept:
    // application/json and reads both) and reports token errors with HTTP 200 (read whatever
    // the status). OAuth App tokens never expire; GitHub App user tokens expire after 8 hours
    // and rotate their refresh token on every use. No RFC 7009 revocation endpoint.
    Preset {
        name: "github",
        base: "https://github.com",
        tenant: None,
        issuer: None,
        authorization: "{base}/login/oauth/authorize",
        token: "{base}/login/oauth/access_token",
        device: Some("{base}/login/device/code"),
        revocation: None,
        userinfo: None,
        scopes: &["read:user"],
        params: &[],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode],
        secret_auth: ClientAuthMethod::ClientSecretPost,
        redirect_uri: None,
        register: "an OAuth App at {base}/settings/applications/new (or a GitHub App at {base}/settings/apps/new) \
                   with the callback URL {redirect}; GitHub accepts any port on a loopback callback. \
                   For --flow device_code, tick \"Enable Device Flow\" in the app's settings.",
    },
    // Google: a refresh token only with access_type=offline, and again on a later login only
    // with prompt=consent; any loopback port; the device endpoint names its field
    // `verification_url` (read as verification_uri).
    Preset {
        name: "google",
        base: "https://accounts.google.com",
        tenant: None,
        issuer: Some("https://accounts.google.com"),
        authorization: "https://accounts.google.com/o/oauth2/v2/auth",
        token: "https://oauth2.googleapis.com/token",
        device: Some("https://oauth2.googleapis.com/device/code"),
        revocation: Some("https://oauth2.googleapis.com/revoke"),
        userinfo: Some("https://openidconnect.googleapis.com/v1/userinfo"),
        scopes: &["openid", "email", "profile"],
        params: &[("access_type", "offline"), ("prompt", "consent")],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode, Flow::JwtBearer],
        secret_auth: ClientAuthMethod::ClientSecretPost,
        redirect_uri: None,
        register: "an OAuth client ID of type \"Desktop app\" at https://console.cloud.google.com/apis/credentials \
                   (Google accepts any loopback port, so nothing else to register); type \"TVs and Limited Input \
                   devices\" for --flow device_code; for --flow jwt_bearer, a service account key (JSON) given with --key.",
    },
    // Microsoft Entra ID: a refresh token only with offline_access; ID tokens of the
    // multi-tenant endpoints name the user's tenant, so no issuer is pinned for them; a redirect
    // registered as a single-page app needs an Origin header on token requests (--spa) and
    // one registered as desktop/web must not get one; refresh answers may omit the refresh
    // token (the old one is kept). No RFC 7009 revocation endpoint.
    Preset {
        name: "microsoft",
        base: "https://login.microsoftonline.com",
        tenant: Some("common"),
        issuer: Some("{base}/{tenant}/v2.0"),
        authorization: "{base}/{tenant}/oauth2/v2.0/authorize",
        token: "{base}/{tenant}/oauth2/v2.0/token",
        device: Some("{base}/{tenant}/oauth2/v2.0/devicecode"),
        revocation: None,
        userinfo: Some("https://graph.microsoft.com/oidc/userinfo"),
        scopes: &["openid", "profile", "offline_access"],
        params: &[],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode, Flow::ClientCredentials],
        secret_auth: ClientAuthMethod::ClientSecretPost,
        redirect_uri: Some("http://localhost"),
        register: "an app registration at https://entra.microsoft.com (App registrations → New registration) with the \
                   platform \"Mobile and desktop applications\" and the redirect URI {redirect} (Entra ignores the port \
                   of a localhost redirect); set \"Allow public client flows\" for --flow device_code. A redirect \
                   registered as \"Single-page application\" instead needs --spa.",
    },
    // GitLab: redirect URIs must match exactly, so the preset fixes the port.
    Preset {
        name: "gitlab",
        base: "https://gitlab.com",
        tenant: None,
        issuer: Some("{base}"),
        authorization: "{base}/oauth/authorize",
        token: "{base}/oauth/token",
        device: Some("{base}/oauth/authorize_device"),
        revocation: Some("{base}/oauth/revoke"),
        userinfo: Some("{base}/oauth/userinfo"),
        scopes: &["openid", "profile", "read_user"],
        params: &[],
        flows: &[Flow::AuthorizationCode, Flow::DeviceCode],
        secret_auth: ClientAuthMethod::ClientSecretBasic,
        redirect_uri: Some("http://127.0.0.1:7890/callback"),
        register: "an application at {base}/-/user_settings/applications with the redirect URI {redirect} exactly \
                   (GitLab compares it letter for letter) and the scopes openid, profile and read_user; untick \
                   \"Confidential\" unless you pass --client-secret-stdin.",
    },
];

/// The preset called `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The names of all presets, for messages.
pub fn names() -> String {
    PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

/// Fills `{base}`, `{tenant}` and `{redirect}` into a template.
pub fn fill(template: &str, base: &str, tenant: &str, redirect: &str) -> String {
    template.replace("{base}", base.trim_end_matches('/')).replace("{tenant}", tenant).replace("{redirect}", redirect)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Endpoint, RedirectUri};

    #[test]
    fn every_preset_has_valid_endpoints() {
        for p in PRESETS {
            let tenant = p.tenant.unwrap_or("t");
            for t in [Some(p.authorization), Some(p.token), p.device, p.revocation, p.userinfo, p.issuer]
                .into_iter()
                .flatten()
            {
                let url = fill(t, p.base, tenant, "");
                assert!(Endpoint::parse(&url).is_ok(), "{}: {url}", p.name);
            }
            assert!(p.flows.contains(&Flow::AuthorizationCode), "{}", p.name);
        }
        assert!(find("github").is_some() && find("nope").is_none());
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
        assert_eq!(
            fill(ms.token, ms.base, "contoso.onmicrosoft.com", ""),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
        let gh = find("github").unwrap();
        assert_eq!(
            fill(gh.token, "https://ghe.example.com/", "", ""),
            "https://ghe.example.com/login/oauth/access_token"
        );
    }
}
