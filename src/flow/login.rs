//! The authorization-code login (RFC 6749 §4.1) for native apps (RFC 8252): probe the store,
//! bind the loopback listener, build the URL with state, PKCE (RFC 7636) and nonce, open the
//! browser, take the first redirect (or pasted URL), check it, exchange the code, check the
//! ID token (OpenID Connect Core §3.1.3.7), store the tokens.

use super::verify::{self, Expectations, KeySource};
use super::{AuthorizationError, BadInput, LoginRequired, Notice, Ports};
use crate::callback::{Listener, Params};
use crate::config::{Issuer, NamedProfile, Profile, RedirectUri, ResponseMode, Scopes, SecurityProfile};
use crate::jwt::Jwt;
use crate::oauth::assertion::SigningKey;
use crate::oauth::authorize::{self, AuthorizationRequest, AuthorizationResponse, Pkce};
use crate::oauth::revoke::{self, TokenKind};
use crate::oauth::token::ClientCredentials;
use crate::oauth::{self, Grant, TokenResponse, Tokens};
use crate::oauth::{jar, jarm, par};
use crate::presets::Quirk;
use crate::redact::Secret;
use anyhow::Context as _;
use std::sync::mpsc::Receiver;
use std::time::Duration;

/// How this login runs.
pub struct LoginOptions<'a> {
    /// Scopes to ask for.
    pub scopes: &'a Scopes,
    /// A port that overrides the profile's redirect URI port.
    pub port: Option<u16>,
    /// Start a browser (else only print the URL).
    pub open_browser: bool,
    /// How long to wait for the redirect.
    pub timeout: Duration,
    /// Redirect parameters pasted by the user, if stdin is a terminal.
    pub pasted: Option<Receiver<Params>>,
    /// Running in an SSH session.
    pub ssh: bool,
    /// Push the authorization request (RFC 9126) even if the profile does not ask for it.
    pub par: bool,
    /// A response mode that overrides the profile's (JARM).
    pub response_mode: Option<ResponseMode>,
}

/// A successful login.
#[derive(Debug)]
pub struct LoggedIn {
    /// What was stored.
    pub tokens: Tokens,
    /// Who logged in, from the ID token (name, email or subject).
    pub identity: Option<String>,
}

/// The redirect URI template: `--port` wins, then the profile's `redirect_uri`, else an
/// ephemeral port on 127.0.0.1.
pub fn redirect_template(profile: &Profile, port: Option<u16>) -> RedirectUri {
    let configured = profile.redirect_uri.clone().unwrap_or_default();
    match port {
        Some(port) => configured.with_port(port),
        None => configured,
    }
}

/// Runs the authorization-code login for `profile` and stores the tokens.
pub fn authorization_code(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    client: &ClientCredentials,
    options: LoginOptions<'_>,
) -> anyhow::Result<LoggedIn> {
    // A store that cannot be reached would throw away the tokens the user is about to approve.
    ports.store.tokens(profile.name).context("checking the secret store before the login")?;
    let auth_endpoint = profile.authorization_endpoint()?;
    let token_endpoint = profile.token_endpoint()?;
    let template = redirect_template(profile, options.port);
    // An https redirect (a server that refuses http ones) reaches nothing here: the person
    // pastes the address, which takes a terminal.
    if template.is_pasted() && options.pasted.is_none() {
        return Err(BadInput::PasteNeeded { profile: profile.name.into(), redirect_uri: template.to_string() }.into());
    }
    let listener = Listener::bind(&template)?;
    let redirect_uri = listener.redirect_uri().clone();

    let state = oauth::random_token(32)?;
    let nonce = if profile.is_openid(options.scopes) { Some(oauth::random_token(32)?) } else { None };
    let pkce = if profile.pkce { Some(Pkce::generate()?) } else { None };
    let response_mode = options.response_mode.or(profile.response_mode);
    let request = AuthorizationRequest {
        endpoint: auth_endpoint,
        client_id: &client.id,
        redirect_uri: redirect_uri.as_str(),
        scopes: options.scopes,
        scope_style: crate::presets::scope_style(profile.preset.as_deref()),
        state: state.expose(),
        nonce: nonce.as_ref().map(|n| n.expose().as_str()),
        pkce: pkce.as_ref(),
        response_mode: response_mode.map(ResponseMode::as_str),
        authorization_details: profile.authorization_details.as_ref().map(|d| d.param()),
        params: &profile.params,
    };
    // Before any browser opens: a refused push ends the login here.
    let url = authorization_url(ports, profile, client, &request, options.par)?;

    (ports.notify)(Notice::OpenUrl(&url));
    if options.ssh && template.url().port().is_some() && !template.is_pasted() {
        (ports.notify)(Notice::SshForward { port: redirect_uri.port().unwrap_or_default() });
    }
    if options.open_browser
        && let Err(e) = (ports.open_browser)(url.as_str())
    {
        (ports.notify)(Notice::BrowserFailed(&e));
    }
    (ports.notify)(match template.is_pasted() {
        true => Notice::Paste { redirect_uri: &redirect_uri, timeout: options.timeout },
        false => Notice::Waiting { redirect_uri: &redirect_uri, timeout: options.timeout },
    });

    let mut tick = |waited: Duration| {
        (ports.notify)(Notice::Elapsed { waited });
        !(ports.interrupted)()
    };
    let code =
        listener.wait(options.timeout, options.pasted.as_ref(), &mut tick, |params| -> anyhow::Result<_> {
            let params = match response_mode {
                Some(_) => jarm_parameters(ports, profile, client, params)?,
                None => params.clone(),
            };
            // FAPI 2.0 (§5.3.2.2) requires the `iss` of RFC 9207 in every authorization response.
            let iss_required = profile.iss_parameter || profile.security_profile == Some(SecurityProfile::Fapi2);
            Ok(check_redirect(&params, &state, profile.issuer.as_ref(), iss_required)?)
        })??;
    (ports.notify)(Notice::Approved);

    let grant = Grant::AuthorizationCode {
        code: &code,
        redirect_uri: redirect_uri.as_str(),
        verifier: pkce.as_ref().map(Pkce::verifier),
    };
    let response = oauth::token::request_as(ports.http, token_endpoint, client, &grant, super::answer(profile))
        .with_context(|| format!("exchanging the authorization code of `{}` at the token endpoint", profile.name))?;
    let response = match crate::presets::quirk(profile.preset.as_deref()) {
        Some(Quirk::Facebook) => long_lived(ports, profile, client, response)?,
        _ => response,
    };
    finish(ports, profile, client, response, options.scopes, nonce.as_ref())
}

/// Facebook issues no refresh tokens, and a login's user token lives about two hours: it is
/// exchanged at once for a long-lived one (about 60 days) with `grant_type=fb_exchange_token`
/// ("Long-Lived Access Tokens"), which takes the app secret. Without one the short-lived token
/// is kept, and the person is told how long it lives and how to do better.
fn long_lived(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    client: &ClientCredentials,
    short: TokenResponse,
) -> anyhow::Result<TokenResponse> {
    let name = profile.name;
    if client.secret().is_none() {
        (ports.notify)(Notice::ShortLived { profile: name });
        return Ok(short);
    }
    let endpoint = profile.token_endpoint()?;
    let long = oauth::token::request(ports.http, endpoint, client, &Grant::FbExchangeToken(&short.access_token))
        .map_err(|e| {
            // Facebook refuses a wrong App Secret (or a Client Token stored in its place) here.
            let hint = match e {
                oauth::Error::Server(_) => " was refused; check the App Secret stored with --client-secret-stdin",
                _ => "",
            };
            anyhow::Error::from(e).context(format!(
                "exchanging the two-hour token of `{name}` for a 60-day one (grant_type=fb_exchange_token){hint}; nothing was stored"
            ))
        })?;
    // The exchange answers the token alone: what the login's answer said besides is kept.
    Ok(TokenResponse {
        scope: long.scope.or(short.scope),
        id_token: long.id_token.or(short.id_token),
        authorization_details: long.authorization_details.or(short.authorization_details),
        api_values: short.api_values.into_iter().chain(long.api_values).collect(),
        ..long
    })
}

/// Whether this login pushes its request (RFC 9126): the server requires it, the profile
/// asks for it, or this login does.
pub fn uses_par(profile: &Profile, asked: bool) -> bool {
    asked || profile.par || profile.require_pushed_authorization_requests
}

/// The URL the browser opens: the plain request; or a request object by value (RFC 9101
/// §5.1); or, pushed with the client's authentication, a reference to the request (RFC 9126
/// §4) — which the profile, the server and this login ask for.
fn authorization_url(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    client: &ClientCredentials,
    request: &AuthorizationRequest<'_>,
    par_asked: bool,
) -> anyhow::Result<url::Url> {
    let name = profile.name;
    let mut parameters = authorize::parameters(request);
    if profile.request_object.is_some() {
        let key = SigningKey::load(profile.private_key()?, profile.key_id.as_deref())?;
        // RFC 9101 §4: the audience is the issuer; a profile without one has only its endpoint.
        let audience = profile.issuer.as_ref().map_or_else(|| request.endpoint.to_string(), ToString::to_string);
        let object = jar::request_object(&parameters, &client.id, &audience, &key, (ports.now)())
            .map_err(oauth::Error::Sign)
            .with_context(|| format!("signing the request object of `{name}`"))?;
        parameters = jar::by_value(&client.id, &object);
    }
    if !uses_par(profile, par_asked) {
        return Ok(authorize::with_query(request.endpoint, &parameters));
    }
    let endpoint =
        profile.pushed_authorization_request_endpoint.as_ref().ok_or_else(|| BadInput::NoParEndpoint(name.into()))?;
    let pushed = par::push(ports.http, endpoint, client, &parameters)
        .with_context(|| format!("pushing the authorization request of `{name}` (PAR); no browser was opened"))?;
    Ok(par::url(request.endpoint, &client.id, &pushed.request_uri))
}

/// The parameters of a JARM redirect: its `response` JWT checked — signature with the
/// server's keys, `iss` the profile's issuer, `aud` the client, `exp` — before any of its
/// claims is believed. A redirect with a plain code is refused; a plain error (the server could
/// not even read the request) is passed on, as it carries nothing to steal.
fn jarm_parameters(
    ports: &Ports<'_>,
    profile: &Profile,
    client: &ClientCredentials,
    params: &Params,
) -> anyhow::Result<Params> {
    let bad = |what: String| anyhow::Error::from(AuthorizationError::Response(what));
    let Some(token) = jarm::response(params) else {
        if params.iter().any(|(k, _)| k == "code") {
            return Err(bad("the redirect carried a plain code instead of a signed `response`".into()));
        }
        return Ok(params.clone());
    };
    let keys = verify::id_token_keys(token, profile, client.secret()).map_err(|e| bad(e.to_string()))?;
    if matches!(keys, KeySource::TokenEndpoint) {
        return Err(bad("the profile names no issuer or jwks_uri to check its signature with".into()));
    }
    let expect = Expectations {
        issuer: profile.issuer.as_ref(),
        audience: Some(&client.id),
        authorized_party: None,
        nonce: None,
        now: Some((ports.now)()),
    };
    let verified = verify::check(ports.http, token, &keys, &expect).map_err(|e| match e {
        // The keys could not be had: that keeps its own error (and exit code).
        verify::Error::JwksUri(_) | verify::Error::Discovery { .. } | verify::Error::Jwks { .. } => {
            anyhow::Error::from(e).context("finding the keys to check the authorization response (JARM)")
        }
        verify::Error::Signature(reason) => bad(format!("signature: {reason}")),
        other => bad(other.to_string()),
    })?;
    Ok(jarm::parameters(&verified.jwt))
}

/// Ends every login: checks the ID token if one came, then stores the tokens.
pub(super) fn finish(
    ports: &Ports<'_>,
    profile: &NamedProfile<'_>,
    client: &ClientCredentials,
    response: TokenResponse,
    scopes: &Scopes,
    nonce: Option<&Secret<String>>,
) -> anyhow::Result<LoggedIn> {
    super::check_bound(ports, profile, &response.token_type);
    let now = (ports.now)();
    let identity = match &response.id_token {
        Some(id_token) => Some(check_id_token(ports, profile, client, id_token, nonce, now)?),
        None => None,
    };
    let mut tokens = Tokens::issued(response, now, scopes.param());
    if crate::presets::quirk(profile.preset.as_deref()) == Some(crate::presets::Quirk::Atlassian) {
        super::sites::learn(ports, profile, &mut tokens);
    }
    let name = profile.name;
    let _lock = ports.store.lock(name)?;
    ports.store.save_tokens(name, &tokens).with_context(|| format!("storing the tokens of `{name}`"))?;
    Ok(LoggedIn { tokens, identity })
}

/// What `logout` did.
#[derive(Debug)]
pub struct LoggedOut {
    /// Whether any tokens were stored.
    pub had_tokens: bool,
    /// The revocation's outcome, when the server has a revocation endpoint.
    pub revocation: Option<anyhow::Result<()>>,
}

/// Revokes the stored tokens where the server supports it (RFC 7009; the refresh token first,
/// which usually ends the whole grant), then deletes them, and the DPoP key, whatever the server said.
pub fn logout(ports: &Ports<'_>, profile: &NamedProfile<'_>) -> anyhow::Result<LoggedOut> {
    let name = profile.name;
    let Some(tokens) = ports.store.tokens(name)? else {
        ports.store.delete_dpop_key(name)?;
        return Ok(LoggedOut { had_tokens: false, revocation: None });
    };
    let revocation = profile.revocation_endpoint.as_ref().map(|endpoint| -> anyhow::Result<()> {
        let client = super::client_without_proofs(ports, profile)?;
        if let Some(refresh_token) = &tokens.refresh_token {
            revoke::revoke(ports.http, endpoint, &client, refresh_token, TokenKind::Refresh)?;
        }
        revoke::revoke(ports.http, endpoint, &client, &tokens.access_token, TokenKind::Access)?;
        Ok(())
    });
    let _lock = ports.store.lock(name)?;
    ports.store.delete_tokens(name)?;
    // Tokens bound to it are gone: the next login makes a new key.
    ports.store.delete_dpop_key(name)?;
    Ok(LoggedOut { had_tokens: true, revocation })
}

/// Which stored tokens to revoke.
#[derive(Clone, Copy, Debug)]
pub struct Which {
    /// The access token.
    pub access: bool,
    /// The refresh token.
    pub refresh: bool,
}

/// Revokes stored tokens (RFC 7009) and drops what was revoked from the store: a revoked
/// refresh token is removed, a revoked access token is marked expired so the next `oat token`
/// refreshes. Returns what was revoked.
pub fn revoke(ports: &Ports<'_>, profile: &NamedProfile<'_>, which: Which) -> anyhow::Result<Vec<&'static str>> {
    let name = profile.name;
    let endpoint = profile.revocation_endpoint()?;
    let _lock = ports.store.lock(name)?;
    let mut tokens = ports.store.tokens(name)?.ok_or_else(|| LoginRequired::NoTokens(name.into()))?;
    let client = super::client_without_proofs(ports, profile)?;
    let mut revoked = Vec::new();
    if which.refresh {
        let refresh_token = tokens.refresh_token.take().ok_or_else(|| BadInput::NoRefreshTokenToRevoke(name.into()))?;
        revoke::revoke(ports.http, endpoint, &client, &refresh_token, TokenKind::Refresh)
            .with_context(|| format!("revoking the refresh token of `{name}`"))?;
        revoked.push("refresh token");
    }
    if which.access {
        revoke::revoke(ports.http, endpoint, &client, &tokens.access_token, TokenKind::Access)
            .with_context(|| format!("revoking the access token of `{name}`"))?;
        tokens.access_token = Secret::new(String::new());
        tokens.expires_at = Some(0);
        revoked.push("access token");
    }
    if tokens.refresh_token.is_none() && tokens.access_token.expose().is_empty() {
        ports.store.delete_tokens(name)?;
    } else {
        ports.store.save_tokens(name, &tokens)?;
    }
    Ok(revoked)
}

/// Judges the redirect: the state must be ours, the issuer (RFC 9207 `iss`) the profile's; a
/// server that promises `iss` (`iss_required`) must send it (RFC 9207 §2.4).
fn check_redirect(
    params: &Params,
    state: &Secret<String>,
    issuer: Option<&Issuer>,
    iss_required: bool,
) -> Result<Secret<String>, AuthorizationError> {
    match authorize::response(params) {
        AuthorizationResponse::Error { error, .. } => Err(AuthorizationError::Denied(error)),
        AuthorizationResponse::Empty => Err(AuthorizationError::MissingCode),
        AuthorizationResponse::Code { code, state: got, iss } => {
            if got.as_deref() != Some(state.expose().as_str()) {
                return Err(AuthorizationError::StateMismatch);
            }
            match (issuer, iss) {
                (Some(expected), Some(got)) if *expected != *got => {
                    Err(AuthorizationError::IssuerMismatch { expected: expected.to_string(), got })
                }
                (Some(expected), None) if iss_required => {
                    Err(AuthorizationError::IssuerMismatch { expected: expected.to_string(), got: "(none)".into() })
                }
                _ => Ok(code),
            }
        }
    }
}

/// Checks an ID token (OpenID Connect Core §3.1.3.7): its signature with the keys
/// [`verify::id_token_keys`] picks, then iss, aud, azp, exp, iat and nonce. Returns who logged in.
fn check_id_token(
    ports: &Ports<'_>,
    profile: &Profile,
    client: &ClientCredentials,
    id_token: &Secret<String>,
    nonce: Option<&Secret<String>>,
    now: u64,
) -> anyhow::Result<String> {
    let token = id_token.expose();
    let keys = verify::id_token_keys(token, profile, client.secret()).map_err(|e| id_token_error(e, false))?;
    let expect = Expectations {
        issuer: profile.issuer.as_ref(),
        audience: Some(&client.id),
        authorized_party: Some(&client.id),
        nonce: nonce.map(|n| n.expose().as_str()),
        now: Some(now),
    };
    let verified = verify::check(ports.http, token, &keys, &expect)
        .map_err(|e| id_token_error(e, matches!(keys, KeySource::Secret(_))))?;
    Ok(identity(&verified.jwt))
}

/// A failed ID-token check as the login words it: a bad token is an
/// [`AuthorizationError::IdToken`]; keys that cannot be had keep their own error.
fn id_token_error(e: verify::Error, with_secret: bool) -> anyhow::Error {
    let bad = |what: String| AuthorizationError::IdToken(what).into();
    match e {
        verify::Error::JwksUri(source) => source.into(),
        verify::Error::Discovery { issuer, source } => {
            anyhow::Error::from(source).context(format!("finding the keys of `{issuer}` to check the ID token"))
        }
        verify::Error::NoJwksUri { issuer } => {
            bad(format!("`{issuer}` publishes no jwks_uri to check its signature with"))
        }
        verify::Error::Jwks { .. } => e.into(),
        verify::Error::Signature(reason) if !with_secret => bad(format!("signature: {reason}")),
        other => bad(other.to_string()),
    }
}

/// Who logged in: the ID token's name, preferred username, email or subject.
fn identity(jwt: &Jwt) -> String {
    let who = ["name", "preferred_username", "email", "sub"]
        .iter()
        .find_map(|claim| jwt.string(claim))
        .unwrap_or("an unnamed subject");
    who.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn the_id_token_names_who_logged_in() {
        let claims = serde_json::json!({"sub":"u1","name":"Alice"});
        let token = format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        assert_eq!(identity(&crate::jwt::decode(&token).unwrap()), "Alice");
    }

    #[test]
    fn a_failed_id_token_check_is_worded_as_the_login_words_it() {
        let text = |e: &anyhow::Error| format!("{e:#}");
        let e = id_token_error(verify::Error::NoJwksUri { issuer: "https://as".into() }, false);
        assert_eq!(
            text(&e),
            "the ID token is not valid: `https://as` publishes no jwks_uri to check its signature with; nothing was stored"
        );
        assert!(e.is::<AuthorizationError>());
        let signature = || verify::Error::Signature(crate::jwt::VerifyError::Algorithm("none".into()));
        assert!(
            text(&id_token_error(signature(), false)).starts_with("the ID token is not valid: signature: the JWT's")
        );
        assert!(text(&id_token_error(signature(), true)).starts_with("the ID token is not valid: the JWT's"));
        let e = id_token_error(verify::Error::Nonce, false);
        assert_eq!(text(&e), "the ID token is not valid: its nonce is not the one this login sent; nothing was stored");
        let e =
            id_token_error(verify::Error::JwksUri(crate::config::EndpointError::PlainHttp("http://as".into())), false);
        assert!(!text(&e).contains("ID token"), "a bad URL keeps its own error: {e:#}");
        assert!(e.is::<crate::config::EndpointError>());
    }

    #[test]
    fn redirects_are_judged_by_state_and_issuer() {
        let state = Secret::new("s1".to_string());
        let issuer = Issuer::parse("https://as").unwrap();
        let p = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Params>();
        assert!(check_redirect(&p(&[("code", "c"), ("state", "s1")]), &state, None, false).is_ok());
        assert!(matches!(
            check_redirect(&p(&[("code", "c"), ("state", "s2")]), &state, None, false),
            Err(AuthorizationError::StateMismatch)
        ));
        assert!(matches!(
            check_redirect(&p(&[("code", "c")]), &state, None, false),
            Err(AuthorizationError::StateMismatch)
        ));
        assert!(matches!(
            check_redirect(
                &p(&[("code", "c"), ("state", "s1"), ("iss", "https://evil")]),
                &state,
                Some(&issuer),
                false
            ),
            Err(AuthorizationError::IssuerMismatch { .. })
        ));
        assert!(matches!(
            check_redirect(&p(&[("error", "access_denied"), ("state", "s1")]), &state, None, false),
            Err(AuthorizationError::Denied(_))
        ));
        assert!(matches!(
            check_redirect(&p(&[("state", "s1")]), &state, None, false),
            Err(AuthorizationError::MissingCode)
        ));
        // A server that promises `iss` (RFC 9207) must send it.
        let no_iss = p(&[("code", "c"), ("state", "s1")]);
        assert!(check_redirect(&no_iss, &state, Some(&issuer), false).is_ok());
        assert!(matches!(
            check_redirect(&no_iss, &state, Some(&issuer), true),
            Err(AuthorizationError::IssuerMismatch { .. })
        ));
    }
}
