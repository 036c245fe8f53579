//! The token endpoint (RFC 6749 §3.2): grants, client authentication (§2.3), the answer in
//! JSON or form encoding (§5.1, §5.2), and [`Tokens`], the answer as stored with an absolute
//! expiry.

use super::assertion::{self, Signer, SigningKey};
use super::dpop;
use super::{Error, OAuthError};
use crate::config::Endpoint;
use crate::http::{Http, Method, Request, Response};
use crate::redact::Secret;
use crate::source::Source;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// How the client proves who it is at the token endpoint.
pub enum ClientAuth {
    /// A public client (`client_id` in the body).
    None,
    /// HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1).
    Basic(Secret<String>),
    /// `client_id` and `client_secret` in the body.
    Post(Secret<String>),
    /// A client assertion signed with the secret, HS256 (OpenID Connect Core §9).
    SecretJwt(Secret<String>),
    /// A client assertion signed with the client's private key (OpenID Connect Core §9).
    PrivateKeyJwt(SigningKey),
    /// The TLS client certificate the HTTP client presents (RFC 8705 §2); `client_id` in the body.
    Tls,
    /// A client assertion someone else issued (a CI job's ID token, RFC 7523 §2.2), read from
    /// its source anew for every request, as such tokens live minutes. The last one sent is
    /// kept in memory only, to explain a refusal.
    Assertion {
        /// Where it comes from.
        source: Source,
        /// The last one sent.
        sent: RefCell<Option<Secret<String>>>,
    },
}

/// The client as the token endpoint sees it.
pub struct ClientCredentials {
    /// `client_id`.
    pub id: String,
    /// Its authentication.
    pub auth: ClientAuth,
    /// An `Origin` header for token requests (a redirect registered as a single-page app).
    pub origin: Option<String>,
    /// The DPoP key and the run's nonces, when token requests carry a proof (RFC 9449 §5).
    pub dpop: Option<Prover>,
    /// The `aud` of client assertions when it must be the issuer (FAPI 2.0 §5.3.2.1), not
    /// the endpoint the assertion is sent to.
    pub audience: Option<String>,
}

/// What a DPoP client sends proofs with: its key, and the nonces servers gave this run.
pub struct Prover {
    pub key: dpop::Key,
    pub nonces: dpop::Nonces,
}

impl ClientCredentials {
    /// The client secret, for the methods that have one.
    pub fn secret(&self) -> Option<&Secret<String>> {
        match &self.auth {
            ClientAuth::Basic(s) | ClientAuth::Post(s) | ClientAuth::SecretJwt(s) => Some(s),
            ClientAuth::None | ClientAuth::PrivateKeyJwt(_) | ClientAuth::Tls | ClientAuth::Assertion { .. } => None,
        }
    }
}

/// A client's credentials as they go on the wire: an `Authorization` header or form fields.
pub struct Authentication {
    /// The `Authorization` header value.
    pub header: Option<Secret<String>>,
    /// Form fields.
    pub fields: Vec<(&'static str, Secret<String>)>,
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
    /// Device code (RFC 8628 §3.4).
    DeviceCode(&'a Secret<String>),
    /// Client credentials (RFC 6749 §4.4), with RFC 8707 `resource` and an `audience`.
    ClientCredentials(Params<'a>),
    /// Resource owner password (RFC 6749 §4.3).
    Password {
        username: &'a str,
        password: &'a Secret<String>,
        /// `scope`, `audience`, `resource`.
        params: Params<'a>,
    },
    /// JWT bearer assertion (RFC 7523 §2.1).
    JwtBearer {
        /// The signed assertion.
        assertion: &'a Secret<String>,
        /// `scope`, `audience`, `resource`.
        params: Params<'a>,
    },
    /// Facebook's exchange of a short-lived user token for a long-lived one
    /// (`grant_type=fb_exchange_token`, "Long-Lived Access Tokens"); needs the app secret.
    FbExchangeToken(&'a Secret<String>),
    /// Token exchange (RFC 8693 §2.1).
    TokenExchange {
        subject_token: &'a Secret<String>,
        subject_token_type: &'a str,
        requested_token_type: Option<&'a str>,
        /// `scope`, `audience`, `resource`.
        params: Params<'a>,
    },
}

/// Optional request parameters several grants share.
#[derive(Clone, Copy, Debug, Default)]
pub struct Params<'a> {
    /// `scope` (space-separated).
    pub scope: Option<&'a str>,
    pub audience: Option<&'a str>,
    /// `resource` (RFC 8707).
    pub resource: Option<&'a str>,
    /// `authorization_details` (RFC 9396 §6), compact JSON.
    pub authorization_details: Option<&'a str>,
}

impl<'a> Params<'a> {
    fn add_to(&self, form: &mut Vec<(&'a str, &'a str)>) {
        for (name, value) in [
            ("scope", self.scope),
            ("audience", self.audience),
            ("resource", self.resource),
            ("authorization_details", self.authorization_details),
        ] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                form.push((name, value));
            }
        }
    }
}

/// A successful token answer as sent (RFC 6749 §5.1).
#[derive(Debug)]
pub struct TokenResponse {
    pub access_token: Secret<String>,
    /// `token_type` (`Bearer` when the server leaves it out).
    pub token_type: String,
    /// `expires_in` in seconds.
    pub expires_in: Option<u64>,
    pub refresh_token: Option<Secret<String>>,
    pub scope: Option<String>,
    /// OpenID Connect `id_token`.
    pub id_token: Option<Secret<String>>,
    /// `issued_token_type` (RFC 8693 §2.2.1).
    pub issued_token_type: Option<String>,
    /// The `authorization_details` the server granted (RFC 9396 §7), as sent.
    pub authorization_details: Option<Value>,
    /// Where the server's API is, when the answer says (Salesforce's `instance_url`).
    pub api_values: BTreeMap<String, String>,
}

/// How a token endpoint shapes a successful answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Answer {
    /// RFC 6749 §5.1.
    #[default]
    Standard,
    /// Slack's `oauth.v2.access`: the user token, with its scope, expiry and refresh token,
    /// under `authed_user` (the top level is the bot's, and may be absent); a refresh answers
    /// at the top level. `token_type` is `user` or `bot` (both sent as `Bearer`), and scopes
    /// are comma-separated.
    SlackV2,
}

/// Exchanges a grant for tokens at the token endpoint.
pub fn request(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    grant: &Grant<'_>,
) -> Result<TokenResponse, Error> {
    request_as(http, endpoint, client, grant, Answer::Standard)
}

/// [`request`] to an endpoint whose answers are shaped as `answer` says.
pub fn request_as(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    grant: &Grant<'_>,
    answer: Answer,
) -> Result<TokenResponse, Error> {
    let mut form: Vec<(&str, &str)> = Vec::with_capacity(6);
    match grant {
        Grant::AuthorizationCode { code, redirect_uri, verifier } => {
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
        Grant::DeviceCode(code) => {
            form.push(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"));
            form.push(("device_code", code.expose()));
        }
        Grant::ClientCredentials(params) => {
            form.push(("grant_type", "client_credentials"));
            params.add_to(&mut form);
        }
        Grant::Password { username, password, params } => {
            form.push(("grant_type", "password"));
            form.push(("username", username));
            form.push(("password", password.expose()));
            params.add_to(&mut form);
        }
        Grant::JwtBearer { assertion, params } => {
            form.push(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"));
            form.push(("assertion", assertion.expose()));
            params.add_to(&mut form);
        }
        Grant::FbExchangeToken(token) => {
            form.push(("grant_type", "fb_exchange_token"));
            form.push(("fb_exchange_token", token.expose()));
        }
        Grant::TokenExchange { subject_token, subject_token_type, requested_token_type, params } => {
            form.push(("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"));
            form.push(("subject_token", subject_token.expose()));
            form.push(("subject_token_type", subject_token_type));
            if let Some(t) = requested_token_type {
                form.push(("requested_token_type", t));
            }
            params.add_to(&mut form);
        }
    }
    let response = match &client.dpop {
        None => post(http, endpoint, client, form)?,
        Some(prover) => post_with_proof(http, endpoint, client, &form, prover)?,
    };
    parse_as(endpoint, &response, answer)
}

/// A token request with a DPoP proof (RFC 9449 §5), with the newest nonce the server gave; a
/// `use_dpop_nonce` answer that brings a new nonce is tried once more with it (§8). Client
/// authentication is made anew for that try, so an assertion's `jti` is never sent twice.
fn post_with_proof(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    form: &[(&str, &str)],
    prover: &Prover,
) -> Result<Response, Error> {
    let url = endpoint.url();
    let mut retried = false;
    loop {
        let nonce = prover.nonces.get(url);
        let proof = prover.key.proof("POST", url, nonce.as_deref(), None, crate::time::now())?;
        let response = send_form(http, endpoint, client, form.to_vec(), Some(&proof))?;
        let new_nonce = response.header("dpop-nonce").filter(|n| Some(*n) != nonce.as_deref());
        prover.nonces.remember(url, new_nonce);
        let wants_nonce =
            || fields(&response).as_deref().and_then(error_in).is_some_and(|e| e.code.as_str() == dpop::USE_DPOP_NONCE);
        if retried || new_nonce.is_none() || !wants_nonce() {
            return Ok(response);
        }
        retried = true;
    }
}

/// POSTs a form to an endpoint of the token family (token, device authorization, revocation,
/// introspection), with the client's credentials added.
pub fn post(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    form: Vec<(&str, &str)>,
) -> Result<Response, Error> {
    send_form(http, endpoint, client, form, None)
}

fn send_form(
    http: &Http,
    endpoint: &Endpoint,
    client: &ClientCredentials,
    form: Vec<(&str, &str)>,
    dpop: Option<&Secret<String>>,
) -> Result<Response, Error> {
    let auth = authenticate(http, client, endpoint)?;
    let mut form = form;
    form.extend(auth.fields.iter().map(|(k, v)| (*k, v.expose().as_str())));
    Ok(http.send(&Request {
        method: Method::POST,
        url: endpoint.url(),
        authorization: auth.header,
        form: &form,
        origin: client.origin.as_deref(),
        dpop,
    })?)
}

/// The client's credentials for a request to `endpoint` (the audience of client assertions,
/// unless the client names its own); an assertion from a source is read over `http`.
pub fn authenticate(http: &Http, client: &ClientCredentials, endpoint: &Endpoint) -> Result<Authentication, Error> {
    let id = || Secret::new(client.id.clone());
    let assertion = |signer: &Signer<'_>| -> Result<Vec<(&'static str, Secret<String>)>, Error> {
        let audience = client.audience.as_deref().unwrap_or(endpoint.url().as_str());
        let jwt = assertion::client_assertion(&client.id, audience, signer).map_err(Error::Sign)?;
        Ok(vec![
            ("client_id", id()),
            ("client_assertion_type", Secret::new(assertion::CLIENT_ASSERTION_TYPE.into())),
            ("client_assertion", jwt),
        ])
    };
    let (header, fields) = match &client.auth {
        ClientAuth::None | ClientAuth::Tls => (None, vec![("client_id", id())]),
        ClientAuth::Post(secret) => (None, vec![("client_id", id()), ("client_secret", secret.clone())]),
        ClientAuth::Basic(secret) => (Some(basic(&client.id, secret)), Vec::new()),
        ClientAuth::SecretJwt(secret) => (None, assertion(&Signer::Secret(secret))?),
        ClientAuth::PrivateKeyJwt(key) => (None, assertion(&Signer::Key(key))?),
        ClientAuth::Assertion { source, sent } => {
            let jwt = source.read(http)?;
            *sent.borrow_mut() = Some(jwt.clone());
            let kind = Secret::new(assertion::CLIENT_ASSERTION_TYPE.into());
            (None, vec![("client_id", id()), ("client_assertion_type", kind), ("client_assertion", jwt)])
        }
    };
    Ok(Authentication { header, fields })
}

/// `Basic` credentials as RFC 6749 §2.3.1 requires: id and secret form-urlencoded first.
pub fn basic(id: &str, secret: &Secret<String>) -> Secret<String> {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    Secret::new(format!("Basic {}", STANDARD.encode(format!("{}:{}", enc(id), enc(secret.expose())))))
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
/// with HTTP 200); a Graph API error object (Facebook) is read as one too.
pub fn error_in(fields: &[(String, Value)]) -> Option<OAuthError> {
    let strings: Vec<(String, String)> =
        fields.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect();
    status_message(fields)
        .or_else(|| OAuthError::from_fields(&strings))
        .or_else(|| graph_error(fields).map(GraphError::into_oauth))
}

/// A Graph API error (Facebook): `{"error": {"message", "type", "code", "error_subcode",
/// "fbtrace_id"}}` in place of RFC 6749's `error` string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphError {
    /// `type` (`OAuthException`, `GraphMethodException`, …).
    pub kind: String,
    /// `message`.
    pub message: Option<String>,
    /// `code` (190: the access token is invalid or expired).
    pub code: Option<i64>,
    /// `error_subcode` (e.g. 460: the password changed; 463: expired).
    pub subcode: Option<i64>,
    /// `fbtrace_id`, which Facebook's support asks for.
    pub trace_id: Option<String>,
}

impl GraphError {
    /// The error as an [`OAuthError`]: its type as the code, the rest in the description.
    pub fn into_oauth(self) -> OAuthError {
        let mut numbers: Vec<String> = Vec::new();
        numbers.extend(self.code.map(|c| format!("code {c}")));
        numbers.extend(self.subcode.map(|c| format!("subcode {c}")));
        numbers.extend(self.trace_id.map(|t| format!("fbtrace_id {t}")));
        let description = match (self.message, numbers.is_empty()) {
            (Some(m), true) => m,
            (Some(m), false) => format!("{m} ({})", numbers.join(", ")),
            (None, false) => numbers.join(", "),
            (None, true) => String::new(),
        };
        OAuthError::new(&self.kind, Some(description).filter(|d| !d.is_empty()))
    }
}

/// The Graph API error object among a body's fields, if there is one.
pub fn graph_error(fields: &[(String, Value)]) -> Option<GraphError> {
    let (_, Value::Object(error)) = fields.iter().find(|(k, _)| k == "error")? else { return None };
    let text = |name: &str| error.get(name).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let number =
        |name: &str| error.get(name).and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
    let (message, code) = (text("message"), number("code"));
    if message.is_none() && code.is_none() {
        return None;
    }
    Some(GraphError {
        kind: text("type").unwrap_or_else(|| "graph_error".into()),
        message,
        code,
        subcode: number("error_subcode"),
        trace_id: text("fbtrace_id"),
    })
}

/// An error told as an HTTP status and a message, with no RFC 6749 code beside it (Twitch:
/// `{"status": 400, "message": "authorization_pending"}`, `{"error": "Bad Request", "status":
/// 400, "message": "Invalid refresh token"}`): a message that reads as a code is the code, any
/// other the description of `error` (or of the status, when there is none).
fn status_message(fields: &[(String, Value)]) -> Option<OAuthError> {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let status = get("status")?.as_u64().filter(|s| *s >= 400)?;
    let message = get("message")?.as_str()?.trim();
    let is_code = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let error = get("error").and_then(Value::as_str);
    if message.is_empty() || get("error_description").is_some() || error.is_some_and(is_code) {
        return None;
    }
    if is_code(message) {
        return Some(OAuthError::new(message, None));
    }
    // Twitch's words for what RFC 6749 §5.2 calls invalid_grant, so that a new login is asked for.
    if message.eq_ignore_ascii_case("invalid refresh token") {
        return Some(OAuthError::new("invalid_grant", Some(message.to_string())));
    }
    let code = error.map_or_else(|| format!("HTTP {status}"), str::to_string);
    Some(OAuthError::new(&code, Some(message.to_string())))
}

/// Turns a token-endpoint answer into a [`TokenResponse`] or the error it carries.
pub fn parse(endpoint: &Endpoint, response: &Response) -> Result<TokenResponse, Error> {
    parse_as(endpoint, response, Answer::Standard)
}

/// [`parse`] for an endpoint whose answers are shaped as `answer` says.
pub fn parse_as(endpoint: &Endpoint, response: &Response, answer: Answer) -> Result<TokenResponse, Error> {
    let fields = fields(response);
    if let Some(err) = fields.as_deref().and_then(error_in) {
        return Err(Error::Server(err));
    }
    let unreadable = |reason: &str| Error::Parse { endpoint: endpoint.to_string(), reason: reason.to_string() };
    if !(200..300).contains(&response.status) {
        return Err(Error::status(endpoint, response));
    }
    let Some(fields) = fields else {
        if response.content_type().is_some_and(|t| t.ends_with("json")) {
            let why = serde_json::from_slice::<Value>(&response.body)
                .err()
                .map_or_else(|| "not a JSON object".to_string(), |e| e.to_string());
            return Err(unreadable(&format!("invalid JSON ({why})")));
        }
        return Err(unreadable(&format!("neither JSON nor form-encoded{}", super::error::excerpt(&response.body))));
    };
    let fields = match answer {
        Answer::Standard => fields,
        Answer::SlackV2 => slack_user(fields).map_err(&unreadable)?,
    };
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let string = |name: &str| get(name).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let access_token = string("access_token").ok_or_else(|| unreadable("no access_token in the answer"))?;
    let expires_in = match get("expires_in") {
        None | Some(Value::Null) => None,
        Some(v) => Some(seconds(v).ok_or_else(|| unreadable(&format!("expires_in is not a number: {v}")))?),
    };
    let scope = match get("scope") {
        Some(Value::Array(items)) => Some(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" ")),
        _ => string("scope"),
    };
    Ok(TokenResponse {
        access_token: Secret::new(access_token),
        token_type: string("token_type").unwrap_or_else(|| "Bearer".into()),
        expires_in,
        refresh_token: string("refresh_token").map(Secret::new),
        scope,
        id_token: string("id_token").map(Secret::new),
        issued_token_type: string("issued_token_type"),
        authorization_details: get("authorization_details").filter(|v| !v.is_null()).cloned(),
        api_values: string("instance_url").map(|url| ("instance_url".to_string(), url)).into_iter().collect(),
    })
}

/// The fields of Slack's user token: those under `authed_user` when it carries one (the code
/// exchange), else the top level (a refresh); `token_type` `user`/`bot` left out (so `Bearer`),
/// comma-separated scopes made space-separated. An `ok: false` without an `error` is no answer.
fn slack_user(fields: Vec<(String, Value)>) -> Result<Vec<(String, Value)>, &'static str> {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    if get("ok") == Some(&Value::Bool(false)) {
        return Err("`ok` is false, with no `error` named");
    }
    let user = match get("authed_user") {
        Some(Value::Object(user))
            if user.get("access_token").and_then(Value::as_str).is_some_and(|t| !t.is_empty()) =>
        {
            user.clone().into_iter().collect()
        }
        _ if get("access_token").is_some() => fields,
        _ => return Err("no user token in the answer (authed_user has no access_token): no user scopes were granted"),
    };
    Ok(user
        .into_iter()
        .filter(|(k, v)| !(k == "token_type" && matches!(v.as_str(), Some("user" | "bot"))))
        .map(|(k, v)| match (k.as_str(), &v) {
            ("scope", Value::String(scope)) => (k, Value::String(scope.replace(',', " "))),
            _ => (k, v),
        })
        .collect())
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

/// How many more seconds an access token must live to be handed out, unless `--min-ttl`
/// says otherwise or the token lives so briefly that half its lifetime is less.
pub const DEFAULT_MIN_TTL: u64 = 60;

/// The tokens of a profile as stored: what the token endpoint returned, with the expiry made
/// absolute at receipt.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: Secret<String>,
    /// Its type, usually `Bearer`.
    pub token_type: String,
    /// When it expires (Unix seconds); `None` if the server did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// When it was issued (Unix seconds, as seen here); `None` in entries stored before oat
    /// kept it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret<String>>,
    /// Granted scopes (space-separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The OpenID Connect ID token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret<String>>,
    /// The `authorization_details` the server granted (RFC 9396 §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<Value>,
    /// What the server said about where its API is (Salesforce's `instance_url`, Atlassian's
    /// `cloud_id` and site), filling the profile's `api_base`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub api_values: BTreeMap<String, String>,
    /// A refresh token is stored that this answer of the store leaves out (the kernel-keyring
    /// cache holds none); never stored itself.
    #[serde(skip)]
    pub refresh_token_withheld: bool,
}

impl Tokens {
    /// Tokens from a first answer; a missing `scope` means the requested one (RFC 6749 §5.1).
    pub fn issued(response: TokenResponse, now: u64, requested_scope: Option<String>) -> Tokens {
        Tokens {
            expires_at: response.expires_in.map(|s| now.saturating_add(s)),
            issued_at: Some(now),
            scope: response.scope.or(requested_scope),
            access_token: response.access_token,
            token_type: response.token_type,
            refresh_token: response.refresh_token,
            id_token: response.id_token,
            authorization_details: response.authorization_details,
            api_values: response.api_values,
            refresh_token_withheld: false,
        }
    }

    /// Tokens after a refresh: what the server left out (refresh token, scope, id_token) is
    /// kept from before (RFC 6749 §6); a rotated refresh token replaces the old one.
    pub fn refreshed(self, response: TokenResponse, now: u64) -> Tokens {
        Tokens {
            expires_at: response.expires_in.map(|s| now.saturating_add(s)),
            issued_at: Some(now),
            scope: response.scope.or(self.scope),
            access_token: response.access_token,
            token_type: response.token_type,
            refresh_token: response.refresh_token.or(self.refresh_token),
            id_token: response.id_token.or(self.id_token),
            // RFC 9396 §7: a refreshed token carries the grant's details unless the server
            // says otherwise.
            authorization_details: response.authorization_details.or(self.authorization_details),
            // What the server says again replaces what it said before; the rest is kept.
            api_values: {
                let mut values = self.api_values;
                values.extend(response.api_values);
                values
            },
            refresh_token_withheld: false,
        }
    }

    /// Whether a refresh token is stored with the access token, here or withheld by the store.
    pub fn has_refresh_token(&self) -> bool {
        self.refresh_token.is_some() || self.refresh_token_withheld
    }

    /// Seconds the access token still lives (negative once expired); `None` if unknown.
    pub fn remaining(&self, now: u64) -> Option<i64> {
        let signed = |t: u64| i64::try_from(t).unwrap_or(i64::MAX);
        self.expires_at.map(|at| signed(at).saturating_sub(signed(now)))
    }

    /// How many more seconds the access token must live to be handed out: `requested`
    /// (`--min-ttl`) if given, else [`DEFAULT_MIN_TTL`] or half the token's lifetime when that
    /// is shorter, so that a server issuing short-lived tokens is not asked for a new one on
    /// every call.
    pub fn margin(&self, requested: Option<u64>) -> u64 {
        requested.unwrap_or_else(|| {
            let lifetime = self.issued_at.zip(self.expires_at).map(|(issued, expires)| expires.saturating_sub(issued));
            lifetime.map_or(DEFAULT_MIN_TTL, |lifetime| DEFAULT_MIN_TTL.min(lifetime / 2))
        })
    }

    /// Whether the access token lives at least `min_ttl` more seconds; a token without a
    /// known expiry is taken as valid.
    pub fn is_fresh(&self, now: u64, min_ttl: u64) -> bool {
        self.remaining(now).is_none_or(|left| left >= min_ttl as i64)
    }

    /// The `Authorization` header scheme for this token type (`Bearer` spelled as RFC 6750 does).
    pub fn scheme(&self) -> &str {
        if self.token_type.eq_ignore_ascii_case("bearer") {
            "Bearer"
        } else if self.is_dpop() {
            "DPoP"
        } else {
            &self.token_type
        }
    }

    /// Whether the token is DPoP-bound (`token_type` DPoP, RFC 9449 §5): it goes out with a proof.
    pub fn is_dpop(&self) -> bool {
        self.token_type.eq_ignore_ascii_case("dpop")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_http_status_with_a_message_reads_as_an_oauth_error() {
        let read = |body: &str| {
            let Value::Object(map) = serde_json::from_str::<Value>(body).unwrap() else { unreachable!() };
            error_in(&map.into_iter().collect::<Vec<_>>()).map(|e| e.to_string())
        };
        let pending = read(r#"{"status":400,"message":"authorization_pending"}"#);
        assert_eq!(pending.as_deref(), Some("authorization_pending"));
        let refused = read(r#"{"error":"Bad Request","status":400,"message":"Invalid refresh token"}"#);
        assert_eq!(refused.as_deref(), Some("invalid_grant: Invalid refresh token"));
        let unknown = read(r#"{"error":"Not Found","status":404,"message":"no such client"}"#);
        assert_eq!(unknown.as_deref(), Some("Not Found: no such client"));
        let bare = read(r#"{"status":400,"message":"missing client secret"}"#);
        assert_eq!(bare.as_deref(), Some("HTTP 400: missing client secret"));
        // RFC 6749 answers are read as before, whatever else they carry.
        let rfc = read(r#"{"error":"invalid_grant","error_description":"expired","status":400,"message":"x"}"#);
        assert_eq!(rfc.as_deref(), Some("invalid_grant: expired"));
        assert_eq!(read(r#"{"status":200,"message":"ok","access_token":"at"}"#), None);
    }

    fn endpoint() -> Endpoint {
        Endpoint::parse("https://as.example/token").unwrap()
    }

    fn answer(status: u16, content_type: &str, body: &str) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
            ..Response::default()
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
        let r =
            parse(&endpoint(), &answer(200, "application/json", r#"{"access_token":"a","expires_in":"60"}"#)).unwrap();
        assert_eq!(r.expires_in, Some(60));
        assert_eq!(r.token_type, "Bearer");
        let r = parse(&endpoint(), &answer(200, "application/json", r#"{"access_token":"a","token_type":"Bearer"}"#))
            .unwrap();
        assert_eq!(r.expires_in, None);
        let err = parse(&endpoint(), &answer(200, "application/json", r#"{"access_token":"a","expires_in":"soon"}"#));
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
        assert!(matches!(&err, Error::Server(e) if e.code == super::super::ErrorCode::InvalidGrant));
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
        assert_eq!(err.to_string(), "bad_verification_code: The code passed is incorrect");
    }

    #[test]
    fn graph_error_objects_become_oauth_errors() {
        // Facebook's Graph API: an object under `error`, not RFC 6749's string.
        let body = r#"{"error":{"message":"Error validating access token: The user has changed the password.","type":"OAuthException","code":190,"error_subcode":460,"fbtrace_id":"AbC1"}}"#;
        let err = parse(&endpoint(), &answer(400, "application/json; charset=UTF-8", body)).unwrap_err();
        assert!(matches!(&err, Error::Server(e) if e.code.as_str() == "OAuthException"), "{err:?}");
        assert_eq!(
            err.to_string(),
            "OAuthException: Error validating access token: The user has changed the password. (code 190, subcode 460, fbtrace_id AbC1)"
        );
        let fields: Vec<(String, Value)> =
            serde_json::from_str::<serde_json::Map<String, Value>>(body).unwrap().into_iter().collect();
        let graph = graph_error(&fields).unwrap();
        assert_eq!((graph.code, graph.subcode), (Some(190), Some(460)));
        // Without a type or subcode, and with a code only.
        let err = parse(
            &endpoint(),
            &answer(400, "application/json", r#"{"error":{"message":"Invalid OAuth access token.","code":"190"}}"#),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "graph_error: Invalid OAuth access token. (code 190)");
        // RFC 6749's string still wins, and an object without message or code is no Graph error.
        let err = parse(&endpoint(), &answer(400, "application/json", r#"{"error":"invalid_grant"}"#)).unwrap_err();
        assert!(matches!(&err, Error::Server(e) if e.code == super::super::ErrorCode::InvalidGrant));
        let err = parse(&endpoint(), &answer(400, "application/json", r#"{"error":{"detail":"x"}}"#)).unwrap_err();
        assert!(matches!(err, Error::Status { status: 400, .. }), "{err:?}");
        // A success answer is read as before.
        let ok = parse(
            &endpoint(),
            &answer(200, "application/json", r#"{"access_token":"EAAB","token_type":"bearer","expires_in":5183944}"#),
        )
        .unwrap();
        assert_eq!(ok.expires_in, Some(5_183_944));
    }

    #[test]
    fn other_failures_say_what_came_back() {
        let err = parse(&endpoint(), &answer(502, "text/html", "<html><h1>Bad Gateway</h1></html>")).unwrap_err();
        assert!(matches!(err, Error::Status { status: 502, .. }));
        assert!(err.to_string().contains("Bad Gateway"), "{err}");
        let err = parse(&endpoint(), &answer(200, "application/json", r#"{"token_type":"Bearer"}"#)).unwrap_err();
        assert!(err.to_string().contains("no access_token"), "{err}");
        let err = parse(&endpoint(), &answer(200, "text/html", "<html>login</html>")).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }

    #[test]
    fn slack_user_tokens_come_from_authed_user_or_a_refresh_at_the_top() {
        let slack = |body: &str| parse_as(&endpoint(), &answer(200, "application/json", body), Answer::SlackV2);
        // The code exchange: the bot's token at the top, the user's under authed_user.
        let r = slack(
            r#"{"ok":true,"access_token":"xoxb-bot","token_type":"bot","scope":"commands","bot_user_id":"U0B",
                "authed_user":{"id":"U1","scope":"users:read,chat:write","access_token":"xoxe.xoxp-1","token_type":"user",
                "refresh_token":"xoxe-1-r","expires_in":43200},"team":{"id":"T1","name":"Acme"}}"#,
        )
        .unwrap();
        assert_eq!(r.access_token.expose(), "xoxe.xoxp-1");
        assert_eq!((r.token_type.as_str(), r.scope.as_deref()), ("Bearer", Some("users:read chat:write")));
        assert_eq!((r.expires_in, r.refresh_token.unwrap().expose().as_str()), (Some(43200), "xoxe-1-r"));
        // Without token rotation, and with no bot token at all.
        let r = slack(r#"{"ok":true,"app_id":"A1","authed_user":{"id":"U1","scope":"users:read","access_token":"xoxp-2","token_type":"user"},"team":{"id":"T1"}}"#).unwrap();
        assert_eq!((r.access_token.expose().as_str(), r.expires_in, r.refresh_token.is_none()), ("xoxp-2", None, true));
        // A refresh of the user token answers at the top level.
        let r = slack(r#"{"ok":true,"access_token":"xoxe.xoxp-3","token_type":"user","scope":"users:read","refresh_token":"xoxe-1-s","expires_in":43200}"#).unwrap();
        assert_eq!((r.access_token.expose().as_str(), r.token_type.as_str()), ("xoxe.xoxp-3", "Bearer"));
        // Errors come with HTTP 200.
        let err = slack(r#"{"ok":false,"error":"invalid_code"}"#).unwrap_err();
        assert!(matches!(&err, Error::Server(e) if e.code.as_str() == "invalid_code"), "{err}");
        let err = slack(r#"{"ok":true,"authed_user":{"id":"U1"},"team":{"id":"T1"}}"#).unwrap_err();
        assert!(err.to_string().contains("no user token"), "{err}");
        let err = slack(r#"{"ok":false}"#).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
        // Read as RFC 6749 answers, Slack's is one without an access token.
        let plain = parse(
            &endpoint(),
            &answer(200, "application/json", r#"{"ok":true,"authed_user":{"id":"U1","access_token":"xoxp-2"}}"#),
        );
        assert!(plain.unwrap_err().to_string().contains("no access_token"));
    }

    #[test]
    fn basic_credentials_are_form_urlencoded_first() {
        // RFC 6749 §2.3.1: "client:id" with secret "s p@ss" → "client%3Aid:s+p%40ss".
        let header = basic("client:id", &Secret::new("s p@ss".into()));
        assert_eq!(header.expose(), &format!("Basic {}", STANDARD.encode("client%3Aid:s+p%40ss")));
    }

    fn fields(auth: &Authentication) -> Vec<(&str, &str)> {
        auth.fields.iter().map(|(k, v)| (*k, v.expose().as_str())).collect()
    }

    #[test]
    fn public_post_and_tls_clients_send_their_id_in_the_body() {
        let client = |auth| ClientCredentials { id: "cli".into(), auth, origin: None, dpop: None, audience: None };
        let post =
            authenticate(&Http::for_tests(), &client(ClientAuth::Post(Secret::new("s".into()))), &endpoint()).unwrap();
        assert!(post.header.is_none());
        assert_eq!(fields(&post), vec![("client_id", "cli"), ("client_secret", "s")]);
        for auth in [ClientAuth::None, ClientAuth::Tls] {
            let a = authenticate(&Http::for_tests(), &client(auth), &endpoint()).unwrap();
            assert!(a.header.is_none());
            assert_eq!(fields(&a), vec![("client_id", "cli")]);
        }
        let basic_auth =
            authenticate(&Http::for_tests(), &client(ClientAuth::Basic(Secret::new("s".into()))), &endpoint()).unwrap();
        assert!(basic_auth.header.is_some() && basic_auth.fields.is_empty());
    }

    #[test]
    fn jwt_clients_send_an_assertion_for_the_endpoint() {
        let secret = Secret::new("k".repeat(32));
        let client = ClientCredentials {
            id: "cli".into(),
            auth: ClientAuth::SecretJwt(secret),
            origin: None,
            dpop: None,
            audience: None,
        };
        let a = authenticate(&Http::for_tests(), &client, &endpoint()).unwrap();
        let f = fields(&a);
        assert_eq!(f[0], ("client_id", "cli"));
        assert_eq!(f[1], ("client_assertion_type", assertion::CLIENT_ASSERTION_TYPE));
        let jwt = crate::jwt::decode(f[2].1).unwrap();
        assert_eq!(jwt.string("aud"), Some("https://as.example/token"));
        assert_eq!(jwt.header["alg"], "HS256");
    }

    #[test]
    fn an_assertion_from_a_source_is_sent_as_read_and_kept_for_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n").unwrap();
        let auth = ClientAuth::Assertion { source: Source::File(path.clone()), sent: RefCell::new(None) };
        let client = ClientCredentials { id: "cli".into(), auth, origin: None, dpop: None, audience: None };
        let a = authenticate(&Http::for_tests(), &client, &endpoint()).unwrap();
        assert!(a.header.is_none());
        assert_eq!(
            fields(&a),
            vec![
                ("client_id", "cli"),
                ("client_assertion_type", assertion::CLIENT_ASSERTION_TYPE),
                ("client_assertion", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
            ]
        );
        let ClientAuth::Assertion { sent, .. } = &client.auth else { unreachable!() };
        assert_eq!(sent.borrow().as_ref().map(|s| s.expose().as_str()), Some("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(authenticate(&Http::for_tests(), &client, &endpoint()), Err(Error::Assertion(_))));
    }

    fn response(expires_in: Option<u64>, refresh: Option<&str>) -> TokenResponse {
        TokenResponse {
            access_token: Secret::new("new".into()),
            token_type: "Bearer".into(),
            expires_in,
            refresh_token: refresh.map(|r| Secret::new(r.into())),
            scope: None,
            id_token: None,
            issued_token_type: None,
            authorization_details: None,
            api_values: BTreeMap::new(),
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
        // An absurd expires_in neither overflows nor makes the token look expired.
        let huge = Tokens::issued(response(Some(9_223_372_036_000_000_000), None), 1000, None);
        assert!(huge.is_fresh(1000, 60));
        let max = Tokens::issued(response(Some(u64::MAX), None), 1000, None);
        assert!(max.is_fresh(1000, 60));
    }

    #[test]
    fn the_default_margin_is_a_minute_or_half_a_short_lifetime() {
        let hour = Tokens::issued(response(Some(3600), Some("rt")), 1000, None);
        assert_eq!((hour.issued_at, hour.margin(None), hour.margin(Some(600))), (Some(1000), 60, 600));
        // 30-second tokens are handed out for their first 15 seconds, not refreshed on every call.
        let brief = Tokens::issued(response(Some(30), Some("rt")), 1000, None);
        assert_eq!((brief.margin(None), brief.margin(Some(60))), (15, 60));
        assert!(brief.is_fresh(1015, brief.margin(None)) && !brief.is_fresh(1016, brief.margin(None)));
        // A refresh restarts the lifetime; an entry stored without issued_at keeps the minute.
        let again = brief.refreshed(response(Some(30), None), 2000);
        assert_eq!((again.issued_at, again.margin(None)), (Some(2000), 15));
        let old: Tokens =
            serde_json::from_str(r#"{"access_token":"a","token_type":"Bearer","expires_at":1030}"#).unwrap();
        assert_eq!(old.margin(None), 60);
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
