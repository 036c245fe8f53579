//! The token endpoint (RFC 6749 §3.2): grants, client authentication (§2.3), the answer in
//! JSON or form encoding (§5.1, §5.2), and [`Tokens`], the answer as stored with an absolute
//! expiry.

use super::{Error, OAuthError};
use crate::config::Endpoint;
use crate::http::{Http, Method, Request, Response};
use crate::redact::Secret;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How the client proves who it is at the token endpoint.
pub enum ClientAuth {
    /// A public client (`client_id` in the body).
    None,
    /// HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1).
    Basic(Secret<String>),
    /// `client_id` and `client_secret` in the body.
    Post(Secret<String>),
}

/// The client as the token endpoint sees it.
pub struct ClientCredentials {
    /// `client_id`.
    pub id: String,
    /// Its authentication.
    pub auth: ClientAuth,
}

/// A grant to exchange for tokens.
pub enum Grant<'a> {
    /// Authorization code (RFC 6749 §4.1.3), with the PKCE verifier (RFC 7636 §4.5).
    AuthorizationCode {
        /// The code from the redirect.
        code: &'a Secret<String>,
        /// The redirect URI used in the authorization request.
        redirect_uri: &'a str,
        /// The PKCE code verifier, unless PKCE is off.
        verifier: Option<&'a Secret<String>>,
    },
    /// Refresh token (RFC 6749 §6).
    RefreshToken(&'a Secret<String>),
}

/// A successful token answer as sent (RFC 6749 §5.1).
#[derive(Debug)]
pub struct TokenResponse {
    /// `access_token`.
    pub access_token: Secret<String>,
    /// `token_type` (`Bearer` when the server leaves it out).
    pub token_type: String,
    /// `expires_in` in seconds.
    pub expires_in: Option<u64>,
    /// `refresh_token`.
    pub refresh_token: Option<Secret<String>>,
    /// `scope`.
    pub scope: Option<String>,
    /// OpenID Connect `id_token`.
    pub id_token: Option<Secret<String>>,
}

/// Exchanges a grant for tokens at the token endpoint.
pub fn request(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    grant: &Grant<'_>,
) -> Result<TokenResponse, Error> {
    let mut form: Vec<(&str, &str)> = Vec::with_capacity(6);
    match grant {
        Grant::AuthorizationCode {
            code,
            redirect_uri,
            verifier,
        } => {
            form.push(("grant_type", "authorization_code"));
            form.push(("code", code.expose()));
            form.push(("redirect_uri", redirect_uri));
            if let Some(v) = verifier {
                form.push(("code_verifier", v.expose()));
            }
        }
        Grant::RefreshToken(token) => {
            form.push(("grant_type", "refresh_token"));
            form.push(("refresh_token", token.expose()));
        }
    }
    let response = post(http, endpoint, client, form)?;
    parse(endpoint, &response)
}

/// POSTs a form to an endpoint of the token family (token, revocation, introspection), with
/// the client's credentials added.
pub fn post<'a>(
    http: &Http,
    endpoint: &Endpoint,
    client: &'a ClientCredentials,
    mut form: Vec<(&'a str, &'a str)>,
) -> Result<Response, Error> {
    let authorization = authenticate(client, &mut form);
    Ok(http.send(&Request {
        method: Method::Post,
        url: endpoint.url(),
        authorization,
        form: &form,
    })?)
}

/// Adds the client's credentials to a token-endpoint request: form fields, or the returned
/// `Authorization` header value.
pub fn authenticate<'a>(
    client: &'a ClientCredentials,
    form: &mut Vec<(&'a str, &'a str)>,
) -> Option<Secret<String>> {
    match &client.auth {
        ClientAuth::None => {
            form.push(("client_id", &client.id));
            None
        }
        ClientAuth::Post(secret) => {
            form.push(("client_id", &client.id));
            form.push(("client_secret", secret.expose()));
            None
        }
        ClientAuth::Basic(secret) => Some(basic(&client.id, secret)),
    }
}

/// `Basic` credentials as RFC 6749 §2.3.1 requires: id and secret form-urlencoded first.
pub fn basic(id: &str, secret: &Secret<String>) -> Secret<String> {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    Secret::new(format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(id), enc(secret.expose())))
    ))
}

/// The fields of a JSON object or form-encoded body; `None` if it is neither.
pub fn fields(response: &Response) -> Option<Vec<(String, Value)>> {
    let body = &response.body;
    let json_like = response.content_type().is_some_and(|t| t.ends_with("json"))
        || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if json_like {
        return match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Some(map.into_iter().collect()),
            _ => None,
        };
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    if text.is_empty() || !text.contains('=') || text.contains(char::is_whitespace) {
        return None;
    }
    Some(
        url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect(),
    )
}

/// Reads the OAuth error out of a body's fields, whatever the status (GitHub answers errors
/// with HTTP 200).
pub fn error_in(fields: &[(String, Value)]) -> Option<OAuthError> {
    let strings: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
        .collect();
    OAuthError::from_fields(&strings)
}

/// Turns a token-endpoint answer into a [`TokenResponse`] or the error it carries.
pub fn parse(endpoint: &Endpoint, response: &Response) -> Result<TokenResponse, Error> {
    let fields = fields(response);
    if let Some(err) = fields.as_deref().and_then(error_in) {
        return Err(Error::Server(err));
    }
    let unreadable = |reason: &str| Error::Parse {
        endpoint: endpoint.to_string(),
        reason: reason.to_string(),
    };
    if !(200..300).contains(&response.status) {
        return Err(Error::status(endpoint, response));
    }
    let Some(fields) = fields else {
        return Err(unreadable(&format!(
            "neither JSON nor form-encoded{}",
            super::error::excerpt(&response.body)
        )));
    };
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let string = |name: &str| {
        get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let access_token =
        string("access_token").ok_or_else(|| unreadable("no access_token in the answer"))?;
    let expires_in = match get("expires_in") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            seconds(v).ok_or_else(|| unreadable(&format!("expires_in is not a number: {v}")))?,
        ),
    };
    let scope = match get("scope") {
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => string("scope"),
    };
    Ok(TokenResponse {
        access_token: Secret::new(access_token),
        token_type: string("token_type").unwrap_or_else(|| "Bearer".into()),
        expires_in,
        refresh_token: string("refresh_token").map(Secret::new),
        scope,
        id_token: string("id_token").map(Secret::new),
    })
}

/// `expires_in` as sent: a number, or a number in a string.
fn seconds(value: &Value) -> Option<u64> {
    let n = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    n.is_finite().then(|| n.max(0.0) as u64)
}

/// The tokens of a profile as stored: what the token endpoint returned, with the expiry made
/// absolute at receipt.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tokens {
    /// The access token.
    pub access_token: Secret<String>,
    /// Its type, usually `Bearer`.
    pub token_type: String,
    /// When it expires (Unix seconds); `None` if the server did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// The refresh token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret<String>>,
    /// Granted scopes (space-separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The OpenID Connect ID token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret<String>>,
}

impl Tokens {
    /// Tokens from a first answer; a missing `scope` means the requested one (RFC 6749 §5.1).
    pub fn issued(response: TokenResponse, now: u64, requested_scope: Option<String>) -> Tokens {
        Tokens {
            expires_at: response.expires_in.map(|s| now.saturating_add(s)),
            scope: response.scope.or(requested_scope),
            access_token: response.access_token,
            token_type: response.token_type,
            refresh_token: response.refresh_token,
            id_token: response.id_token,
        }
    }

    /// Tokens after a refresh: what the server left out (refresh token, scope, id_token) is
    /// kept from before (RFC 6749 §6); a rotated refresh token replaces the old one.
    pub fn refreshed(self, response: TokenResponse, now: u64) -> Tokens {
        Tokens {
            expires_at: response.expires_in.map(|s| now.saturating_add(s)),
            scope: response.scope.or(self.scope),
            access_token: response.access_token,
            token_type: response.token_type,
            refresh_token: response.refresh_token.or(self.refresh_token),
            id_token: response.id_token.or(self.id_token),
        }
    }

    /// Seconds the access token still lives (negative once expired); `None` if unknown.
    pub fn remaining(&self, now: u64) -> Option<i64> {
        self.expires_at.map(|at| at as i64 - now as i64)
    }

    /// Whether the access token lives at least `min_ttl` more seconds; a token without a
    /// known expiry is taken as valid.
    pub fn is_fresh(&self, now: u64, min_ttl: u64) -> bool {
        self.remaining(now)
            .is_none_or(|left| left >= min_ttl as i64)
    }

    /// The `Authorization` header scheme for this token type (`Bearer` spelled as RFC 6750 does).
    pub fn scheme(&self) -> &str {
        if self.token_type.eq_ignore_ascii_case("bearer") {
            "Bearer"
        } else {
            &self.token_type
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint() -> Endpoint {
        Endpoint::parse("https://as.example/token").unwrap()
    }

    fn answer(status: u16, content_type: &str, body: &str) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn json_answers_are_read() {
        let r = parse(
            &endpoint(),
            &answer(
                200,
                "application/json; charset=utf-8",
                r#"{"access_token":"at","token_type":"Bearer","expires_in":3600,"refresh_token":"rt","scope":"openid","id_token":"x.y.z"}"#,
            ),
        )
        .unwrap();
        assert_eq!(r.access_token.expose(), "at");
        assert_eq!(r.expires_in, Some(3600));
        assert_eq!(r.refresh_token.unwrap().expose(), "rt");
        assert_eq!(r.scope.as_deref(), Some("openid"));
        assert!(r.id_token.is_some());
    }

    #[test]
    fn form_encoded_answers_are_read() {
        // GitHub's answer unless asked for JSON.
        let r = parse(
            &endpoint(),
            &answer(
                200,
                "application/x-www-form-urlencoded",
                "access_token=gho_abc&scope=repo%2Cgist&token_type=bearer",
            ),
        )
        .unwrap();
        assert_eq!(r.access_token.expose(), "gho_abc");
        assert_eq!(r.scope.as_deref(), Some("repo,gist"));
        assert_eq!(r.token_type, "bearer");
        assert_eq!(r.expires_in, None);
    }

    #[test]
    fn expires_in_may_be_a_string_or_missing() {
        let r = parse(
            &endpoint(),
            &answer(
                200,
                "application/json",
                r#"{"access_token":"a","expires_in":"60"}"#,
            ),
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(60));
        assert_eq!(r.token_type, "Bearer");
        let r = parse(
            &endpoint(),
            &answer(
                200,
                "application/json",
                r#"{"access_token":"a","token_type":"Bearer"}"#,
            ),
        )
        .unwrap();
        assert_eq!(r.expires_in, None);
        let err = parse(
            &endpoint(),
            &answer(
                200,
                "application/json",
                r#"{"access_token":"a","expires_in":"soon"}"#,
            ),
        );
        assert!(matches!(err, Err(Error::Parse { .. })));
    }

    #[test]
    fn error_bodies_become_oauth_errors_whatever_the_status() {
        let err = parse(
            &endpoint(),
            &answer(
                400,
                "application/json",
                r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
            ),
        )
        .unwrap_err();
        assert!(
            matches!(&err, Error::Server(e) if e.code == super::super::ErrorCode::InvalidGrant)
        );
        assert_eq!(err.to_string(), "invalid_grant: grant request is invalid");
        // GitHub reports errors with HTTP 200, form-encoded.
        let err = parse(
            &endpoint(),
            &answer(
                200,
                "application/x-www-form-urlencoded",
                "error=bad_verification_code&error_description=The+code+passed+is+incorrect",
            ),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad_verification_code: The code passed is incorrect"
        );
    }

    #[test]
    fn other_failures_say_what_came_back() {
        let err = parse(
            &endpoint(),
            &answer(502, "text/html", "<html><h1>Bad Gateway</h1></html>"),
        )
        .unwrap_err();
        assert!(matches!(err, Error::Status { status: 502, .. }));
        assert!(err.to_string().contains("Bad Gateway"), "{err}");
        let err = parse(
            &endpoint(),
            &answer(200, "application/json", r#"{"token_type":"Bearer"}"#),
        )
        .unwrap_err();
        assert!(err.to_string().contains("no access_token"), "{err}");
        let err = parse(&endpoint(), &answer(200, "text/html", "<html>login</html>")).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }

    #[test]
    fn basic_credentials_are_form_urlencoded_first() {
        // RFC 6749 §2.3.1: "client:id" with secret "s p@ss" → "client%3Aid:s+p%40ss".
        let header = basic("client:id", &Secret::new("s p@ss".into()));
        assert_eq!(
            header.expose(),
            &format!("Basic {}", STANDARD.encode("client%3Aid:s+p%40ss"))
        );
    }

    #[test]
    fn public_and_post_clients_send_their_id_in_the_body() {
        let client = ClientCredentials {
            id: "cli".into(),
            auth: ClientAuth::Post(Secret::new("s".into())),
        };
        let mut form = Vec::new();
        assert!(authenticate(&client, &mut form).is_none());
        assert_eq!(form, vec![("client_id", "cli"), ("client_secret", "s")]);
        let client = ClientCredentials {
            id: "cli".into(),
            auth: ClientAuth::None,
        };
        let mut form = Vec::new();
        assert!(authenticate(&client, &mut form).is_none());
        assert_eq!(form, vec![("client_id", "cli")]);
    }

    fn response(expires_in: Option<u64>, refresh: Option<&str>) -> TokenResponse {
        TokenResponse {
            access_token: Secret::new("new".into()),
            token_type: "Bearer".into(),
            expires_in,
            refresh_token: refresh.map(|r| Secret::new(r.into())),
            scope: None,
            id_token: None,
        }
    }

    #[test]
    fn expiry_is_absolute_and_freshness_respects_min_ttl() {
        let t = Tokens::issued(response(Some(120), Some("rt")), 1000, Some("openid".into()));
        assert_eq!(t.expires_at, Some(1120));
        assert_eq!(t.scope.as_deref(), Some("openid"));
        assert!(t.is_fresh(1000, 60));
        assert!(t.is_fresh(1060, 60));
        assert!(!t.is_fresh(1061, 60));
        assert_eq!(t.remaining(1200), Some(-80));
        let forever = Tokens::issued(response(None, None), 1000, None);
        assert!(forever.is_fresh(u64::MAX / 2, 60));
    }

    #[test]
    fn a_refresh_keeps_what_the_server_left_out_and_takes_rotations() {
        let old = Tokens::issued(response(Some(60), Some("rt-1")), 0, Some("openid".into()));
        let kept = old.clone().refreshed(response(Some(60), None), 100);
        assert_eq!(kept.refresh_token.unwrap().expose(), "rt-1");
        assert_eq!(kept.scope.as_deref(), Some("openid"));
        assert_eq!(kept.expires_at, Some(160));
        let rotated = old.refreshed(response(Some(60), Some("rt-2")), 100);
        assert_eq!(rotated.refresh_token.unwrap().expose(), "rt-2");
    }
}
