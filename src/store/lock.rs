//! The per-profile lock (`<data dir>/NAME.lock`, an OS file lock) held around every refresh
//! and token write, so that concurrent `oat` processes make one refresh and share its result.
//! Waiting is bounded; the lock is released when the guard drops (or the process dies).

use super::StoreError;
use crate::private_file;
use std::fs::{File, TryLockError};
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A held profile lock; dropping it releases the lock.
#[derive(Debug)]
pub struct ProfileLock {
    _file: File,
}

/// Takes the lock of `profile` in `dir`, waiting at most `wait`.
pub fn acquire(dir: &Path, profile: &str, wait: Duration) -> Result<ProfileLock, StoreError> {
    let path = dir.join(format!("{profile}.lock"));
    private_file::create_private_dir(dir).map_err(|error| StoreError::Io {
        action: "create",
        path: dir.into(),
        error,
    })?;
    let file = private_file::open_or_create(&path).map_err(|error| StoreError::Io {
        action: "open",
        path: path.clone(),
        error,
    })?;
    match file.try_lock() {
        Ok(()) => return Ok(ProfileLock { _file: file }),
        Err(TryLockError::WouldBlock) => {}
        Err(TryLockError::Error(error)) => return Err(StoreError::Io { action: "lock", path, error }),
    }
    // Held by another process: wait in the kernel, which wakes us the moment it is released
    // (polling would add its period to every waiter), on a thread so the wait can be bounded.
    // The thread locks a duplicate of the same open file, so the lock it takes is ours.
    let waiter = file.try_clone().map_err(|error| StoreError::Io { action: "lock", path: path.clone(), error })?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(waiter.lock());
    });
    match rx.recv_timeout(wait) {
        Ok(Ok(())) => Ok(ProfileLock { _file: file }),
        Ok(Err(error)) => Err(StoreError::Io { action: "lock", path, error }),
        Err(_) => Err(StoreError::LockTimeout { path, waited: wait }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_makes_others_wait_then_time_out() {
        let dir = tempfile::tempdir().unwrap();
        let held = acquire(dir.path(), "p", Duration::from_secs(1)).unwrap();
        let err = acquire(dir.path(), "p", Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, StoreError::LockTimeout { .. }), "{err}");
        assert!(acquire(dir.path(), "other", Duration::from_millis(50)).is_ok());
        drop(held);
        assert!(acquire(dir.path(), "p", Duration::from_millis(50)).is_ok());
    }
}
