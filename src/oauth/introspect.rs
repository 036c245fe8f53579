//! Token introspection (RFC 7662) and the OpenID Connect userinfo request (Core §5.3): asking
//! the server what it thinks of a token.

use super::token::{self, ClientCredentials};
use super::{Error, OAuthError};
use crate::config::Endpoint;
use crate::http::{Http, Method, Request};
use crate::redact::Secret;
use serde_json::Value;

/// Introspects a token (RFC 7662 §2.1); the answer is the server's JSON, `active` and all.
pub fn introspect(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    token: &Secret<String>,
    hint: &str,
) -> Result<Value, Error> {
    let form = vec![("token", token.expose().as_str()), ("token_type_hint", hint)];
    let response = token::post(http, endpoint, client, form)?;
    if let Some(err) = token::fields(&response).as_deref().and_then(token::error_in) {
        return Err(Error::Server(err));
    }
    if response.status != 200 {
        return Err(Error::status(endpoint, &response));
    }
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(answer @ Value::Object(_)) if answer.get("active").is_some_and(Value::is_boolean) => Ok(answer),
        _ => Err(Error::Parse {
            endpoint: endpoint.to_string(),
            reason: "not an introspection answer (no boolean `active`)".into(),
        }),
    }
}

/// The userinfo claims for an access token (a JSON answer, or the claims of a JWT one).
pub fn userinfo(http: &Http, endpoint: &Endpoint, scheme: &str, token: &Secret<String>) -> Result<Value, Error> {
    let authorization = Some(Secret::new(format!("{scheme} {}", token.expose())));
    let response = http.send(&Request {
        method: Method::GET,
        url: endpoint.url(),
        authorization,
        form: &[],
        origin: None,
        dpop: None,
    })?;
    if let Some(err) = response.header("www-authenticate").and_then(OAuthError::from_challenge) {
        return Err(Error::Server(err));
    }
    if response.status != 200 {
        return Err(Error::status(endpoint, &response));
    }
    if response.content_type().as_deref() == Some("application/jwt") {
        let text = String::from_utf8_lossy(&response.body);
        return crate::jwt::decode(&text)
            .map(|jwt| Value::Object(jwt.claims))
            .map_err(|e| Error::Parse { endpoint: endpoint.to_string(), reason: e.to_string() });
    }
    serde_json::from_slice(&response.body)
        .map_err(|e| Error::Parse { endpoint: endpoint.to_string(), reason: format!("not JSON: {e}") })
}
