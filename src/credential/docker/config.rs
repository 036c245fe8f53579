//! docker's config.json (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`): its
//! `credHelpers` map of registry → helper, read and set while every other key keeps its place
//! and its value byte for byte (auths, proxies, plugins' settings and keys oat does not know).
//! Text in, text out: where the file lives and how it is written is the command's business.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// The key of the registry → helper map.
const CRED_HELPERS: &str = "credHelpers";

/// A docker config.json, its top-level keys in their order with their values as written.
#[derive(Debug)]
pub struct DockerConfig {
    entries: Vec<(String, Box<RawValue>)>,
}

/// Why a config.json cannot be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum DockerConfigError {
    /// Not JSON, or not an object at the top.
    #[error("it is not a JSON object ({0}); fix or move it, then run this again")]
    Json(serde_json::Error),
    /// `credHelpers` is there but is not an object of strings.
    #[error("its `credHelpers` is not an object of registry → helper names")]
    CredHelpers,
}

impl DockerConfig {
    /// Parses config.json; an empty file (or only white space) is an empty configuration.
    pub fn parse(text: &str) -> Result<DockerConfig, DockerConfigError> {
        if text.trim().is_empty() {
            return Ok(DockerConfig { entries: Vec::new() });
        }
        let entries = ordered(text).map_err(DockerConfigError::Json)?;
        Ok(DockerConfig { entries })
    }

    /// The `credHelpers` entries (registry, helper) in their order.
    pub fn helpers(&self) -> Result<Vec<(String, String)>, DockerConfigError> {
        let Some(raw) = self.cred_helpers() else { return Ok(Vec::new()) };
        let map: Option<Vec<(String, String)>> = serde_json::from_str::<Option<OrderedStrings>>(raw.get())
            .map_err(|_| DockerConfigError::CredHelpers)?
            .map(|m| m.0);
        Ok(map.unwrap_or_default())
    }

    /// Makes docker ask `helper` for `registry`'s credentials; returns the helper it asked
    /// before, if another one was set. Other registries' helpers keep their place and value.
    pub fn set_helper(&mut self, registry: &str, helper: &str) -> Result<Option<String>, DockerConfigError> {
        self.helpers()?;
        let mut helpers = match self.cred_helpers() {
            Some(raw) if raw.get() != "null" => ordered(raw.get()).map_err(|_| DockerConfigError::CredHelpers)?,
            _ => Vec::new(),
        };
        let value = string(helper);
        let before = match helpers.iter_mut().rev().find(|(key, _)| key == registry) {
            Some((_, old)) => {
                let before: String = serde_json::from_str(old.get()).map_err(|_| DockerConfigError::CredHelpers)?;
                *old = value;
                Some(before).filter(|b| b != helper)
            }
            None => {
                helpers.push((registry.to_string(), value));
                None
            }
        };
        let rendered = render(&helpers, 1);
        let rendered = RawValue::from_string(rendered).map_err(DockerConfigError::Json)?;
        match self.entries.iter_mut().rev().find(|(key, _)| key == CRED_HELPERS) {
            Some((_, old)) => *old = rendered,
            None => self.entries.push((CRED_HELPERS.to_string(), rendered)),
        }
        Ok(before)
    }

    /// The helper docker asks for `registry`, if one is set.
    pub fn helper(&self, registry: &str) -> Result<Option<String>, DockerConfigError> {
        Ok(self.helpers()?.into_iter().rev().find(|(key, _)| key == registry).map(|(_, helper)| helper))
    }

    /// The file's text: an object indented with tabs as docker writes it, each value as it was.
    pub fn render(&self) -> String {
        let mut text = render(&self.entries, 0);
        text.push('\n');
        text
    }

    /// The raw value of the last `credHelpers` key (the one Go's decoder keeps).
    fn cred_helpers(&self) -> Option<&RawValue> {
        self.entries.iter().rev().find(|(key, _)| key == CRED_HELPERS).map(|(_, value)| value.as_ref())
    }
}

/// An object's entries at nesting `depth`, one a line, indented with tabs.
fn render(entries: &[(String, Box<RawValue>)], depth: usize) -> String {
    if entries.is_empty() {
        return "{}".into();
    }
    let indent = "\t".repeat(depth + 1);
    let lines: Vec<String> =
        entries.iter().map(|(key, value)| format!("{indent}{}: {}", string(key).get(), value.get())).collect();
    format!("{{\n{}\n{}}}", lines.join(",\n"), "\t".repeat(depth))
}

/// A JSON string.
fn string(text: &str) -> Box<RawValue> {
    // A string always serialises.
    serde_json::value::to_raw_value(text).unwrap_or_default()
}

/// The entries of a JSON object in their order, each value as written.
fn ordered(text: &str) -> Result<Vec<(String, Box<RawValue>)>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let entries = deserializer.deserialize_map(Entries)?;
    deserializer.end()?;
    Ok(entries)
}

struct Entries;

impl<'de> Visitor<'de> for Entries {
    type Value = Vec<(String, Box<RawValue>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

/// An object of strings, in its order.
struct OrderedStrings(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for OrderedStrings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Strings;
        impl<'de> Visitor<'de> for Strings {
            type Value = OrderedStrings;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedStrings, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, String>()? {
                    entries.push(entry);
                }
                Ok(OrderedStrings(entries))
            }
        }
        deserializer.deserialize_map(Strings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A config.json as docker writes it, with keys oat knows nothing about.
    const DOCKER_WROTE: &str = "{\n\t\"auths\": {\n\t\t\"ghcr.io\": {\n\t\t\t\"auth\": \"dXNlcjpwYXNz\"\n\t\t}\n\t},\n\t\"credHelpers\": {\n\t\t\"gcr.io\": \"gcloud\"\n\t},\n\t\"proxies\": {\"default\": {\"httpProxy\": \"http://proxy:3128\"}},\n\t\"experimental\": \"enabled\",\n\t\"zz-unknown\": [1, 2.50, {\"a\": null}]\n}";

    #[test]
    fn a_helper_is_added_and_everything_else_kept_as_written() {
        let mut config = DockerConfig::parse(DOCKER_WROTE).unwrap();
        assert_eq!(config.set_helper("europe-docker.pkg.dev", "oat").unwrap(), None);
        let text = config.render();
        assert_eq!(
            text,
            "{\n\t\"auths\": {\n\t\t\"ghcr.io\": {\n\t\t\t\"auth\": \"dXNlcjpwYXNz\"\n\t\t}\n\t},\n\t\"credHelpers\": {\n\t\t\"gcr.io\": \"gcloud\",\n\t\t\"europe-docker.pkg.dev\": \"oat\"\n\t},\n\t\"proxies\": {\"default\": {\"httpProxy\": \"http://proxy:3128\"}},\n\t\"experimental\": \"enabled\",\n\t\"zz-unknown\": [1, 2.50, {\"a\": null}]\n}\n"
        );
        let again = DockerConfig::parse(&text).unwrap();
        assert_eq!(
            again.helpers().unwrap(),
            [("gcr.io".into(), "gcloud".into()), ("europe-docker.pkg.dev".into(), "oat".into())]
        );
        assert_eq!(again.helper("europe-docker.pkg.dev").unwrap().as_deref(), Some("oat"));
        assert_eq!(again.helper("ghcr.io").unwrap(), None);
    }

    #[test]
    fn another_helper_for_the_registry_is_replaced_and_named() {
        let mut config = DockerConfig::parse(DOCKER_WROTE).unwrap();
        assert_eq!(config.set_helper("gcr.io", "oat").unwrap().as_deref(), Some("gcloud"));
        assert_eq!(config.helpers().unwrap(), [("gcr.io".into(), "oat".into())]);
        assert_eq!(config.set_helper("gcr.io", "oat").unwrap(), None, "already oat");
    }

    #[test]
    fn a_new_or_empty_file_gets_only_the_helper() {
        for text in ["", " \n", "{}", "{\"credHelpers\": null}", "{\"credHelpers\": {}}"] {
            let mut config = DockerConfig::parse(text).unwrap();
            config.set_helper("127.0.0.1:5000", "oat").unwrap();
            assert_eq!(
                config.render(),
                "{\n\t\"credHelpers\": {\n\t\t\"127.0.0.1:5000\": \"oat\"\n\t}\n}\n",
                "{text:?}"
            );
        }
    }

    #[test]
    fn what_is_not_a_config_is_refused_before_anything_changes() {
        for text in ["[]", "{\"a\": 1", "{} {}", "\"x\""] {
            assert!(matches!(DockerConfig::parse(text), Err(DockerConfigError::Json(_))), "{text}");
        }
        for text in ["{\"credHelpers\": []}", "{\"credHelpers\": {\"gcr.io\": 1}}"] {
            let mut config = DockerConfig::parse(text).unwrap();
            assert!(matches!(config.set_helper("gcr.io", "oat"), Err(DockerConfigError::CredHelpers)), "{text}");
            assert!(config.helpers().is_err());
            let kept: serde_json::Value = serde_json::from_str(&config.render()).unwrap();
            assert_eq!(kept, serde_json::from_str::<serde_json::Value>(text).unwrap(), "{text}: unchanged");
        }
    }

    #[test]
    fn keys_are_escaped_and_unicode_survives() {
        let mut config = DockerConfig::parse("{\"note\": \"caf\\u00e9 \\\"ok\\\"\", \"k\\\"ey\": 1}").unwrap();
        config.set_helper("registry.example", "oat").unwrap();
        let text = config.render();
        assert!(text.contains("\t\"note\": \"caf\\u00e9 \\\"ok\\\"\""), "{text}");
        assert!(text.contains("\t\"k\\\"ey\": 1"), "{text}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["credHelpers"]["registry.example"], "oat");
    }
}
