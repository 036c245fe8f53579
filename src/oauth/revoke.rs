//! Token revocation (RFC 7009 §2): tell the server a token is no longer needed.

use super::Error;
use super::token::{self, ClientCredentials};
use crate::config::Endpoint;
use crate::http::Http;
use crate::redact::Secret;

/// Which kind of token is revoked (`token_type_hint`, RFC 7009 §2.1).
#[derive(Clone, Copy, Debug)]
pub enum TokenKind {
    /// A refresh token (revoking it usually ends the grant).
    Refresh,
    /// An access token.
    Access,
}

impl TokenKind {
    fn hint(self) -> &'static str {
        match self {
            TokenKind::Refresh => "refresh_token",
            TokenKind::Access => "access_token",
        }
    }
}

/// Revokes one token. The server answers 200 whether or not it knew the token (§2.2).
pub fn revoke(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    token: &Secret<String>,
    kind: TokenKind,
) -> Result<(), Error> {
    let form = vec![("token", token.expose().as_str()), ("token_type_hint", kind.hint())];
    let response = token::post(http, endpoint, client, form)?;
    if let Some(err) = token::fields(&response).as_deref().and_then(token::error_in) {
        return Err(Error::Server(err));
    }
    if response.status != 200 {
        return Err(Error::status(endpoint, &response));
    }
    Ok(())
}
