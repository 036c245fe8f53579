//! The OS keyring through the `keyring` crate: Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows. Service `oat`; account `NAME` holds the tokens as JSON and
//! `NAME#client-secret` the client secret, `NAME#dpop-key` the DPoP key; a value larger than
//! the keyring takes is kept in parts ([`parts`]). Every call has a bounded wait.
#![allow(clippy::disallowed_types)]

mod parts;

use super::cache::Cache;
use super::lock::ProfileLock;
use super::{SecretStore, StoreError, Waits};
use crate::oauth::Tokens;
use crate::redact::Secret;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;

const SERVICE: &str = "oat";

/// Secrets in the OS keyring.
pub struct KeyringStore {
    lock_dir: PathBuf,
    waits: Waits,
    cache: Cache,
}

impl KeyringStore {
    /// A keyring store whose lock files live in `lock_dir`.
    pub fn new(lock_dir: PathBuf, waits: Waits) -> Self {
        KeyringStore { cache: Cache::new(&lock_dir), lock_dir, waits }
    }

    /// Runs one keyring call on a helper thread so that a keyring waiting for an unlock
    /// prompt, or a daemon that never answers, cannot hang `oat`.
    fn call<T: Send + 'static>(
        &self,
        account: String,
        op: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<Option<T>, StoreError> {
        let (tx, rx) = mpsc::channel();
        let entry_name = account.clone();
        thread::spawn(move || {
            let result = keyring::Entry::new(SERVICE, &account).and_then(|entry| op(&entry));
            let _ = tx.send(result);
        });
        match rx.recv_timeout(self.waits.keyring) {
            Ok(Ok(value)) => Ok(Some(value)),
            Ok(Err(keyring::Error::NoEntry)) => Ok(None),
            Ok(Err(keyring::Error::TooLong(_, limit))) => {
                Err(StoreError::TooLarge { entry: entry_name, limit: limit as usize })
            }
            Ok(Err(e)) if one_line(&e).contains("lock") => Err(StoreError::Locked { reason: one_line(&e) }),
            Ok(Err(e)) => Err(StoreError::Unavailable { reason: one_line(&e) }),
            Err(_) => Err(StoreError::Timeout(self.waits.keyring)),
        }
    }

    /// The value of `account`, read whole from its parts if it has any.
    fn value(&self, account: String) -> Result<Option<String>, StoreError> {
        let location = self.location(&account);
        let profile = account.split('#').next().unwrap_or_default().to_string();
        parts::read(self, &account, |reason| StoreError::Corrupt {
            profile: profile.clone(),
            location: location.clone(),
            reason,
        })
    }

    fn save(&self, account: String, value: String) -> Result<(), StoreError> {
        parts::write(self, &account, &value, parts::ENTRY_LIMIT)
    }

    fn remove(&self, account: String) -> Result<bool, StoreError> {
        parts::delete(self, &account)
    }
}

impl parts::Entries for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<String>, StoreError> {
        self.call(account.to_string(), |e| e.get_password())
    }

    fn set(&self, account: &str, value: &str) -> Result<(), StoreError> {
        let value = value.to_string();
        self.call(account.to_string(), move |e| e.set_password(&value)).map(|_| ())
    }

    fn delete(&self, account: &str) -> Result<bool, StoreError> {
        self.call(account.to_string(), |e| e.delete_credential()).map(|done| done.is_some())
    }
}

/// A keyring error as one line (platform errors can carry newlines).
fn one_line(e: &keyring::Error) -> String {
    let mut text = e.to_string();
    if let keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) = e {
        let inner = inner.to_string();
        if !text.contains(&inner) {
            text = format!("{text}: {inner}");
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn secret_account(profile: &str) -> String {
    format!("{profile}#client-secret")
}

fn dpop_account(profile: &str) -> String {
    format!("{profile}#dpop-key")
}

impl SecretStore for KeyringStore {
    fn tokens(&self, profile: &str) -> Result<Option<Tokens>, StoreError> {
        let Some(text) = self.value(profile.to_string())? else {
            return Ok(None);
        };
        serde_json::from_str(&text).map(Some).map_err(|e| StoreError::Corrupt {
            profile: profile.to_string(),
            location: self.location(profile),
            reason: e.to_string(),
        })
    }

    fn access(&self, profile: &str) -> Result<Option<Tokens>, StoreError> {
        if let Some(cached) = self.cache.read(profile) {
            return Ok(Some(cached));
        }
        let tokens = self.tokens(profile)?;
        if let Some(tokens) = &tokens {
            self.cache.write(profile, tokens, crate::time::now());
        }
        Ok(tokens)
    }

    fn save_tokens(&self, profile: &str, tokens: &Tokens) -> Result<(), StoreError> {
        let text = serde_json::to_string(tokens).map_err(|e| StoreError::Corrupt {
            profile: profile.to_string(),
            location: self.location(profile),
            reason: e.to_string(),
        })?;
        // The cache never outlives what it caches: dropped first, refilled once stored.
        self.cache.forget(profile);
        self.save(profile.to_string(), text)?;
        self.cache.write(profile, tokens, crate::time::now());
        Ok(())
    }

    fn delete_tokens(&self, profile: &str) -> Result<bool, StoreError> {
        self.cache.forget(profile);
        self.remove(profile.to_string())
    }

    fn client_secret(&self, profile: &str) -> Result<Option<Secret<String>>, StoreError> {
        Ok(self.value(secret_account(profile))?.map(Secret::new))
    }

    fn save_client_secret(&self, profile: &str, secret: &Secret<String>) -> Result<(), StoreError> {
        self.save(secret_account(profile), secret.expose().clone())
    }

    fn delete_client_secret(&self, profile: &str) -> Result<bool, StoreError> {
        self.remove(secret_account(profile))
    }

    fn dpop_key(&self, profile: &str) -> Result<Option<Secret<String>>, StoreError> {
        Ok(self.value(dpop_account(profile))?.map(Secret::new))
    }

    fn save_dpop_key(&self, profile: &str, key: &Secret<String>) -> Result<(), StoreError> {
        self.save(dpop_account(profile), key.expose().clone())
    }

    fn delete_dpop_key(&self, profile: &str) -> Result<bool, StoreError> {
        self.remove(dpop_account(profile))
    }

    fn location(&self, profile: &str) -> String {
        format!("the OS keyring (service `{SERVICE}`, account `{profile}`)")
    }

    fn lock(&self, profile: &str) -> Result<ProfileLock, StoreError> {
        super::lock::acquire(&self.lock_dir, profile, self.waits.lock)
    }
}

#[cfg(all(test, windows))]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The crash test of [`parts`] through the Credential Manager itself (under Wine in CI:
    /// `scripts/windows`), with its real limit; it leaves nothing behind.
    #[test]
    fn a_write_cut_short_in_the_credential_manager_leaves_the_old_value_or_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let waits = Waits { keyring: Duration::from_secs(20), lock: Duration::from_secs(20) };
        let store = KeyringStore::new(dir.path().to_path_buf(), waits);
        let account = format!("oat-test-{}", std::process::id());
        parts::tests::writes_cut_short_leave_the_old_value_or_the_new_one(
            &store,
            &account,
            parts::ENTRY_LIMIT,
            &[0, 5, 1281, 2600],
        );
    }
}
