//! The grants end to end: authorization code with PKCE (and its errors on both sides of the
//! redirect), refresh rotation and reuse detection, client credentials, and the device flow.

use super::*;

#[test]
fn the_code_flow_checks_pkce_and_refuses_a_reused_code() {
    let server = server(Settings::default());
    let (verifier, challenge) = pkce();
    let page = get(&server, &authorize_path(&challenge, "openid profile email offline_access api", &[]));
    assert_eq!(page.status, 200);
    for part in [
        "<title>Sign in to the oat demo</title>",
        "value=\"demo\"",
        "any password works",
        ">Approve<",
        ">Deny<",
        PUBLIC_CLIENT,
        "offline_access",
    ] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
    let id = request_id(&page.body);
    let pairs = [("request", id.as_str()), ("username", "ann"), ("password", ""), ("decision", "approve")];
    let redirect = post(&server, "/authorize/decision", &pairs, &[]);
    assert_eq!(redirect.status, 303);
    let location = redirect.location();
    assert_eq!(
        format!(
            "{}://{}:{}{}",
            location.scheme(),
            location.host_str().unwrap(),
            location.port().unwrap(),
            location.path()
        ),
        REDIRECT
    );
    assert_eq!(param(&location, "state").as_deref(), Some("st"));
    assert_eq!(param(&location, "iss").as_deref(), Some(server.issuer()));
    let code = param(&location, "code").unwrap();
    // The page's request id is single-use.
    assert_eq!(post(&server, "/authorize/decision", &pairs, &[]).status, 400);

    let (wrong, _) = pkce();
    let refused = exchange(&server, &code, &wrong);
    assert_eq!((refused.status, refused.error()), (400, "invalid_grant".to_string()));
    assert!(refused.json()["error_description"].as_str().unwrap().contains("code_verifier"));
    let mut other_redirect = exchange(&server, &code, &verifier);
    assert_eq!(other_redirect.status, 200, "the wrong verifier did not use the code up");
    let first = other_redirect.json();
    for field in ["access_token", "refresh_token", "id_token"] {
        assert!(first[field].is_string(), "{field}: {first}");
    }
    assert_eq!(URL_SAFE_NO_PAD.decode(first["access_token"].as_str().unwrap()).unwrap().len(), 32);
    assert_eq!((first["token_type"].as_str(), first["expires_in"].as_u64()), (Some("Bearer"), Some(120)));
    assert_eq!(first["scope"], "openid profile email offline_access api");
    assert_eq!(other_redirect.header("Cache-Control"), Some("no-store"));

    other_redirect = exchange(&server, &code, &verifier);
    assert_eq!((other_redirect.status, other_redirect.error()), (400, "invalid_grant".to_string()));
    // The replay revoked what the code had produced.
    let api = call(&server, "GET", "/api", &[("Authorization", &bearer(first["access_token"].as_str().unwrap()))], "");
    assert_eq!(api.status, 401);
    let refresh = refresh_with(&server, first["refresh_token"].as_str().unwrap());
    assert_eq!(refresh.error(), "invalid_grant");
}

#[test]
fn the_code_exchange_checks_redirect_uri_and_client() {
    let server = server(auto());
    let (verifier, challenge) = pkce();
    let redirect = get(&server, &authorize_path(&challenge, "openid", &[]));
    assert_eq!(redirect.status, 302, "auto-approval skips the page");
    let code = param(&redirect.location(), "code").unwrap();
    let pairs = [
        ("grant_type", "authorization_code"),
        ("client_id", PUBLIC_CLIENT),
        ("code", &code),
        ("redirect_uri", "http://127.0.0.1:10/callback"),
        ("code_verifier", &verifier),
    ];
    assert_eq!(post(&server, "/token", &pairs, &[]).error(), "invalid_grant");
    let machine = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", &verifier),
    ];
    let answer = post(&server, "/token", &machine, &[("Authorization", &basic(MACHINE_CLIENT, MACHINE_SECRET))]);
    assert_eq!(answer.error(), "unauthorized_client");
    let missing = post(
        &server,
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC_CLIENT),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
        &[],
    );
    assert_eq!(missing.error(), "invalid_request");
    let ok = exchange(&server, &code, &verifier).json();
    assert!(
        ok["id_token"].is_string() && ok.get("refresh_token").is_none(),
        "no offline_access, no refresh token: {ok}"
    );
}

#[test]
fn id_tokens_verify_against_the_published_key() {
    let server = server(Settings::default());
    let answer = tokens(&server, "openid profile email", "ann");
    let id_token = answer["id_token"].as_str().unwrap();
    let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_str(&get(&server, "/jwks").body).unwrap();
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);
    let jwk = jwks.find(header.kid.as_deref().unwrap()).unwrap();
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.set_audience(&[PUBLIC_CLIENT]);
    validation.set_issuer(&[server.issuer()]);
    let claims = jsonwebtoken::decode::<Value>(id_token, &key, &validation).unwrap().claims;
    assert_eq!((claims["sub"].as_str(), claims["nonce"].as_str()), (Some("ann"), Some("nn")));
    assert_eq!((claims["name"].as_str(), claims["email"].as_str()), (Some("ann"), Some("ann@example.com")));
    let (iat, exp) = (claims["iat"].as_u64().unwrap(), claims["exp"].as_u64().unwrap());
    assert_eq!(exp - iat, 120);
    assert!(claims["auth_time"].as_u64().unwrap() <= iat);
}

#[test]
fn authorization_errors_go_back_to_a_checked_redirect_uri_only() {
    let server = server(Settings::default());
    let (_, challenge) = pkce();
    let unknown = get(&server, &authorize_path(&challenge, "openid", &[]).replace(PUBLIC_CLIENT, "someone"));
    assert_eq!((unknown.status, unknown.header("Location")), (400, None));
    let evil = get(&server, &authorize_path(&challenge, "openid", &[]).replace("127.0.0.1%3A9", "evil.example%3A9"));
    assert_eq!((evil.status, evil.header("Location")), (400, None));
    assert!(evil.body.contains("evil.example"), "{}", evil.body);
    let base = [
        ("client_id", PUBLIC_CLIENT),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("state", "st"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("scope", "openid"),
    ];
    for (name, value, error) in [
        ("response_type", "token", "unsupported_response_type"),
        ("code_challenge_method", "plain", "invalid_request"),
        ("code_challenge", "short", "invalid_request"),
        ("scope", "openid admin", "invalid_scope"),
        ("prompt", "none", "login_required"),
    ] {
        let mut pairs: Vec<(&str, &str)> = base.iter().filter(|(k, _)| *k != name).copied().collect();
        pairs.push((name, value));
        let answer = get(&server, &format!("/authorize?{}", form(&pairs)));
        assert_eq!(answer.status, 302, "{error}: {}", answer.body);
        let location = answer.location();
        assert_eq!(param(&location, "error").as_deref(), Some(error), "{location}");
        assert!(param(&location, "error_description").is_some());
        assert_eq!(param(&location, "state").as_deref(), Some("st"));
        assert_eq!(param(&location, "iss").as_deref(), Some(server.issuer()));
    }
    // A repeated parameter is refused (RFC 6749 §3.1), here the state itself.
    let mut repeated = base.to_vec();
    repeated.push(("state", "again"));
    let answer = get(&server, &format!("/authorize?{}", form(&repeated)));
    assert_eq!(param(&answer.location(), "error").as_deref(), Some("invalid_request"));
    let no_pkce = get(
        &server,
        &format!(
            "/authorize?{}",
            form(&[("client_id", PUBLIC_CLIENT), ("redirect_uri", REDIRECT), ("response_type", "code")])
        ),
    );
    assert_eq!(param(&no_pkce.location(), "error").as_deref(), Some("invalid_request"));
}

#[test]
fn denying_sends_access_denied_with_state_and_iss() {
    let server = server(Settings::default());
    let (_, challenge) = pkce();
    let page = get(&server, &authorize_path(&challenge, "openid", &[]));
    let answer =
        post(&server, "/authorize/decision", &[("request", &request_id(&page.body)), ("decision", "deny")], &[]);
    assert_eq!(answer.status, 303);
    let location = answer.location();
    assert_eq!(param(&location, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&location, "state").as_deref(), Some("st"));
    assert_eq!(param(&location, "iss").as_deref(), Some(server.issuer()));
    assert_eq!(param(&location, "code"), None);
}

#[test]
fn refresh_tokens_rotate_and_a_reused_one_revokes_the_grant() {
    let server = server(auto());
    let first = tokens(&server, "openid offline_access api", "demo");
    let refresh = |token: &str, scope: Option<&str>| {
        let mut pairs = vec![("grant_type", "refresh_token"), ("client_id", PUBLIC_CLIENT), ("refresh_token", token)];
        pairs.extend(scope.map(|s| ("scope", s)));
        post(&server, "/token", &pairs, &[])
    };
    let old = first["refresh_token"].as_str().unwrap();
    let widened = refresh(old, Some("openid offline_access api email"));
    assert_eq!(widened.error(), "invalid_scope");
    let second = refresh(old, Some("openid api")).json();
    let new = second["refresh_token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(second["scope"], "openid api");
    let claims = crate::jwt::decode(second["id_token"].as_str().unwrap()).unwrap().claims;
    assert!(claims.get("nonce").is_none(), "a refreshed ID token has no nonce");

    let reused = refresh(old, None);
    assert_eq!((reused.status, reused.error()), (400, "invalid_grant".to_string()));
    assert!(reused.json()["error_description"].as_str().unwrap().contains("revoked"));
    assert_eq!(refresh(new, None).error(), "invalid_grant", "the whole grant is revoked");
    for access in [&first["access_token"], &second["access_token"]] {
        let api = call(&server, "GET", "/api", &[("Authorization", &bearer(access.as_str().unwrap()))], "");
        assert_eq!(api.status, 401);
    }
    let machine = post(
        &server,
        "/token",
        &[("grant_type", "refresh_token"), ("refresh_token", new)],
        &[("Authorization", &basic(MACHINE_CLIENT, MACHINE_SECRET))],
    );
    assert_eq!(machine.error(), "invalid_grant");
}

#[test]
fn client_credentials_need_the_machine_client_and_its_secret() {
    let server = server(Settings::default());
    let grant = [("grant_type", "client_credentials")];
    let by_basic = post(&server, "/token", &grant, &[("Authorization", &basic(MACHINE_CLIENT, MACHINE_SECRET))]);
    assert_eq!(by_basic.status, 200, "{}", by_basic.body);
    let body = by_basic.json();
    assert_eq!(body["scope"], "api");
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none(), "{body}");
    let by_post = post(
        &server,
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", MACHINE_CLIENT),
            ("client_secret", MACHINE_SECRET),
            ("scope", "api"),
        ],
        &[],
    );
    assert_eq!(by_post.status, 200);

    let wrong = post(&server, "/token", &grant, &[("Authorization", &basic(MACHINE_CLIENT, "guess"))]);
    assert_eq!((wrong.status, wrong.error()), (401, "invalid_client".to_string()));
    assert_eq!(wrong.header("WWW-Authenticate"), Some("Basic realm=\"oat-demo\""));
    let wrong_post = post(
        &server,
        "/token",
        &[("grant_type", "client_credentials"), ("client_id", MACHINE_CLIENT), ("client_secret", "guess")],
        &[],
    );
    assert_eq!((wrong_post.status, wrong_post.error()), (400, "invalid_client".to_string()));
    let no_secret =
        post(&server, "/token", &[("grant_type", "client_credentials"), ("client_id", MACHINE_CLIENT)], &[]);
    assert_eq!(no_secret.error(), "invalid_client");
    let nobody = post(&server, "/token", &grant, &[]);
    assert_eq!((nobody.status, nobody.error()), (400, "invalid_client".to_string()));
    let public = post(&server, "/token", &[("grant_type", "client_credentials"), ("client_id", PUBLIC_CLIENT)], &[]);
    assert_eq!(public.error(), "unauthorized_client");
    let scope = post(
        &server,
        "/token",
        &[("grant_type", "client_credentials"), ("scope", "openid")],
        &[("Authorization", &basic(MACHINE_CLIENT, MACHINE_SECRET))],
    );
    assert_eq!(scope.error(), "invalid_scope");
    let unknown = post(&server, "/token", &[("grant_type", "password"), ("client_id", PUBLIC_CLIENT)], &[]);
    assert_eq!(unknown.error(), "unsupported_grant_type");
}

fn start_device(server: &DemoServer, scope: &str) -> Value {
    let answer = post(server, "/device_authorization", &[("client_id", PUBLIC_CLIENT), ("scope", scope)], &[]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("Cache-Control"), Some("no-store"));
    answer.json()
}

fn poll(server: &DemoServer, device_code: &Value) -> Answer {
    let pairs = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("client_id", PUBLIC_CLIENT),
        ("device_code", device_code.as_str().unwrap()),
    ];
    post(server, "/token", &pairs, &[])
}

#[test]
fn the_device_flow_goes_from_pending_through_slow_down_to_tokens() {
    let server = server(Settings::default());
    let started = start_device(&server, "openid offline_access");
    let user_code = started["user_code"].as_str().unwrap();
    assert!(user_code.len() == 9 && user_code.as_bytes()[4] == b'-', "{user_code}");
    assert_eq!(started["verification_uri"], format!("{}/device", server.issuer()));
    assert_eq!(started["verification_uri_complete"], format!("{}/device?user_code={user_code}", server.issuer()));
    assert_eq!((started["expires_in"].as_u64(), started["interval"].as_u64()), (Some(600), Some(2)));

    assert_eq!(poll(&server, &started["device_code"]).error(), "authorization_pending");
    let fast = poll(&server, &started["device_code"]);
    assert_eq!(fast.error(), "slow_down");
    assert!(fast.json()["error_description"].as_str().unwrap().contains("7 seconds"));

    let entry = get(&server, "/device");
    assert!(entry.body.contains("name=\"user_code\""));
    let confirm = get(&server, &format!("/device?user_code={}", user_code.to_lowercase()));
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains(user_code) && confirm.body.contains(">Approve<"), "{}", confirm.body);
    let approved =
        post(&server, "/device", &[("user_code", user_code), ("username", "bob"), ("decision", "approve")], &[]);
    assert_eq!(approved.status, 200, "{}", approved.body);
    assert_eq!(
        post(&server, "/device", &[("user_code", user_code), ("decision", "approve")], &[]).status,
        400,
        "used once"
    );

    let done = poll(&server, &started["device_code"]);
    assert_eq!(done.status, 200, "{}", done.body);
    let body = done.json();
    assert!(body["refresh_token"].is_string());
    let claims = crate::jwt::decode(body["id_token"].as_str().unwrap()).unwrap().claims;
    assert_eq!(claims["sub"], "bob");
    assert_eq!(poll(&server, &started["device_code"]).error(), "invalid_grant", "a device code is used once");
}

#[test]
fn a_denied_device_code_answers_access_denied() {
    let server = server(Settings { device_interval: 0, ..Settings::default() });
    let started = start_device(&server, "openid");
    let user_code = started["user_code"].as_str().unwrap();
    assert_eq!(poll(&server, &started["device_code"]).error(), "authorization_pending");
    assert_eq!(poll(&server, &started["device_code"]).error(), "authorization_pending", "interval 0: never too fast");
    let denied = post(&server, "/device", &[("user_code", user_code), ("decision", "deny")], &[]);
    assert_eq!(denied.status, 200);
    assert_eq!(poll(&server, &started["device_code"]).error(), "access_denied");
    let machine =
        post(&server, "/device_authorization", &[], &[("Authorization", &basic(MACHINE_CLIENT, MACHINE_SECRET))]);
    assert_eq!(machine.error(), "unauthorized_client");
    assert_eq!(
        post(&server, "/device_authorization", &[("client_id", PUBLIC_CLIENT), ("scope", "root")], &[]).error(),
        "invalid_scope"
    );
}

#[test]
fn auto_approval_approves_device_codes_at_once() {
    let server = server(Settings { user: "carol".into(), ..auto() });
    let started = start_device(&server, "openid");
    let done = poll(&server, &started["device_code"]);
    assert_eq!(done.status, 200, "{}", done.body);
    let claims = crate::jwt::decode(done.json()["id_token"].as_str().unwrap()).unwrap().claims;
    assert_eq!(claims["sub"], "carol");
}
