//! The errors of flow's own making: a login that is needed, one that was interrupted, a
//! redirect or ID token that did not check out, and input that cannot work. Which exit code
//! each one means is decided where exit codes are (the top-level `error` module), not here.

use crate::config::ClientAuthMethod;
use crate::oauth::OAuthError;

/// Why the user has to log in (again) before a token can be handed out.
#[derive(Debug, thiserror::Error)]
pub enum LoginRequired {
    /// Nothing is stored for the profile.
    #[error("no tokens stored for `{0}`; run `oat login {0}`")]
    NoTokens(String),
    /// The access token is too old and there is no refresh token to renew it.
    #[error(
        "the access token of `{0}` has expired (or expires within --min-ttl) and there is no refresh token; run `oat login {0}`"
    )]
    NoRefreshToken(String),
    /// The access token is too old, and the provider issues no refresh tokens at all.
    #[error(
        "the access token of `{profile}` {}; {provider} issues no refresh tokens, so only a new login gets another: run `oat login {profile}`",
        ended(*.expires_at)
    )]
    NoRefreshTokens {
        /// The profile.
        profile: String,
        /// Who issued it.
        provider: &'static str,
        /// When it ends (Unix seconds), if known.
        expires_at: Option<u64>,
    },
    /// The server refused the refresh token.
    #[error("the server rejected the refresh token of `{profile}` ({reason}); run `oat login {profile}`")]
    Rejected {
        /// The profile whose refresh token was refused.
        profile: String,
        /// The server's error (`invalid_grant`).
        reason: OAuthError,
    },
    /// An ID token is asked for and none is stored.
    #[error(
        "no ID token stored for `{0}` (its login got none: the profile needs the openid scope); run `oat login {0}`, or use the access token"
    )]
    NoIdToken(String),
    /// The ID token has expired, and there is no refresh token or the refresh brought no new one.
    #[error(
        "the ID token of `{0}` has expired and cannot be renewed (there is no refresh token, or the server's refresh answer brings no new ID token); run `oat login {0}`"
    )]
    IdTokenExpired(String),
    /// The stored ID token is not one to hand out for this profile (its client or issuer changed).
    #[error("the ID token stored for `{profile}` cannot be used: {reason}; run `oat login {profile}`")]
    IdTokenUnusable {
        /// The profile.
        profile: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The stored token is DPoP-bound but the key it is bound to is not in the store.
    #[error("the token of `{0}` is bound to a DPoP key that is no longer stored; run `oat login {0}`")]
    NoDpopKey(String),
}

/// "expired at …", or "expires at …" (within --min-ttl, or `oat refresh` asked for a new one).
fn ended(expires_at: Option<u64>) -> String {
    match expires_at {
        Some(at) if at <= crate::time::now() => format!("expired at {}", crate::time::instant(at)),
        Some(at) => format!("expires at {}", crate::time::instant(at)),
        None => "has expired".into(),
    }
}

/// The server refused a request that carried a token from a source (a CI job's ID token):
/// its error, and what the token says about why (audience, subject, expiry).
#[derive(Debug, thiserror::Error)]
#[error("{}; {hint}", .error.as_sent())]
pub struct CiTokenRefused {
    /// The server's error.
    pub error: OAuthError,
    /// What the token says.
    pub hint: String,
}

/// The person pressed Ctrl-C while oat waited for them.
#[derive(Debug, thiserror::Error)]
#[error("interrupted; nothing was stored")]
pub struct Interrupted;

/// What the profile or the command asks for cannot work; nothing was sent for it.
#[derive(Debug, thiserror::Error)]
pub enum BadInput {
    /// The client authenticates with a secret, and none was found anywhere.
    #[error(
        "profile `{profile}` uses {} but has no client secret; store one with `oat profile add {profile} ... --client-secret-stdin --force`, or set OAT_CLIENT_SECRET",
        .method.as_str()
    )]
    NoClientSecret {
        /// The profile that lacks it.
        profile: String,
        /// Its client authentication, one that needs a secret.
        method: ClientAuthMethod,
    },
    /// Facebook's device login authenticates with the app's Client Token, and none is stored.
    #[error(
        "Facebook's device login needs the app's Client Token (App settings → Advanced → Security), kept as the client secret of `{0}`; store it with `oat profile add {0} --preset facebook --client-id APP_ID --flow device_code --client-secret-stdin --force`"
    )]
    NoClientToken(String),
    /// PAR is asked for, and the server has no pushed authorization request endpoint.
    #[error(
        "profile `{0}` has no pushed authorization request endpoint (PAR, RFC 9126): the server does not offer one, or the profile predates it; drop --par, or re-add the profile with `oat profile add {0} --issuer URL ... --force`"
    )]
    NoParEndpoint(String),
    /// `oat revoke --refresh-token` for a profile with no refresh token stored.
    #[error("`{0}` has no refresh token to revoke")]
    NoRefreshTokenToRevoke(String),
    /// A DPoP-bound token asked to go in the query, where no proof can go with it.
    #[error(
        "the token of `{0}` is DPoP-bound and goes in the Authorization header with a proof (RFC 9449 §7.1); drop --token-in query"
    )]
    DpopInQuery(String),
    /// A DPoP proof is asked for a token that is not DPoP-bound.
    #[error(
        "the token of `{profile}` is a {token_type} token, not DPoP-bound, so it needs no proof; a profile added with --dpop gets DPoP-bound tokens"
    )]
    NotDpopBound {
        /// The profile.
        profile: String,
        /// Its token's type.
        token_type: String,
    },
    /// A DPoP-bound token asked for by a client that cannot send proofs with it.
    #[error(
        "the access token of `{profile}` is DPoP-bound, and {client} cannot send the DPoP proof every request with it needs; give {client} a profile without --dpop"
    )]
    DpopUnusable {
        /// The profile.
        profile: String,
        /// The program that would send the token.
        client: &'static str,
    },
    /// An https redirect, which only a pasted address delivers, without a terminal to paste on.
    #[error(
        "the redirect URI of `{profile}`, {redirect_uri}, is https, which nothing on this machine can receive: run `oat login {profile}` on a terminal and paste the address the browser is sent to"
    )]
    PasteNeeded {
        /// The profile.
        profile: String,
        /// Its redirect URI.
        redirect_uri: String,
    },
    /// `oat request NAME /path` for a profile without an API base.
    #[error(
        "`{path}` is a path, and profile `{profile}` has no API base to send it to; give the whole URL, or set one with `oat profile add {profile} ... --api-base URL --force`"
    )]
    NoApiBase {
        /// The profile.
        profile: String,
        /// The path given.
        path: String,
    },
    /// The API base names a value the server has not given (yet).
    #[error(
        "the API base of `{profile}` needs the {missing} the server gives at login, and none is stored; run `oat login {profile}`"
    )]
    ApiBaseUnknown {
        /// The profile.
        profile: String,
        /// The placeholder's name.
        missing: String,
    },
    /// The API base and the path do not make a URL.
    #[error("the API base of `{profile}` and the path make `{url}`, which is not a URL oat calls: {reason}")]
    BadApiUrl {
        /// The profile.
        profile: String,
        /// What they made.
        url: String,
        /// Why it is refused.
        reason: String,
    },
}

/// The redirect or the ID token did not check out; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum AuthorizationError {
    /// The authorization server (or the user) refused.
    #[error("the authorization server refused the login: {0}")]
    Denied(OAuthError),
    /// The redirect's state is not the one this login sent.
    #[error("the redirect's state does not match this login (a stale or forged redirect); nothing was stored")]
    StateMismatch,
    /// The redirect had neither code nor error.
    #[error("the redirect carried no authorization code; nothing was stored")]
    MissingCode,
    /// The redirect named another issuer (RFC 9207).
    #[error("the redirect comes from issuer `{got}`, not `{expected}` (possible mix-up attack); nothing was stored")]
    IssuerMismatch {
        /// The profile's issuer.
        expected: String,
        /// What the redirect said.
        got: String,
    },
    /// The device code expired before anyone approved it.
    #[error("the device code expired after {} without an approval; run the login again", crate::time::span(.waited.to_owned()))]
    Expired {
        /// Seconds waited.
        waited: u64,
    },
    /// The JARM response JWT is missing or failed its check; its code was not used.
    #[error("the authorization response (JARM) is not valid: {0}; nothing was stored")]
    Response(String),
    /// The ID token failed a check of OpenID Connect Core §3.1.3.7.
    #[error("the ID token is not valid: {0}; nothing was stored")]
    IdToken(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_says_what_is_wrong_and_what_to_do() {
        let no_secret = BadInput::NoClientSecret { profile: "gh".into(), method: ClientAuthMethod::ClientSecretPost };
        assert_eq!(
            no_secret.to_string(),
            "profile `gh` uses client_secret_post but has no client secret; store one with \
             `oat profile add gh ... --client-secret-stdin --force`, or set OAT_CLIENT_SECRET"
        );
        assert_eq!(BadInput::NoRefreshTokenToRevoke("gh".into()).to_string(), "`gh` has no refresh token to revoke");
    }
}
