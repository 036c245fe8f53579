//! Where secrets live: the [`SecretStore`] trait with its two implementations, the OS keyring
//! ([`keyring`]) and a 0600 JSON file per profile ([`file`]), plus the per-profile [`lock`].
//! Choosing a store is explicit: an unreachable keyring is an error naming `OAT_STORE=file`,
//! never a silent fallback.

pub mod cache;
pub mod file;
pub mod keyring;
pub mod lock;

use crate::config::StoreKind;
use crate::oauth::Tokens;
use crate::redact::Secret;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The secrets of profiles: their tokens, their client secret and their DPoP key.
pub trait SecretStore {
    /// The stored tokens of a profile, if any.
    fn tokens(&self, profile: &str) -> Result<Option<Tokens>, StoreError>;
    /// The access token of a profile as cheaply as the store can tell it: the refresh token
    /// may be missing from the answer. For handing out a valid token; decisions that need the
    /// refresh token read [`SecretStore::tokens`].
    fn access(&self, profile: &str) -> Result<Option<Tokens>, StoreError> {
        self.tokens(profile)
    }
    /// Replaces the stored tokens of a profile.
    fn save_tokens(&self, profile: &str, tokens: &Tokens) -> Result<(), StoreError>;
    /// Deletes the stored tokens of a profile; `true` if there were any.
    fn delete_tokens(&self, profile: &str) -> Result<bool, StoreError>;
    /// The stored client secret of a profile, if any.
    fn client_secret(&self, profile: &str) -> Result<Option<Secret<String>>, StoreError>;
    /// Replaces the stored client secret of a profile.
    fn save_client_secret(&self, profile: &str, secret: &Secret<String>) -> Result<(), StoreError>;
    /// Deletes the stored client secret of a profile; `true` if there was one.
    fn delete_client_secret(&self, profile: &str) -> Result<bool, StoreError>;
    /// The stored DPoP private key of a profile (RFC 9449), if one was made.
    fn dpop_key(&self, profile: &str) -> Result<Option<Secret<String>>, StoreError>;
    /// Replaces the stored DPoP private key of a profile.
    fn save_dpop_key(&self, profile: &str, key: &Secret<String>) -> Result<(), StoreError>;
    /// Deletes the stored DPoP private key of a profile; `true` if there was one.
    fn delete_dpop_key(&self, profile: &str) -> Result<bool, StoreError>;
    /// Where a profile's entry lives, for messages.
    fn location(&self, profile: &str) -> String;
    /// Takes the profile's lock, held around every refresh and token write.
    fn lock(&self, profile: &str) -> Result<lock::ProfileLock, StoreError>;
}

/// How long store operations may wait.
#[derive(Clone, Copy, Debug)]
pub struct Waits {
    /// For one keyring call.
    pub keyring: Duration,
    /// For the profile lock.
    pub lock: Duration,
}

/// Opens the store of the given kind; `data_dir` holds the file store and the lock files.
pub fn open(kind: StoreKind, data_dir: &Path, waits: Waits) -> Box<dyn SecretStore> {
    match kind {
        StoreKind::Keyring => Box::new(keyring::KeyringStore::new(data_dir.to_path_buf(), waits)),
        StoreKind::File => Box::new(file::FileStore::new(data_dir.to_path_buf(), waits.lock)),
    }
}

/// Failures of the secret store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The keyring cannot be reached at all.
    #[error("the OS keyring is unreachable ({reason}); set OAT_STORE=file to keep secrets in a 0600 file instead")]
    Unavailable {
        /// What the platform said.
        reason: String,
    },
    /// The keyring's collection is locked and nothing can prompt to unlock it.
    #[error(
        "the OS keyring is locked ({reason}); unlock it (log in to the desktop session, or `gnome-keyring-daemon --unlock`), or set OAT_STORE=file to keep secrets in a 0600 file instead"
    )]
    Locked {
        /// What the platform said.
        reason: String,
    },
    /// The keyring did not answer in time (a locked collection waiting for a prompt, a hung daemon).
    #[error(
        "the OS keyring did not answer within {}s (is the login keyring locked?); unlock it, or set OAT_STORE=file",
        .0.as_secs()
    )]
    Timeout(Duration),
    /// An entry is larger than the keyring accepts.
    #[error("the entry `{entry}` is larger than this keyring accepts ({limit} bytes); set OAT_STORE=file")]
    TooLarge {
        entry: String,
        /// The keyring's limit.
        limit: usize,
    },
    /// A stored entry cannot be understood.
    #[error("the stored entry at {location} is unreadable ({reason}); run `oat login {profile}` to replace it")]
    Corrupt {
        profile: String,
        /// Where it is.
        location: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file of the store is readable by others.
    #[error("{} is accessible to other users (mode {mode:o}); run `chmod 600 {}`", path.display(), path.display())]
    Permissions {
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A file operation failed.
    #[error("cannot {action} {}: {error}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        path: PathBuf,
        /// Why it failed.
        error: std::io::Error,
    },
    /// Another `oat` held the profile's lock for too long.
    #[error("another oat process held the lock {} for {}s; try again, or remove the file if no oat is running", path.display(), waited.as_secs())]
    LockTimeout {
        /// The lock file.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
    },
}
