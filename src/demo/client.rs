//! Client authentication for the demo server's token, device, revocation and introspection
//! endpoints (RFC 6749 §2.3): HTTP Basic or `client_secret_post` for the machine client,
//! `client_id` alone for the public one.

use super::wire::{Incoming, Params, Refusal};
use super::{MACHINE_CLIENT, MACHINE_SECRET, PUBLIC_CLIENT, REALM};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// A client that proved who it is (the public client only names itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Client {
    /// [`PUBLIC_CLIENT`].
    Public,
    /// [`MACHINE_CLIENT`], with its secret.
    Machine,
}

impl Client {
    /// The `client_id`.
    pub(super) fn id(self) -> &'static str {
        match self {
            Client::Public => PUBLIC_CLIENT,
            Client::Machine => MACHINE_CLIENT,
        }
    }
}

/// Authenticates the client of a token, device, revocation or introspection request: HTTP
/// Basic or `client_secret_post` for the machine client, `client_id` alone for the public one.
pub(super) fn authenticate(request: &Incoming, form: &Params) -> Result<Client, Refusal> {
    let basic = request.authorization.as_deref().and_then(|header| {
        let (scheme, credentials) = header.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("basic").then(|| credentials.trim())
    });
    let used_basic = basic.is_some();
    // §5.2: a client that tried Basic gets 401 and a challenge; others get 400.
    let invalid = |why: &str| {
        let refusal = Refusal::new("invalid_client", why);
        if used_basic { refusal.with_challenge(401, format!("Basic realm=\"{REALM}\"")) } else { refusal }
    };
    let (id, secret) = match basic {
        Some(credentials) => {
            if form.one("client_secret")?.is_some() {
                return Err(Refusal::new(
                    "invalid_request",
                    "use one way to authenticate, not Basic and client_secret",
                ));
            }
            let (id, secret) = basic_credentials(credentials)
                .ok_or_else(|| invalid("the Basic credentials are not base64 of form-urlencoded id:secret"))?;
            if form.one("client_id")?.is_some_and(|body_id| body_id != id) {
                return Err(invalid("the client_id in the body is not the one of the Basic credentials"));
            }
            (id, Some(secret).filter(|s| !s.is_empty()))
        }
        None => match form.one("client_id")? {
            Some(id) => (id.to_string(), form.one("client_secret")?.map(str::to_string)),
            None => return Err(invalid("send client_id (public client) or authenticate the client (RFC 6749 §2.3)")),
        },
    };
    // The secret is published, so comparing it in constant time would protect nothing.
    match (id.as_str(), secret.as_deref()) {
        (PUBLIC_CLIENT, None) => Ok(Client::Public),
        (PUBLIC_CLIENT, Some(_)) => Err(invalid("demo-cli is a public client: it has no secret to send")),
        (MACHINE_CLIENT, Some(MACHINE_SECRET)) => Ok(Client::Machine),
        (MACHINE_CLIENT, Some(_)) => Err(invalid("wrong client secret for demo-machine")),
        (MACHINE_CLIENT, None) => Err(invalid("demo-machine must authenticate with its client secret")),
        (other, _) => Err(invalid(&format!("unknown client `{other}`"))),
    }
}

/// `base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1), decoded.
fn basic_credentials(credentials: &str) -> Option<(String, String)> {
    let decoded = String::from_utf8(STANDARD.decode(credentials).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    // Encoded parts cannot hold a raw `&` or `=`; with them, the form decoder would split.
    let form_decode = |part: &str| -> Option<String> {
        if part.contains(['&', '=']) {
            return None;
        }
        Some(url::form_urlencoded::parse(part.as_bytes()).next().map(|(k, _)| k.into_owned()).unwrap_or_default())
    };
    Some((form_decode(id)?, form_decode(secret)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_urlencoded_parts() {
        let encoded = STANDARD.encode("demo%2Dmachine:a+b%3Ac");
        assert_eq!(basic_credentials(&encoded), Some(("demo-machine".into(), "a b:c".into())));
        assert_eq!(basic_credentials(&STANDARD.encode("no-colon")), None);
        assert_eq!(basic_credentials("!!"), None);
    }
}
