//! The device authorization grant (RFC 8628): the device authorization request (§3.1–3.2) and
//! one poll of the token endpoint (§3.4–3.5); and Facebook Login for Devices, which plays the
//! same game in its own words (`/device/login`, `/device/login_status`, Graph errors).

use super::token::{self, ClientCredentials, Grant, TokenResponse};
use super::{Error, ErrorCode, OAuthError};
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
    read_authorization(endpoint, &response, "device_code")
}

/// A device authorization answer, its device code under `code_field`.
fn read_authorization(
    endpoint: &Endpoint,
    response: &crate::http::Response,
    code_field: &str,
) -> Result<DeviceAuthorization, Error> {
    let fields = token::fields(response);
    if let Some(err) = fields.as_deref().and_then(token::error_in) {
        return Err(Error::Server(err));
    }
    if !(200..300).contains(&response.status) {
        return Err(Error::status(endpoint, response));
    }
    let unreadable = |reason: String| Error::Parse { endpoint: endpoint.to_string(), reason };
    let fields = fields.ok_or_else(|| unreadable("neither JSON nor form-encoded".into()))?;
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let string = |name: &str| get(name).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let number =
        |name: &str| get(name).and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())));
    let required = |name: &str| string(name).ok_or_else(|| unreadable(format!("no {name} in the answer")));
    Ok(DeviceAuthorization {
        device_code: Secret::new(required(code_field)?),
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

/// Facebook's device login request ("Facebook Login for Devices"): `POST {graph}/device/login`
/// with `access_token=APP_ID|CLIENT_TOKEN` in place of client authentication, and `scope`
/// (comma-separated); the answer names the device code `code`.
pub fn facebook_authorize(
    http: &Http,
    endpoint: &Endpoint,
    app_token: &Secret<String>,
    scope: Option<&str>,
) -> Result<DeviceAuthorization, Error> {
    let mut form = vec![("access_token", app_token.expose().as_str())];
    form.extend(scope.map(|s| ("scope", s)));
    let response = send(http, endpoint, &form)?;
    read_authorization(endpoint, &response, "code")
}

/// Where Facebook's device login is polled: `{graph}/device/login_status`, next to the device
/// login endpoint.
pub fn facebook_status_endpoint(device: &Endpoint) -> Result<Endpoint, crate::config::EndpointError> {
    let mut url = device.url().clone();
    let path = format!("{}_status", url.path().trim_end_matches('/'));
    url.set_path(&path);
    Endpoint::parse(url.as_str())
}

/// Graph error subcodes of a device login poll: not yet approved, polling too often, and the
/// code expired.
const PENDING: i64 = 1_349_174;
const SLOW_DOWN: i64 = 1_349_172;
const EXPIRED: i64 = 1_349_152;

/// One poll of Facebook's device login: `POST {graph}/device/login_status` with
/// `access_token=APP_ID|CLIENT_TOKEN` and `code`; approval answers `access_token` and
/// `expires_in`, the rest are Graph errors told apart by their subcode.
pub fn facebook_poll(
    http: &Http,
    endpoint: &Endpoint,
    app_token: &Secret<String>,
    code: &Secret<String>,
) -> Result<Poll, Error> {
    let form = [("access_token", app_token.expose().as_str()), ("code", code.expose().as_str())];
    let response = send(http, endpoint, &form)?;
    if let Some(graph) = token::fields(&response).as_deref().and_then(token::graph_error) {
        return match graph.subcode {
            Some(PENDING) => Ok(Poll::Pending),
            Some(SLOW_DOWN) => Ok(Poll::SlowDown),
            Some(EXPIRED) => Err(Error::Server(OAuthError::new(ErrorCode::ExpiredToken.as_str(), graph.message))),
            _ => Err(Error::Server(graph.into_oauth())),
        };
    }
    token::parse(endpoint, &response).map(|r| Poll::Done(Box::new(r)))
}

/// POSTs a form without client authentication (the form carries its own).
fn send(http: &Http, endpoint: &Endpoint, form: &[(&str, &str)]) -> Result<crate::http::Response, Error> {
    Ok(http.send(&crate::http::Request {
        method: crate::http::Method::POST,
        url: endpoint.url(),
        authorization: None,
        form,
        origin: None,
        dpop: None,
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facebook_polls_next_to_its_device_login_endpoint() {
        let device = Endpoint::parse("https://graph.facebook.com/v24.0/device/login").unwrap();
        assert_eq!(
            facebook_status_endpoint(&device).unwrap().to_string(),
            "https://graph.facebook.com/v24.0/device/login_status"
        );
    }
}
