//! `oat doctor`: the checks of a set-up, each with what was found and, when it fails, the fix.
//! Every check runs even when an earlier one failed, so one run shows everything.

/// What the server offers of RAR and mTLS-bound tokens, and whether the profile fits it.
pub mod feature;

pub use feature::check_hardening;

use super::Ports;
use crate::config::{Flow, Issuer, NamedProfile};
use crate::oauth::discovery::Metadata;
use crate::oauth::{ErrorCode, discovery, dpop, token};
use crate::source::Source;
use serde::Serialize;
use std::ffi::OsString;

/// Largest tolerated difference between this machine's clock and the server's.
const MAX_SKEW: i64 = 60;

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// As it should be.
    Pass,
    /// Works, but short of what the specifications recommend.
    Warn,
    /// Wrong: the run (or the token) fails.
    Fail,
}

/// One check's outcome. Serialised as `oat doctor` has always shown it (`check`, `ok`,
/// `detail`, `fix`); other reports pick the fields they show.
#[derive(Debug)]
pub struct Check {
    /// What was checked.
    pub check: &'static str,
    /// How it came out.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do, when it failed.
    pub fix: Option<String>,
    /// The specification section the check applies (`RFC 9700 §2.1.1`), if any.
    pub reference: Option<&'static str>,
}

impl Check {
    pub fn pass(check: &'static str, detail: impl Into<String>) -> Check {
        Check { check, status: Status::Pass, detail: detail.into(), fix: None, reference: None }
    }

    pub fn fail(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { check, status: Status::Fail, detail: detail.into(), fix: Some(fix.into()), reference: None }
    }

    /// A check of `status` with neither a fix nor a reference.
    pub fn new(check: &'static str, status: Status, detail: impl Into<String>) -> Check {
        Check { check, status, detail: detail.into(), fix: None, reference: None }
    }

    /// A check of `status` against the specification section `reference`, with no fix.
    pub fn against(check: &'static str, status: Status, detail: impl Into<String>, reference: &'static str) -> Check {
        Check { check, status, detail: detail.into(), fix: None, reference: Some(reference) }
    }

    /// Whether it did not fail (a warning is not a failure).
    pub fn ok(&self) -> bool {
        self.status != Status::Fail
    }
}

impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("check", self.check)?;
        map.serialize_entry("ok", &self.ok())?;
        map.serialize_entry("detail", &self.detail)?;
        if let Some(fix) = &self.fix {
            map.serialize_entry("fix", fix)?;
        }
        map.end()
    }
}

/// What the environment offers that the checks look at.
pub struct Environment {
    /// `$BROWSER`.
    pub browser: Option<OsString>,
    /// Where extra trusted roots come from (`--cacert` or the profile's), for the TLS line.
    pub cacert: Option<String>,
}

/// Runs every check of one profile.
pub fn check_profile(ports: &Ports<'_>, profile: &NamedProfile<'_>, env: Environment) -> Vec<Check> {
    let name = profile.name;
    let mut checks = Vec::new();
    checks.push(match profile.missing() {
        Some(missing) => Check::fail("profile", missing, format!("oat profile add {name} … --force")),
        None => Check::pass("profile", format!("complete for the {} flow", profile.flow)),
    });
    let endpoints = profile.endpoints();
    let plain: Vec<&str> = endpoints.iter().filter(|(_, e)| e.url().scheme() == "http").map(|(n, _)| *n).collect();
    checks.push(Check::pass(
        "endpoints",
        if plain.is_empty() {
            format!("{} endpoints, all https", endpoints.len())
        } else if plain.len() == endpoints.len() {
            format!("{} endpoints, all plain http on loopback", endpoints.len())
        } else {
            format!("{} endpoints, https except on loopback ({})", endpoints.len(), plain.join(", "))
        },
    ));
    let metadata = profile.issuer.as_ref().and_then(|issuer| {
        let (found, metadata) = check_discovery(ports, issuer, profile);
        checks.extend(found);
        metadata
    });
    if profile.flow == Flow::AuthorizationCode {
        checks.extend(check_hardening(profile, metadata.as_ref()));
    }
    checks.extend(check_sources(profile));
    if profile.token_endpoint.is_some() {
        checks.extend(check_server(ports, profile, env.cacert.as_deref()));
    }
    checks.extend(check_store(ports, profile));
    if profile.flow == Flow::AuthorizationCode {
        checks.push(match crate::browser::available(env.browser) {
            Ok(what) => Check::pass("browser", format!("{what} can open the login page")),
            Err(why) => Check::fail(
                "browser",
                why,
                format!("`oat login {name} --no-browser` and open the URL elsewhere (paste the redirect back), or `--flow device_code`"),
            ),
        });
        checks.push(check_port(profile));
    }
    checks
}

/// Discovery, and what the profile uses of what the server offers (DPoP, [`feature`]); the
/// metadata found, for the checks of PAR, request objects and JARM.
fn check_discovery(ports: &Ports<'_>, issuer: &Issuer, profile: &NamedProfile<'_>) -> (Vec<Check>, Option<Metadata>) {
    let found = match discovery::discover(ports.http, issuer) {
        Ok(found) => found,
        Err(e) => {
            let fix = "check the issuer URL: it must be exactly what the server calls itself";
            return (vec![Check::fail("discovery", e.to_string(), fix)], None);
        }
    };
    let mut checks = vec![check_endpoints(issuer, profile, &found)];
    checks.extend(feature::rar(&found.metadata, profile));
    checks.extend(feature::mtls(&found.metadata, profile));
    checks.extend(check_dpop(profile, &found.document));
    (checks, Some(found.metadata))
}

/// Whether the server takes DPoP proofs (RFC 9449 §5.1) and whether the profile sends them: a
/// DPoP profile at a server that does not say it takes ES256 proofs fails.
fn check_dpop(profile: &NamedProfile<'_>, metadata: &serde_json::Value) -> Option<Check> {
    let name = profile.name;
    match (profile.dpop, discovery::supports_dpop(metadata)) {
        (true, true) => {
            Some(Check::pass("dpop", "the server takes ES256 proofs; this profile's tokens are DPoP-bound"))
        }
        (true, false) => Some(Check::fail(
            "dpop",
            "the profile uses DPoP, but the server does not list ES256 in dpop_signing_alg_values_supported: its tokens would come back unbound, or be refused",
            format!(
                "turn DPoP (ES256) on for this client at the server, or stop using it: remove `dpop = true` from [profiles.{name}] in config.toml"
            ),
        )),
        (false, true) => Some(Check::pass(
            "dpop",
            format!(
                "the server supports DPoP (ES256); this profile does not use it (`oat profile add {name} … --dpop --force` binds its tokens to a key)"
            ),
        )),
        (false, false) => None,
    }
}

/// Whether the endpoints the profile keeps are still the server's.
fn check_endpoints(issuer: &Issuer, profile: &NamedProfile<'_>, found: &discovery::Discovery) -> Check {
    let name = profile.name;
    let m = &found.metadata;
    let stored = |e: &Option<crate::config::Endpoint>| e.as_ref().map(|e| e.to_string());
    // A profile with a client certificate uses the server's mTLS aliases (RFC 8705 §5).
    let theirs = |field: &str, plain| feature::expected(m, profile, field, plain);
    let changed: Vec<&str> = [
        ("authorization_endpoint", stored(&profile.authorization_endpoint), &m.authorization_endpoint),
        ("token_endpoint", stored(&profile.token_endpoint), theirs("token_endpoint", &m.token_endpoint)),
        (
            "revocation_endpoint",
            stored(&profile.revocation_endpoint),
            theirs("revocation_endpoint", &m.revocation_endpoint),
        ),
    ]
    .into_iter()
    .filter(|(_, mine, theirs)| mine.is_some() && theirs.is_some() && mine.as_ref() != theirs.as_ref())
    .map(|(n, _, _)| n)
    .collect();
    if changed.is_empty() {
        Check::pass("discovery", format!("{} answers and names the same issuer", found.url))
    } else {
        Check::fail(
            "discovery",
            format!("the server now names other endpoints: {}", changed.join(", ")),
            format!("refresh the profile: oat profile add {name} --issuer {issuer} … --force"),
        )
    }
}

/// Whether the CI token the profile sends (its JWT bearer assertion or client assertion) can
/// be had here: the variables or file are there. Nothing is fetched or shown.
fn check_sources(profile: &NamedProfile<'_>) -> Vec<Check> {
    let sources =
        [("the assertion", &profile.subject_token_from), ("the client assertion", &profile.client_assertion_from)];
    let check = |(what, source): (&str, &Source)| match source.check() {
        Ok(found) => Check::pass("ci token", format!("{source} ({what}): {found}")),
        Err(e) => {
            let fix = match source {
                Source::GithubActions { .. } => {
                    "run it in a GitHub Actions job with `permissions: id-token: write`".to_string()
                }
                Source::Gitlab(name) => format!("add `id_tokens: {name}: aud: AUDIENCE` to the job in .gitlab-ci.yml"),
                Source::Env(name) => format!("set {name} to the token"),
                Source::File(_) => "mount the token there (a projected service-account token volume)".to_string(),
                Source::Profile(_) => "give a source other than a profile".to_string(),
            };
            Check::fail("ci token", format!("{source} ({what}): {e}"), fix)
        }
    };
    sources.into_iter().filter_map(|(what, source)| source.as_ref().map(|s| check((what, s)))).collect()
}

/// TLS, clock and client authentication, from one harmless token request with a dummy grant:
/// `invalid_grant` means the client authenticated; `invalid_client` means it did not.
fn check_server(ports: &Ports<'_>, profile: &NamedProfile<'_>, cacert: Option<&str>) -> Vec<Check> {
    let Some(endpoint) = profile.token_endpoint.as_ref() else { return Vec::new() };
    let client = match super::client_without_proofs(ports, profile) {
        Ok(client) => client,
        Err(e) => return vec![Check::fail("client", format!("{e:#}"), "give the profile its client credentials")],
    };
    let roots = match cacert {
        Some(file) => format!("the platform's roots and {file}"),
        None => "the platform's roots".into(),
    };
    let form = vec![("grant_type", "refresh_token"), ("refresh_token", "oat-doctor-probe")];
    let response = match token::post(ports.http, endpoint, &client, form) {
        Ok(response) => response,
        // The client assertion's source cannot be read: the "ci token" check says why.
        Err(crate::oauth::Error::Assertion(_)) => return Vec::new(),
        Err(e) => {
            let text = e.to_string();
            let fix = if text.contains("--cacert") {
                "pass the server's CA certificate with --cacert FILE (kept in the profile by `oat profile add`)"
            } else {
                "check the network path to the server (proxy variables, firewall) and the endpoint URL"
            };
            return vec![Check::fail("tls", text, fix)];
        }
    };
    let mut checks = Vec::new();
    if endpoint.url().scheme() == "https" {
        checks.push(Check::pass(
            "tls",
            format!(
                "{} presents a certificate that verifies with {roots}",
                endpoint.url().origin().ascii_serialization()
            ),
        ));
    }
    checks.push(check_clock(ports, response.header("date")));
    let error = token::fields(&response).as_deref().and_then(token::error_in);
    checks.push(match error {
        Some(e) if e.code == ErrorCode::InvalidClient => Check::fail(
            "client",
            format!("the server rejects the client's credentials ({e})"),
            "check the client id, the client secret (or key/certificate) and --client-auth",
        ),
        Some(e)
            if matches!(
                e.code,
                ErrorCode::InvalidGrant
                    | ErrorCode::UnauthorizedClient
                    | ErrorCode::UnsupportedGrantType
                    | ErrorCode::InvalidRequest
            ) =>
        {
            Check::pass(
                "client",
                format!(
                    "`{}` authenticates ({} answered a dummy grant with {})",
                    profile.client_id,
                    endpoint,
                    e.code.as_str()
                ),
            )
        }
        // A client that must use DPoP (Okta's "Require DPoP" setting) is refused before the server
        // looks at anything else when the probe, sent without a proof, lacks one.
        Some(e) if [dpop::INVALID_DPOP_PROOF, dpop::USE_DPOP_NONCE].contains(&e.code.as_str()) => match profile.dpop {
            true => Check::pass(
                "client",
                format!("{endpoint} wants a DPoP proof with every token request ({}), and this profile sends one", e.code.as_str()),
            ),
            false => Check::fail(
                "client",
                format!(
                    "{endpoint} wants a DPoP proof with every token request, and this profile sends none ({})",
                    e.as_sent()
                ),
                format!(
                    "bind the profile's tokens to a key: `oat profile add {} … --dpop --force` (or stop requiring DPoP for this client at the server)",
                    profile.name
                ),
            ),
        },
        Some(e) => {
            Check::fail("client", format!("unexpected answer to a dummy grant: {e}"), "run with -v to see the exchange")
        }
        None => Check::fail(
            "client",
            format!("{} answered HTTP {} without an OAuth error", endpoint, response.status),
            "check that token_endpoint is the server's token endpoint",
        ),
    });
    checks
}

fn check_clock(ports: &Ports<'_>, date: Option<&str>) -> Check {
    match skew((ports.now)(), date) {
        Err(why) => Check::pass("clock", why),
        Ok(skew) if skew.abs() <= MAX_SKEW => {
            Check::pass("clock", format!("within {}s of the server's", skew.abs().max(1)))
        }
        Ok(skew) => Check::fail(
            "clock",
            format!("{}; token expiry and JWT times go wrong", describe_skew(skew)),
            "synchronise the clock (e.g. `timedatectl set-ntp true`)",
        ),
    }
}

/// How far this machine's clock (`now`, Unix seconds) is ahead of the server's, read from an
/// HTTP `Date` header (RFC 9110 §6.6.1); why it cannot be told when it cannot.
pub fn skew(now: u64, date: Option<&str>) -> Result<i64, String> {
    let Some(date) = date else {
        return Err("the server sent no Date header to compare with".into());
    };
    let Ok(server) = jiff::fmt::rfc2822::parse(date) else {
        return Err(format!("the server's Date header `{date}` cannot be read"));
    };
    Ok(now as i64 - server.timestamp().as_second())
}

/// "this machine's clock is 5m ahead of the server's".
pub fn describe_skew(skew: i64) -> String {
    let side = if skew > 0 { "ahead of" } else { "behind" };
    format!("this machine's clock is {} {side} the server's", crate::time::span(skew.unsigned_abs()))
}

fn check_store(ports: &Ports<'_>, profile: &NamedProfile<'_>) -> Vec<Check> {
    let name = profile.name;
    let tokens = match ports.store.tokens(name) {
        Ok(tokens) => tokens,
        Err(e) => return vec![Check::fail("store", e.to_string(), "fix the store, or set OAT_STORE=file")],
    };
    let reachable = Check::pass("store", format!("{} is reachable", ports.store.location(name)));
    let now = (ports.now)();
    let tokens_check = match tokens {
        None if profile.flow.is_unattended() => Check::pass("tokens", "none yet; fetched when needed"),
        None => Check::fail("tokens", "no tokens stored", format!("oat login {name}")),
        Some(t) => {
            let state = match t.remaining(now) {
                None => "the access token has no expiry".to_string(),
                Some(left) if left > 0 => format!("the access token is valid for {}", crate::time::span(left as u64)),
                Some(left) => format!("the access token expired {} ago", crate::time::span(left.unsigned_abs())),
            };
            let refresh = if t.refresh_token.is_some() { "a refresh token" } else { "no refresh token" };
            let scope = t.scope.as_deref().unwrap_or("none named");
            let detail = format!("{state}; {refresh}; scopes: {scope}");
            if t.is_fresh(now, 0) || t.refresh_token.is_some() || profile.flow.is_unattended() {
                Check::pass("tokens", detail)
            } else {
                Check::fail("tokens", detail, format!("oat login {name}"))
            }
        }
    };
    vec![reachable, tokens_check]
}

fn check_port(profile: &NamedProfile<'_>) -> Check {
    let template = super::login::redirect_template(profile, None);
    match crate::callback::probe(&template) {
        Ok(port) if template.url().port().is_some() => Check::pass(
            "port",
            format!("{}:{port} can receive the redirect", template.url().host_str().unwrap_or("127.0.0.1")),
        ),
        Ok(_) => Check::pass("port", "a free loopback port can receive the redirect"),
        Err(e) => Check::fail("port", e.to_string(), "stop what uses the port, or register and use another (--port)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_check_serialises_as_doctor_always_showed_it() {
        let fail = Check::fail("clock", "off", "sync it");
        assert_eq!(
            serde_json::to_value(&fail).unwrap(),
            json!({"check": "clock", "ok": false, "detail": "off", "fix": "sync it"})
        );
        let warn = Check::against("pkce", Status::Warn, "plain too", "RFC 9700 §2.1.1");
        assert_eq!(serde_json::to_value(&warn).unwrap(), json!({"check": "pkce", "ok": true, "detail": "plain too"}));
        assert!(warn.ok(), "a warning is not a failure");
    }

    #[test]
    fn the_skew_is_read_from_a_date_header() {
        let date = "Wed, 02 Dec 2026 05:00:00 GMT";
        let at = jiff::fmt::rfc2822::parse(date).unwrap().timestamp().as_second() as u64;
        assert_eq!(skew(at + 90, Some(date)), Ok(90));
        assert_eq!(skew(at - 30, Some(date)), Ok(-30));
        assert!(skew(at, None).unwrap_err().contains("no Date header"));
        assert!(skew(at, Some("yesterday")).unwrap_err().contains("cannot be read"));
        assert_eq!(describe_skew(-300), "this machine's clock is 5m behind the server's");
    }
}
