//! The OAuth 2.0 / OpenID Connect vocabulary: building and parsing protocol messages.
//! No terminal, store or browser here; the network only through `http`.

pub mod assertion;
pub mod authorize;
pub mod device;
pub mod discovery;
pub mod dpop;
pub mod error;
pub mod introspect;
pub mod jar;
pub mod jarm;
pub mod mtls;
pub mod par;
pub mod revoke;
pub mod token;

pub use error::{Error, ErrorCode, OAuthError};
pub use token::{ClientCredentials, Grant, TokenResponse, Tokens};

use crate::redact::Secret;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// `n` random bytes as unpadded base64url: state, nonce and PKCE verifiers are made of this.
pub fn random_token(n: usize) -> Result<Secret<String>, getrandom::Error> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)?;
    Ok(Secret::new(URL_SAFE_NO_PAD.encode(bytes)))
}
