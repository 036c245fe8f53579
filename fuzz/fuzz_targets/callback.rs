//! The loopback listener's reading of a request target (`callback::target`) and of the
//! redirect's parameters (`authorize::response`), on any target that can reach the port.
//! Checked: no panic; only a GET on the redirect URI's own path (and origin) is the callback;
//! a code or an error is never empty; an error shows on one line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oat::callback::{Target, target};
use oat::oauth::authorize::{AuthorizationResponse, response};
use std::sync::LazyLock;
use url::Url;

static REDIRECT: LazyLock<Url> = LazyLock::new(|| Url::parse("http://127.0.0.1:8765/callback").unwrap());

fuzz_target!(|data: &[u8]| {
    // tiny_http hands the target over as text; decoding lossily keeps every input in play.
    let text = String::from_utf8_lossy(data);
    let redirect = &*REDIRECT;
    let by_post = target(redirect, false, &text);
    assert!(!matches!(by_post, Target::Callback(_)), "a POST was taken for the callback: {text:?}");
    let Target::Callback(params) = target(redirect, true, &text) else { return };
    let url = redirect.join(&text).expect("a callback target is a URL");
    assert_eq!(url.path(), redirect.path(), "callback on another path: {text:?}");
    assert_eq!(url.origin(), redirect.origin(), "callback for another origin: {text:?}");

    let first = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    match response(&params) {
        AuthorizationResponse::Code { code, state, .. } => {
            assert!(!code.expose().is_empty());
            assert_eq!(state.as_deref(), first("state"));
            assert!(first("error").is_none_or(str::is_empty), "an error was taken for a code: {params:?}");
        }
        AuthorizationResponse::Error { error, state } => {
            assert!(!error.code.as_str().is_empty());
            assert_eq!(state.as_deref(), first("state"));
            let shown = error.to_string();
            assert!(!shown.chars().any(char::is_control), "an error breaks the line: {shown:?}");
        }
        AuthorizationResponse::Empty => {
            assert!(first("code").is_none_or(str::is_empty), "a code was dropped: {params:?}");
            assert!(first("error").is_none_or(str::is_empty), "an error was dropped: {params:?}");
        }
    }
});
