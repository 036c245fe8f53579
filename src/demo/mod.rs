//! The embedded demo authorization server behind `oat demo`: an OAuth 2.0 / OpenID Connect
//! provider on a loopback port, with one user, a public client and a machine client, so that a
//! newcomer can watch every flow without an account anywhere. It follows the RFCs it implements
//! (6749, 6750, 7009, 7636, 7662, 8252, 8414, 8628, 9207, OpenID Connect Core and Discovery);
//! state lives in memory. Starting it and showing what happens is left to `commands`.

mod authorize;
mod client;
mod context;
mod device;
mod dpop;
mod keys;
mod pages;
mod resource;
mod server;
mod state;
mod token;
mod wire;

#[cfg(test)]
mod tests;

pub use server::DemoServer;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::net::SocketAddr;

/// The public client (RFC 6749 §2.1): no secret, PKCE S256 required; authorization code,
/// device code and refresh token grants.
pub const PUBLIC_CLIENT: &str = "demo-cli";

/// The confidential client: [`MACHINE_SECRET`], client credentials grant; may introspect any token.
pub const MACHINE_CLIENT: &str = "demo-machine";

/// The secret of [`MACHINE_CLIENT`]; published on purpose: this server is for demonstrations.
pub const MACHINE_SECRET: &str = "demo-machine-secret";

/// The scopes the server knows (`scopes_supported`).
const SCOPES: [&str; 5] = ["openid", "profile", "email", "offline_access", "api"];

/// The `realm` of the demo API's Bearer challenges (RFC 6750 §3).
const REALM: &str = "oat-demo";

/// How the demo server behaves.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Lifetime of access tokens (and ID tokens), in seconds.
    pub access_ttl: u64,
    /// Skip the sign-in and device pages: every request is approved as [`Settings::user`].
    pub auto_approve: bool,
    /// The user name the sign-in page offers (and auto-approval uses).
    pub user: String,
    /// The device flow's polling interval in seconds (RFC 8628 §3.2).
    pub device_interval: u64,
    /// Random bytes in each access and refresh token (base64url: 4 characters per 3 bytes);
    /// more than 32 also pads the ID token to about as many characters, so that tests can
    /// store token sets as large as real providers' JWTs.
    pub token_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { access_ttl: 120, auto_approve: false, user: "demo".into(), device_interval: 2, token_bytes: 32 }
    }
}

/// Why the demo server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The port cannot be bound.
    #[error("cannot listen on {addr} for the demo server: {error}{hint}")]
    Bind { addr: SocketAddr, error: std::io::Error, hint: &'static str },
    /// The ID token signing key cannot be made.
    #[error("cannot generate the demo server's signing key: {0}")]
    Key(Box<dyn std::error::Error + Send + Sync>),
    /// The worker threads cannot be started.
    #[error("cannot start the demo server's threads: {0}")]
    Thread(std::io::Error),
}

/// `n` random bytes as unpadded base64url: codes, tokens and request ids are made of this.
fn random(n: usize) -> Result<String, getrandom::Error> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Splits a `scope` parameter (RFC 6749 §3.3) into known scopes, in order, without repeats;
/// an `Err` names the first unknown one.
fn parse_scope(scope: &str) -> Result<Vec<String>, String> {
    let mut scopes: Vec<String> = Vec::new();
    for s in scope.split(' ').filter(|s| !s.is_empty()) {
        if !SCOPES.contains(&s) {
            return Err(s.to_string());
        }
        if !scopes.iter().any(|known| known == s) {
            scopes.push(s.to_string());
        }
    }
    Ok(scopes)
}

/// Whether a list of scopes holds `name`.
fn has(scopes: &[String], name: &str) -> bool {
    scopes.iter().any(|s| s == name)
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn scopes_are_checked_kept_in_order_and_deduplicated() {
        assert_eq!(parse_scope("openid  api openid").unwrap(), ["openid", "api"]);
        assert_eq!(parse_scope("openid admin").unwrap_err(), "admin");
        assert!(parse_scope("").unwrap().is_empty());
    }

    #[test]
    fn random_values_are_base64url_of_the_asked_length() {
        let a = random(32).unwrap();
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(a, random(32).unwrap());
    }
}
