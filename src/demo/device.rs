//! The device authorization grant (RFC 8628): the device authorization endpoint (§3.1–3.2),
//! the verification page where a person types or confirms the user code (§3.3), and the
//! token endpoint's polling answers (§3.4–3.5). Tokens are issued through `token::answer`.

use super::authorize::user_name;
use super::client::{Client, authenticate};
use super::context::Context;
use super::state::{Decision, Device, Grant, State};
use super::wire::{self, Incoming, Params, Refusal, Reply};
use super::{pages, parse_scope, random};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The grant type of a device code poll (§3.4).
pub(super) const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Seconds a device code and user code live.
const DEVICE_TTL: u64 = 600;

/// Letters that cannot be mistaken for one another or spell words: consonants only (§6.1).
const ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";

/// A fresh user code: 8 letters of [`ALPHABET`], about 34 bits.
fn user_code() -> Result<String, getrandom::Error> {
    let mut code = String::with_capacity(8);
    while code.len() < 8 {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        // 240 = 12 × 20: bytes above it are dropped so every letter is equally likely.
        code.extend(
            bytes.iter().filter(|b| **b < 240).map(|b| char::from(ALPHABET[usize::from(*b) % 20])).take(8 - code.len()),
        );
    }
    Ok(code)
}

/// A typed user code in stored form: upper case, letters only; `None` if it cannot be one.
fn normalise(typed: &str) -> Option<String> {
    let letters: String = typed.chars().filter(|c| c.is_ascii_alphabetic()).map(|c| c.to_ascii_uppercase()).collect();
    let only_separators = typed.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == ' ');
    (letters.len() == 8 && only_separators).then_some(letters)
}

/// How a user code is shown: `XXXX-XXXX`.
fn display(code: &str) -> String {
    match (code.get(..4), code.get(4..)) {
        (Some(head), Some(tail)) => format!("{head}-{tail}"),
        _ => code.to_string(),
    }
}

/// `POST /device_authorization`.
pub(super) fn authorize(context: &Context, request: &Incoming) -> Reply {
    match start(context, request) {
        Ok(body) => wire::json(200, &body),
        Err(refusal) => refusal.reply(),
    }
}

fn start(context: &Context, request: &Incoming) -> Result<Value, Refusal> {
    let form = request.form()?;
    if authenticate(request, form)? != Client::Public {
        return Err(Refusal::new("unauthorized_client", "only demo-cli may use the device flow"));
    }
    let scope = parse_scope(form.one("scope")?.unwrap_or("openid"))
        .map_err(|s| Refusal::new("invalid_scope", format!("the scope `{s}` is not supported")))?;
    let now = crate::time::now();
    let device_code = random(32)?;
    let mut state = context.state();
    let mut code = user_code()?;
    while state.device_by_user_code(&code).is_some() {
        code = user_code()?;
    }
    let decision = if context.settings.auto_approve {
        Decision::Approved { user: context.settings.user.clone(), auth_time: now }
    } else {
        Decision::Pending
    };
    let interval = context.settings.device_interval;
    let device = Device {
        client_id: Client::Public.id(),
        user_code: code.clone(),
        scope,
        expires_at: now + DEVICE_TTL,
        interval,
        last_poll: None,
        decision,
    };
    state.devices.insert(device_code.clone(), device);
    let verification_uri = context.url("/device");
    Ok(json!({
        "device_code": device_code,
        "user_code": display(&code),
        "verification_uri_complete": format!("{verification_uri}?user_code={}", display(&code)),
        "verification_uri": verification_uri,
        "expires_in": DEVICE_TTL,
        "interval": interval,
    }))
}

/// Finds the device authorization a typed user code names, if it still waits for a decision.
fn waiting<'s>(state: &'s mut super::state::State, typed: &str, now: u64) -> Result<&'s mut Device, String> {
    let Some(code) = normalise(typed) else {
        return Err(format!("`{typed}` is not a code of this server: codes are 8 letters, like BCDF-GHJK"));
    };
    match state.device_by_user_code(&code) {
        None => Err(format!("no device is waiting for the code {}", display(&code))),
        Some(device) if now >= device.expires_at => {
            Err(format!("the code {} expired: start again on the device", display(&code)))
        }
        Some(device) if device.decision != Decision::Pending => {
            Err(format!("the code {} was already used", display(&code)))
        }
        Some(device) => Ok(device),
    }
}

/// `GET /device`: the page to type a code, or to confirm one given as `?user_code=`.
pub(super) fn page(context: &Context, request: &Incoming) -> Reply {
    let typed = match request.query.one("user_code") {
        Ok(None) => return wire::html(200, pages::device_entry(None)),
        Ok(Some(typed)) => typed,
        Err(refusal) => return wire::html(400, pages::device_entry(Some(&refusal.description))),
    };
    let mut state = context.state();
    match waiting(&mut state, typed, crate::time::now()) {
        Ok(device) => {
            let page = pages::device_confirm(
                &display(&device.user_code),
                device.client_id,
                &device.scope,
                &context.settings.user,
            );
            wire::html(200, page)
        }
        Err(problem) => wire::html(400, pages::device_entry(Some(&problem))),
    }
}

/// `POST /device`: the person's decision about a code.
pub(super) fn decide(context: &Context, request: &Incoming) -> Reply {
    let form = match request.form() {
        Ok(form) => form,
        Err(refusal) => return wire::html(400, pages::device_entry(Some(&refusal.description))),
    };
    let typed = form.one("user_code").ok().flatten().unwrap_or("");
    let now = crate::time::now();
    let mut state = context.state();
    let device = match waiting(&mut state, typed, now) {
        Ok(device) => device,
        Err(problem) => return wire::html(400, pages::device_entry(Some(&problem))),
    };
    match form.one("decision") {
        Ok(Some("approve")) => {
            device.decision = Decision::Approved { user: user_name(form, &context.settings), auth_time: now };
            wire::html(200, pages::message("Device connected", "You approved the request; return to your device."))
        }
        Ok(Some("deny")) => {
            device.decision = Decision::Denied;
            wire::html(200, pages::message("Request denied", "Your device will be told that you said no."))
        }
        _ => wire::html(400, pages::device_entry(Some("the decision must be approve or deny"))),
    }
}

/// One poll of the token endpoint with a device code (§3.4–3.5): once the user has approved,
/// the new grant and its scope, for which the token endpoint then issues tokens.
pub(super) fn poll(state: &mut State, client: Client, form: &Params, now: u64) -> Result<(u64, Vec<String>), Refusal> {
    if client != Client::Public {
        return Err(Refusal::new("unauthorized_client", "only demo-cli may use the device flow"));
    }
    let device_code = form.required("device_code")?;
    let Some(device) = state.devices.get_mut(device_code).filter(|d| d.client_id == client.id()) else {
        return Err(Refusal::new("invalid_grant", "the device code is unknown"));
    };
    if now >= device.expires_at {
        return Err(Refusal::new("expired_token", "the device code expired: start the device flow again"));
    }
    match device.decision.clone() {
        Decision::Pending => {
            let polled = Instant::now();
            let early = device.last_poll.is_some_and(|last| polled - last < Duration::from_secs(device.interval));
            device.last_poll = Some(polled);
            if early {
                // §3.5: the interval grows by 5 seconds for this and every later poll.
                device.interval += 5;
                let why = format!("polling too fast: wait {} seconds between polls", device.interval);
                return Err(Refusal::new("slow_down", why));
            }
            Err(Refusal::new("authorization_pending", "the user has not approved or denied the request yet"))
        }
        Decision::Denied => {
            state.devices.remove(device_code);
            Err(Refusal::new("access_denied", "the user denied the request"))
        }
        Decision::Approved { user, auth_time } => {
            let scope = device.scope.clone();
            state.devices.remove(device_code);
            let grant = Grant {
                client_id: client.id(),
                user: Some(user),
                scope: scope.clone(),
                auth_time,
                revoked: false,
                jkt: None,
            };
            Ok((state.grant(grant), scope))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_eight_unambiguous_letters() {
        for _ in 0..50 {
            let code = user_code().unwrap();
            assert_eq!(code.len(), 8);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        }
        assert_eq!(display("BCDFGHJK"), "BCDF-GHJK");
    }

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalise("bcdf-ghjk").as_deref(), Some("BCDFGHJK"));
        assert_eq!(normalise(" BCDF GHJK ").as_deref(), Some("BCDFGHJK"));
        assert_eq!(normalise("BCDF-GHJ"), None);
        assert_eq!(normalise("BCDF-GHJK<"), None);
    }
}
