//! The URLs a profile serves (`urls = [...]`, `--url`), and the choice of a profile for a URL
//! when a command is given a URL but no profile (`oat request URL`, the git and docker
//! credential helpers, `oat proxy`): the profile with the longest matching prefix, compared
//! as scheme, host, port and whole path segments, so that `https://github.com/acme/` serves
//! `https://github.com/acme/app.git` but not `https://github.com/acme-corp/`.

use super::NamedProfile;
use serde::{Deserialize, Serialize};
use std::fmt;
use url::Url;

/// A URL prefix a profile serves: http(s), no query or fragment, compared segment by segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServedUrl {
    text: String,
    url: Url,
}

/// Why a URL cannot be served by a profile.
#[derive(Debug, thiserror::Error)]
pub enum ServedUrlError {
    /// Not a URL at all.
    #[error("`{url}` is not a valid URL: {reason}")]
    Invalid {
        /// What was given.
        url: String,
        /// Why it does not parse.
        reason: url::ParseError,
    },
    /// Not http or https, or with a query or fragment.
    #[error(
        "`{0}` is not a URL prefix oat can match: use an http(s) URL without `?` or `#`, e.g. https://github.com/acme/"
    )]
    Unusable(String),
}

impl ServedUrl {
    /// Parses and checks a served URL.
    pub fn parse(text: &str) -> Result<ServedUrl, ServedUrlError> {
        let url =
            Url::parse(text.trim()).map_err(|reason| ServedUrlError::Invalid { url: text.to_string(), reason })?;
        let usable = matches!(url.scheme(), "http" | "https")
            && url.host().is_some()
            && url.query().is_none()
            && url.fragment().is_none();
        if !usable {
            return Err(ServedUrlError::Unusable(text.to_string()));
        }
        Ok(ServedUrl { text: text.trim().to_string(), url })
    }

    /// How many path segments of `target` this prefix covers, if it serves `target` at all:
    /// the same scheme, host and port (defaults filled in), and each of its path segments equal
    /// to the target's at the same place.
    pub fn matches(&self, target: &Url) -> Option<usize> {
        let (a, b) = (&self.url, target);
        let same_origin = a.scheme() == b.scheme()
            && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
            && a.port_or_known_default() == b.port_or_known_default();
        if !same_origin {
            return None;
        }
        let prefix = segments(a);
        let path = segments(b);
        (prefix.len() <= path.len() && prefix.iter().zip(&path).all(|(p, t)| p == t)).then_some(prefix.len())
    }

    /// Whether the prefix names a path below the host (git's `credential.useHttpPath`).
    pub fn has_path(&self) -> bool {
        !segments(&self.url).is_empty()
    }

    /// The URL.
    pub fn url(&self) -> &Url {
        &self.url
    }
}

/// The non-empty path segments of a URL.
fn segments(url: &Url) -> Vec<&str> {
    url.path_segments().map(|s| s.filter(|s| !s.is_empty()).collect()).unwrap_or_default()
}

impl fmt::Display for ServedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl TryFrom<String> for ServedUrl {
    type Error = ServedUrlError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        ServedUrl::parse(&text)
    }
}

impl From<ServedUrl> for String {
    fn from(served: ServedUrl) -> String {
        served.text
    }
}

/// The profile chosen for a URL, and why.
#[derive(Debug)]
pub struct Choice<'a> {
    /// The profile.
    pub profile: NamedProfile<'a>,
    /// The prefix of its `urls` that matched.
    pub matched: &'a ServedUrl,
    /// How many path segments the prefix covers.
    pub depth: usize,
    /// Other profiles that also serve the URL, with a shorter prefix: what the choice beat.
    pub others: Vec<(NamedProfile<'a>, &'a ServedUrl)>,
}

/// Why no single profile serves a URL.
#[derive(Debug, thiserror::Error)]
pub enum ChoiceError {
    /// No profile lists a prefix of the URL.
    #[error(
        "no profile serves {url}; add its URL to one with `oat profile add NAME … --url URL --force`, or name the profile"
    )]
    NoProfile {
        /// The URL asked about.
        url: String,
    },
    /// Two profiles list equally long prefixes.
    #[error(
        "both `{first}` ({first_url}) and `{second}` ({second_url}) serve {url}; make one of their --url prefixes longer, or name the profile"
    )]
    Ambiguous {
        /// The URL asked about.
        url: String,
        /// One profile.
        first: String,
        /// Its matching prefix.
        first_url: String,
        /// The other.
        second: String,
        /// Its matching prefix.
        second_url: String,
    },
}

/// The profile whose `urls` hold the longest prefix of `url`.
pub fn choose<'a>(profiles: impl IntoIterator<Item = NamedProfile<'a>>, url: &Url) -> Result<Choice<'a>, ChoiceError> {
    let mut found: Vec<(NamedProfile<'a>, &'a ServedUrl, usize)> = profiles
        .into_iter()
        .filter_map(|p| {
            let profile: &'a super::Profile = p.profile;
            profile.urls.iter().filter_map(|u| u.matches(url).map(|d| (p, u, d))).max_by_key(|(_, _, d)| *d)
        })
        .collect();
    found.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.name.cmp(b.0.name)));
    let mut found = found.into_iter();
    let Some((profile, matched, depth)) = found.next() else {
        return Err(ChoiceError::NoProfile { url: url.to_string() });
    };
    let others: Vec<_> = found.collect();
    if let Some((tie, tie_url, _)) = others.iter().find(|(_, _, d)| *d == depth) {
        return Err(ChoiceError::Ambiguous {
            url: url.to_string(),
            first: profile.name.to_string(),
            first_url: matched.to_string(),
            second: tie.name.to_string(),
            second_url: tie_url.to_string(),
        });
    }
    Ok(Choice { profile, matched, depth, others: others.into_iter().map(|(p, u, _)| (p, u)).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Profile;

    fn served(urls: &[&str]) -> Profile {
        Profile { urls: urls.iter().map(|u| ServedUrl::parse(u).unwrap()).collect(), ..Profile::default() }
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn prefixes_match_whole_segments_of_the_same_origin() {
        let acme = ServedUrl::parse("https://github.com/acme/").unwrap();
        assert_eq!(acme.matches(&url("https://github.com/acme/app.git/info/refs")), Some(1));
        assert_eq!(acme.matches(&url("https://github.com/acme")), Some(1));
        assert_eq!(acme.matches(&url("https://GitHub.com:443/acme/x")), Some(1));
        assert_eq!(acme.matches(&url("https://github.com/acme-corp/app.git")), None);
        assert_eq!(acme.matches(&url("https://github.com/")), None);
        assert_eq!(acme.matches(&url("http://github.com/acme/app.git")), None);
        assert_eq!(acme.matches(&url("https://github.com:8443/acme/app.git")), None);
        let host = ServedUrl::parse("https://github.com").unwrap();
        assert_eq!(host.matches(&url("https://github.com/anything")), Some(0));
        assert!(!host.has_path() && acme.has_path());
    }

    #[test]
    fn only_http_prefixes_without_query_or_fragment_are_taken() {
        assert!(ServedUrl::parse("https://api.github.com/").is_ok());
        assert!(ServedUrl::parse("http://127.0.0.1:8080/v2/").is_ok());
        for bad in ["github.com/acme", "ftp://example.com/", "https://x.example/?a=b", "https://x.example/#f"] {
            assert!(ServedUrl::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ServedUrl::parse(" https://github.com/acme/ ").unwrap().to_string(), "https://github.com/acme/");
    }

    #[test]
    fn the_longest_prefix_wins_and_equal_ones_are_named() {
        let (work, personal, api) = (
            served(&["https://github.com/acme/"]),
            served(&["https://github.com/", "https://gist.github.com/"]),
            served(&["https://api.github.com/"]),
        );
        let all = || {
            [("work", &work), ("personal", &personal), ("api", &api)]
                .map(|(name, profile)| NamedProfile { name, profile })
        };
        let choice = choose(all(), &url("https://github.com/acme/app.git")).unwrap();
        assert_eq!((choice.profile.name, choice.depth), ("work", 1));
        assert_eq!(choice.others.iter().map(|(p, _)| p.name).collect::<Vec<_>>(), ["personal"]);
        let choice = choose(all(), &url("https://github.com/someone/x.git")).unwrap();
        assert_eq!(choice.profile.name, "personal");
        assert_eq!(choice.matched.to_string(), "https://github.com/");
        assert!(matches!(choose(all(), &url("https://gitlab.com/x")), Err(ChoiceError::NoProfile { .. })));

        let twin = served(&["https://github.com/acme"]);
        let both = [("work", &work), ("twin", &twin)].map(|(name, profile)| NamedProfile { name, profile });
        let err = choose(both, &url("https://github.com/acme/app.git")).unwrap_err().to_string();
        assert!(
            err.contains("`twin` (https://github.com/acme)") && err.contains("`work` (https://github.com/acme/)"),
            "{err}"
        );
    }
}
