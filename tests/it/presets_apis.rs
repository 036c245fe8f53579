//! The dropbox, discord, spotify and twitch presets, driven as a new user would: the "what to
//! register" text, then login, token, refresh and `oat request NAME /path` against the API
//! base. None of these providers can be reached from CI, so each is played by a fixture server
//! (`support::fixture`) that answers as the provider documents; and each quirk is shown to be
//! what breaks a plain profile (`--auth-url`/`--token-url` at the same fixture), so the tests
//! show the preset is what makes it work.

use crate::support::fixture::{Fixture, Recorded, Reply};
use crate::support::{Env, Output, run};
use serde_json::json;

/// A free loopback port. A preset's fixed redirect port would clash between tests running in
/// parallel, so the logins pass `--port` (which keeps the preset's host and path).
fn free_port() -> String {
    #[allow(clippy::disallowed_types)]
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port().to_string()
}

/// `oat profile add NAME --preset P` without a client id: exit 2, the registration steps
/// (which name each of `steps`), nothing written.
fn says_what_to_register(env: &Env, name: &str, preset: &str, steps: &[&str]) {
    let out = run(env.oat().args(["profile", "add", name, "--preset", preset]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains(&format!("To use the {preset} preset, register")), "{}", out.stderr);
    assert!(out.stderr.contains("--client-id is required"), "{}", out.stderr);
    for step in steps {
        assert!(out.stderr.contains(step), "names {step}: {}", out.stderr);
    }
    assert!(!env.config_path().exists(), "nothing was written");
}

/// `oat profile add NAME --preset P --host FIXTURE --client-id ID [--client-secret-stdin] EXTRA…`.
fn add_preset(env: &Env, name: &str, preset: &str, fixture: &Fixture, client_id: &str, secret: Option<&str>) {
    add_preset_with(env, name, preset, fixture, client_id, secret, &[]);
}

fn add_preset_with(
    env: &Env,
    name: &str,
    preset: &str,
    fixture: &Fixture,
    client_id: &str,
    secret: Option<&str>,
    extra: &[&str],
) {
    let mut cmd = env.oat();
    cmd.args(["profile", "add", name, "--preset", preset, "--host", &fixture.url, "--client-id", client_id]);
    cmd.args(extra);
    if let Some(secret) = secret {
        cmd.arg("--client-secret-stdin").write_stdin(secret);
    }
    cmd.assert().success();
}

/// A plain profile at the same fixture, made without the preset.
fn add_plain(env: &Env, name: &str, fixture: &Fixture, auth: &str, token: &str, extra: &[&str]) {
    let url = |path: &str| format!("{}{path}", fixture.url);
    env.oat()
        .args(["profile", "add", name, "--client-id", "plain-id", "--client-secret-stdin"])
        .args(["--auth-url", &url(auth), "--token-url", &url(token)])
        .args(extra)
        .write_stdin("plain-secret")
        .assert()
        .success();
}

fn login(env: &Env, name: &str, port: Option<&str>) -> Output {
    let mut cmd = env.oat();
    cmd.args(["login", name]);
    if let Some(port) = port {
        cmd.args(["--port", port]);
    }
    run(&mut cmd)
}

fn ok(out: Output) -> Output {
    assert_eq!(out.code, 0, "{}", out.stderr);
    out
}

/// The bearer token of a request, if it has one.
fn bearer(r: &Recorded) -> Option<&str> {
    r.header("authorization").and_then(|h| h.strip_prefix("Bearer "))
}

/// The `client_id:client_secret` of a Basic `Authorization` header.
fn basic(r: &Recorded) -> Option<String> {
    use base64::Engine as _;
    let encoded = r.header("authorization")?.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    String::from_utf8(decoded).ok()
}

/// Stands in for Dropbox as its OAuth guide documents it: access tokens are short-lived only
/// (`expires_in` 14400); a refresh token comes only when the authorization request asked for
/// `token_access_type=offline`; a refresh answer has no new refresh token. The API's RPC
/// endpoints are POSTs with a JSON body or none, and refuse any other `Content-Type`.
fn dropbox() -> Fixture {
    Fixture::start(|r, before| match r.path.as_str() {
        "/oauth2/authorize" => Reply::approve(r, "db-code"),
        "/oauth2/token" if r.param("grant_type") == Some("refresh_token") => {
            Reply::json(200, json!({"access_token": "sl.second", "token_type": "bearer", "expires_in": 14400}))
        }
        "/oauth2/token" => {
            let offline = before
                .iter()
                .rev()
                .find(|b| b.path == "/oauth2/authorize")
                .is_some_and(|a| a.param("token_access_type") == Some("offline"));
            let mut answer = json!({"access_token": "sl.first", "token_type": "bearer", "expires_in": 14400,
                                    "scope": "account_info.read", "uid": "12345", "account_id": "dbid:AAH4f99"});
            if offline {
                answer["refresh_token"] = json!("db-refresh");
            }
            Reply::json(200, answer)
        }
        "/2/users/get_current_account" => match (r.method.as_str(), r.header("content-type")) {
            (_, _) if bearer(r).is_none() => Reply::json(401, json!({"error_summary": "missing_token/"})),
            ("POST", None | Some("application/json")) => Reply::json(
                200,
                json!({"account_id": "dbid:AAH4f99", "email": "franz@example.com", "name": {"display_name": "Franz"}}),
            ),
            ("POST", Some(other)) => Reply::new(
                400,
                "text/plain",
                format!(
                    "Error in call to API function \"users/get_current_account\": Bad HTTP \"Content-Type\" header: \"{other}\"."
                ),
            ),
            _ => Reply::new(405, "text/plain", "Method not allowed"),
        },
        _ => Reply::not_found(),
    })
}

#[test]
fn dropbox_asks_for_offline_access_refreshes_and_calls_the_rpc_api() {
    let dropbox = dropbox();
    let env = Env::new();
    says_what_to_register(
        &env,
        "db",
        "dropbox",
        &["https://www.dropbox.com/developers/apps", "http://localhost:7892/callback", "account_info.read"],
    );

    add_preset(&env, "db", "dropbox", &dropbox, "db-app-key", Some("db-app-secret"));
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("redirect_uri = \"http://localhost:7892/callback\""), "{config}");
    assert!(config.contains(&format!("token_endpoint = \"{}/oauth2/token\"", dropbox.url)), "{config}");
    assert!(config.contains(&format!("api_base = \"{}/2\"", dropbox.url)), "{config}");
    let port = free_port();
    ok(login(&env, "db", Some(&port)));
    let authorize = &dropbox.requests_to("/oauth2/authorize")[0];
    assert_eq!(authorize.param("token_access_type"), Some("offline"));
    assert_eq!(authorize.param("redirect_uri"), Some(format!("http://localhost:{port}/callback").as_str()));
    assert_eq!(authorize.param("scope"), Some("account_info.read"));
    assert_eq!(ok(run(env.oat().args(["token", "db"]))).stdout, "sl.first\n");
    let status = ok(run(env.oat().args(["status", "db", "--json"])));
    let row = &serde_json::from_str::<serde_json::Value>(&status.stdout).unwrap()[0];
    assert!(row["expires_in"].as_i64().is_some_and(|s| (14_300..=14_400).contains(&s)), "four hours: {row}");
    assert_eq!(row["refresh_token"], true, "{row}");

    ok(run(env.oat().args(["refresh", "db"])));
    let refresh = &dropbox.requests_to("/oauth2/token")[1];
    assert_eq!(refresh.param("refresh_token"), Some("db-refresh"));
    assert_eq!(env.stored_token("db", "refresh_token"), "db-refresh", "kept: the refresh answer has none");
    assert_eq!(ok(run(env.oat().args(["token", "db"]))).stdout, "sl.second\n");

    // The API base is https://api.dropboxapi.com/2; with --host every Dropbox host is the stand-in.
    let call = ok(run(env.oat().args(["request", "db", "-X", "POST", "/users/get_current_account"])));
    assert!(call.stdout.contains("franz@example.com"), "{}", call.stdout);
    let api = &dropbox.requests_to("/2/users/get_current_account")[0];
    assert_eq!(bearer(api), Some("sl.second"));
}

#[test]
fn dropbox_without_the_preset_gives_no_refresh_token() {
    let dropbox = dropbox();
    let env = Env::new();
    add_plain(&env, "plain", &dropbox, "/oauth2/authorize", "/oauth2/token", &["--scope", "account_info.read"]);
    ok(login(&env, "plain", None));
    assert_eq!(dropbox.requests_to("/oauth2/authorize")[0].param("token_access_type"), None);
    assert!(env.stored("plain").unwrap()["tokens"].get("refresh_token").is_none_or(|t| t.is_null()));
    // Four hours later the only way on is a new login.
    let out = run(env.oat().args(["refresh", "plain"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("oat login plain"), "{}", out.stderr);
    assert_eq!(dropbox.requests_to("/oauth2/token").len(), 1, "no refresh was possible");
}

/// Stands in for Discord as its OAuth2 docs describe it: form bodies only, the client
/// credentials in Basic or the body, space-separated scopes, RFC 7009 revocation at
/// /api/oauth2/token/revoke (client authenticated), the API under /api/v10.
fn discord() -> Fixture {
    Fixture::start(|r, before| {
        let form = r.header("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        let client = basic(r).or_else(|| Some(format!("{}:{}", r.param("client_id")?, r.param("client_secret")?)));
        let authenticated = client.as_deref() == Some("1234567890:dc-secret");
        match r.path.as_str() {
            "/oauth2/authorize" => Reply::approve(r, "dc-code"),
            "/api/oauth2/token" | "/api/oauth2/token/revoke" if !form => {
                Reply::json(400, json!({"error": "invalid_request", "error_description": "form body expected"}))
            }
            "/api/oauth2/token" | "/api/oauth2/token/revoke" if !authenticated => {
                Reply::json(401, json!({"error": "invalid_client"}))
            }
            "/api/oauth2/token" => {
                let n = before.iter().filter(|b| b.path == r.path).count();
                Reply::json(
                    200,
                    json!({"access_token": format!("dc-access-{n}"), "token_type": "Bearer", "expires_in": 604800,
                           "refresh_token": format!("dc-refresh-{n}"), "scope": "identify email"}),
                )
            }
            "/api/oauth2/token/revoke" => Reply::new(200, "application/json", "{}"),
            "/api/v10/users/@me" if bearer(r).is_some() => {
                Reply::json(200, json!({"id": "80351110224678912", "username": "nelly", "email": "nelly@example.com"}))
            }
            "/api/v10/users/@me" => Reply::json(401, json!({"message": "401: Unauthorized", "code": 0})),
            _ => Reply::not_found(),
        }
    })
}

#[test]
fn discord_space_separated_scopes_basic_auth_refresh_api_and_revoking_logout() {
    let discord = discord();
    let env = Env::new();
    says_what_to_register(
        &env,
        "dc",
        "discord",
        &["https://discord.com/developers/applications", "http://localhost:7893/callback"],
    );

    env.oat()
        .args(["profile", "add", "dc", "--preset", "discord", "--host", &discord.url, "--client-id", "1234567890"])
        .args(["--scope", "identify", "--scope", "email", "--client-secret-stdin"])
        .write_stdin("dc-secret")
        .assert()
        .success();
    ok(login(&env, "dc", Some(&free_port())));
    assert_eq!(discord.requests_to("/oauth2/authorize")[0].param("scope"), Some("identify email"));
    let exchange = &discord.requests_to("/api/oauth2/token")[0];
    assert_eq!(basic(exchange).as_deref(), Some("1234567890:dc-secret"), "Basic client authentication");
    assert_eq!(exchange.param("client_secret"), None);
    assert_eq!(ok(run(env.oat().args(["token", "dc"]))).stdout, "dc-access-0\n");

    ok(run(env.oat().args(["refresh", "dc"])));
    assert_eq!(discord.requests_to("/api/oauth2/token")[1].param("refresh_token"), Some("dc-refresh-0"));
    assert_eq!(env.stored_token("dc", "refresh_token"), "dc-refresh-1");

    let call = ok(run(env.oat().args(["request", "dc", "/users/@me"])));
    assert!(call.stdout.contains("\"username\":\"nelly\""), "{}", call.stdout);
    assert_eq!(bearer(&discord.requests_to("/api/v10/users/@me")[0]), Some("dc-access-1"));

    ok(run(env.oat().args(["logout", "dc"])));
    let revoked: Vec<String> = discord
        .requests_to("/api/oauth2/token/revoke")
        .iter()
        .filter_map(|r| r.param("token").map(str::to_string))
        .collect();
    assert!(revoked.iter().any(|t| t.starts_with("dc-")), "logout revokes at Discord: {revoked:?}");
    assert!(env.stored("dc").is_none_or(|e| e.get("tokens").is_none_or(|t| t.is_null())), "and forgets");

    // Client credentials: the app owner's token, the secret in Basic again.
    let app = Env::new();
    add_preset_with(
        &app,
        "app",
        "discord",
        &discord,
        "1234567890",
        Some("dc-secret"),
        &["--flow", "client_credentials"],
    );
    assert!(ok(run(app.oat().args(["token", "app"]))).stdout.starts_with("dc-access-"));
    let grant = discord.requests_to("/api/oauth2/token").pop().unwrap();
    assert_eq!(grant.param("grant_type"), Some("client_credentials"));
    assert_eq!(basic(&grant).as_deref(), Some("1234567890:dc-secret"));
}

#[test]
fn discord_without_the_preset_logs_out_without_revoking() {
    let discord = discord();
    let env = Env::new();
    env.oat()
        .args(["profile", "add", "plain", "--client-id", "1234567890", "--client-secret-stdin", "--scope", "identify"])
        .args(["--auth-url", &format!("{}/oauth2/authorize", discord.url)])
        .args(["--token-url", &format!("{}/api/oauth2/token", discord.url)])
        .write_stdin("dc-secret")
        .assert()
        .success();
    ok(login(&env, "plain", None));
    ok(run(env.oat().args(["logout", "plain"])));
    // Discord's revocation endpoint is in no metadata: without the preset the tokens are only
    // forgotten here and stay valid at Discord.
    assert!(discord.requests_to("/api/oauth2/token/revoke").is_empty());
    let out = run(env.oat().args(["request", "plain", "/users/@me"]));
    assert_eq!(out.code, 2, "no API base without the preset: {}", out.stderr);
}

/// Stands in for Spotify as its Web API docs describe it: the client secret only in a Basic
/// header (the docs give no other way; a secret in the body is refused) or PKCE without one;
/// localhost redirects refused, loopback IP literals with any port accepted; refresh answers
/// without a refresh token.
fn spotify() -> Fixture {
    Fixture::start(|r, before| match r.path.as_str() {
        "/authorize" if r.param("redirect_uri").is_some_and(|u| u.starts_with("http://localhost")) => {
            Reply::new(400, "text/html", "<p>INVALID_CLIENT: Insecure redirect URI</p>")
        }
        "/authorize" => Reply::approve(r, "sp-code"),
        "/api/token" if r.param("client_secret").is_some() || basic(r).is_some_and(|b| b != "sp-id:sp-secret") => {
            Reply::json(400, json!({"error": "invalid_client", "error_description": "Invalid client"}))
        }
        "/api/token"
            if basic(r).is_none() && r.param("code_verifier").is_none() && r.param("refresh_token").is_none() =>
        {
            Reply::json(400, json!({"error": "invalid_client", "error_description": "Invalid client"}))
        }
        "/api/token" if r.param("grant_type") == Some("refresh_token") => Reply::json(
            200,
            json!({"access_token": "BQ-second", "token_type": "Bearer", "expires_in": 3600, "scope": "user-read-private user-read-email"}),
        ),
        "/api/token" => {
            let n = before.iter().filter(|b| b.path == r.path).count();
            Reply::json(
                200,
                json!({"access_token": format!("BQ-first-{n}"), "token_type": "Bearer", "expires_in": 3600,
                       "refresh_token": "AQ-refresh", "scope": "user-read-private user-read-email"}),
            )
        }
        "/v1/me" if bearer(r).is_some() => {
            Reply::json(200, json!({"id": "wizzler", "display_name": "Wizzler", "product": "premium"}))
        }
        "/v1/me" => Reply::json(401, json!({"error": {"status": 401, "message": "No token provided"}})),
        _ => Reply::not_found(),
    })
}

#[test]
fn spotify_basic_auth_loopback_ip_redirect_refresh_keeps_the_refresh_token() {
    let spotify = spotify();
    let env = Env::new();
    says_what_to_register(
        &env,
        "sp",
        "spotify",
        &["https://developer.spotify.com/dashboard", "http://127.0.0.1/callback", "refuses localhost"],
    );

    add_preset(&env, "sp", "spotify", &spotify, "sp-id", Some("sp-secret"));
    // No fixed port: Spotify matches a loopback IP registered without one on any port.
    ok(login(&env, "sp", None));
    let redirect = spotify.requests_to("/authorize")[0].param("redirect_uri").unwrap().to_string();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"), "{redirect}");
    assert_eq!(basic(&spotify.requests_to("/api/token")[0]).as_deref(), Some("sp-id:sp-secret"));
    assert_eq!(ok(run(env.oat().args(["token", "sp"]))).stdout, "BQ-first-0\n");
    ok(run(env.oat().args(["refresh", "sp"])));
    assert_eq!(ok(run(env.oat().args(["token", "sp"]))).stdout, "BQ-second\n");
    assert_eq!(env.stored_token("sp", "refresh_token"), "AQ-refresh", "kept: the refresh answer has none");
    let call = ok(run(env.oat().args(["request", "sp", "/me"])));
    assert!(call.stdout.contains("\"id\":\"wizzler\""), "{}", call.stdout);
    assert_eq!(bearer(&spotify.requests_to("/v1/me")[0]), Some("BQ-second"));

    // A public client: PKCE, no secret, the client id in the body.
    let public = Env::new();
    add_preset(&public, "sp", "spotify", &spotify, "sp-public", None);
    ok(login(&public, "sp", None));
    let exchange = spotify.requests_to("/api/token").pop().unwrap();
    assert_eq!((exchange.param("client_id"), basic(&exchange)), (Some("sp-public"), None));
    assert!(exchange.param("code_verifier").is_some());
}

#[test]
fn spotify_without_the_preset_secret_in_the_body_is_refused() {
    let spotify = spotify();
    let env = Env::new();
    // A client that sends its secret in the body, as RFC 6749 §2.3.1 allows and many do.
    add_plain(&env, "plain", &spotify, "/authorize", "/api/token", &["--client-auth", "client_secret_post"]);
    let out = login(&env, "plain", None);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_client: Invalid client"), "{}", out.stderr);
    assert!(env.stored("plain").is_none_or(|e| e.get("tokens").is_none()));
}

/// Stands in for Twitch as its authentication docs describe it: client id and secret in the
/// body (a Basic header is not read); `scope` answered as a JSON array; errors as
/// `{"status": 400, "message": ...}`; the device flow (public clients) takes `scopes` and wants
/// them again with every poll (pending until the second here); app tokens from client
/// credentials; every Helix call needs a `Client-Id` header matching the token's client.
fn twitch() -> Fixture {
    Fixture::start(|r, before| {
        let id = r.param("client_id");
        match r.path.as_str() {
            "/oauth2/authorize" => Reply::approve(r, "tw-code"),
            "/oauth2/device" if id.is_none() => {
                Reply::json(400, json!({"status": 400, "message": "missing client id"}))
            }
            "/oauth2/device" if r.param("scopes").is_none() => {
                Reply::json(400, json!({"status": 400, "message": "missing scopes"}))
            }
            "/oauth2/device" => Reply::json(
                200,
                // Twitch says 5 seconds; 1 keeps the test short.
                json!({"device_code": "tw-device", "expires_in": 1800, "interval": 1, "user_code": "ABCDEFGH",
                       "verification_uri": "https://www.twitch.tv/activate?public=true&device-code=ABCDEFGH"}),
            ),
            "/oauth2/token" if id.is_none() => Reply::json(400, json!({"status": 400, "message": "missing client id"})),
            "/oauth2/token" if r.param("device_code").is_some() => {
                if r.param("scopes") != Some("user:read:email") {
                    return Reply::json(400, json!({"status": 400, "message": "missing scopes"}));
                }
                if !before.iter().any(|b| b.param("device_code").is_some()) {
                    return Reply::json(400, json!({"status": 400, "message": "authorization_pending"}));
                }
                Reply::json(
                    200,
                    json!({"access_token": "tw-device-access", "expires_in": 14124, "refresh_token": "tw-device-refresh",
                           "scope": ["user:read:email"], "token_type": "bearer"}),
                )
            }
            "/oauth2/token" if r.param("client_secret") != Some("tw-secret") => {
                Reply::json(403, json!({"status": 403, "message": "invalid client secret"}))
            }
            "/oauth2/token" if r.param("grant_type") == Some("client_credentials") => {
                Reply::json(200, json!({"access_token": "tw-app", "expires_in": 5011271, "token_type": "bearer"}))
            }
            "/oauth2/token" if r.param("refresh_token") == Some("tw-refresh") => Reply::json(
                200,
                json!({"access_token": "tw-access-2", "refresh_token": "tw-refresh-2", "scope": ["user:read:email"], "token_type": "bearer"}),
            ),
            "/oauth2/token" if r.param("refresh_token").is_some() => {
                Reply::json(400, json!({"error": "Bad Request", "status": 400, "message": "Invalid refresh token"}))
            }
            "/oauth2/token" => Reply::json(
                200,
                json!({"access_token": "tw-access", "expires_in": 14124, "refresh_token": "tw-refresh",
                       "scope": ["user:read:email", "chat:read"], "token_type": "bearer"}),
            ),
            "/oauth2/revoke" if id.is_some() && r.param("token").is_some() => Reply::new(200, "text/plain", ""),
            "/oauth2/revoke" => Reply::json(400, json!({"status": 400, "message": "missing client id"})),
            "/helix/users" if bearer(r).is_none() => {
                Reply::json(401, json!({"error": "Unauthorized", "status": 401, "message": "OAuth token is missing"}))
            }
            "/helix/users" if r.header("client-id") != Some("tw-client") => Reply::json(
                401,
                json!({"error": "Unauthorized", "status": 401, "message": "Client ID and OAuth token do not match"}),
            ),
            "/helix/users" => Reply::json(200, json!({"data": [{"id": "141981764", "login": "twitchdev"}]})),
            _ => Reply::not_found(),
        }
    })
}

#[test]
fn twitch_body_auth_scope_arrays_client_id_header_and_its_errors() {
    let twitch = twitch();
    let env = Env::new();
    says_what_to_register(
        &env,
        "tw",
        "twitch",
        &["https://dev.twitch.tv/console/apps", "http://localhost:7895/callback"],
    );

    add_preset(&env, "tw", "twitch", &twitch, "tw-client", Some("tw-secret"));
    ok(login(&env, "tw", Some(&free_port())));
    let exchange = &twitch.requests_to("/oauth2/token")[0];
    assert_eq!((exchange.param("client_id"), exchange.param("client_secret")), (Some("tw-client"), Some("tw-secret")));
    assert_eq!(basic(exchange), None);
    assert_eq!(ok(run(env.oat().args(["token", "tw"]))).stdout, "tw-access\n");
    let status = ok(run(env.oat().args(["status", "tw"])));
    assert!(status.stdout.contains("user:read:email chat:read"), "the scope array: {}", status.stdout);

    ok(run(env.oat().args(["refresh", "tw"])));
    assert_eq!(env.stored_token("tw", "refresh_token"), "tw-refresh-2");
    let call = ok(run(env.oat().args(["request", "tw", "/users"])));
    assert!(call.stdout.contains("twitchdev"), "{}", call.stdout);
    let helix = &twitch.requests_to("/helix/users")[0];
    assert_eq!((helix.header("client-id"), bearer(helix)), (Some("tw-client"), Some("tw-access-2")));

    // A refused refresh token, told as {"status", "message"}, asks for a new login.
    let out = run(env.oat().args(["refresh", "tw"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("Invalid refresh token"), "{}", out.stderr);
    assert!(out.stderr.contains("oat login tw"), "{}", out.stderr);
    ok(run(env.oat().args(["logout", "tw"])));
    let revoked = twitch.requests_to("/oauth2/revoke");
    assert!(revoked.iter().any(|r| r.param("token") == Some("tw-access-2")), "logout revokes at Twitch");
    assert!(revoked.iter().all(|r| r.param("client_id") == Some("tw-client")));

    // App access tokens: client credentials, the secret in the body again.
    let app = Env::new();
    add_preset_with(&app, "app", "twitch", &twitch, "tw-client", Some("tw-secret"), &["--flow", "client_credentials"]);
    assert_eq!(ok(run(app.oat().args(["token", "app"]))).stdout, "tw-app\n");
    ok(run(app.oat().args(["request", "app", "/users?login=twitchdev"])));
    assert_eq!(twitch.requests_to("/helix/users").last().unwrap().header("client-id"), Some("tw-client"));
}

#[test]
fn twitch_device_flow_sends_scopes_and_reads_its_pending_message() {
    let twitch = twitch();
    let env = Env::new();
    // A public client: no secret.
    add_preset_with(&env, "tw", "twitch", &twitch, "tw-client", None, &["--flow", "device_code"]);
    let out = ok(login(&env, "tw", None));
    assert!(out.stderr.contains("ABCDEFGH"), "{}", out.stderr);
    let device = &twitch.requests_to("/oauth2/device")[0];
    assert_eq!((device.param("client_id"), device.param("scopes")), (Some("tw-client"), Some("user:read:email")));
    assert_eq!(device.param("scope"), None);
    let polls = twitch.requests_to("/oauth2/token");
    assert_eq!(polls.len(), 2, "pending, then issued");
    for poll in &polls {
        assert_eq!(poll.param("client_id"), Some("tw-client"));
        assert_eq!(poll.param("device_code"), Some("tw-device"));
    }
    assert_eq!(ok(run(env.oat().args(["token", "tw"]))).stdout, "tw-device-access\n");
}

#[test]
fn twitch_without_the_preset_is_refused_by_the_token_endpoint_and_the_api() {
    let twitch = twitch();
    let env = Env::new();
    // Basic, the default with a secret: Twitch reads no Authorization header.
    add_plain(&env, "plain", &twitch, "/oauth2/authorize", "/oauth2/token", &[]);
    let out = login(&env, "plain", None);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("HTTP 400: missing client id"), "{}", out.stderr);

    // With the secret in the body the login works, but Helix refuses every call without Client-Id.
    let env = Env::new();
    env.oat()
        .args(["profile", "add", "plain", "--client-id", "tw-client", "--client-secret-stdin"])
        .args(["--auth-url", &format!("{}/oauth2/authorize", twitch.url)])
        .args(["--token-url", &format!("{}/oauth2/token", twitch.url)])
        .args(["--client-auth", "client_secret_post", "--api-base", &format!("{}/helix", twitch.url)])
        .write_stdin("tw-secret")
        .assert()
        .success();
    ok(login(&env, "plain", None));
    let out = run(env.oat().args(["request", "plain", "/users"]));
    assert_eq!(out.code, 22, "{}", out.stderr);
    assert!(out.stdout.contains("Client ID and OAuth token do not match"), "{}", out.stdout);
    assert!(twitch.requests_to("/helix/users").iter().all(|r| r.header("client-id").is_none()));
}
