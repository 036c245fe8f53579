//! The demo server's HTML: the index, the sign-in and consent page, the device pages and short
//! messages. Small pages with inline CSS only and no scripts; every echoed value goes through
//! [`escape`]. What a page's form does is decided by the endpoints that receive it.

use super::{MACHINE_CLIENT, MACHINE_SECRET, PUBLIC_CLIENT};
use crate::callback::escape;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;\
line-height:1.5;color:#222}h1{font-size:1.5em}.note{background:#fff8d6;border:1px solid #e8d98a;\
padding:.5em .8em;border-radius:4px}label{display:block;margin:.6em 0}input[type=text],\
input[type=password]{display:block;width:100%;padding:.4em;font-size:1em;box-sizing:border-box}\
button{font-size:1em;padding:.4em 1.2em;margin:.8em .6em 0 0}code{background:#f2f2f2;padding:0 .2em}\
.code{font-family:monospace;font-size:1.6em;letter-spacing:.1em}table{border-collapse:collapse}\
td{padding:.1em .8em .1em 0;vertical-align:top}";

/// A page around some (already escaped) HTML.
fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head>\n<body><h1>{title}</h1>\n{body}\n</body></html>\n",
        title = escape(title),
    )
}

/// What a scope lets the client do, in words.
fn scope_meaning(scope: &str) -> &'static str {
    match scope {
        "openid" => "confirm who you are (an ID token)",
        "profile" => "see your name",
        "email" => "see your e-mail address",
        "offline_access" => "stay signed in (a refresh token)",
        "api" => "call the demo API",
        _ => "",
    }
}

fn scope_list(scopes: &[String]) -> String {
    if scopes.is_empty() {
        return "<p>No scopes are asked for.</p>".into();
    }
    let items: String =
        scopes.iter().map(|s| format!("<li><code>{}</code>: {}</li>", escape(s), escape(scope_meaning(s)))).collect();
    format!("<ul>{items}</ul>")
}

fn user_fields(user: &str) -> String {
    format!(
        "<label>User name <input type=\"text\" name=\"username\" value=\"{}\" autocomplete=\"username\"></label>\
         <label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>\
         <p class=\"note\">This is oat's demo server, running on your own computer: any password works, \
         and nothing you type leaves this machine.</p>\
         <button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>",
        escape(user)
    )
}

/// The sign-in and consent page of the authorization endpoint.
pub(super) fn sign_in(request_id: &str, client_id: &str, scopes: &[String], user: &str) -> String {
    let body = format!(
        "<p>The application <b>{client}</b> asks to:</p>{scopes}\
         <form method=\"post\" action=\"/authorize/decision\">\
         <input type=\"hidden\" name=\"request\" value=\"{id}\">{fields}</form>",
        client = escape(client_id),
        scopes = scope_list(scopes),
        id = escape(request_id),
        fields = user_fields(user),
    );
    layout("Sign in to the oat demo", &body)
}

/// The device page where a user code is typed (RFC 8628 §3.3), with an error if the last try failed.
pub(super) fn device_entry(problem: Option<&str>) -> String {
    let problem = problem.map(|p| format!("<p class=\"note\">{}</p>", escape(p))).unwrap_or_default();
    let body = format!(
        "{problem}<p>Type the code your device shows.</p>\
         <form method=\"get\" action=\"/device\"><label>Code \
         <input type=\"text\" name=\"user_code\" autocomplete=\"off\" autocapitalize=\"characters\" \
         placeholder=\"XXXX-XXXX\"></label><button type=\"submit\">Continue</button></form>"
    );
    layout("Connect a device to the oat demo", &body)
}

/// The device page that confirms a code and asks for a decision.
pub(super) fn device_confirm(user_code: &str, client_id: &str, scopes: &[String], user: &str) -> String {
    let body = format!(
        "<p>Check that your device shows this code:</p><p class=\"code\">{code}</p>\
         <p>The application <b>{client}</b> on that device asks to:</p>{scopes}\
         <form method=\"post\" action=\"/device\">\
         <input type=\"hidden\" name=\"user_code\" value=\"{code}\">{fields}</form>",
        code = escape(user_code),
        client = escape(client_id),
        scopes = scope_list(scopes),
        fields = user_fields(user),
    );
    layout("Connect a device to the oat demo", &body)
}

/// A short message page.
pub(super) fn message(title: &str, text: &str) -> String {
    layout(title, &format!("<p>{}</p>", escape(text)))
}

/// The index: what the server offers and which clients it knows.
pub(super) fn index(issuer: &str) -> String {
    let endpoints = [
        ("/.well-known/openid-configuration", "server metadata (OpenID Connect Discovery; RFC 8414)"),
        ("/authorize", "authorization endpoint: sign-in and consent (RFC 6749 §4.1, PKCE S256 required)"),
        ("/token", "token endpoint (RFC 6749 §3.2)"),
        ("/device_authorization", "device authorization endpoint (RFC 8628)"),
        ("/device", "where a device's user code is typed"),
        ("/revoke", "token revocation (RFC 7009)"),
        ("/introspect", "token introspection (RFC 7662)"),
        ("/userinfo", "UserInfo endpoint (OpenID Connect Core §5.3)"),
        ("/jwks", "the ID token signing key (JWK Set)"),
        ("/api", "a protected API: send an access token (RFC 6750)"),
    ];
    let rows: String = endpoints
        .iter()
        .map(|(path, what)| format!("<tr><td><code>{}{}</code></td><td>{}</td></tr>", escape(issuer), path, what))
        .collect();
    let body = format!(
        "<p>A teaching OAuth 2.0 / OpenID Connect server, in memory, on your own computer.</p>\
         <h2>Endpoints</h2><table>{rows}</table><h2>Clients</h2><ul>\
         <li><code>{public}</code>: public, PKCE S256; authorization code, device code and refresh token grants.</li>\
         <li><code>{machine}</code>: confidential (secret <code>{secret}</code>); client credentials; \
         may introspect any token.</li></ul>",
        public = escape(PUBLIC_CLIENT),
        machine = escape(MACHINE_CLIENT),
        secret = escape(MACHINE_SECRET),
    );
    layout("The oat demo server", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_values_are_escaped() {
        let evil = "\"><script>alert(1)</script>";
        let pages = [
            sign_in(evil, evil, &[evil.to_string()], evil),
            device_confirm(evil, evil, &[], evil),
            device_entry(Some(evil)),
            message(evil, evil),
        ];
        for page in pages {
            assert!(!page.contains("<script>") && page.contains("&lt;script&gt;"), "{page}");
        }
    }

    #[test]
    fn the_sign_in_page_has_the_fields_and_buttons() {
        let page = sign_in("r1", "demo-cli", &["openid".into(), "api".into()], "demo");
        for part in [
            "<title>Sign in to the oat demo</title>",
            "name=\"username\" value=\"demo\"",
            "type=\"password\"",
            "any password works",
            "value=\"approve\">Approve",
            "value=\"deny\">Deny",
            "name=\"request\" value=\"r1\"",
            "action=\"/authorize/decision\"",
            "<code>api</code>",
        ] {
            assert!(page.contains(part), "{part} in {page}");
        }
    }
}
