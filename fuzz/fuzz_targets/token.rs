//! The token endpoint's answer (`token::parse`, `token::fields`) on any body, with a status and
//! a content type chosen by the first byte. Checked: no panic; a parsed answer came with a 2xx
//! and has a non-empty access token and token type; what is parsed can be stored (expiry
//! arithmetic included) and every error can be shown.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oat::config::Endpoint;
use oat::http::Response;
use oat::oauth::Tokens;
use oat::oauth::token::{fields, parse};
use std::sync::LazyLock;

static ENDPOINT: LazyLock<Endpoint> = LazyLock::new(|| Endpoint::parse("https://as.example/token").unwrap());

const CONTENT_TYPES: [Option<&str>; 8] = [
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("application/x-www-form-urlencoded"),
    None,
    Some("text/plain"),
    Some("text/html; charset=utf-8"),
    Some("application/problem+json"),
    Some("APPLICATION/JSON;charset=UTF-8"),
];
const STATUSES: [u16; 8] = [200, 200, 201, 400, 401, 302, 500, 204];

/// A fixed "now" (Unix seconds) for the expiry arithmetic.
const NOW: u64 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let (choice, body) = data.split_first().map_or((0, data), |(c, rest)| (*c, rest));
    let content_type = CONTENT_TYPES[usize::from(choice & 7)];
    let status = STATUSES[usize::from((choice >> 3) & 7)];
    let mut headers: Vec<(String, String)> =
        content_type.map(|t| ("content-type".into(), t.into())).into_iter().collect();
    if choice & 0x40 != 0 {
        headers.push(("location".into(), "https://as.example/login?next=%2Ftoken".into()));
    }
    let response = Response { status, headers, body: body.to_vec(), ..Response::default() };
    let _ = fields(&response);
    match parse(&ENDPOINT, &response) {
        Ok(answer) => {
            assert!((200..300).contains(&status), "HTTP {status} was taken for tokens");
            assert!(!answer.access_token.expose().is_empty(), "an empty access token was accepted");
            assert!(!answer.token_type.is_empty());
            for optional in [&answer.refresh_token, &answer.id_token] {
                assert!(optional.as_ref().is_none_or(|s| !s.expose().is_empty()));
            }
            let tokens = Tokens::issued(answer, NOW, Some("openid".into()));
            assert!(tokens.expires_at.is_none_or(|at| at >= NOW));
            let _ = tokens.is_fresh(NOW, 60);
            let _ = tokens.remaining(NOW);
            let _ = tokens.scheme();
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
