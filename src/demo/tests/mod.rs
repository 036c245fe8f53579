//! The demo server over real loopback HTTP: a hand-written HTTP/1.1 client (so that redirects,
//! status codes and headers are seen exactly as sent), helpers that walk the browser's part of
//! a login, and tests of the server's edges. The flows and token endpoints have their own files.

mod flows;
mod tokens;

use super::{DemoServer, MACHINE_CLIENT, MACHINE_SECRET, PUBLIC_CLIENT, Settings, random};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::TcpStream;
use url::Url;

/// An HTTP answer.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The `error` of a JSON error answer.
    fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_string()
    }

    fn location(&self) -> Url {
        Url::parse(self.header("Location").unwrap_or_else(|| panic!("no Location: {}", self.body))).unwrap()
    }
}

/// The query parameter `name` of a URL.
fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn server(settings: Settings) -> DemoServer {
    DemoServer::start(0, settings).unwrap()
}

fn auto() -> Settings {
    Settings { auto_approve: true, ..Settings::default() }
}

/// Sends one request with `Connection: close` and reads the whole answer.
fn raw(server: &DemoServer, request: &[u8]) -> Answer {
    let port = Url::parse(server.issuer()).unwrap().port().unwrap();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.to_string(), v.trim().to_string())).collect();
    Answer { status, headers, body: body.to_string() }
}

fn call(server: &DemoServer, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    raw(server, request.as_bytes())
}

fn get(server: &DemoServer, path: &str) -> Answer {
    call(server, "GET", path, &[], "")
}

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// POSTs a form, with extra headers.
fn post(server: &DemoServer, path: &str, pairs: &[(&str, &str)], headers: &[(&str, &str)]) -> Answer {
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    call(server, "POST", path, &all, &form(pairs))
}

/// A refresh of the public client's `token`.
fn refresh_with(server: &DemoServer, token: &str) -> Answer {
    post(
        server,
        "/token",
        &[("grant_type", "refresh_token"), ("client_id", PUBLIC_CLIENT), ("refresh_token", token)],
        &[],
    )
}

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// A PKCE pair, computed here rather than by the server's code.
fn pkce() -> (String, String) {
    let verifier = random(32).unwrap();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// `/authorize?…` for demo-cli with PKCE, state `st` and nonce `nn`, plus `extra` parameters.
fn authorize_path(challenge: &str, scope: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", PUBLIC_CLIENT),
        ("redirect_uri", REDIRECT),
        ("scope", scope),
        ("state", "st"),
        ("nonce", "nn"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    pairs.extend_from_slice(extra);
    format!("/authorize?{}", form(&pairs))
}

/// The hidden request id on a sign-in page.
fn request_id(page: &str) -> String {
    let start = page.find("name=\"request\" value=\"").unwrap() + "name=\"request\" value=\"".len();
    page[start..].split('"').next().unwrap().to_string()
}

/// Walks the browser's part of a login (sign-in page, approval as `user`): the code and verifier.
fn sign_in(server: &DemoServer, scope: &str, user: &str) -> (String, String) {
    let (verifier, challenge) = pkce();
    let page = get(server, &authorize_path(&challenge, scope, &[]));
    if page.status == 302 {
        // Auto-approval: no page, the code comes at once.
        return (param(&page.location(), "code").unwrap(), verifier);
    }
    assert_eq!(page.status, 200, "{}", page.body);
    let id = request_id(&page.body);
    let pairs = [("request", id.as_str()), ("username", user), ("password", "x"), ("decision", "approve")];
    let redirect = post(server, "/authorize/decision", &pairs, &[]);
    assert_eq!(redirect.status, 303, "{}", redirect.body);
    (param(&redirect.location(), "code").unwrap(), verifier)
}

fn exchange(server: &DemoServer, code: &str, verifier: &str) -> Answer {
    let pairs = [
        ("grant_type", "authorization_code"),
        ("client_id", PUBLIC_CLIENT),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier),
    ];
    post(server, "/token", &pairs, &[])
}

/// Tokens for `user` through the whole code flow.
fn tokens(server: &DemoServer, scope: &str, user: &str) -> Value {
    let (code, verifier) = sign_in(server, scope, user);
    let answer = exchange(server, &code, &verifier);
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

fn machine_token(server: &DemoServer) -> String {
    let answer = post(
        server,
        "/token",
        &[("grant_type", "client_credentials")],
        &[("Authorization", &basic(MACHINE_CLIENT, MACHINE_SECRET))],
    );
    answer.json()["access_token"].as_str().unwrap().to_string()
}

#[test]
fn both_metadata_documents_describe_the_server() {
    let server = server(Settings::default());
    let issuer = server.issuer().to_string();
    assert!(issuer.starts_with("http://127.0.0.1:") && !issuer.ends_with(":0"), "{issuer}");
    for path in ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"] {
        let answer = get(&server, path);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("Content-Type"), Some("application/json"));
        let doc = answer.json();
        assert_eq!(doc["issuer"], issuer.as_str());
        for (field, endpoint) in [
            ("authorization_endpoint", "/authorize"),
            ("token_endpoint", "/token"),
            ("device_authorization_endpoint", "/device_authorization"),
            ("revocation_endpoint", "/revoke"),
            ("introspection_endpoint", "/introspect"),
            ("userinfo_endpoint", "/userinfo"),
            ("jwks_uri", "/jwks"),
        ] {
            assert_eq!(doc[field], format!("{issuer}{endpoint}"), "{field}");
        }
        assert_eq!(doc["scopes_supported"], serde_json::json!(["openid", "profile", "email", "offline_access", "api"]));
        assert_eq!(doc["response_types_supported"], serde_json::json!(["code"]));
        assert_eq!(doc["code_challenge_methods_supported"], serde_json::json!(["S256"]));
        assert_eq!(doc["id_token_signing_alg_values_supported"], serde_json::json!(["ES256"]));
        assert_eq!(doc["subject_types_supported"], serde_json::json!(["public"]));
        assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
        assert_eq!(
            doc["token_endpoint_auth_methods_supported"],
            serde_json::json!(["none", "client_secret_basic", "client_secret_post"])
        );
        let grants = doc["grant_types_supported"].as_array().unwrap();
        for grant in [
            "authorization_code",
            "refresh_token",
            "client_credentials",
            "urn:ietf:params:oauth:grant-type:device_code",
        ] {
            assert!(grants.iter().any(|g| g == grant), "{grant}");
        }
    }
    let jwks = get(&server, "/jwks").json();
    let key = &jwks["keys"][0];
    assert_eq!(
        (key["kty"].as_str(), key["crv"].as_str(), key["alg"].as_str(), key["use"].as_str()),
        (Some("EC"), Some("P-256"), Some("ES256"), Some("sig"))
    );
    assert_eq!(URL_SAFE_NO_PAD.decode(key["x"].as_str().unwrap()).unwrap().len(), 32);
    assert!(key["kid"].is_string());
}

#[test]
fn the_index_lists_endpoints_and_clients() {
    let server = server(Settings::default());
    let index = get(&server, "/");
    assert_eq!(index.status, 200);
    assert!(index.header("Content-Type").unwrap().starts_with("text/html"));
    for part in [
        "/authorize",
        "/token",
        "/device_authorization",
        "/introspect",
        "/api",
        PUBLIC_CLIENT,
        MACHINE_CLIENT,
        MACHINE_SECRET,
    ] {
        assert!(index.body.contains(part), "{part}");
    }
}

#[test]
fn unknown_paths_wrong_methods_and_bad_requests_are_refused_without_harm() {
    let server = server(Settings::default());
    assert_eq!(get(&server, "/nope").status, 404);
    assert_eq!(get(&server, "//example.com/").status, 400);
    let wrong = get(&server, "/token");
    assert_eq!((wrong.status, wrong.header("Allow")), (405, Some("POST")));
    // Refused on its Content-Length, before the body is read (so none is sent: unread data
    // at close would make the kernel reset the connection and lose the answer).
    let big = raw(&server, b"POST /token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 70000\r\n\r\n");
    assert_eq!(big.status, 400);
    assert!(big.body.contains("64 KiB"), "{}", big.body);
    let json = call(
        &server,
        "POST",
        "/token",
        &[("Content-Type", "application/json")],
        "{\"grant_type\":\"client_credentials\"}",
    );
    assert_eq!((json.status, json.error()), (400, "invalid_request".to_string()));
    // tiny_http drops a connection whose request line is not UTF-8; a 400 would do as well.
    let port = Url::parse(server.issuer()).unwrap().port().unwrap();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut garbage = Vec::new();
    let _ = stream.read_to_end(&mut garbage);
    assert!(garbage.is_empty() || garbage.starts_with(b"HTTP/1.1 400"), "{}", String::from_utf8_lossy(&garbage));
    let two = call(&server, "GET", "/api", &[("Authorization", "Bearer a"), ("Authorization", "Bearer b")], "");
    assert_eq!(two.status, 400);
    // After all that, the server still answers.
    assert_eq!(get(&server, "/").status, 200);
}

#[test]
fn pages_escape_what_they_echo() {
    let server = server(Settings { user: "<b>me</b>".into(), ..Settings::default() });
    let (_, challenge) = pkce();
    let page = get(&server, &authorize_path(&challenge, "openid", &[]));
    assert!(page.body.contains("value=\"&lt;b&gt;me&lt;/b&gt;\"") && !page.body.contains("<b>me"), "{}", page.body);
    let evil = "http://127.0.0.1:1/<script>alert(1)</script>";
    let bad = get(&server, &format!("/authorize?{}", form(&[("client_id", PUBLIC_CLIENT), ("redirect_uri", evil)])));
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("&lt;script&gt;") && !bad.body.contains("<script>"), "{}", bad.body);
    let device = get(&server, "/device?user_code=%3Cscript%3Ex");
    assert_eq!(device.status, 400);
    assert!(device.body.contains("&lt;script&gt;x") && !device.body.contains("<script>"), "{}", device.body);
    assert_eq!(device.header("X-Frame-Options"), Some("DENY"));
}

#[test]
fn dropping_the_server_stops_it() {
    let server = server(Settings::default());
    let port = Url::parse(server.issuer()).unwrap().port().unwrap();
    drop(server);
    // The accept thread closes the socket just after the drop returns.
    let closed = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(20));
        TcpStream::connect(("127.0.0.1", port)).is_err()
    });
    assert!(closed);
}
