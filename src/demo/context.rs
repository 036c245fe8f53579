//! What every request handler of the demo server shares: the issuer, the settings, the ID
//! token signing key and the state behind a mutex. The server builds it; the endpoints read it.

use super::Settings;
use super::keys::Signer;
use super::state::State;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// What every request handler shares.
pub(super) struct Context {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub(super) issuer: String,
    /// How the server behaves.
    pub(super) settings: Settings,
    /// The ID token signing key.
    pub(super) signer: Signer,
    state: Mutex<State>,
}

impl Context {
    /// A context with empty state.
    pub(super) fn new(issuer: String, settings: Settings, signer: Signer) -> Context {
        Context { issuer, settings, signer, state: Mutex::new(State::default()) }
    }

    /// The state, locked. A lock poisoned by a panicking handler is taken over: the demo keeps
    /// serving rather than failing every later request.
    pub(super) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The URL of one of the server's paths.
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }
}
