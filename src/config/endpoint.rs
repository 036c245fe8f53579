//! The URLs a profile names, each with its rule checked once, where it enters `oat` (a flag,
//! config.toml, a preset, a server's metadata), so that no caller checks it again.

use serde::{Deserialize, Serialize};
use std::fmt;
use url::{Host, Url};

/// An endpoint URL that keeps the promise "plain http only on loopback"; checked once, here,
/// where URLs enter `oat`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Endpoint(Url);

/// Why a URL is not acceptable as an endpoint.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// Not a URL at all.
    #[error("`{url}` is not a valid URL: {reason}")]
    Invalid {
        /// What was given.
        url: String,
        /// Why it does not parse.
        reason: url::ParseError,
    },
    /// Not http or https.
    #[error("`{0}` is not an http(s) URL")]
    Scheme(String),
    /// Plain http to a host that is not loopback.
    #[error("`{0}` uses plain http; oat only talks https, except to 127.0.0.1, ::1 or localhost")]
    PlainHttp(String),
}

impl Endpoint {
    /// Parses and checks an endpoint URL.
    pub fn parse(text: &str) -> Result<Endpoint, EndpointError> {
        let url = Url::parse(text.trim()).map_err(|reason| EndpointError::Invalid { url: text.to_string(), reason })?;
        match url.scheme() {
            "https" => Ok(Endpoint(url)),
            "http" if is_loopback(&url) => Ok(Endpoint(url)),
            "http" => Err(EndpointError::PlainHttp(text.to_string())),
            _ => Err(EndpointError::Scheme(text.to_string())),
        }
    }

    /// The URL.
    pub fn url(&self) -> &Url {
        &self.0
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl TryFrom<String> for Endpoint {
    type Error = EndpointError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Endpoint::parse(&text)
    }
}

impl From<Endpoint> for String {
    fn from(endpoint: Endpoint) -> String {
        endpoint.0.into()
    }
}

/// An issuer identifier (RFC 8414 §2, OpenID Connect Discovery 1.0 §2): a URL under the
/// endpoints' rule, kept as written, because the server's own spelling is what its metadata,
/// redirects and tokens repeat and what messages quote. Two issuers, or an issuer and the text
/// a server sent, are the same when they differ at most by trailing slashes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Issuer {
    text: String,
    url: Url,
}

impl Issuer {
    /// Parses and checks an issuer: https, or plain http on loopback, as [`Endpoint::parse`].
    pub fn parse(text: &str) -> Result<Issuer, EndpointError> {
        let Endpoint(url) = Endpoint::parse(text)?;
        Ok(Issuer { text: text.to_string(), url })
    }

    /// The issuer as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The URL, where discovery looks for the metadata.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// What comparisons look at.
    fn key(&self) -> &str {
        self.text.trim_end_matches('/')
    }
}

impl PartialEq for Issuer {
    fn eq(&self, other: &Issuer) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Issuer {}

/// Whether a server's text (metadata's `issuer`, a redirect's or an ID token's `iss`) names
/// this issuer.
impl PartialEq<str> for Issuer {
    fn eq(&self, text: &str) -> bool {
        self.key() == text.trim_end_matches('/')
    }
}

impl fmt::Display for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl TryFrom<String> for Issuer {
    type Error = EndpointError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let Endpoint(url) = Endpoint::parse(&text)?;
        Ok(Issuer { text, url })
    }
}

impl From<Issuer> for String {
    fn from(issuer: Issuer) -> String {
        issuer.text
    }
}

/// A native app's redirect URI (RFC 8252 §7.3): plain http to a loopback address, kept as
/// written, since servers compare it letter for letter. Without a port, the listener picks an
/// ephemeral one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RedirectUri {
    text: String,
    url: Url,
}

/// Why a URI is not acceptable as a redirect URI.
#[derive(Debug, thiserror::Error)]
pub enum RedirectUriError {
    /// Not a URL at all.
    #[error("redirect_uri `{uri}` is not a valid URL: {reason}")]
    Invalid {
        /// What was given.
        uri: String,
        /// Why it does not parse.
        reason: url::ParseError,
    },
    /// Not http(s), or not to a loopback address.
    #[error(
        "the redirect URI `{0}` is not a loopback http URL; use one like http://127.0.0.1:8765/callback (RFC 8252 §7.3), or an https one such as https://localhost:8765/callback for a server that refuses http"
    )]
    NotLoopback(String),
}

/// Where the redirect goes when the profile names no redirect URI.
const EPHEMERAL_REDIRECT: &str = "http://127.0.0.1/callback";

impl RedirectUri {
    /// Parses and checks a redirect URI: an http URL to 127.0.0.1 (any of 127/8), ::1 or
    /// localhost; or such an https URL, for a server that refuses http redirects (Slack),
    /// which nothing on this machine answers: the person pastes the address the browser was
    /// sent to ([`RedirectUri::is_pasted`]).
    pub fn parse(text: &str) -> Result<RedirectUri, RedirectUriError> {
        let url = Url::parse(text).map_err(|reason| RedirectUriError::Invalid { uri: text.to_string(), reason })?;
        if !matches!(url.scheme(), "http" | "https") || !is_loopback(&url) {
            return Err(RedirectUriError::NotLoopback(text.to_string()));
        }
        Ok(RedirectUri { text: text.to_string(), url })
    }

    /// The redirect URI as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether the redirect is https, which oat's listener (plain http, with no certificate a
    /// browser would trust) cannot receive: the address the browser shows is pasted instead.
    pub fn is_pasted(&self) -> bool {
        self.url.scheme() == "https"
    }

    /// The same URI with another port (`oat login --port`).
    pub fn with_port(&self, port: u16) -> RedirectUri {
        let mut url = self.url.clone();
        // An http URL with a host always takes a port.
        let _ = url.set_port(Some(port));
        RedirectUri { text: url.to_string(), url }
    }
}

/// `http://127.0.0.1/callback`: a loopback port chosen when the listener binds.
impl Default for RedirectUri {
    fn default() -> RedirectUri {
        // A constant that the tests parse; nothing a user or server wrote.
        RedirectUri::parse(EPHEMERAL_REDIRECT).expect("the default redirect URI is a loopback http URL")
    }
}

impl fmt::Display for RedirectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl TryFrom<String> for RedirectUri {
    type Error = RedirectUriError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        RedirectUri::parse(&text)
    }
}

impl From<RedirectUri> for String {
    fn from(uri: RedirectUri) -> String {
        uri.text
    }
}

/// Whether a URL points at this machine's loopback interface.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        assert!(Endpoint::parse("https://example.com/token").is_ok());
        assert!(Endpoint::parse("http://127.0.0.1:8080/token").is_ok());
        assert!(Endpoint::parse("http://[::1]:8080/token").is_ok());
        assert!(Endpoint::parse("http://localhost/token").is_ok());
        assert!(matches!(Endpoint::parse("http://example.com/token"), Err(EndpointError::PlainHttp(_))));
        assert!(matches!(Endpoint::parse("ftp://example.com/"), Err(EndpointError::Scheme(_))));
        assert!(matches!(Endpoint::parse("not a url"), Err(EndpointError::Invalid { .. })));
    }

    #[test]
    fn an_issuer_keeps_the_endpoint_rule_and_its_spelling() {
        let issuer = Issuer::parse("https://as.example").unwrap();
        assert_eq!(issuer.to_string(), "https://as.example", "as written, not as the URL parser spells it");
        assert_eq!(issuer.url().as_str(), "https://as.example/");
        assert!(Issuer::parse("http://127.0.0.1:3000").is_ok());
        assert!(matches!(Issuer::parse("http://as.example"), Err(EndpointError::PlainHttp(_))));
        assert!(matches!(Issuer::parse("as.example"), Err(EndpointError::Invalid { .. })));
        assert_eq!(String::from(Issuer::parse("https://as.example/").unwrap()), "https://as.example/");
    }

    #[test]
    fn issuers_compare_without_a_trailing_slash() {
        let issuer = |text| Issuer::parse(text).unwrap();
        assert_eq!(issuer("https://as.example/"), issuer("https://as.example"));
        assert_ne!(issuer("https://as.example/a"), issuer("https://as.example"));
        assert_ne!(issuer("https://AS.example"), issuer("https://as.example"), "the spelling counts, not the URL");
        assert!(issuer("https://as.example") == *"https://as.example/");
        assert!(issuer("https://as.example/") == *"https://as.example");
        assert!(issuer("https://as.example") != *"https://evil.example");
        assert!(issuer("https://as.example") != *"");
    }

    #[test]
    fn only_loopback_http_redirects_are_accepted() {
        for bad in ["https://example.com/cb", "http://example.com/cb", "http://10.0.0.1/cb", "ftp://127.0.0.1/cb"] {
            assert!(matches!(RedirectUri::parse(bad), Err(RedirectUriError::NotLoopback(_))), "{bad}");
        }
        for good in ["http://127.0.0.1:8765/callback", "http://[::1]/cb", "http://localhost", "http://127.3.2.1/"] {
            assert_eq!(RedirectUri::parse(good).unwrap().to_string(), good, "kept as written");
            assert!(!RedirectUri::parse(good).unwrap().is_pasted());
        }
        // A server that refuses http redirects (Slack): https to loopback, received by pasting.
        assert!(RedirectUri::parse("https://localhost:7896/callback").unwrap().is_pasted());
        let err = RedirectUri::parse("127.0.0.1:8080").unwrap_err();
        let RedirectUriError::Invalid { reason, .. } = &err else { panic!("{err}") };
        assert_eq!(err.to_string(), format!("redirect_uri `127.0.0.1:8080` is not a valid URL: {reason}"));
        assert_eq!(
            RedirectUri::parse("http://example.com/cb").unwrap_err().to_string(),
            "the redirect URI `http://example.com/cb` is not a loopback http URL; use one like \
             http://127.0.0.1:8765/callback (RFC 8252 §7.3), or an https one such as \
             https://localhost:8765/callback for a server that refuses http"
        );
    }

    #[test]
    fn a_redirect_uri_takes_another_port() {
        let ephemeral = RedirectUri::default();
        assert_eq!((ephemeral.as_str(), ephemeral.url().port()), (EPHEMERAL_REDIRECT, None));
        let fixed = ephemeral.with_port(8765);
        assert_eq!(fixed.url().as_str(), "http://127.0.0.1:8765/callback");
        assert_eq!(RedirectUri::parse("http://localhost").unwrap().with_port(1).as_str(), "http://localhost:1/");
    }
}
