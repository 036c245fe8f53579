//! The authorization endpoint (RFC 6749 §4.1.1–4.1.2, PKCE S256 required by RFC 7636, loopback
//! redirect URIs on any port by RFC 8252 §7.3, `iss` in every redirect by RFC 9207) and the
//! sign-in page's decision. The page is `pages`' business; the code's exchange is `token`'s.

use super::context::Context;
use super::state::{Code, Pending};
use super::wire::{self, Incoming, Params, Refusal, Reply};
use super::{PUBLIC_CLIENT, Settings, pages, parse_scope, random};
use std::net::{Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

/// Seconds an authorization code can be exchanged (RFC 6749 §4.1.2 recommends at most 10 minutes).
const CODE_TTL: u64 = 60;

/// Seconds a sign-in page can be answered.
const PAGE_TTL: u64 = 600;

/// `GET` (or `POST`, OpenID Connect Core §3.1.2.1) `/authorize`.
pub(super) fn authorize(context: &Context, request: &Incoming) -> Reply {
    let params = if request.is_post() {
        match request.form() {
            Ok(form) => form,
            Err(refusal) => return bad_page(&refusal.description),
        }
    } else {
        &request.query
    };
    // Until the client and its redirect URI are known good, errors are shown here: sending them
    // to an unchecked URI would make this server an open redirector (RFC 6749 §4.1.2.1).
    let client_id = match params.required("client_id") {
        Ok(id) => id,
        Err(refusal) => return bad_page(&refusal.description),
    };
    if client_id != PUBLIC_CLIENT {
        return bad_page(&format!("unknown client `{client_id}`: the demo's public client is {PUBLIC_CLIENT}"));
    }
    let redirect_uri = match params.required("redirect_uri") {
        Ok(uri) if loopback_callback(uri) => uri,
        Ok(uri) => {
            return bad_page(&format!(
                "the redirect URI `{uri}` is not allowed: {PUBLIC_CLIENT} may use http://127.0.0.1:PORT/callback, \
                 http://[::1]:PORT/callback or http://localhost:PORT/callback, on any port (RFC 8252 §7.3)"
            ));
        }
        Err(refusal) => return bad_page(&refusal.description),
    };
    let state = params.one("state").ok().flatten();
    let now = crate::time::now();
    let outcome = check(params, redirect_uri, now).and_then(|pending| {
        let prompt = params.one("prompt")?.unwrap_or("");
        if context.settings.auto_approve {
            let user = context.settings.user.clone();
            let code = issue_code(context, pending, user, now)?;
            Ok(back(context, 302, redirect_uri, &[("code", &code), ("state", state.unwrap_or(""))]))
        } else if prompt.split(' ').any(|p| p == "none") {
            // OpenID Connect Core §3.1.2.6: without auto-approval a person must act.
            Err(Refusal::new("login_required", "prompt=none, but the user must sign in"))
        } else {
            let id = random(16)?;
            let page = pages::sign_in(&id, client_id, &pending.scope, &context.settings.user);
            context.state().pending.insert(id, pending);
            Ok(wire::html(200, page))
        }
    });
    outcome.unwrap_or_else(|refusal| {
        let error = [("error", refusal.error), ("error_description", &refusal.description)];
        let mut pairs = error.to_vec();
        pairs.extend(state.map(|s| ("state", s)));
        back(context, 302, redirect_uri, &pairs)
    })
}

/// Checks the parameters that come after the client and redirect URI.
fn check(params: &Params, redirect_uri: &str, now: u64) -> Result<Pending, Refusal> {
    let state = params.one("state")?.map(str::to_string);
    match params.required("response_type")? {
        "code" => {}
        other => {
            return Err(Refusal::new(
                "unsupported_response_type",
                format!("response_type `{other}`: only `code` is supported"),
            ));
        }
    }
    // RFC 7636 §4.3: a missing method means `plain`, which this server refuses (RFC 9700 §2.1.1).
    if params.one("code_challenge_method")? != Some("S256") {
        return Err(Refusal::new("invalid_request", "PKCE is required, with code_challenge_method=S256 (RFC 7636)"));
    }
    let challenge = params.required("code_challenge")?;
    // BASE64URL(SHA256(…)) is always 43 characters.
    if challenge.len() != 43 || !challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(Refusal::new("invalid_request", "code_challenge is not a base64url SHA-256 hash (RFC 7636 §4.2)"));
    }
    // §3.3: without a scope, a default is used.
    let scope = parse_scope(params.one("scope")?.unwrap_or("openid"))
        .map_err(|s| Refusal::new("invalid_scope", format!("the scope `{s}` is not supported")))?;
    Ok(Pending {
        redirect_uri: redirect_uri.to_string(),
        scope,
        state,
        nonce: params.one("nonce")?.map(str::to_string),
        challenge: challenge.to_string(),
        expires_at: now + PAGE_TTL,
    })
}

/// `POST /authorize/decision`: the sign-in page's answer.
pub(super) fn decide(context: &Context, request: &Incoming) -> Reply {
    let form = match request.form() {
        Ok(form) => form,
        Err(refusal) => return bad_page(&refusal.description),
    };
    let id = form.one("request").ok().flatten().unwrap_or("");
    let now = crate::time::now();
    // The request id is random and only ever shown on the page: it also stops cross-site posts.
    let Some(pending) = context.state().pending.remove(id).filter(|p| p.expires_at > now) else {
        return bad_page("this sign-in request is unknown or expired: start the login again from the application");
    };
    let (redirect_uri, state) = (pending.redirect_uri.clone(), pending.state.clone());
    let state = state.as_deref().unwrap_or("");
    // 303 after a POST, so that the browser does not post the password to the client (RFC 9700 §4.12).
    match form.one("decision") {
        Ok(Some("approve")) => match issue_code(context, pending, user_name(form, &context.settings), now) {
            Ok(code) => back(context, 303, &redirect_uri, &[("code", &code), ("state", state)]),
            Err(refusal) => {
                let pairs = [("error", refusal.error), ("error_description", &refusal.description), ("state", state)];
                back(context, 303, &redirect_uri, &pairs)
            }
        },
        Ok(Some("deny")) => {
            let pairs =
                [("error", "access_denied"), ("error_description", "the user denied the request"), ("state", state)];
            back(context, 303, &redirect_uri, &pairs)
        }
        _ => bad_page("the decision must be approve or deny"),
    }
}

/// The user name typed on a page, without control characters; the default when left empty.
pub(super) fn user_name(form: &Params, settings: &Settings) -> String {
    let typed: String = form.one("username").ok().flatten().unwrap_or("").chars().filter(|c| !c.is_control()).collect();
    match typed.trim() {
        "" => settings.user.clone(),
        name => name.to_string(),
    }
}

fn issue_code(context: &Context, request: Pending, user: String, now: u64) -> Result<String, Refusal> {
    let code = random(32)?;
    let issued = Code { request, user, auth_time: now, expires_at: now + CODE_TTL, redeemed: None };
    context.state().codes.insert(code.clone(), issued);
    Ok(code)
}

/// A redirect to the client with parameters and `iss` (RFC 9207 §2); empty values are left out.
fn back(context: &Context, status: u16, redirect_uri: &str, pairs: &[(&str, &str)]) -> Reply {
    // The URI was checked by `loopback_callback`, which parsed it.
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return bad_page("the redirect URI is not a URL");
    };
    url.query_pairs_mut().extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty())).append_pair("iss", &context.issuer);
    wire::redirect(status, url.as_str())
}

fn bad_page(problem: &str) -> Reply {
    wire::html(400, pages::message("This sign-in cannot go on", problem))
}

/// Whether a URI is a loopback callback of the public client: `http`, host 127.0.0.1, `[::1]`
/// or `localhost`, any port (RFC 8252 §7.3), path `/callback`, no query, fragment or user.
fn loopback_callback(uri: &str) -> bool {
    let Ok(url) = Url::parse(uri) else {
        return false;
    };
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
        Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
        Some(Host::Domain(name)) => name == "localhost",
        None => false,
    };
    url.scheme() == "http"
        && loopback
        && url.path() == "/callback"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_callbacks_are_accepted() {
        for good in ["http://127.0.0.1:8765/callback", "http://[::1]:1/callback", "http://localhost:49152/callback"] {
            assert!(loopback_callback(good), "{good}");
        }
        for bad in [
            "https://127.0.0.1:8765/callback",
            "http://127.0.0.2:8765/callback",
            "http://example.com:8765/callback",
            "http://127.0.0.1:8765/other",
            "http://127.0.0.1:8765/callback?x=1",
            "http://127.0.0.1:8765/callback#x",
            "http://u:p@127.0.0.1:8765/callback",
            "http://localhost.example.com/callback",
            "not a url",
        ] {
            assert!(!loopback_callback(bad), "{bad}");
        }
    }
}
