//! What the demo server says about itself and its tokens: metadata (RFC 8414, OpenID Connect
//! Discovery), revocation (RFC 7009), introspection (RFC 7662), UserInfo (OpenID Connect Core
//! §5.3), and the protected demo API that accepts Bearer tokens (RFC 6750) and DPoP-bound ones
//! with their proofs (RFC 9449 §7).

use super::client::{Client, authenticate};
use super::context::Context;
use super::state::Grant;
use super::token;
use super::wire::{self, Incoming, Refusal, Reply};
use super::{REALM, SCOPES, device, dpop, has};
use serde_json::{Value, json};

/// The metadata document, served at both well-known paths.
pub(super) fn metadata(context: &Context) -> Reply {
    let auth_methods = ["none", "client_secret_basic", "client_secret_post"];
    wire::public_json(&json!({
        "issuer": context.issuer,
        "authorization_endpoint": context.url("/authorize"),
        "token_endpoint": context.url("/token"),
        "device_authorization_endpoint": context.url("/device_authorization"),
        "revocation_endpoint": context.url("/revoke"),
        "introspection_endpoint": context.url("/introspect"),
        "userinfo_endpoint": context.url("/userinfo"),
        "jwks_uri": context.url("/jwks"),
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials", device::GRANT_TYPE],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "introspection_endpoint_auth_methods_supported": auth_methods,
        "id_token_signing_alg_values_supported": ["ES256"],
        "subject_types_supported": ["public"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "preferred_username", "email", "email_verified"],
        "authorization_response_iss_parameter_supported": true,
        "dpop_signing_alg_values_supported": ["ES256"],
    }))
}

/// `POST /revoke` (RFC 7009 §2).
pub(super) fn revoke(context: &Context, request: &Incoming) -> Reply {
    match revocation(context, request) {
        // §2.2: the body is ignored; unknown tokens get the same answer (nothing to revoke).
        Ok(()) => wire::with_header(wire::text(200, ""), "Cache-Control", "no-store"),
        Err(refusal) => refusal.reply(),
    }
}

fn revocation(context: &Context, request: &Incoming) -> Result<(), Refusal> {
    let form = request.form()?;
    let client = authenticate(request, form)?;
    let token = form.required("token")?;
    // `token_type_hint` only speeds up a search; both kinds are looked up anyway (§2.1).
    form.one("token_type_hint")?;
    let not_yours = || Refusal::new("unauthorized_client", "the token was issued to another client (RFC 7009 §2.1)");
    let mut state = context.state();
    if let Some((refresh, grant)) = state.refresh_token(token) {
        if grant.client_id != client.id() {
            return Err(not_yours());
        }
        // Revoking a refresh token ends its grant, access tokens included (§2.1).
        let id = refresh.grant;
        state.revoke_grant(id);
    } else if let Some(grant) = state.access_grant(token) {
        if grant.client_id != client.id() {
            return Err(not_yours());
        }
        state.revoke_access(token);
    }
    Ok(())
}

/// `POST /introspect` (RFC 7662 §2).
pub(super) fn introspect(context: &Context, request: &Incoming) -> Reply {
    match introspection(context, request) {
        Ok(body) => wire::json(200, &body),
        Err(refusal) => refusal.reply(),
    }
}

fn introspection(context: &Context, request: &Incoming) -> Result<Value, Refusal> {
    let form = request.form()?;
    // §2.1: the endpoint is protected; demo-cli may only ask about its own tokens.
    let client = authenticate(request, form)?;
    let token = form.required("token")?;
    form.one("token_type_hint")?;
    let may_see = |grant: &Grant| client == Client::Machine || grant.client_id == client.id();
    let describe = |grant: &Grant, scope: &[String], iat: u64| {
        let mut body = json!({
            "active": true,
            "scope": scope.join(" "),
            "client_id": grant.client_id,
            "sub": grant.subject(),
            "iat": iat,
            "iss": context.issuer,
        });
        if let Some(user) = &grant.user {
            body["username"] = user.as_str().into();
        }
        body
    };
    let state = context.state();
    if let Ok((access, grant)) = state.active(token, crate::time::now())
        && may_see(grant)
    {
        let mut body = describe(grant, &access.scope, access.iat);
        body["token_type"] = if grant.jkt.is_some() { "DPoP" } else { "Bearer" }.into();
        if let Some(jkt) = &grant.jkt {
            body["cnf"] = json!({"jkt": jkt});
        }
        body["exp"] = access.exp.into();
        return Ok(body);
    }
    // Refresh tokens here do not expire, and `token_type` names access token types only.
    if let Some((refresh, grant)) = state.refresh_token(token)
        && refresh.current
        && !grant.revoked
        && may_see(grant)
    {
        return Ok(describe(grant, &grant.scope, refresh.iat));
    }
    // §2.2: unknown, expired, revoked and someone else's tokens all look the same.
    Ok(json!({"active": false}))
}

/// `GET` or `POST /userinfo` (OpenID Connect Core §5.3): claims about the token's user.
pub(super) fn userinfo(context: &Context, request: &Incoming) -> Reply {
    let token = match presented(request, false) {
        Ok(Some(token)) => token,
        Ok(None) => return missing(),
        Err(refusal) => return refusal.reply(),
    };
    let state = context.state();
    match state.active(&token, crate::time::now()) {
        Err(why) => invalid_token(why.describe()),
        Ok((access, grant)) => match &grant.user {
            Some(user) if has(&access.scope, "openid") => {
                wire::json(200, &Value::Object(token::user_claims(user, &access.scope)))
            }
            // RFC 6750 §3.1: a good token without the needed scope is 403 insufficient_scope.
            _ => {
                let why = "the UserInfo endpoint needs a token with the openid scope";
                let challenge = format!("{}, scope=\"openid\"", challenge("insufficient_scope", why));
                Refusal::new("insufficient_scope", why).with_challenge(403, challenge).reply()
            }
        },
    }
}

/// `GET /api`: the protected resource, taking the token from the header or the query; a
/// DPoP-bound token only from `Authorization: DPoP` with a proof of its key (RFC 9449 §7).
pub(super) fn api(context: &Context, request: &Incoming) -> Reply {
    let token = match presented(request, true) {
        Ok(Some(token)) => token,
        Ok(None) => return missing(),
        Err(refusal) => return refusal.reply(),
    };
    let dpop_scheme = request.authorization.as_deref().is_some_and(|h| h.trim_start().starts_with("DPoP "));
    let jkt = match dpop_scheme {
        true => match dpop::check(context, request, "/api", Some(&token)) {
            Ok(jkt) => jkt,
            Err(refusal) => return invalid_dpop(&refusal.description),
        },
        false => None,
    };
    let state = context.state();
    match state.active(&token, crate::time::now()) {
        Err(why) => invalid_token(why.describe()),
        Ok((_, grant)) if grant.jkt.is_some() && grant.jkt != jkt => {
            invalid_dpop("the token is DPoP-bound: send it as `Authorization: DPoP` with a proof of its key")
        }
        Ok((_, grant)) if grant.jkt.is_none() && dpop_scheme => {
            invalid_dpop("the token is not DPoP-bound: send it as `Authorization: Bearer`")
        }
        Ok((access, grant)) => wire::json(
            200,
            &json!({
                "message": format!("Hello, {}! This answer came from the oat demo API.", grant.subject()),
                "sub": grant.subject(),
                "scope": access.scope.join(" "),
                "client_id": grant.client_id,
                "dpop_jkt": grant.jkt,
            }),
        ),
    }
}

/// 401 with a DPoP challenge (RFC 9449 §7.1).
fn invalid_dpop(why: &str) -> Reply {
    let challenge =
        format!("DPoP realm=\"{REALM}\", error=\"invalid_token\", error_description=\"{why}\", algs=\"ES256\"");
    Refusal::new("invalid_token", why).with_challenge(401, challenge).reply()
}

/// The access token of a request: `Authorization: Bearer` (RFC 6750 §2.1) or, where allowed,
/// the `access_token` query parameter (§2.3); both at once is an error (§2).
fn presented(request: &Incoming, query_allowed: bool) -> Result<Option<String>, Refusal> {
    let bad = |why: &str| {
        let refusal = Refusal::new("invalid_request", why);
        let challenge = challenge("invalid_request", &refusal.description);
        refusal.with_challenge(400, challenge)
    };
    let header = match request.authorization.as_deref().map(|h| h.trim().split_once(' ').unwrap_or((h.trim(), ""))) {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("dpop") => {
            let token = token.trim();
            // b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
            let body = token.trim_end_matches('=');
            let b64token = !body.is_empty()
                && body
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/'));
            if !b64token {
                return Err(bad("the Authorization header is not `Bearer <token>` (or `DPoP <token>`)"));
            }
            Some(token.to_string())
        }
        // Another scheme carries no Bearer token: as if none were sent.
        _ => None,
    };
    let query = if query_allowed { request.query.one("access_token").map_err(|r| bad(&r.description))? } else { None };
    match (header, query) {
        (Some(_), Some(_)) => Err(bad("send the access token one way only, not in the header and the query")),
        (Some(token), None) => Ok(Some(token)),
        (None, query) => Ok(query.map(str::to_string)),
    }
}

/// `Bearer realm=…, error=…, error_description=…`; the description holds no quotes (`Refusal`).
fn challenge(error: &str, description: &str) -> String {
    format!("Bearer realm=\"{REALM}\", error=\"{error}\", error_description=\"{description}\"")
}

/// 401 without an error code: the request had no token at all (RFC 6750 §3.1).
fn missing() -> Reply {
    let body = json!({"message": "this API needs an access token: send `Authorization: Bearer <token>`"});
    wire::with_header(wire::json(401, &body), "WWW-Authenticate", &format!("Bearer realm=\"{REALM}\""))
}

fn invalid_token(why: &str) -> Reply {
    Refusal::new("invalid_token", why).with_challenge(401, challenge("invalid_token", why)).reply()
}
