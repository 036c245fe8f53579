//! What can be done with tokens: revocation, introspection, UserInfo and the protected API,
//! including every refusal and its `WWW-Authenticate` challenge.

use super::*;
use std::time::Duration;

fn introspect(server: &DemoServer, token: &str, auth: &[(&str, &str)], client_id: Option<&str>) -> Answer {
    let mut pairs = vec![("token", token)];
    pairs.extend(client_id.map(|id| ("client_id", id)));
    post(server, "/introspect", &pairs, auth)
}

fn api(server: &DemoServer, token: &str) -> Answer {
    call(server, "GET", "/api", &[("Authorization", &bearer(token))], "")
}

#[test]
fn revoking_an_access_token_ends_it_and_revoking_a_refresh_token_ends_the_grant() {
    let server = server(auto());
    let tokens = tokens(&server, "openid offline_access", "demo");
    let (access, refresh) = (tokens["access_token"].as_str().unwrap(), tokens["refresh_token"].as_str().unwrap());
    let machine = [("Authorization", basic(MACHINE_CLIENT, MACHINE_SECRET))];
    let machine: Vec<(&str, &str)> = machine.iter().map(|(n, v)| (*n, v.as_str())).collect();

    let not_theirs = post(&server, "/revoke", &[("token", access)], &machine);
    assert_eq!(not_theirs.error(), "unauthorized_client");
    let missing = post(&server, "/revoke", &[("client_id", PUBLIC_CLIENT)], &[]);
    assert_eq!(missing.error(), "invalid_request");
    assert_eq!(post(&server, "/revoke", &[("token", access)], &[]).error(), "invalid_client");

    let revoked = post(
        &server,
        "/revoke",
        &[("token", access), ("token_type_hint", "access_token"), ("client_id", PUBLIC_CLIENT)],
        &[],
    );
    assert_eq!(revoked.status, 200);
    assert_eq!(introspect(&server, access, &machine, None).json(), serde_json::json!({"active": false}));
    let refreshed = refresh_with(&server, refresh);
    assert_eq!(refreshed.status, 200, "revoking an access token leaves the refresh token");
    let refreshed = refreshed.json();
    let (access2, refresh2) =
        (refreshed["access_token"].as_str().unwrap(), refreshed["refresh_token"].as_str().unwrap());

    let unknown = post(&server, "/revoke", &[("token", "never-issued"), ("client_id", PUBLIC_CLIENT)], &[]);
    assert_eq!(unknown.status, 200);
    assert_eq!(post(&server, "/revoke", &[("token", refresh2), ("client_id", PUBLIC_CLIENT)], &[]).status, 200);
    assert_eq!(api(&server, access2).status, 401, "the grant's access tokens went with it");
    let after = refresh_with(&server, refresh2);
    assert_eq!(after.error(), "invalid_grant");
}

#[test]
fn introspection_tells_authorised_clients_about_active_tokens() {
    let server = server(Settings::default());
    let user = tokens(&server, "openid offline_access api", "ann");
    let access = user["access_token"].as_str().unwrap();
    let machine_auth = basic(MACHINE_CLIENT, MACHINE_SECRET);
    let machine = [("Authorization", machine_auth.as_str())];

    let answer = introspect(&server, access, &machine, None);
    assert_eq!((answer.status, answer.header("Cache-Control")), (200, Some("no-store")));
    let body = answer.json();
    assert_eq!(body["active"], true);
    assert_eq!(body["scope"], "openid offline_access api");
    assert_eq!(
        (body["client_id"].as_str(), body["username"].as_str(), body["sub"].as_str()),
        (Some(PUBLIC_CLIENT), Some("ann"), Some("ann"))
    );
    assert_eq!((body["token_type"].as_str(), body["iss"].as_str()), (Some("Bearer"), Some(server.issuer())));
    assert_eq!(body["exp"].as_u64().unwrap() - body["iat"].as_u64().unwrap(), 120);

    let own = introspect(&server, access, &[], Some(PUBLIC_CLIENT)).json();
    assert_eq!(own["active"], true);
    let refresh = introspect(&server, user["refresh_token"].as_str().unwrap(), &machine, None).json();
    assert_eq!((refresh["active"].as_bool(), refresh["username"].as_str()), (Some(true), Some("ann")));

    let machine_token = machine_token(&server);
    assert_eq!(
        introspect(&server, &machine_token, &[], Some(PUBLIC_CLIENT)).json(),
        serde_json::json!({"active": false}),
        "not demo-cli's token"
    );
    let own_machine = introspect(&server, &machine_token, &machine, None).json();
    assert_eq!((own_machine["sub"].as_str(), own_machine.get("username")), (Some(MACHINE_CLIENT), None));
    assert_eq!(introspect(&server, "never-issued", &machine, None).json(), serde_json::json!({"active": false}));
    let anonymous = introspect(&server, access, &[], None);
    assert_eq!(anonymous.error(), "invalid_client");
    let wrong = introspect(&server, access, &[("Authorization", &basic(MACHINE_CLIENT, "guess"))], None);
    assert_eq!(wrong.status, 401);
}

#[test]
fn userinfo_answers_for_openid_tokens_only() {
    let server = server(Settings::default());
    let user = tokens(&server, "openid profile email", "Ann Lee");
    let answer =
        call(&server, "GET", "/userinfo", &[("Authorization", &bearer(user["access_token"].as_str().unwrap()))], "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.json(),
        serde_json::json!({"sub": "Ann Lee", "name": "Ann Lee", "preferred_username": "Ann Lee", "email": "ann.lee@example.com", "email_verified": false})
    );
    let narrow = tokens(&server, "openid", "ann");
    let answer =
        call(&server, "POST", "/userinfo", &[("Authorization", &bearer(narrow["access_token"].as_str().unwrap()))], "");
    assert_eq!(answer.json(), serde_json::json!({"sub": "ann"}));

    let none = get(&server, "/userinfo");
    assert_eq!((none.status, none.header("WWW-Authenticate")), (401, Some("Bearer realm=\"oat-demo\"")));
    let bad = call(&server, "GET", "/userinfo", &[("Authorization", "Bearer nope")], "");
    assert_eq!(bad.status, 401);
    assert!(bad.header("WWW-Authenticate").unwrap().contains("error=\"invalid_token\""));
    let machine = call(&server, "GET", "/userinfo", &[("Authorization", &bearer(&machine_token(&server)))], "");
    assert_eq!(machine.status, 403);
    assert!(machine.header("WWW-Authenticate").unwrap().contains("error=\"insufficient_scope\""));
}

#[test]
fn the_api_takes_the_token_from_the_header_or_the_query() {
    let server = server(Settings::default());
    let user = tokens(&server, "openid api", "ann");
    let access = user["access_token"].as_str().unwrap();
    let answer = api(&server, access);
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["message"], "Hello, ann! This answer came from the oat demo API.");
    assert_eq!(
        (body["sub"].as_str(), body["scope"].as_str(), body["client_id"].as_str()),
        (Some("ann"), Some("openid api"), Some(PUBLIC_CLIENT))
    );
    let lower = call(&server, "GET", "/api", &[("Authorization", &format!("bearer {access}"))], "");
    assert_eq!(lower.status, 200, "the scheme is case-insensitive");
    let query = get(&server, &format!("/api?access_token={access}"));
    assert_eq!(query.status, 200);
    let machine = api(&server, &machine_token(&server)).json();
    assert_eq!(machine["message"], "Hello, demo-machine! This answer came from the oat demo API.");

    let none = get(&server, "/api");
    assert_eq!((none.status, none.header("WWW-Authenticate")), (401, Some("Bearer realm=\"oat-demo\"")));
    let unknown = api(&server, "nope");
    assert_eq!(unknown.status, 401);
    assert_eq!(
        unknown.header("WWW-Authenticate"),
        Some("Bearer realm=\"oat-demo\", error=\"invalid_token\", error_description=\"the access token is unknown\"")
    );
    let both = call(&server, "GET", &format!("/api?access_token={access}"), &[("Authorization", &bearer(access))], "");
    assert_eq!(both.status, 400);
    assert!(both.header("WWW-Authenticate").unwrap().contains("error=\"invalid_request\""));
    let malformed = call(&server, "GET", "/api", &[("Authorization", "Bearer a b")], "");
    assert_eq!(malformed.status, 400);

    post(&server, "/revoke", &[("token", access), ("client_id", PUBLIC_CLIENT)], &[]);
    let revoked = api(&server, access);
    assert!(revoked.header("WWW-Authenticate").unwrap().contains("error_description=\"the access token was revoked\""));
}

#[test]
fn expired_access_tokens_are_refused_everywhere() {
    let server = server(Settings { access_ttl: 1, ..auto() });
    let user = tokens(&server, "openid", "ann");
    assert_eq!(user["expires_in"], 1);
    let access = user["access_token"].as_str().unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    let expired = api(&server, access);
    assert_eq!(expired.status, 401);
    assert!(expired.header("WWW-Authenticate").unwrap().contains("error_description=\"the access token expired\""));
    let auth = basic(MACHINE_CLIENT, MACHINE_SECRET);
    assert_eq!(
        introspect(&server, access, &[("Authorization", &auth)], None).json(),
        serde_json::json!({"active": false})
    );
    let userinfo = call(&server, "GET", "/userinfo", &[("Authorization", &bearer(access))], "");
    assert_eq!(userinfo.status, 401);
}

#[test]
fn large_tokens_are_as_large_as_asked_and_work_like_small_ones() {
    let server = server(Settings { token_bytes: 2250, ..auto() });
    let tokens = tokens(&server, "openid offline_access", "demo");
    for name in ["access_token", "refresh_token", "id_token"] {
        let length = tokens[name].as_str().unwrap().len();
        assert!((3000..3400).contains(&length), "{name} has {length} characters");
    }
    assert_eq!(api(&server, tokens["access_token"].as_str().unwrap()).status, 200);
    let refreshed = refresh_with(&server, tokens["refresh_token"].as_str().unwrap());
    assert_eq!(refreshed.status, 200);
    assert_eq!(refreshed.json()["access_token"].as_str().unwrap().len(), 3000);
}
