//! The token endpoint (RFC 6749 §3.2): the authorization code grant with PKCE (§4.1.3,
//! RFC 7636 §4.6), refresh with rotation and reuse detection (§6), client credentials (§4.4),
//! and the token response (§5.1) with an OpenID Connect ID token; a DPoP proof (RFC 9449)
//! binds a new grant's tokens to its key. Client authentication lives
//! in `client`, the device code grant's polling in `device`, the tokens themselves in `state`.

use super::client::{Client, authenticate};
use super::context::Context;
use super::state::{Grant, State};
use super::wire::{self, Incoming, Params, Refusal, Reply};
use super::{MACHINE_CLIENT, PUBLIC_CLIENT, device, dpop, has, parse_scope};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// `POST /token`.
pub(super) fn token(context: &Context, request: &Incoming) -> Reply {
    match exchange(context, request) {
        Ok(body) => wire::json(200, &body),
        Err(refusal) => refusal.reply(),
    }
}

fn exchange(context: &Context, request: &Incoming) -> Result<Value, Refusal> {
    let form = request.form()?;
    let client = authenticate(request, form)?;
    let now = crate::time::now();
    // A proof binds the tokens of a new grant to its key (RFC 9449 §5).
    let jkt = dpop::check(context, request, "/token", None)?;
    match form.required("grant_type")? {
        "authorization_code" => code_grant(context, client, form, jkt, now),
        "refresh_token" => refresh_grant(context, client, form, jkt, now),
        "client_credentials" => client_credentials(context, client, form, jkt, now),
        device::GRANT_TYPE => {
            let mut state = context.state();
            let (grant, scope) = device::poll(&mut state, client, form, now)?;
            state.bind(grant, jkt);
            answer(context, &mut state, grant, scope, None, now)
        }
        other => Err(Refusal::new("unsupported_grant_type", format!("the grant type `{other}` is not supported"))),
    }
}

/// Whether a PKCE verifier matches an S256 challenge (RFC 7636 §4.1, §4.6). Written here
/// rather than taken from `oauth::authorize`, so that a mistake there cannot hide in a test.
fn verifier_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

fn code_grant(
    context: &Context,
    client: Client,
    form: &Params,
    jkt: Option<String>,
    now: u64,
) -> Result<Value, Refusal> {
    if client != Client::Public {
        return Err(Refusal::new("unauthorized_client", "only demo-cli may use the authorization code grant"));
    }
    let (code, redirect_uri, verifier) =
        (form.required("code")?, form.required("redirect_uri")?, form.required("code_verifier")?);
    let invalid = |why: &str| Refusal::new("invalid_grant", why);
    let mut state = context.state();
    let Some(found) = state.codes.get(code) else {
        return Err(invalid("the authorization code is unknown"));
    };
    if let Some(grant) = found.redeemed {
        // §4.1.2: a replayed code may be a stolen one; what it produced is withdrawn.
        state.revoke_grant(grant);
        return Err(invalid("the authorization code was already used; the tokens issued for it are now revoked"));
    }
    if now >= found.expires_at {
        return Err(invalid("the authorization code expired (codes live 60 seconds)"));
    }
    // Codes are only issued to demo-cli, the one client allowed here, so the client matches.
    if found.request.redirect_uri != redirect_uri {
        return Err(invalid("redirect_uri is not the one of the authorization request (RFC 6749 §4.1.3)"));
    }
    // A failed verifier does not use the code up: guessing a 256-bit verifier in 60 s is hopeless.
    if !verifier_matches(verifier, &found.request.challenge) {
        return Err(invalid("code_verifier does not match the code_challenge (RFC 7636 §4.6)"));
    }
    let (scope, nonce) = (found.request.scope.clone(), found.request.nonce.clone());
    let grant = Grant {
        client_id: PUBLIC_CLIENT,
        user: Some(found.user.clone()),
        scope: scope.clone(),
        auth_time: found.auth_time,
        revoked: false,
        jkt,
    };
    let id = state.grant(grant);
    if let Some(code) = state.codes.get_mut(code) {
        code.redeemed = Some(id);
    }
    answer(context, &mut state, id, scope, nonce.as_deref(), now)
}

fn refresh_grant(
    context: &Context,
    client: Client,
    form: &Params,
    jkt: Option<String>,
    now: u64,
) -> Result<Value, Refusal> {
    let (token, asked) = (form.required("refresh_token")?, form.one("scope")?);
    let invalid = |why: &str| Refusal::new("invalid_grant", why);
    let mut state = context.state();
    let Some((refresh, grant)) = state.refresh_token(token) else {
        return Err(invalid("the refresh token is unknown"));
    };
    let (id, current, granted) = (refresh.grant, refresh.current, grant.scope.clone());
    if grant.client_id != client.id() {
        return Err(invalid("the refresh token was issued to another client"));
    }
    if grant.revoked {
        return Err(invalid("the refresh token was revoked"));
    }
    // A bound grant's refresh token only works with a proof of its key (RFC 9449 §5).
    if grant.jkt.is_some() && grant.jkt != jkt {
        return Err(invalid("the refresh token is bound to a DPoP key: send a proof of that key"));
    }
    if !current {
        // Rotation makes every refresh token single-use; a second use means two parties hold
        // it, and the server cannot tell which one is the thief (RFC 9700 §4.14.2).
        state.revoke_grant(id);
        return Err(invalid("the refresh token was already used; the whole grant is now revoked"));
    }
    let scope = match asked {
        None => granted,
        Some(asked) => {
            let asked = parse_scope(asked)
                .map_err(|s| Refusal::new("invalid_scope", format!("the scope `{s}` is not supported")))?;
            if let Some(extra) = asked.iter().find(|s| !has(&granted, s)) {
                return Err(Refusal::new(
                    "invalid_scope",
                    format!("`{extra}` was not granted: a refresh cannot widen the scope (RFC 6749 §6)"),
                ));
            }
            asked
        }
    };
    state.retire(token);
    answer(context, &mut state, id, scope, None, now)
}

fn client_credentials(
    context: &Context,
    client: Client,
    form: &Params,
    jkt: Option<String>,
    now: u64,
) -> Result<Value, Refusal> {
    if client != Client::Machine {
        return Err(Refusal::new(
            "unauthorized_client",
            "only demo-machine, a confidential client, may use client credentials",
        ));
    }
    let scope = match form.one("scope")? {
        None => vec!["api".to_string()],
        Some(asked) => {
            let scope = parse_scope(asked).unwrap_or_default();
            if scope.is_empty() || scope.iter().any(|s| s != "api") {
                return Err(Refusal::new("invalid_scope", "demo-machine may ask for the `api` scope only"));
            }
            scope
        }
    };
    let mut state = context.state();
    let grant =
        Grant { client_id: MACHINE_CLIENT, user: None, scope: scope.clone(), auth_time: now, revoked: false, jkt };
    let id = state.grant(grant);
    answer(context, &mut state, id, scope, None, now)
}

/// The successful token response (RFC 6749 §5.1) for a grant: an access token, a refresh token
/// when a user granted `offline_access`, an ID token when the scope has `openid`.
pub(super) fn answer(
    context: &Context,
    state: &mut State,
    grant: u64,
    scope: Vec<String>,
    nonce: Option<&str>,
    now: u64,
) -> Result<Value, Refusal> {
    let Some(found) = state.grant_of(grant) else {
        return Err(Refusal { status: 500, ..Refusal::new("server_error", "the grant vanished") });
    };
    let (user, auth_time) = (found.user.clone(), found.auth_time);
    let token_type = if found.jkt.is_some() { "DPoP" } else { "Bearer" };
    let with_refresh = user.is_some() && has(&found.scope, "offline_access");
    let ttl = context.settings.access_ttl;
    let bytes = context.settings.token_bytes;
    let (access, refresh) = state.issue(grant, scope.clone(), ttl, with_refresh, now, bytes)?;
    let mut body =
        json!({"access_token": access, "token_type": token_type, "expires_in": ttl, "scope": scope.join(" ")});
    if let Some(refresh) = refresh {
        body["refresh_token"] = refresh.into();
    }
    if let Some(user) = user.filter(|_| has(&scope, "openid")) {
        let mut claims = user_claims(&user, &scope);
        let times = [("iat", now), ("exp", now + ttl), ("auth_time", auth_time)];
        claims.extend(times.map(|(name, time)| (name.to_string(), Value::from(time))));
        claims.insert("iss".into(), context.issuer.clone().into());
        claims.insert("aud".into(), PUBLIC_CLIENT.into());
        // OpenID Connect Core §12.2: a refreshed ID token carries no nonce; `None` is passed then.
        if let Some(nonce) = nonce {
            claims.insert("nonce".into(), nonce.into());
        }
        if bytes > 32 {
            // Base64url makes 4 characters of 3 bytes: a claim of `bytes` characters makes an
            // ID token of about 4/3 of that.
            claims.insert("padding".into(), "x".repeat(bytes).into());
        }
        let id_token = context.signer.sign(&Value::Object(claims)).map_err(|e| Refusal {
            status: 500,
            ..Refusal::new("server_error", format!("cannot sign the ID token: {e}"))
        })?;
        body["id_token"] = id_token.into();
    }
    Ok(body)
}

/// The claims about a user that a scope releases (OpenID Connect Core §5.4): `sub` always,
/// `name` and `preferred_username` with `profile`, `email` with `email`.
pub(super) fn user_claims(user: &str, scope: &[String]) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("sub".into(), user.into());
    if has(scope, "profile") {
        claims.insert("name".into(), user.into());
        claims.insert("preferred_username".into(), user.into());
    }
    if has(scope, "email") {
        let local: String =
            user.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '.' }).collect();
        claims.insert("email".into(), format!("{local}@example.com").into());
        // The address is made up: nobody verified it.
        claims.insert("email_verified".into(), false.into());
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifiers_are_checked_against_rfc7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(verifier_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert!(!verifier_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"));
        assert!(!verifier_matches("short", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    #[test]
    fn claims_follow_the_scope() {
        let claims = user_claims("Ann Lee", &["openid".into(), "email".into()]);
        assert_eq!(claims["sub"], "Ann Lee");
        assert_eq!(claims["email"], "ann.lee@example.com");
        assert!(!claims.contains_key("name"));
    }
}
