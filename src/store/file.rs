//! The file store: one JSON file per profile (`<data dir>/NAME.json`, mode 0600, directory
//! 0700) holding its tokens, client secret and DPoP key, for machines without a keyring. Every write is
//! atomic and a file others can read is refused, not used; the modes, the atomic write and the
//! check are [`crate::private_file`]'s.

use super::lock::ProfileLock;
use super::{SecretStore, StoreError};
use crate::oauth::Tokens;
use crate::private_file::{self, write_atomic};
use crate::redact::Secret;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Secrets in 0600 files under one directory.
pub struct FileStore {
    dir: PathBuf,
    lock_wait: Duration,
}

/// What one profile's file holds.
#[derive(Default, Serialize, Deserialize)]
struct Entry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tokens: Option<Tokens>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<Secret<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dpop_key: Option<Secret<String>>,
}

impl FileStore {
    /// A file store in `dir` (lock files beside the entries).
    pub fn new(dir: PathBuf, lock_wait: Duration) -> Self {
        FileStore { dir, lock_wait }
    }

    fn path(&self, profile: &str) -> PathBuf {
        self.dir.join(format!("{profile}.json"))
    }

    fn read(&self, profile: &str) -> Result<Entry, StoreError> {
        let path = self.path(profile);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Entry::default()),
            Err(error) => {
                return Err(StoreError::Io { action: "read", path, error });
            }
        };
        check_private(&path)?;
        serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            profile: profile.to_string(),
            location: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    fn write(&self, profile: &str, entry: &Entry) -> Result<(), StoreError> {
        let path = self.path(profile);
        if entry.tokens.is_none() && entry.client_secret.is_none() && entry.dpop_key.is_none() {
            return match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    Err(StoreError::Io { action: "remove", path, error: e })
                }
                _ => Ok(()),
            };
        }
        let text = serde_json::to_vec(entry).map_err(|e| StoreError::Io {
            action: "encode",
            path: path.clone(),
            error: io::Error::other(e),
        })?;
        write_atomic(&path, &text).map_err(|error| StoreError::Io { action: "write", path, error })
    }

    fn update(&self, profile: &str, change: impl FnOnce(&mut Entry) -> bool) -> Result<bool, StoreError> {
        let mut entry = self.read(profile)?;
        let changed = change(&mut entry);
        if changed {
            self.write(profile, &entry)?;
        }
        Ok(changed)
    }
}

impl SecretStore for FileStore {
    fn tokens(&self, profile: &str) -> Result<Option<Tokens>, StoreError> {
        Ok(self.read(profile)?.tokens)
    }

    fn save_tokens(&self, profile: &str, tokens: &Tokens) -> Result<(), StoreError> {
        self.update(profile, |e| {
            e.tokens = Some(tokens.clone());
            true
        })
        .map(|_| ())
    }

    fn delete_tokens(&self, profile: &str) -> Result<bool, StoreError> {
        self.update(profile, |e| e.tokens.take().is_some())
    }

    fn client_secret(&self, profile: &str) -> Result<Option<Secret<String>>, StoreError> {
        Ok(self.read(profile)?.client_secret)
    }

    fn save_client_secret(&self, profile: &str, secret: &Secret<String>) -> Result<(), StoreError> {
        self.update(profile, |e| {
            e.client_secret = Some(secret.clone());
            true
        })
        .map(|_| ())
    }

    fn delete_client_secret(&self, profile: &str) -> Result<bool, StoreError> {
        self.update(profile, |e| e.client_secret.take().is_some())
    }

    fn dpop_key(&self, profile: &str) -> Result<Option<Secret<String>>, StoreError> {
        Ok(self.read(profile)?.dpop_key)
    }

    fn save_dpop_key(&self, profile: &str, key: &Secret<String>) -> Result<(), StoreError> {
        self.update(profile, |e| {
            e.dpop_key = Some(key.clone());
            true
        })
        .map(|_| ())
    }

    fn delete_dpop_key(&self, profile: &str) -> Result<bool, StoreError> {
        self.update(profile, |e| e.dpop_key.take().is_some())
    }

    fn location(&self, profile: &str) -> String {
        self.path(profile).display().to_string()
    }

    fn lock(&self, profile: &str) -> Result<ProfileLock, StoreError> {
        super::lock::acquire(&self.dir, profile, self.lock_wait)
    }
}

/// Refuses a secrets file that group or others may access.
fn check_private(path: &Path) -> Result<(), StoreError> {
    match private_file::exposed_mode(path) {
        Ok(None) => Ok(()),
        Ok(Some(mode)) => Err(StoreError::Permissions { path: path.into(), mode }),
        Err(error) => Err(StoreError::Io { action: "inspect", path: path.into(), error }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::Tokens;

    fn tokens(access: &str) -> Tokens {
        Tokens {
            access_token: Secret::new(access.into()),
            token_type: "Bearer".into(),
            expires_at: Some(100),
            issued_at: Some(40),
            refresh_token: Some(Secret::new("rt".into())),
            scope: Some("openid".into()),
            id_token: None,
            authorization_details: None,
            api_values: Default::default(),
            refresh_token_withheld: false,
        }
    }

    #[test]
    fn tokens_and_secret_share_one_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("oat"), Duration::from_secs(1));
        assert!(store.tokens("p").unwrap().is_none());
        store.save_tokens("p", &tokens("at-1")).unwrap();
        store.save_client_secret("p", &Secret::new("s3cret".into())).unwrap();
        assert_eq!(store.tokens("p").unwrap().unwrap().access_token.expose(), "at-1");
        assert_eq!(store.client_secret("p").unwrap().unwrap().expose(), "s3cret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(store.path("p")).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dir_mode = fs::metadata(dir.path().join("oat")).unwrap().permissions().mode() & 0o777;
            assert_eq!(dir_mode, 0o700);
        }
        assert!(store.delete_tokens("p").unwrap());
        assert!(!store.delete_tokens("p").unwrap());
        store.save_dpop_key("p", &Secret::new("key".into())).unwrap();
        assert_eq!(store.dpop_key("p").unwrap().unwrap().expose(), "key");
        assert!(store.delete_client_secret("p").unwrap());
        assert!(store.path("p").exists(), "the DPoP key is still there");
        assert!(store.delete_dpop_key("p").unwrap());
        assert!(!store.path("p").exists(), "an empty entry leaves no file behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().to_path_buf(), Duration::from_secs(1));
        store.save_tokens("p", &tokens("at")).unwrap();
        fs::set_permissions(store.path("p"), fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.tokens("p").unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }

    #[test]
    fn a_corrupt_file_is_reported_with_its_location() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().to_path_buf(), Duration::from_secs(1));
        write_atomic(&store.path("p"), b"{not json").unwrap();
        let err = store.tokens("p").unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }));
        assert!(err.to_string().contains("p.json"), "{err}");
    }
}
