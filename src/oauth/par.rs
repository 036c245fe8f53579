//! Pushed authorization requests (RFC 9126): the authorization request's parameters POSTed to
//! the PAR endpoint with the client's authentication (§2.1), the `request_uri` that comes back
//! (§2.2) or the error (§2.3), and the authorization URL that then carries only `client_id`
//! and `request_uri` (§4). When to push is flow's decision.

use super::Error;
use super::token::{self, ClientCredentials};
use crate::config::Endpoint;
use crate::http::{Http, Method, Request, Response};
use serde_json::Value;
use url::Url;

/// The server's answer to a pushed request (RFC 9126 §2.2).
#[derive(Debug)]
pub struct PushedRequest {
    /// `request_uri`: the reference the browser carries to the authorization endpoint.
    pub request_uri: String,
    /// `expires_in`: how long the reference is good for, in seconds.
    pub expires_in: Option<u64>,
}

/// Pushes the authorization request's `parameters` to `endpoint`, authenticated as at the
/// token endpoint; `client_id` is sent once, by the authentication if it carries one.
pub fn push(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    parameters: &[(String, String)],
) -> Result<PushedRequest, Error> {
    let auth = token::authenticate(http, client, endpoint)?;
    let auth_has_id = auth.fields.iter().any(|(k, _)| *k == "client_id");
    let mut form: Vec<(&str, &str)> = parameters
        .iter()
        .filter(|(k, _)| !(auth_has_id && k == "client_id"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.extend(auth.fields.iter().map(|(k, v)| (*k, v.expose().as_str())));
    let response = http.send(&Request {
        method: Method::POST,
        url: endpoint.url(),
        authorization: auth.header,
        form: &form,
        origin: client.origin.as_deref(),
        // The code is bound to the key at the token endpoint; a proof here (RFC 9449 §10.1)
        // is optional.
        dpop: None,
    })?;
    parse(endpoint, &response)
}

/// Reads the PAR endpoint's answer: 201 with `request_uri`, or an OAuth error.
pub fn parse(endpoint: &Endpoint, response: &Response) -> Result<PushedRequest, Error> {
    let fields = token::fields(response);
    if let Some(err) = fields.as_deref().and_then(token::error_in) {
        return Err(Error::Server(err));
    }
    if !(200..300).contains(&response.status) {
        return Err(Error::status(endpoint, response));
    }
    let unreadable = |reason: &str| Error::Parse { endpoint: endpoint.to_string(), reason: reason.to_string() };
    let fields = fields.ok_or_else(|| unreadable("the answer is not a JSON object"))?;
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let request_uri = get("request_uri")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| unreadable("no request_uri in the answer"))?;
    Ok(PushedRequest { request_uri: request_uri.to_string(), expires_in: get("expires_in").and_then(Value::as_u64) })
}

/// The authorization URL for a pushed request: `client_id` and `request_uri` only (§4).
pub fn url(authorization_endpoint: &Endpoint, client_id: &str, request_uri: &str) -> Url {
    super::authorize::with_query(
        authorization_endpoint,
        &[("client_id".into(), client_id.into()), ("request_uri".into(), request_uri.into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            ..Response::default()
        }
    }

    #[test]
    fn the_answer_is_a_request_uri_or_the_servers_error() {
        let endpoint = Endpoint::parse("https://as.example/par").unwrap();
        let ok = parse(&endpoint, &response(201, r#"{"request_uri":"urn:x:1","expires_in":60}"#)).unwrap();
        assert_eq!((ok.request_uri.as_str(), ok.expires_in), ("urn:x:1", Some(60)));
        let err = parse(&endpoint, &response(400, r#"{"error":"invalid_scope","error_description":"no"}"#));
        assert!(matches!(err, Err(Error::Server(e)) if e.to_string() == "invalid_scope: no"));
        assert!(matches!(parse(&endpoint, &response(201, "{}")), Err(Error::Parse { .. })));
        assert!(matches!(parse(&endpoint, &response(500, "{}")), Err(Error::Status { .. })));
    }

    #[test]
    fn the_browser_gets_only_the_client_id_and_the_reference() {
        let endpoint = Endpoint::parse("https://as.example/auth").unwrap();
        let u = url(&endpoint, "cli", "urn:ietf:params:oauth:request_uri:abc");
        assert_eq!(
            u.as_str(),
            "https://as.example/auth?client_id=cli&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc"
        );
    }
}
