//! The device authorization grant (RFC 8628): the device authorization request (§3.1–3.2) and
//! one poll of the token endpoint (§3.4–3.5).

use super::token::{self, ClientCredentials, Grant, TokenResponse};
use super::{Error, ErrorCode};
use crate::config::Endpoint;
use crate::http::Http;
use crate::redact::Secret;
use serde_json::Value;

/// The answer to a device authorization request (RFC 8628 §3.2).
#[derive(Debug)]
pub struct DeviceAuthorization {
    /// `device_code`, for polling.
    pub device_code: Secret<String>,
    /// `user_code`, for the person to type.
    pub user_code: String,
    /// `verification_uri` (Google names it `verification_url`).
    pub verification_uri: String,
    /// `verification_uri_complete`, with the user code in it.
    pub verification_uri_complete: Option<String>,
    /// Seconds until the codes expire.
    pub expires_in: u64,
    /// Seconds between polls (5 when the server does not say, §3.2).
    pub interval: u64,
}

/// One poll's outcome (§3.5).
#[derive(Debug)]
pub enum Poll {
    /// `authorization_pending`: ask again after the interval.
    Pending,
    /// `slow_down`: add 5 seconds to the interval.
    SlowDown,
    /// The person approved.
    Done(Box<TokenResponse>),
}

/// How a server names the scopes of its device flow: `scope` (RFC 8628 §3.1), or `scopes`
/// (Twitch), which it wants again in every poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeParam {
    /// `scope` in the device authorization request only.
    Scope,
    /// `scopes` in the device authorization request and in every poll.
    Scopes,
}

impl ScopeParam {
    fn name(self) -> &'static str {
        match self {
            ScopeParam::Scope => "scope",
            ScopeParam::Scopes => "scopes",
        }
    }
}

/// Requests a device code and user code.
pub fn authorize(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    scope: Option<&str>,
    scope_param: ScopeParam,
    authorization_details: Option<&str>,
) -> Result<DeviceAuthorization, Error> {
    let mut form = Vec::new();
    if let Some(scope) = scope {
        form.push((scope_param.name(), scope));
    }
    // RFC 9396 §3: any authorization request may carry them.
    if let Some(details) = authorization_details {
        form.push(("authorization_details", details));
    }
    let response = token::post(http, endpoint, client, form)?;
    let fields = token::fields(&response);
    if let Some(err) = fields.as_deref().and_then(token::error_in) {
        return Err(Error::Server(err));
    }
    if !(200..300).contains(&response.status) {
        return Err(Error::status(endpoint, &response));
    }
    let unreadable = |reason: String| Error::Parse { endpoint: endpoint.to_string(), reason };
    let fields = fields.ok_or_else(|| unreadable("neither JSON nor form-encoded".into()))?;
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let string = |name: &str| get(name).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let number =
        |name: &str| get(name).and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())));
    let required = |name: &str| string(name).ok_or_else(|| unreadable(format!("no {name} in the answer")));
    Ok(DeviceAuthorization {
        device_code: Secret::new(required("device_code")?),
        user_code: required("user_code")?,
        verification_uri: string("verification_uri")
            .or_else(|| string("verification_url"))
            .ok_or_else(|| unreadable("no verification_uri in the answer".into()))?,
        verification_uri_complete: string("verification_uri_complete").or_else(|| string("verification_url_complete")),
        expires_in: number("expires_in").unwrap_or(600),
        interval: number("interval").filter(|&i| i > 0).unwrap_or(5),
    })
}

/// Polls the token endpoint once (with the scopes again when `scope_param` says so).
pub fn poll(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    device_code: &Secret<String>,
    scope: Option<&str>,
    scope_param: ScopeParam,
) -> Result<Poll, Error> {
    let answer = match (scope, scope_param) {
        (Some(scope), ScopeParam::Scopes) => {
            let form = vec![
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", device_code.expose().as_str()),
                ("scopes", scope),
            ];
            token::post(http, endpoint, client, form).and_then(|response| token::parse(endpoint, &response))
        }
        _ => token::request(http, endpoint, client, &Grant::DeviceCode(device_code)),
    };
    match answer {
        Ok(response) => Ok(Poll::Done(Box::new(response))),
        Err(Error::Server(e)) if e.code == ErrorCode::AuthorizationPending => Ok(Poll::Pending),
        Err(Error::Server(e)) if e.code == ErrorCode::SlowDown => Ok(Poll::SlowDown),
        Err(e) => Err(e),
    }
}
