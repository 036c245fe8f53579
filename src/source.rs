//! Where a subject token or a client assertion comes from (`--subject-token-from`,
//! `--client-assertion-from`): a CI job's own ID token (GitHub Actions, GitLab `id_tokens:`),
//! an environment variable, a file (a Kubernetes projected service-account token), or another
//! profile. A token is read when a request needs it and never kept; another profile's token
//! is the commands' to get, as it takes that profile's configuration and store.

use crate::http::{Http, Method, Request};
use crate::redact::Secret;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::path::PathBuf;

/// The variable GitHub Actions sets, with `permissions: id-token: write`, to the URL that
/// hands out the job's ID token.
pub const GITHUB_URL: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";
/// The bearer token for [`GITHUB_URL`].
pub const GITHUB_TOKEN: &str = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
/// `subject_token_type` of a JWT that is not an access token of the server (RFC 8693 §3).
pub const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
/// `subject_token_type` of an access token (RFC 8693 §3).
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

/// The forms a source takes, for messages.
const FORMS: &str = "github-actions[:AUDIENCE], gitlab:VARNAME, env:VARNAME, file:PATH or profile:NAME";

/// Where a token comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The GitHub Actions job's ID token, for this audience (GitHub's default without one).
    GithubActions { audience: Option<String> },
    /// A GitLab CI/CD `id_tokens:` variable.
    Gitlab(String),
    /// An environment variable.
    Env(String),
    /// A file, read anew each time (a projected token is rotated in place).
    File(PathBuf),
    /// A valid access token of another profile.
    Profile(String),
}

/// Why a source cannot give its token.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is no source.
    #[error("`{0}` is not a token source; use {FORMS}")]
    Unknown(String),
    /// A token was given where its source goes (and so on a command line, or in config.toml).
    #[error(
        "that is a token, not where to get one: keep it out of command lines and config.toml, put it in a variable or file, and name that (env:VARNAME, file:PATH)"
    )]
    TokenGiven,
    /// GitHub Actions' variables are missing.
    #[error(
        "{0} is not set: the GitHub Actions job needs `permissions: id-token: write` for oat to get its ID token (github-actions source)"
    )]
    GithubUnset(&'static str),
    /// A GitLab `id_tokens:` variable is missing.
    #[error(
        "`{0}` is not set: define it in the job's `id_tokens:` in .gitlab-ci.yml (`id_tokens: {{{0}: {{aud: AUDIENCE}}}}`)"
    )]
    GitlabUnset(String),
    /// An environment variable is missing or empty.
    #[error("the environment variable `{0}` is not set or empty (env:{0} source)")]
    EnvUnset(String),
    /// A token file cannot be read, or is empty.
    #[error("cannot read the token file {}: {reason} (file: source)", path.display())]
    File { path: PathBuf, reason: String },
    /// GitHub's ID-token URL is not one oat sends its bearer token to.
    #[error("{GITHUB_URL} is not a URL oat can use: {0}")]
    GithubUrl(String),
    /// GitHub's ID-token endpoint could not be reached.
    #[error("asking GitHub Actions for the job's ID token")]
    GithubTransport(#[source] crate::http::Error),
    /// GitHub's ID-token endpoint answered something else than a token.
    #[error("GitHub Actions' ID-token endpoint answered HTTP {status}{detail}")]
    GithubAnswer { status: u16, detail: String },
    /// Another profile's token, where only a token oat does not hold can be used.
    #[error(
        "profile:{0} cannot be used here: use {FORMS} without profile:, or `oat exchange` for another profile's token"
    )]
    ProfileHere(String),
}

impl Error {
    /// Whether the fix is on the command line or in the job's set-up (exit 2), not at a server.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Error::GithubTransport(_) | Error::GithubAnswer { .. })
    }

    /// Whether the server was unreachable or overloaded (exit 5).
    pub fn is_network(&self) -> bool {
        matches!(self, Error::GithubTransport(_))
            || matches!(self, Error::GithubAnswer { status, .. } if *status >= 500 || *status == 429)
    }
}

impl Source {
    /// Reads a source; a bare profile name means `profile:NAME`.
    pub fn parse(text: &str) -> Result<Source, Error> {
        if crate::redact::is_jwt(text) {
            return Err(Error::TokenGiven);
        }
        let unknown = || Error::Unknown(text.to_string());
        let Some((kind, rest)) = text.split_once(':') else {
            return match text {
                "github-actions" => Ok(Source::GithubActions { audience: None }),
                "" | "gitlab" | "env" | "file" | "profile" => Err(unknown()),
                name => Ok(Source::Profile(name.to_string())),
            };
        };
        let variable = |name: &str| {
            let mut chars = name.chars();
            let first = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
            (first && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| name.to_string())
                .ok_or_else(unknown)
        };
        match kind {
            "github-actions" if !rest.is_empty() => Ok(Source::GithubActions { audience: Some(rest.to_string()) }),
            "gitlab" => variable(rest).map(Source::Gitlab),
            "env" => variable(rest).map(Source::Env),
            "file" if !rest.is_empty() => Ok(Source::File(PathBuf::from(rest))),
            "profile" if !rest.is_empty() => Ok(Source::Profile(rest.to_string())),
            _ => Err(unknown()),
        }
    }

    /// The `subject_token_type` its tokens are sent as, unless told otherwise: another
    /// profile's token is an access token, every other source gives a JWT.
    pub fn token_type(&self) -> &'static str {
        match self {
            Source::Profile(_) => ACCESS_TOKEN_TYPE,
            _ => JWT_TOKEN_TYPE,
        }
    }

    /// The source's token, read now (GitHub's over `http`); never another profile's.
    pub fn read(&self, http: &Http) -> Result<Secret<String>, Error> {
        match self {
            Source::GithubActions { audience } => github(http, audience.as_deref()),
            Source::Gitlab(name) => variable(name).ok_or_else(|| Error::GitlabUnset(name.clone())),
            Source::Env(name) => variable(name).ok_or_else(|| Error::EnvUnset(name.clone())),
            Source::File(path) => file(path),
            Source::Profile(name) => Err(Error::ProfileHere(name.clone())),
        }
    }

    /// Whether the token can be had, without getting it from a server or showing it: what
    /// is there to read, in words.
    pub fn check(&self) -> Result<String, Error> {
        match self {
            Source::GithubActions { .. } => {
                github_variables()?;
                Ok(format!("{GITHUB_URL} and {GITHUB_TOKEN} are set"))
            }
            Source::Gitlab(name) => {
                variable(name).ok_or_else(|| Error::GitlabUnset(name.clone()))?;
                Ok(format!("`{name}` is set"))
            }
            Source::Env(name) => {
                variable(name).ok_or_else(|| Error::EnvUnset(name.clone()))?;
                Ok(format!("`{name}` is set"))
            }
            Source::File(path) => {
                file(path)?;
                Ok(format!("{} can be read", path.display()))
            }
            Source::Profile(name) => Ok(format!("a token of profile `{name}`")),
        }
    }

    /// What to say when a server refused this source's `token`: the audience it was issued
    /// for and how to ask for another, its subject, and its expiry if it is past.
    pub fn hint(&self, token: &Secret<String>, now: u64) -> Option<String> {
        if let Source::Profile(_) = self {
            return None;
        }
        let jwt = crate::jwt::decode(token.expose()).ok()?;
        let audience = jwt.audiences().join("`, `");
        let change = match self {
            Source::GithubActions { audience: Some(_) } => {
                "ask for the audience the federation rule expects with `github-actions:AUDIENCE`".to_string()
            }
            Source::GithubActions { audience: None } => {
                "that is GitHub's default; ask for the audience the federation rule expects with `github-actions:AUDIENCE` (Entra ID's is api://AzureADTokenExchange)".to_string()
            }
            Source::Gitlab(name) => {
                format!("set the expected one as `aud:` of `{name}` under `id_tokens:` in .gitlab-ci.yml")
            }
            Source::Env(_) | Source::File(_) | Source::Profile(_) => {
                "the token's issuer sets it; ask it for the audience the federation rule expects".to_string()
            }
        };
        let mut hint = format!(
            "the CI token from {self} was issued by `{}` for audience `{audience}` with subject `{}`; {change} (`oat inspect --ci {self}` shows every claim)",
            jwt.string("iss").unwrap_or("?"),
            jwt.string("sub").unwrap_or("?"),
        );
        if let Some(exp) = jwt.time("exp").filter(|exp| *exp <= now) {
            hint.push_str(&format!(
                "; it expired at {} ({} ago): CI tokens live minutes, so get a fresh one",
                crate::time::instant(exp),
                crate::time::span(now - exp)
            ));
        }
        Some(hint)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::GithubActions { audience: None } => f.write_str("github-actions"),
            Source::GithubActions { audience: Some(aud) } => write!(f, "github-actions:{aud}"),
            Source::Gitlab(name) => write!(f, "gitlab:{name}"),
            Source::Env(name) => write!(f, "env:{name}"),
            Source::File(path) => write!(f, "file:{}", path.display()),
            Source::Profile(name) => write!(f, "profile:{name}"),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Source::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An environment variable's value, trimmed, if it is set and not empty.
fn variable(name: &str) -> Option<Secret<String>> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| Secret::new(value.to_string()))
}

fn file(path: &std::path::Path) -> Result<Secret<String>, Error> {
    let failed = |reason: String| Error::File { path: path.to_path_buf(), reason };
    let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
    match text.trim() {
        "" => Err(failed("it is empty".into())),
        token => Ok(Secret::new(token.to_string())),
    }
}

/// GitHub's ID-token URL and its bearer token.
fn github_variables() -> Result<(String, Secret<String>), Error> {
    let url = variable(GITHUB_URL).ok_or(Error::GithubUnset(GITHUB_URL))?;
    let token = variable(GITHUB_TOKEN).ok_or(Error::GithubUnset(GITHUB_TOKEN))?;
    Ok((url.expose().clone(), token))
}

/// The job's ID token from GitHub Actions: GET the request URL (which has a query already)
/// with `audience` added, bearing the request token; the answer is `{"value": JWT, …}`.
fn github(http: &Http, audience: Option<&str>) -> Result<Secret<String>, Error> {
    let (url, token) = github_variables()?;
    let mut url = url::Url::parse(&url).map_err(|e| Error::GithubUrl(e.to_string()))?;
    // The request token is a bearer credential: https only, as for every endpoint, except
    // on loopback. (config's `Endpoint` holds that rule, but config reads sources.)
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(Error::GithubUrl("not https".into()));
    }
    if let Some(audience) = audience {
        url.query_pairs_mut().append_pair("audience", audience);
    }
    let response = http
        .send(&Request {
            method: Method::GET,
            url: &url,
            authorization: Some(Secret::new(format!("Bearer {}", token.expose()))),
            form: &[],
            origin: None,
            dpop: None,
        })
        .map_err(Error::GithubTransport)?;
    let value = serde_json::from_slice::<serde_json::Value>(&response.body).ok();
    let jwt = value.as_ref().and_then(|v| v.get("value")).and_then(|v| v.as_str()).filter(|v| !v.is_empty());
    match (response.status, jwt) {
        (200, Some(jwt)) => Ok(Secret::new(jwt.to_string())),
        (status, _) => {
            // The body of a refusal says why; a token in it is not shown.
            let message = value.as_ref().and_then(|v| v.get("message")).and_then(|m| m.as_str());
            let detail = match (status, message) {
                (200, _) => ": no `value` in it".to_string(),
                (_, Some(m)) => format!(": {}", m.chars().filter(|c| !c.is_control()).take(200).collect::<String>()),
                _ => String::new(),
            };
            Err(Error::GithubAnswer { status, detail })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse_and_print_back() {
        for text in [
            "github-actions",
            "github-actions:api://AzureADTokenExchange",
            "gitlab:OAT_ID_TOKEN",
            "env:K8S_TOKEN",
            "file:/var/run/secrets/tokens/oat",
            "profile:user",
        ] {
            assert_eq!(Source::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            Source::parse("github-actions:api://AzureADTokenExchange").unwrap(),
            Source::GithubActions { audience: Some("api://AzureADTokenExchange".into()) }
        );
    }

    #[test]
    fn a_bare_name_is_a_profile() {
        assert_eq!(Source::parse("user").unwrap(), Source::Profile("user".into()));
        assert_eq!(Source::parse("user").unwrap().token_type(), ACCESS_TOKEN_TYPE);
        assert_eq!(Source::parse("env:X").unwrap().token_type(), JWT_TOKEN_TYPE);
    }

    #[test]
    fn malformed_sources_are_refused_naming_the_forms() {
        for text in ["", "env", "env:", "env:1X", "env:A-B", "gitlab:", "file:", "profile:", "github-actions:", "s3:x"]
        {
            let e = Source::parse(text).unwrap_err();
            assert!(e.to_string().contains("github-actions[:AUDIENCE]"), "{text}: {e}");
            assert!(e.is_bad_input());
        }
    }

    #[test]
    fn a_token_given_as_its_own_source_is_refused_without_repeating_it() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        let e = Source::parse(jwt).unwrap_err();
        assert!(matches!(e, Error::TokenGiven) && !e.to_string().contains("c2lnbmF0dXJl"), "{e}");
        assert!(Source::parse(&format!("env:{jwt}")).is_err());
    }

    #[test]
    fn a_token_file_is_trimmed_and_must_not_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "  abc.def.ghi\n").unwrap();
        assert_eq!(file(&path).unwrap().expose(), "abc.def.ghi");
        std::fs::write(&path, "\n").unwrap();
        assert!(file(&path).unwrap_err().to_string().contains("it is empty"));
        assert!(file(&dir.path().join("absent")).unwrap_err().to_string().contains("absent"));
    }

    #[test]
    fn the_hint_names_audience_subject_and_a_past_expiry() {
        use base64::Engine as _;
        let part = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let token = Secret::new(format!(
            "{}.{}.c2ln",
            part(serde_json::json!({"alg": "RS256"})),
            part(
                serde_json::json!({"iss": "https://token.actions.githubusercontent.com", "aud": "https://github.com/octo-org", "sub": "repo:octo-org/app:ref:refs/heads/main", "exp": 1000})
            )
        ));
        let source = Source::GithubActions { audience: None };
        let fresh = source.hint(&token, 999).unwrap();
        assert!(fresh.contains("audience `https://github.com/octo-org`"), "{fresh}");
        assert!(fresh.contains("repo:octo-org/app:ref:refs/heads/main") && fresh.contains("github-actions:AUDIENCE"));
        assert!(!fresh.contains("expired"), "{fresh}");
        let late = source.hint(&token, 1060).unwrap();
        assert!(late.contains("expired") && late.contains("1m"), "{late}");
        assert_eq!(source.hint(&Secret::new("opaque".into()), 0), None);
    }
}
