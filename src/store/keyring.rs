//! The OS keyring through the `keyring` crate: Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows. Service `oat`; account `NAME` holds the tokens as JSON and
//! `NAME#client-secret` the client secret, `NAME#dpop-key` the DPoP key. Every call has a bounded wait.
#![allow(clippy::disallowed_types)]

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

    fn get(&self, account: String) -> Result<Option<String>, StoreError> {
        self.call(account, |e| e.get_password())
    }

    fn set(&self, account: String, value: String) -> Result<(), StoreError> {
        self.call(account, move |e| e.set_password(&value)).map(|_| ())
    }

    fn delete(&self, account: String) -> Result<bool, StoreError> {
        self.call(account, |e| e.delete_credential()).map(|done| done.is_some())
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
        let Some(text) = self.get(profile.to_string())? else {
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
        self.set(profile.to_string(), text)?;
        self.cache.write(profile, tokens, crate::time::now());
        Ok(())
    }

    fn delete_tokens(&self, profile: &str) -> Result<bool, StoreError> {
        self.cache.forget(profile);
        self.delete(profile.to_string())
    }

    fn client_secret(&self, profile: &str) -> Result<Option<Secret<String>>, StoreError> {
        Ok(self.get(secret_account(profile))?.map(Secret::new))
    }

    fn save_client_secret(&self, profile: &str, secret: &Secret<String>) -> Result<(), StoreError> {
        self.set(secret_account(profile), secret.expose().clone())
    }

    fn delete_client_secret(&self, profile: &str) -> Result<bool, StoreError> {
        self.delete(secret_account(profile))
    }

    fn dpop_key(&self, profile: &str) -> Result<Option<Secret<String>>, StoreError> {
        Ok(self.get(dpop_account(profile))?.map(Secret::new))
    }

    fn save_dpop_key(&self, profile: &str, key: &Secret<String>) -> Result<(), StoreError> {
        self.set(dpop_account(profile), key.expose().clone())
    }

    fn delete_dpop_key(&self, profile: &str) -> Result<bool, StoreError> {
        self.delete(dpop_account(profile))
    }

    fn location(&self, profile: &str) -> String {
        format!("the OS keyring (service `{SERVICE}`, account `{profile}`)")
    }

    fn lock(&self, profile: &str) -> Result<ProfileLock, StoreError> {
        super::lock::acquire(&self.lock_dir, profile, self.waits.lock)
    }
}
