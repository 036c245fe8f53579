//! docker's credential helper protocol, as docker-credential-helpers' client speaks it
//! (`client/client.go`, `credentials/credentials.go`): the registry's server URL on stdin for
//! `get` and `erase`, `{"ServerURL","Username","Secret"}` as JSON for `get`'s answer and
//! `store`'s input, a JSON map of server URL → username for `list`; errors are one line on
//! stdout with exit 1, and docker recognises a few of them by their exact text. Also how
//! registries are named and which user name they expect; `config` edits docker's config.json.

pub mod config;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use url::Url;

/// The program docker runs for `"credHelpers": {"HOST": "oat"}`: `docker-credential-` + helper.
pub const PROGRAM: &str = "docker-credential-oat";

/// The helper's name in docker's `credHelpers`.
pub const HELPER: &str = "oat";

/// The answer docker takes as "no credentials here" (then it goes on without any).
pub const NOT_FOUND: &str = "credentials not found in native keychain";

/// The user name docker is given where neither the registry nor the profile names one: what
/// GitLab and Gitea take with an OAuth token, and what oat gives git too.
pub const DEFAULT_USERNAME: &str = "oauth2";

/// What docker sent cannot be understood; the messages are docker-credential-helpers' own,
/// which docker recognises.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// `get`, `erase` or `store` without a server URL.
    #[error("no credentials server URL")]
    NoServerUrl,
    /// `store` without a user name.
    #[error("no credentials username")]
    NoUsername,
    /// `store` input that is not the JSON of a credential.
    #[error("the credentials docker handed over are not JSON of ServerURL, Username and Secret: {0}")]
    Json(serde_json::Error),
}

/// The server URL of a `get` or `erase`: what docker wrote on stdin, its lines joined and
/// surrounding white space trimmed, as docker-credential-helpers reads it.
pub fn server_url(input: &str) -> Result<String, ProtocolError> {
    let joined: String = input.lines().collect();
    let url = joined.trim();
    if url.is_empty() { Err(ProtocolError::NoServerUrl) } else { Ok(url.to_string()) }
}

/// The answer to `get`.
#[derive(Debug, Serialize)]
pub struct Credentials<'a> {
    /// The server URL as docker sent it.
    #[serde(rename = "ServerURL")]
    pub server_url: &'a str,
    /// The user name.
    #[serde(rename = "Username")]
    pub username: &'a str,
    /// The password: here an access token.
    #[serde(rename = "Secret")]
    pub secret: &'a str,
}

impl Credentials<'_> {
    /// The JSON line docker reads.
    pub fn to_json(&self) -> String {
        // Three strings: serialising them cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What `store` hands over, without its secret (which oat does not keep, so does not read).
#[derive(Debug, Deserialize)]
struct Stored {
    #[serde(rename = "ServerURL", default)]
    server_url: String,
    #[serde(rename = "Username", default)]
    username: String,
}

/// Checks the input of `store` as docker-credential-helpers does (JSON, with a server URL and
/// a user name) and returns its server URL.
pub fn stored_server_url(input: &str) -> Result<String, ProtocolError> {
    let stored: Stored = serde_json::from_str(input.trim()).map_err(ProtocolError::Json)?;
    if stored.server_url.is_empty() {
        return Err(ProtocolError::NoServerUrl);
    }
    if stored.username.is_empty() {
        return Err(ProtocolError::NoUsername);
    }
    Ok(stored.server_url)
}

/// The answer to `list`: server URL → user name.
pub fn list_json(entries: &BTreeMap<String, String>) -> String {
    serde_json::to_string(entries).unwrap_or_else(|_| "{}".into())
}

/// The answer to `version`, in docker-credential-helpers' form: `NAME (PACKAGE) vVERSION`.
pub fn version_line(package: &str, version: &str) -> String {
    format!("{PROGRAM} ({package}) v{version}")
}

/// A registry as docker names it: `host`, `host:port`, or a URL (docker hands helpers the
/// host, and `https://index.docker.io/v1/` for Docker Hub).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    key: String,
    url: Url,
}

/// A registry name oat cannot use.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a registry: give its host (europe-docker.pkg.dev, 127.0.0.1:5000) or its https URL")]
pub struct RegistryError(pub String);

impl Registry {
    /// Parses a registry name. Without a scheme it is https, or http on a loopback host
    /// (where registries usually run without TLS).
    pub fn parse(text: &str) -> Result<Registry, RegistryError> {
        let text = text.trim();
        let bad = || RegistryError(text.to_string());
        let (mut url, explicit) = match text.split_once("://") {
            Some(_) => (Url::parse(text).map_err(|_| bad())?, true),
            None => (Url::parse(&format!("https://{text}")).map_err(|_| bad())?, false),
        };
        let usable = matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|h| !h.is_empty())
            && url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && url.fragment().is_none();
        if !usable || (!explicit && url.path() != "/") {
            return Err(bad());
        }
        if !explicit && is_loopback(&url) {
            url.set_scheme("http").map_err(|()| bad())?;
        }
        let host = url.host_str().ok_or_else(bad)?;
        let key = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        Ok(Registry { key, url })
    }

    /// The registry's key in docker's `credHelpers`: its host, with the port if one is given.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The URL a profile must serve to be chosen for the registry.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The user name the registry expects with an OAuth access token, if it has a convention:
    /// `oauth2accesstoken` for Google's Artifact Registry (`*-docker.pkg.dev`) and Container
    /// Registry (`gcr.io`, `*.gcr.io`).
    pub fn conventional_username(&self) -> Option<&'static str> {
        let host = self.url.host_str().unwrap_or_default().to_ascii_lowercase();
        let google = host.ends_with("-docker.pkg.dev") || host == "gcr.io" || host.ends_with(".gcr.io");
        google.then_some("oauth2accesstoken")
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_url_is_read_as_docker_credential_helpers_read_it() {
        assert_eq!(server_url("127.0.0.1:5000").unwrap(), "127.0.0.1:5000");
        assert_eq!(server_url(" https://index.docker.io/v1/\n").unwrap(), "https://index.docker.io/v1/");
        assert_eq!(server_url("europe-\r\ndocker.pkg.dev\n").unwrap(), "europe-docker.pkg.dev");
        for empty in ["", "\n", "  \n "] {
            assert_eq!(server_url(empty).unwrap_err().to_string(), "no credentials server URL");
        }
    }

    #[test]
    fn get_answers_with_the_field_names_docker_decodes() {
        let json = Credentials { server_url: "gcr.io", username: "oauth2accesstoken", secret: "ya29.\"x\"" }.to_json();
        assert_eq!(json, r#"{"ServerURL":"gcr.io","Username":"oauth2accesstoken","Secret":"ya29.\"x\""}"#);
    }

    #[test]
    fn store_input_is_checked_and_its_secret_not_kept() {
        // What docker's client writes: json.NewEncoder(…).Encode(creds), a line of JSON.
        let sent = "{\"ServerURL\":\"127.0.0.1:5000\",\"Username\":\"me\",\"Secret\":\"hunter2\"}\n";
        assert_eq!(stored_server_url(sent).unwrap(), "127.0.0.1:5000");
        let no_user = r#"{"ServerURL":"127.0.0.1:5000","Username":"","Secret":"s"}"#;
        assert_eq!(stored_server_url(no_user).unwrap_err().to_string(), "no credentials username");
        let no_url = r#"{"Username":"me","Secret":"s"}"#;
        assert_eq!(stored_server_url(no_url).unwrap_err().to_string(), "no credentials server URL");
        let junk = stored_server_url("hunter2").unwrap_err().to_string();
        assert!(junk.starts_with("the credentials docker handed over are not JSON") && !junk.contains("hunter2"));
    }

    #[test]
    fn list_and_version_have_docker_credential_helpers_shapes() {
        let entries = BTreeMap::from([("127.0.0.1:5000".to_string(), "oauth2".to_string())]);
        assert_eq!(list_json(&entries), r#"{"127.0.0.1:5000":"oauth2"}"#);
        assert_eq!(list_json(&BTreeMap::new()), "{}");
        assert_eq!(version_line("oat-cli", "1.2.3"), "docker-credential-oat (oat-cli) v1.2.3");
    }

    #[test]
    fn registries_are_https_urls_except_on_loopback() {
        let cases = [
            ("europe-docker.pkg.dev", "europe-docker.pkg.dev", "https://europe-docker.pkg.dev/"),
            ("registry.example:5000", "registry.example:5000", "https://registry.example:5000/"),
            ("127.0.0.1:5000", "127.0.0.1:5000", "http://127.0.0.1:5000/"),
            ("localhost:5000", "localhost:5000", "http://localhost:5000/"),
            ("[::1]:5000", "[::1]:5000", "http://[::1]:5000/"),
            ("https://127.0.0.1:5000", "127.0.0.1:5000", "https://127.0.0.1:5000/"),
            ("https://index.docker.io/v1/", "index.docker.io", "https://index.docker.io/v1/"),
            ("https://ghcr.io:443/", "ghcr.io", "https://ghcr.io/"),
        ];
        for (text, key, url) in cases {
            let registry = Registry::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((registry.key(), registry.url().as_str()), (key, url), "{text}");
        }
        for bad in ["", "ftp://host/", "https://user:pw@host/", "host/path", "https://host/?q", "bad host"] {
            assert!(Registry::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn google_registries_take_oauth2accesstoken() {
        let user = |r: &str| Registry::parse(r).unwrap().conventional_username();
        assert_eq!(user("europe-west1-docker.pkg.dev"), Some("oauth2accesstoken"));
        assert_eq!(user("us-docker.pkg.dev"), Some("oauth2accesstoken"));
        assert_eq!(user("gcr.io"), Some("oauth2accesstoken"));
        assert_eq!(user("EU.GCR.IO"), Some("oauth2accesstoken"));
        assert_eq!(user("europe-west1-npm.pkg.dev"), None);
        assert_eq!(user("ghcr.io"), None);
        assert_eq!(user("notgcr.io"), None);
    }
}
