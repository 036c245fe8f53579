//! The demo server's memory: sign-in requests waiting for a decision, authorization codes,
//! device codes, grants and the access and refresh tokens issued under them. A grant is one
//! approval; revoking it ends every token it produced. Times are Unix seconds given by callers.

use super::random;
use std::collections::HashMap;
use std::time::Instant;

/// How long a used or expired code, device code or access token is remembered, so that a late
/// replay is still recognised (and a reused code still revokes its tokens).
const MEMORY: u64 = 600;

/// A validated authorization request waiting for the person's decision.
#[derive(Debug)]
pub(super) struct Pending {
    /// `redirect_uri`, as sent.
    pub(super) redirect_uri: String,
    /// The requested scopes.
    pub(super) scope: Vec<String>,
    /// `state`, passed through.
    pub(super) state: Option<String>,
    /// `nonce`, for the ID token.
    pub(super) nonce: Option<String>,
    /// The PKCE S256 `code_challenge`.
    pub(super) challenge: String,
    /// When the sign-in page stops working.
    pub(super) expires_at: u64,
}

/// An issued authorization code (RFC 6749 §4.1.2).
#[derive(Debug)]
pub(super) struct Code {
    /// The request it answers.
    pub(super) request: Pending,
    /// Who approved.
    pub(super) user: String,
    /// When they signed in.
    pub(super) auth_time: u64,
    /// When the code expires.
    pub(super) expires_at: u64,
    /// The grant it was exchanged for, once used.
    pub(super) redeemed: Option<u64>,
}

/// What became of a device authorization (RFC 8628 §3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Decision {
    /// Nobody has decided yet.
    Pending,
    /// Approved by a user at a time.
    Approved { user: String, auth_time: u64 },
    /// Denied.
    Denied,
}

/// A device authorization (RFC 8628 §3.2).
#[derive(Debug)]
pub(super) struct Device {
    /// The client that asked.
    pub(super) client_id: &'static str,
    /// The user code, normalised (8 letters, no dash).
    pub(super) user_code: String,
    /// The requested scopes.
    pub(super) scope: Vec<String>,
    /// When the codes expire.
    pub(super) expires_at: u64,
    /// The current polling interval in seconds.
    pub(super) interval: u64,
    /// When the client last polled.
    pub(super) last_poll: Option<Instant>,
    pub(super) decision: Decision,
}

/// One approval, and what every token issued under it inherits.
#[derive(Debug)]
pub(super) struct Grant {
    pub(super) client_id: &'static str,
    /// The user, for user grants; `None` for client credentials.
    pub(super) user: Option<String>,
    /// The approved scopes.
    pub(super) scope: Vec<String>,
    /// When the user signed in.
    pub(super) auth_time: u64,
    /// Revoked: every token of the grant is dead.
    pub(super) revoked: bool,
    /// The thumbprint of the DPoP key its tokens are bound to (RFC 9449), if a proof came
    /// with the request that made it.
    pub(super) jkt: Option<String>,
}

impl Grant {
    /// The token's subject: the user, or the client itself for client credentials.
    pub(super) fn subject(&self) -> &str {
        self.user.as_deref().unwrap_or(self.client_id)
    }
}

/// An access token.
#[derive(Debug)]
pub(super) struct Access {
    pub(super) grant: u64,
    /// Its scopes (a refresh may narrow them, RFC 6749 §6).
    pub(super) scope: Vec<String>,
    /// Issued at.
    pub(super) iat: u64,
    /// Expires at.
    pub(super) exp: u64,
    /// Revoked on its own (RFC 7009).
    pub(super) revoked: bool,
}

/// A refresh token; only the newest of a grant is `current` (rotation).
#[derive(Debug)]
pub(super) struct Refresh {
    pub(super) grant: u64,
    /// Issued at.
    pub(super) iat: u64,
    /// Not yet exchanged.
    pub(super) current: bool,
}

/// Why an access token is not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Inactive {
    /// Never issued (or long forgotten).
    Unknown,
    /// Past its `exp`.
    Expired,
    /// Revoked, alone or with its grant.
    Revoked,
}

impl Inactive {
    /// How the demo API explains it (`error_description`).
    pub(super) fn describe(self) -> &'static str {
        match self {
            Inactive::Unknown => "the access token is unknown",
            Inactive::Expired => "the access token expired",
            Inactive::Revoked => "the access token was revoked",
        }
    }
}

/// Everything the server remembers.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Sign-in requests by request id.
    pub(super) pending: HashMap<String, Pending>,
    /// Authorization codes.
    pub(super) codes: HashMap<String, Code>,
    /// Device authorizations by device code.
    pub(super) devices: HashMap<String, Device>,
    grants: HashMap<u64, Grant>,
    next_grant: u64,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    /// The `jti` of the DPoP proofs seen, with when they were seen (RFC 9449 §11.1).
    proofs: HashMap<String, u64>,
}

impl State {
    /// Records a new grant.
    pub(super) fn grant(&mut self, grant: Grant) -> u64 {
        self.next_grant += 1;
        self.grants.insert(self.next_grant, grant);
        self.next_grant
    }

    /// Whether a DPoP proof's `jti` is new (and so the proof not a replay); proofs older than
    /// ten minutes are forgotten, their `iat` long out of the window.
    pub(super) fn first_proof(&mut self, jti: &str, now: u64) -> bool {
        self.proofs.retain(|_, seen| now.saturating_sub(*seen) < 600);
        self.proofs.insert(jti.to_string(), now).is_none()
    }

    /// Binds the tokens of a grant to a DPoP key.
    pub(super) fn bind(&mut self, id: u64, jkt: Option<String>) {
        if let Some(grant) = self.grants.get_mut(&id) {
            grant.jkt = jkt;
        }
    }

    /// A grant by id.
    pub(super) fn grant_of(&self, id: u64) -> Option<&Grant> {
        self.grants.get(&id)
    }

    /// Issues an access token (and a refresh token if asked) under a grant.
    pub(super) fn issue(
        &mut self,
        grant: u64,
        scope: Vec<String>,
        ttl: u64,
        with_refresh: bool,
        now: u64,
        bytes: usize,
    ) -> Result<(String, Option<String>), getrandom::Error> {
        // At least 32 random bytes: 256 bits, as unguessable as a token needs to be (RFC 6749 §10.10).
        let bytes = bytes.max(32);
        let access = random(bytes)?;
        let refresh = if with_refresh { Some(random(bytes)?) } else { None };
        self.access.insert(access.clone(), Access { grant, scope, iat: now, exp: now + ttl, revoked: false });
        if let Some(refresh) = &refresh {
            self.refresh.insert(refresh.clone(), Refresh { grant, iat: now, current: true });
        }
        Ok((access, refresh))
    }

    /// An access token that is still good, with its grant.
    pub(super) fn active(&self, token: &str, now: u64) -> Result<(&Access, &Grant), Inactive> {
        let access = self.access.get(token).ok_or(Inactive::Unknown)?;
        let grant = self.grants.get(&access.grant).ok_or(Inactive::Unknown)?;
        if access.revoked || grant.revoked {
            Err(Inactive::Revoked)
        } else if now >= access.exp {
            Err(Inactive::Expired)
        } else {
            Ok((access, grant))
        }
    }

    /// A refresh token, whatever its state, with its grant.
    pub(super) fn refresh_token(&self, token: &str) -> Option<(&Refresh, &Grant)> {
        let refresh = self.refresh.get(token)?;
        Some((refresh, self.grants.get(&refresh.grant)?))
    }

    /// The grant of an access token, whatever its state.
    pub(super) fn access_grant(&self, token: &str) -> Option<&Grant> {
        self.grants.get(&self.access.get(token)?.grant)
    }

    /// Uses up a current refresh token (rotation); the caller has checked it.
    pub(super) fn retire(&mut self, token: &str) {
        if let Some(refresh) = self.refresh.get_mut(token) {
            refresh.current = false;
        }
    }

    /// Revokes one access token (RFC 7009 §2.1).
    pub(super) fn revoke_access(&mut self, token: &str) {
        if let Some(access) = self.access.get_mut(token) {
            access.revoked = true;
        }
    }

    /// Revokes a grant: every access and refresh token issued under it.
    pub(super) fn revoke_grant(&mut self, id: u64) {
        if let Some(grant) = self.grants.get_mut(&id) {
            grant.revoked = true;
        }
    }

    /// The device authorization with a user code (normalised), if any.
    pub(super) fn device_by_user_code(&mut self, user_code: &str) -> Option<&mut Device> {
        self.devices.values_mut().find(|d| d.user_code == user_code)
    }

    /// Forgets what can no longer matter, so that a long `oat demo serve` stays small.
    pub(super) fn prune(&mut self, now: u64) {
        self.pending.retain(|_, p| p.expires_at > now);
        self.codes.retain(|_, c| c.expires_at + MEMORY > now);
        self.devices.retain(|_, d| d.expires_at + MEMORY > now);
        self.access.retain(|_, a| a.exp + MEMORY > now);
        let grants = &self.grants;
        // Rotated refresh tokens are kept while their grant lives: they are how reuse is caught.
        self.refresh.retain(|_, r| grants.get(&r.grant).is_some_and(|g| !g.revoked));
        let (access, refresh) = (&self.access, &self.refresh);
        self.grants.retain(|id, _| {
            access.values().any(|a| a.grant == *id)
                || refresh.values().any(|r| r.grant == *id)
                || self.codes.values().any(|c| c.redeemed == Some(*id))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_grant(state: &mut State) -> u64 {
        state.grant(Grant {
            client_id: "demo-cli",
            user: Some("ann".into()),
            scope: vec!["openid".into(), "offline_access".into()],
            auth_time: 1000,
            revoked: false,
            jkt: None,
        })
    }

    #[test]
    fn access_tokens_expire_and_die_with_their_grant() {
        let mut state = State::default();
        let id = user_grant(&mut state);
        let (access, refresh) = state.issue(id, vec!["openid".into()], 60, true, 1000, 32).unwrap();
        assert!(refresh.is_some());
        assert_eq!(state.active(&access, 1059).unwrap().1.subject(), "ann");
        assert_eq!(state.active(&access, 1060).unwrap_err(), Inactive::Expired);
        assert_eq!(state.active("nope", 1000).unwrap_err(), Inactive::Unknown);
        state.revoke_grant(id);
        assert_eq!(state.active(&access, 1000).unwrap_err(), Inactive::Revoked);
    }

    #[test]
    fn pruning_forgets_old_tokens_but_keeps_rotated_refresh_tokens_of_live_grants() {
        let mut state = State::default();
        let id = user_grant(&mut state);
        let (access, refresh) = state.issue(id, Vec::new(), 60, true, 1000, 32).unwrap();
        let refresh = refresh.unwrap();
        state.retire(&refresh);
        state.prune(1000 + 60 + MEMORY);
        assert_eq!(state.active(&access, 1000).unwrap_err(), Inactive::Unknown);
        assert!(state.refresh_token(&refresh).is_some_and(|(r, _)| !r.current));
        state.revoke_grant(id);
        state.prune(1000 + 60 + MEMORY);
        assert!(state.refresh_token(&refresh).is_none());
        assert!(state.grant_of(id).is_none());
    }
}
