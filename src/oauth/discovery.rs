//! Server metadata: OpenID Connect Discovery 1.0 §4 (`/.well-known/openid-configuration`
//! appended to the issuer), then RFC 8414 §3 (`/.well-known/oauth-authorization-server`
//! inserted before the issuer's path). The document's `issuer` must be the one asked for.

use super::Error;
use crate::config::Issuer;
use crate::http::{Http, Method, Request, Response};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

/// The metadata fields `oat` uses; the whole document is kept in [`Discovery::document`].
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    /// `device_authorization_endpoint` (RFC 8628 §4).
    pub device_authorization_endpoint: Option<String>,
    /// `revocation_endpoint` (RFC 8414 §2).
    pub revocation_endpoint: Option<String>,
    /// `introspection_endpoint` (RFC 8414 §2).
    pub introspection_endpoint: Option<String>,
    /// `userinfo_endpoint` (OpenID Connect Discovery §3).
    pub userinfo_endpoint: Option<String>,
    /// `jwks_uri`: the keys that sign the server's tokens.
    pub jwks_uri: Option<String>,
    /// `authorization_response_iss_parameter_supported` (RFC 9207 §3).
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    /// `token_endpoint_auth_methods_supported`.
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// `code_challenge_methods_supported` (RFC 8414 §2).
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
    /// `pushed_authorization_request_endpoint` (RFC 9126 §5).
    pub pushed_authorization_request_endpoint: Option<String>,
    /// `require_pushed_authorization_requests` (RFC 9126 §5).
    #[serde(default)]
    pub require_pushed_authorization_requests: bool,
    /// `request_object_signing_alg_values_supported` (RFC 9101 §10.5).
    #[serde(default)]
    pub request_object_signing_alg_values_supported: Vec<String>,
    /// `authorization_signing_alg_values_supported` (JARM §6).
    #[serde(default)]
    pub authorization_signing_alg_values_supported: Vec<String>,
    /// `response_modes_supported` (RFC 8414 §2).
    #[serde(default)]
    pub response_modes_supported: Vec<String>,
    /// `mtls_endpoint_aliases` (RFC 8705 §5).
    #[serde(default)]
    pub mtls_endpoint_aliases: Option<super::mtls::Aliases>,
    /// `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.3).
    #[serde(default)]
    pub tls_client_certificate_bound_access_tokens: bool,
    /// `authorization_details_types_supported` (RFC 9396 §10); `None` when the server does
    /// not say (it may not support RAR at all).
    #[serde(default)]
    pub authorization_details_types_supported: Option<Vec<String>>,
}

/// A metadata document and where it came from.
#[derive(Debug)]
pub struct Discovery {
    /// The fields `oat` uses.
    pub metadata: Metadata,
    /// The whole document, as served.
    pub document: Value,
    /// The URL that answered.
    pub url: Url,
    /// The answer's `Date` header: the server's clock.
    pub date: Option<String>,
    /// The certificate the server presented, when it answered over TLS.
    pub certificate: Option<crate::x509::Summary>,
}

/// Whether the server takes DPoP proofs signed ES256, the one algorithm oat signs them with
/// (`dpop_signing_alg_values_supported`, RFC 9449 §5.1).
pub fn supports_dpop(document: &Value) -> bool {
    document
        .get("dpop_signing_alg_values_supported")
        .and_then(Value::as_array)
        .is_some_and(|algs| algs.iter().any(|a| a.as_str() == Some(super::dpop::ALGORITHM)))
}

/// The two well-known URLs for an issuer, in the order they are tried.
pub fn candidates(issuer: &Url) -> Vec<Url> {
    let path = issuer.path().trim_end_matches('/');
    let mut oidc = issuer.clone();
    oidc.set_path(&format!("{path}/.well-known/openid-configuration"));
    oidc.set_query(None);
    let mut rfc8414 = issuer.clone();
    rfc8414.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    rfc8414.set_query(None);
    vec![oidc, rfc8414]
}

/// How [`fetch`] says that neither well-known URL answered with metadata.
const NO_METADATA: &str = "no metadata found";

/// Fetches the metadata of `issuer`, trying OpenID Connect Discovery first, then RFC 8414; a
/// document naming another issuer is refused (RFC 8414 §3.3).
pub fn discover(http: &Http, issuer: &Issuer) -> Result<Discovery, Error> {
    let found = fetch(http, issuer).map_err(|e| match e {
        Error::Parse { endpoint, reason } if reason.starts_with(NO_METADATA) => Error::Parse {
            endpoint,
            reason: format!("{reason}; pass the endpoints with --auth-url and --token-url instead"),
        },
        e => e,
    })?;
    if *issuer != *found.metadata.issuer {
        return Err(Error::Parse {
            endpoint: found.url.to_string(),
            reason: format!(
                "its issuer is `{}`, not `{issuer}`; use exactly the issuer the server names",
                found.metadata.issuer
            ),
        });
    }
    Ok(found)
}

/// The first metadata document found at the well-known URLs of `issuer`, whichever issuer it
/// names: for a caller that judges that itself (`oat audit`).
pub fn fetch(http: &Http, issuer: &Issuer) -> Result<Discovery, Error> {
    let mut failures = Vec::new();
    for url in candidates(issuer.url()) {
        let response = http.send(&Request {
            method: Method::GET,
            url: &url,
            authorization: None,
            form: &[],
            origin: None,
            dpop: None,
        })?;
        match read(&response) {
            Ok(document) => {
                let metadata: Metadata = serde_json::from_value(document.clone())
                    .map_err(|e| Error::Parse { endpoint: url.to_string(), reason: e.to_string() })?;
                let date = response.header("date").map(str::to_string);
                return Ok(Discovery { metadata, document, url, date, certificate: response.certificate });
            }
            Err(reason) => failures.push(format!("{url} ({reason})")),
        }
    }
    Err(Error::Parse { endpoint: issuer.url().to_string(), reason: format!("{NO_METADATA}: {}", failures.join(", ")) })
}

/// Fetches a JSON Web Key Set (RFC 7517 §5).
pub fn jwks(http: &Http, url: &Url) -> Result<Value, Error> {
    let response =
        http.send(&Request { method: Method::GET, url, authorization: None, form: &[], origin: None, dpop: None })?;
    read(&response).map_err(|reason| Error::Parse { endpoint: url.to_string(), reason })
}

fn read(response: &Response) -> Result<Value, String> {
    if response.status != 200 {
        return Err(format!("HTTP {}", response.status));
    }
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(doc @ Value::Object(_)) => Ok(doc),
        Ok(_) => Err("not a JSON object".into()),
        Err(_) => Err(format!("not JSON{}", super::error::excerpt(&response.body))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_urls_follow_both_specs() {
        let urls = candidates(&Url::parse("https://as.example/tenant/1/").unwrap());
        assert_eq!(urls[0].as_str(), "https://as.example/tenant/1/.well-known/openid-configuration");
        assert_eq!(urls[1].as_str(), "https://as.example/.well-known/oauth-authorization-server/tenant/1");
        let urls = candidates(&Url::parse("http://127.0.0.1:3000").unwrap());
        assert_eq!(urls[0].as_str(), "http://127.0.0.1:3000/.well-known/openid-configuration");
        assert_eq!(urls[1].as_str(), "http://127.0.0.1:3000/.well-known/oauth-authorization-server");
    }
}
