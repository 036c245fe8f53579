//! A per-user memory cache of the access token in front of the OS keyring: on Linux the
//! kernel's user keyring (keyutils), where a read costs about what starting a process costs,
//! while a Secret Service read costs a D-Bus round trip and a key exchange. Only the access
//! token, its type, scope and expiry go there, and whether a refresh token is stored — never the
//! refresh token itself or the client secret —
//! and the kernel drops the entry when the token expires. The cache is best effort: where the
//! kernel keyring cannot be used (a container that filters the syscalls, another OS), every
//! call falls through to the keyring itself.

use crate::oauth::Tokens;

/// What is cached: the tokens without the refresh token and ID token.
#[derive(serde::Serialize, serde::Deserialize)]
struct Cached {
    access_token: crate::redact::Secret<String>,
    token_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    /// Whether a refresh token is stored (`oat token` warns before a token that cannot be
    /// renewed ends); entries cached before oat kept it are taken as renewable, so they warn
    /// of nothing.
    #[serde(default = "renewable")]
    refresh: bool,
}

fn renewable() -> bool {
    true
}

/// The cache of one store (one data directory, so that two configurations, or two test
/// environments, never read each other's tokens).
pub struct Cache {
    prefix: String,
}

impl Cache {
    /// The cache of the store whose data lives in `data_dir`.
    pub fn new(data_dir: &std::path::Path) -> Cache {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(data_dir.to_string_lossy().as_bytes());
        let tag: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Cache { prefix: format!("oat:{tag}:access-token:") }
    }

    fn description(&self, profile: &str) -> String {
        format!("{}{profile}", self.prefix)
    }

    /// The cached access token of `profile`, if there is one.
    pub fn read(&self, profile: &str) -> Option<Tokens> {
        read(&self.description(profile))
    }

    /// Caches the access token of `profile` until it expires.
    pub fn write(&self, profile: &str, tokens: &Tokens, now: u64) {
        write(&self.description(profile), tokens, now);
    }

    /// Drops the cached access token of `profile`.
    pub fn forget(&self, profile: &str) {
        platform::forget(&self.description(profile));
    }
}

fn read(description: &str) -> Option<Tokens> {
    decode(&platform::read(description)?)
}

fn decode(bytes: &[u8]) -> Option<Tokens> {
    let cached: Cached = serde_json::from_slice(bytes).ok()?;
    Some(Tokens {
        access_token: cached.access_token,
        token_type: cached.token_type,
        expires_at: cached.expires_at,
        issued_at: cached.issued_at,
        refresh_token: None,
        scope: cached.scope,
        id_token: None,
        authorization_details: None,
        api_values: Default::default(),
        refresh_token_withheld: cached.refresh,
    })
}

fn write(description: &str, tokens: &Tokens, now: u64) {
    let lifetime = match tokens.expires_at {
        Some(at) if at <= now => return platform::forget(description),
        Some(at) => Some(at - now),
        None => None,
    };
    if let Some(bytes) = encode(tokens) {
        platform::write(description, &bytes, lifetime);
    }
}

fn encode(tokens: &Tokens) -> Option<Vec<u8>> {
    let cached = Cached {
        access_token: tokens.access_token.clone(),
        token_type: tokens.token_type.clone(),
        expires_at: tokens.expires_at,
        issued_at: tokens.issued_at,
        scope: tokens.scope.clone(),
        refresh: tokens.has_refresh_token(),
    };
    serde_json::to_vec(&cached).ok()
}

#[cfg(target_os = "linux")]
mod platform {
    use linux_keyutils::{KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission};

    fn user_keyring() -> Option<KeyRing> {
        KeyRing::from_special_id(KeyRingIdentifier::User, false).ok()
    }

    pub fn read(description: &str) -> Option<Vec<u8>> {
        user_keyring()?.search(description).ok()?.read_to_vec().ok()
    }

    pub fn write(description: &str, bytes: &[u8], lifetime: Option<u64>) {
        let Some(keyring) = user_keyring() else { return };
        let Ok(key) = keyring.add_key(description, bytes) else { return };
        // The owner's processes may read it (whether or not they "possess" the user keyring);
        // nobody else may even see it.
        let perms = KeyPermissionsBuilder::builder().posessor(Permission::ALL).user(Permission::ALL).build();
        let _ = key.set_perms(perms);
        if let Some(seconds) = lifetime {
            let _ = key.set_timeout(usize::try_from(seconds).unwrap_or(usize::MAX));
        }
    }

    pub fn forget(description: &str) {
        if let Some(key) = user_keyring().and_then(|k| k.search(description).ok()) {
            let _ = key.invalidate();
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    pub fn read(_description: &str) -> Option<Vec<u8>> {
        None
    }

    pub fn write(_description: &str, _bytes: &[u8], _lifetime: Option<u64>) {}

    pub fn forget(_description: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_whether_a_refresh_token_is_stored_but_never_the_token() {
        let mut tokens: Tokens = serde_json::from_str(
            r#"{"access_token":"at","token_type":"Bearer","expires_at":9000,"issued_at":1000,"refresh_token":"rt"}"#,
        )
        .unwrap();
        let bytes = encode(&tokens).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("rt\""), "no refresh token in the cache");
        let back = decode(&bytes).unwrap();
        assert!(back.refresh_token.is_none() && back.has_refresh_token());
        assert_eq!((back.access_token.expose().as_str(), back.expires_at), ("at", Some(9000)));
        tokens.refresh_token = None;
        let back = decode(&encode(&tokens).unwrap()).unwrap();
        assert!(!back.has_refresh_token());
        // An entry cached before the flag existed reads as renewable: it warns of nothing.
        let old = decode(br#"{"access_token":"at","token_type":"Bearer","expires_at":9000}"#).unwrap();
        assert!(old.has_refresh_token());
    }
}
