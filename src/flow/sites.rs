//! Atlassian's sites: right after a login, `accessible-resources` on the API host lists the
//! sites (Jira, Confluence) the new token reaches. The first one's cloud id, URL and name are
//! stored with the tokens (`api_values` `cloud_id`, `cloud_url`, `cloud_name`) and fill the
//! profile's API base (`https://api.atlassian.com/ex/jira/{cloud_id}`). Refreshes keep them.

use super::{Notice, Ports};
use crate::config::{Endpoint, NamedProfile};
use crate::http::{Method, Request};
use crate::oauth::Tokens;
use crate::redact::Secret;
use serde::Deserialize;

/// Where the API host lists the sites of a token.
const RESOURCES: &str = "/oauth/token/accessible-resources";

/// A site a token reaches, as `accessible-resources` names it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Site {
    /// The cloud id.
    pub id: String,
    /// `https://NAME.atlassian.net`.
    pub url: String,
    pub name: String,
}

/// Learns the site of a new login when the profile's API base needs a cloud id, and keeps it
/// in `tokens`. What goes wrong is a notice, not an error: the login stands, and the API base
/// lacks its cloud id until the next one.
pub fn learn(ports: &Ports<'_>, profile: &NamedProfile<'_>, tokens: &mut Tokens) {
    let Some(base) = profile.api_base.as_deref().filter(|b| b.contains("{cloud_")) else { return };
    let found = resources_url(base).and_then(|endpoint| fetch(ports, &endpoint, tokens));
    match found {
        Ok(sites) if !sites.is_empty() => {
            let (chosen, others) = (&sites[0], &sites[1..]);
            for (key, value) in [("cloud_id", &chosen.id), ("cloud_url", &chosen.url), ("cloud_name", &chosen.name)] {
                tokens.api_values.insert(key.to_string(), value.clone());
            }
            (ports.notify)(Notice::Site { profile: profile.name, chosen, others, api_base: base });
        }
        Ok(_) => (ports.notify)(Notice::NoSite {
            profile: profile.name,
            reason: "the token reaches no site; grant the app access to one at the consent screen",
        }),
        Err(reason) => (ports.notify)(Notice::NoSite { profile: profile.name, reason: &reason }),
    }
}

/// `accessible-resources` on the host of the API base (api.atlassian.com, or a stand-in).
fn resources_url(base: &str) -> Result<Endpoint, String> {
    let origin = url::Url::parse(base).map_err(|e| format!("the API base {base} is not a URL: {e}"))?.origin();
    Endpoint::parse(&format!("{}{RESOURCES}", origin.ascii_serialization())).map_err(|e| e.to_string())
}

/// The sites the access token reaches, in the order the server lists them.
fn fetch(ports: &Ports<'_>, endpoint: &Endpoint, tokens: &Tokens) -> Result<Vec<Site>, String> {
    let authorization = Secret::new(format!("{} {}", tokens.scheme(), tokens.access_token.expose()));
    let request = Request {
        method: Method::GET,
        url: endpoint.url(),
        authorization: Some(authorization),
        form: &[],
        origin: None,
        dpop: None,
    };
    let response = ports.http.send(&request).map_err(|e| format!("{endpoint}: {e}"))?;
    if !(200..300).contains(&response.status) {
        return Err(format!(
            "{endpoint} answered HTTP {}{}",
            response.status,
            crate::oauth::error::excerpt(&response.body)
        ));
    }
    parse(&response.body).map_err(|e| format!("{endpoint} answered what is not a list of sites: {e}"))
}

/// The sites in an `accessible-resources` answer (`scopes`, `avatarUrl` and the rest ignored).
fn parse(body: &[u8]) -> Result<Vec<Site>, serde_json::Error> {
    serde_json::from_slice(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_are_read_in_order_and_found_on_the_api_host() {
        let body = br#"[{"id":"1324a887-45db-1bf4-1e99-ef0ff456d421","name":"Acme","url":"https://acme.atlassian.net",
            "scopes":["read:jira-work"],"avatarUrl":"https://x/flag.png"},{"id":"2","name":"Beta","url":"https://beta.atlassian.net","scopes":[]}]"#;
        let sites = parse(body).unwrap();
        assert_eq!(sites.len(), 2);
        assert_eq!((sites[0].id.as_str(), sites[0].name.as_str()), ("1324a887-45db-1bf4-1e99-ef0ff456d421", "Acme"));
        assert!(parse(br#"{"code":401,"message":"Unauthorized"}"#).is_err());
        let url = |base| resources_url(base).map(|e| e.to_string());
        assert_eq!(
            url("https://api.atlassian.com/ex/jira/{cloud_id}").unwrap(),
            "https://api.atlassian.com/oauth/token/accessible-resources"
        );
        assert_eq!(
            url("http://127.0.0.1:8080/ex/jira/{cloud_id}").unwrap(),
            "http://127.0.0.1:8080/oauth/token/accessible-resources"
        );
        assert!(url("http://api.example/ex/jira/{cloud_id}").is_err(), "plain http only on loopback");
    }
}
