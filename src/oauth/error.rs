//! OAuth error responses (RFC 6749 §5.2, §4.1.2.1) and the ways a protocol exchange fails.

use serde::Deserialize;
use std::fmt;

/// An OAuth `error` code; the registered ones by name, anything else kept as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// `invalid_request`
    InvalidRequest,
    /// `invalid_client`
    InvalidClient,
    /// `invalid_grant`
    InvalidGrant,
    /// `unauthorized_client`
    UnauthorizedClient,
    /// `unsupported_grant_type`
    UnsupportedGrantType,
    /// `invalid_scope`
    InvalidScope,
    /// `access_denied`
    AccessDenied,
    /// `authorization_pending` (RFC 8628 §3.5)
    AuthorizationPending,
    /// `slow_down` (RFC 8628 §3.5)
    SlowDown,
    /// `expired_token` (RFC 8628 §3.5)
    ExpiredToken,
    /// Anything else.
    Other(String),
}

impl ErrorCode {
    /// Reads a code as sent on the wire.
    pub fn parse(code: &str) -> ErrorCode {
        match code {
            "invalid_request" => ErrorCode::InvalidRequest,
            "invalid_client" => ErrorCode::InvalidClient,
            "invalid_grant" => ErrorCode::InvalidGrant,
            "unauthorized_client" => ErrorCode::UnauthorizedClient,
            "unsupported_grant_type" => ErrorCode::UnsupportedGrantType,
            "invalid_scope" => ErrorCode::InvalidScope,
            "access_denied" => ErrorCode::AccessDenied,
            "authorization_pending" => ErrorCode::AuthorizationPending,
            "slow_down" => ErrorCode::SlowDown,
            "expired_token" => ErrorCode::ExpiredToken,
            other => ErrorCode::Other(other.to_string()),
        }
    }

    /// The code as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::AuthorizationPending => "authorization_pending",
            ErrorCode::SlowDown => "slow_down",
            ErrorCode::ExpiredToken => "expired_token",
            ErrorCode::Other(code) => code,
        }
    }
}

/// An error the server answered with (RFC 6749 §5.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    /// The `error` code.
    pub code: ErrorCode,
    /// `error_description`, if sent.
    pub description: Option<String>,
    /// `error_uri`, if sent.
    pub uri: Option<String>,
}

impl OAuthError {
    /// An error with a code and an optional description.
    pub fn new(code: &str, description: Option<String>) -> Self {
        OAuthError { code: ErrorCode::parse(code), description, uri: None }
    }

    /// What to do about errors whose fix is known.
    pub fn hint(&self) -> Option<&'static str> {
        match self.code.as_str() {
            "device_flow_disabled" => Some("switch on \"Enable Device Flow\" in the app's settings"),
            "invalid_client" => Some("check the client id, its secret (or key or certificate) and --client-auth"),
            // RFC 9449 §5; Okta's apps that require DPoP refuse token requests without a proof.
            "invalid_dpop_proof" => Some(
                "if the client requires DPoP, bind the profile's tokens to a key: `oat profile add NAME … --dpop --force`",
            ),
            _ => None,
        }
    }

    /// Reads the error out of a JSON or form body, if it is one.
    pub fn from_fields(fields: &[(String, String)]) -> Option<Self> {
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let code = get("error").filter(|c| !c.is_empty())?;
        Some(OAuthError {
            code: ErrorCode::parse(&code),
            description: get("error_description").filter(|d| !d.is_empty()),
            uri: get("error_uri").filter(|u| !u.is_empty()),
        })
    }
}

/// The parameters of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3), e.g.
/// `Bearer realm="api", error="invalid_token", error_description="expired"`, or of a `DPoP …`
/// challenge (RFC 9449 §7.1), which has the same parameters.
pub fn bearer_challenge(header: &str) -> Option<Vec<(String, String)>> {
    let (scheme, rest) = header.trim().split_once(char::is_whitespace).unwrap_or((header.trim(), ""));
    // A DPoP challenge (RFC 9449 §7.1) has the same parameters.
    if !scheme.eq_ignore_ascii_case("bearer") && !scheme.eq_ignore_ascii_case("dpop") {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = rest.trim_start();
    while let Some((name, after)) = rest.split_once('=') {
        let name = name.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (value, tail) = match after.strip_prefix('"') {
            Some(quoted) => {
                let mut value = String::new();
                let mut chars = quoted.char_indices();
                let mut end = quoted.len();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next().map(|(_, c)| c)),
                        '"' => {
                            end = i + 1;
                            break;
                        }
                        c => value.push(c),
                    }
                }
                (value, &quoted[end..])
            }
            None => {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim().to_string(), &after[end..])
            }
        };
        params.push((name, value));
        rest = tail.trim_start().trim_start_matches(',').trim_start();
    }
    Some(params)
}

impl OAuthError {
    /// The error of a `WWW-Authenticate: Bearer` challenge, if it carries one.
    pub fn from_challenge(header: &str) -> Option<OAuthError> {
        OAuthError::from_fields(&bearer_challenge(header)?)
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_sent())?;
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// An [`OAuthError`] as the server sent it, without oat's hint (for a caller with a better one).
pub struct AsSent<'a>(&'a OAuthError);

impl OAuthError {
    /// The error as the server sent it, shown without oat's hint.
    pub fn as_sent(&self) -> AsSent<'_> {
        AsSent(self)
    }
}

impl fmt::Display for AsSent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Server text is shown on one line; control characters could rewrite the terminal.
        let clean = |s: &str| s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>();
        f.write_str(&clean(self.0.code.as_str()))?;
        if let Some(d) = &self.0.description {
            write!(f, ": {}", clean(d))?;
        }
        if let Some(u) = &self.0.uri {
            write!(f, " (see {})", clean(u))?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for OAuthError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            error: String,
            error_description: Option<String>,
            error_uri: Option<String>,
        }
        let w = Wire::deserialize(deserializer)?;
        Ok(OAuthError { code: ErrorCode::parse(&w.error), description: w.error_description, uri: w.error_uri })
    }
}

/// How a protocol exchange with an endpoint failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with an OAuth error.
    #[error("{0}")]
    Server(OAuthError),
    /// No usable answer (network, TLS, timeout).
    #[error(transparent)]
    Transport(#[from] crate::http::Error),
    /// An HTTP error status without an OAuth error in the body.
    #[error("{endpoint} answered HTTP {status}{detail}")]
    Status {
        /// Which endpoint (its URL).
        endpoint: String,
        /// The status code.
        status: u16,
        /// A short excerpt of the body, if readable.
        detail: String,
    },
    /// A client assertion could not be signed.
    #[error("cannot sign the client assertion: {0}")]
    Sign(String),
    /// The client assertion could not be read from its source.
    #[error("reading the client assertion")]
    Assertion(#[from] crate::source::Error),
    /// A DPoP proof could not be made.
    #[error(transparent)]
    Dpop(#[from] super::dpop::Error),
    /// A 2xx answer that is not what the protocol says it must be.
    #[error("{endpoint} answered something oat cannot read: {reason}")]
    Parse {
        /// Which endpoint (its URL).
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl Error {
    /// An HTTP error status without an OAuth error, with an excerpt of what came back.
    pub fn status(endpoint: &crate::config::Endpoint, response: &crate::http::Response) -> Error {
        let detail = match response.header("location") {
            Some(to) if (300..400).contains(&response.status) => {
                let to = url::Url::parse(to).map_or_else(|_| to.to_string(), |u| crate::redact::url(&u));
                format!(", a redirect to {to}; oat does not follow redirects for OAuth endpoints: is the URL right?")
            }
            _ => excerpt(&response.body),
        };
        Error::Status { endpoint: endpoint.to_string(), status: response.status, detail }
    }
}

/// The first line of a body, shortened, for error messages about unexpected answers.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return String::new();
    }
    // An answer that names a token field may carry one: it is described, never quoted.
    let lower = line.to_ascii_lowercase();
    if ["access_token", "refresh_token", "id_token", "device_code", "client_secret", "assertion"]
        .iter()
        .any(|field| lower.contains(field))
    {
        return format!(" ({} bytes that mention token fields; run with -v to see them redacted)", body.len());
    }
    let short: String = line.chars().take(160).collect();
    let ellipsis = if line.chars().count() > 160 { "…" } else { "" };
    format!(": {short}{ellipsis}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_code_and_description() {
        let e = OAuthError::new("invalid_grant", Some("token revoked".into()));
        assert_eq!(e.to_string(), "invalid_grant: token revoked");
        assert_eq!(e.code, ErrorCode::InvalidGrant);
        assert_eq!(OAuthError::new("weird", None).code, ErrorCode::Other("weird".into()));
    }

    #[test]
    fn bearer_challenges_are_read() {
        let p =
            bearer_challenge(r#"Bearer realm="api", error="invalid_token", error_description="the \"token\" expired""#)
                .unwrap();
        assert_eq!(p[0], ("realm".into(), "api".into()));
        assert_eq!(p[1], ("error".into(), "invalid_token".into()));
        assert_eq!(p[2].1, "the \"token\" expired");
        assert_eq!(
            OAuthError::from_challenge("Bearer error=invalid_token").unwrap().code,
            ErrorCode::Other("invalid_token".into())
        );
        assert!(OAuthError::from_challenge(r#"Bearer realm="api""#).is_none());
        assert!(bearer_challenge(r#"Basic realm="x""#).is_none());
        let dpop = OAuthError::from_challenge(r#"DPoP error="use_dpop_nonce", algs="ES256""#).unwrap();
        assert_eq!(dpop.code.as_str(), "use_dpop_nonce");
        assert_eq!(bearer_challenge("Bearer").unwrap(), vec![]);
    }

    #[test]
    fn excerpts_never_quote_a_token() {
        assert_eq!(excerpt(b"<h1>Bad  Gateway</h1>\n"), ": <h1>Bad Gateway</h1>");
        let leaky = excerpt(br#"{"access_token": "secret-at", "token_type":"#);
        assert!(!leaky.contains("secret-at") && leaky.contains("mention token fields"), "{leaky}");
    }

    #[test]
    fn server_text_cannot_break_the_line() {
        let e = OAuthError::new("access_denied", Some("no\n\x1b[31mred".into()));
        assert!(!e.to_string().contains('\n') && !e.to_string().contains('\x1b'));
    }
}
