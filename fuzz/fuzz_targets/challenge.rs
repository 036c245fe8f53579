//! The `WWW-Authenticate` challenge reader (`error::bearer_challenge`) on any header value.
//! Checked: no panic; only a Bearer or DPoP challenge is read; parameter names come out
//! lowercase; an error in it can be shown on one line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oat::oauth::OAuthError;
use oat::oauth::error::bearer_challenge;

fuzz_target!(|data: &[u8]| {
    let header = String::from_utf8_lossy(data);
    let scheme = header.trim().split(char::is_whitespace).next().unwrap_or_default();
    let params = bearer_challenge(&header);
    let read = scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("dpop");
    assert_eq!(params.is_some(), read, "{header:?}");
    for (name, _) in params.iter().flatten() {
        assert!(!name.chars().any(|c| c.is_ascii_uppercase()), "{name:?}");
    }
    if let Some(error) = OAuthError::from_challenge(&header) {
        assert!(!error.to_string().chars().any(char::is_control));
    }
});
