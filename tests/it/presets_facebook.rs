//! The facebook preset against a fixture server standing in for Facebook (CI cannot reach it),
//! answering as Facebook documents: the login dialog, a token endpoint whose code exchange
//! gives a two-hour user token and whose `grant_type=fb_exchange_token` gives a long-lived one
//! ("Long-Lived Access Tokens"), no refresh tokens at all, errors as Graph error objects, device
//! login at `/device/login` and `/device/login_status` ("Facebook Login for Devices"), and the
//! Graph API at `/v24.0/me`, which takes the token in the header or as `access_token` in the
//! query.

use crate::support::fixture::{Fixture, Recorded, Reply};
use crate::support::{Env, Output, run, write_private};
use serde_json::{Value, json};

const APP_ID: &str = "1234567890";
const APP_SECRET: &str = "app-secret-5ecf";
const CLIENT_TOKEN: &str = "client-token-c7d";
const SHORT: &str = "EAAshort2h";
const LONG: &str = "EAAlong60d";
const SIXTY_DAYS: u64 = 5_183_944;

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// A Graph API error object, as Facebook answers every error.
fn graph_error(status: u16, message: &str, code: u32, subcode: Option<u32>) -> Reply {
    let mut error = json!({"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AZx1"});
    if let Some(subcode) = subcode {
        error["error_subcode"] = json!(subcode);
    }
    Reply::json(status, json!({ "error": error }))
}

/// Facebook's Graph API: `/me` with the long-lived token in the header or the query.
fn me(r: &Recorded) -> Reply {
    let bearer = r.header("authorization") == Some(&format!("Bearer {LONG}"));
    let query = r.query.iter().any(|(k, v)| k == "access_token" && v == LONG);
    match bearer || query {
        true => Reply::json(200, json!({"id": "10158", "name": "Alice Example"})),
        false => graph_error(400, "Invalid OAuth access token data.", 190, None),
    }
}

/// Facebook's login dialog and token endpoint: the code gives a two-hour token, which
/// `fb_exchange_token` with the app secret turns into a 60-day one; `exchange` answers that.
fn facebook(exchange: fn() -> Reply) -> Fixture {
    Fixture::start(move |r, _| match (r.path.as_str(), r.param("grant_type")) {
        ("/v24.0/dialog/oauth", _) => Reply::approve(r, "fb-code"),
        ("/v24.0/oauth/access_token", Some("authorization_code")) if r.param("code") == Some("fb-code") => {
            Reply::json(200, json!({"access_token": SHORT, "token_type": "bearer", "expires_in": 7200}))
        }
        ("/v24.0/oauth/access_token", Some("fb_exchange_token"))
            if r.param("client_secret") == Some(APP_SECRET) && r.param("fb_exchange_token") == Some(SHORT) =>
        {
            exchange()
        }
        ("/v24.0/oauth/access_token", Some("fb_exchange_token")) => {
            graph_error(400, "Error validating client secret.", 1, None)
        }
        ("/v24.0/oauth/access_token", _) => {
            graph_error(400, "This authorization code has been used.", 100, Some(36009))
        }
        ("/v24.0/me", _) => me(r),
        _ => Reply::not_found(),
    })
}

fn long_lived() -> Reply {
    Reply::json(200, json!({"access_token": LONG, "token_type": "bearer", "expires_in": SIXTY_DAYS}))
}

/// A loopback port nobody listens on. Tests run in parallel, so logins pass `--port` with one
/// instead of the preset's fixed 7891 (only the port changes; host and path stay the preset's).
fn free_port() -> String {
    crate::login::free_port().to_string()
}

/// `oat profile add NAME --preset facebook --host FIXTURE --client-id APP_ID`, plus `args`,
/// with `secret` on stdin when given.
fn add(env: &Env, name: &str, fixture: &Fixture, args: &[&str], secret: Option<&str>) {
    let mut cmd = env.oat();
    cmd.args(["profile", "add", name, "--preset", "facebook", "--host", &fixture.url, "--client-id", APP_ID]);
    cmd.args(args);
    if let Some(secret) = secret {
        cmd.arg("--client-secret-stdin").write_stdin(secret);
    }
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

fn login(env: &Env, name: &str) -> Output {
    let out = run(env.oat().args(["login", name, "--port", &free_port()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out
}

/// Nothing secret in what oat printed.
fn no_secrets(text: &str) {
    for secret in [APP_SECRET, CLIENT_TOKEN, SHORT, "fb-code", "DEV-CODE-9"] {
        assert!(!text.contains(secret), "`{secret}` shown: {text}");
    }
}

/// The stored tokens of `name` as if `issued_ago` seconds had passed since the login, the
/// token ending `expires_in` seconds from now (negative: ended), as a clock cannot be moved.
fn age(env: &Env, name: &str, issued_ago: u64, expires_in: i64) -> u64 {
    let mut entry = env.stored(name).unwrap();
    let expires_at = now().saturating_add_signed(expires_in);
    entry["tokens"]["issued_at"] = json!(now() - issued_ago);
    entry["tokens"]["expires_at"] = json!(expires_at);
    write_private(&env.data_dir().join(format!("{name}.json")), &entry.to_string());
    expires_at
}

/// Whether no tokens are stored for `name` (the file-store entry holds the client secret too).
fn no_tokens(env: &Env, name: &str) -> bool {
    env.stored(name).is_none_or(|entry| entry.get("tokens").is_none())
}

fn utc(unix: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix)).to_string()
}

#[test]
fn facebook_says_what_to_register_and_logs_in_for_a_60_day_token() {
    let fb = facebook(long_lived).expect("/v24.0/dialog/oauth", 1).expect("/v24.0/oauth/access_token", 2);
    let env = Env::new();
    let out = run(env.oat().args(["profile", "add", "fb", "--preset", "facebook", "--host", &fb.url]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    for what in ["https://developers.facebook.com/apps", "http://localhost:7891/callback", "Valid OAuth Redirect URIs"]
    {
        assert!(out.stderr.contains(what), "{what}: {}", out.stderr);
    }
    assert!(out.stderr.contains("--client-id is required"), "{}", out.stderr);
    assert!(!env.config_path().exists(), "nothing was written");

    add(&env, "fb", &fb, &[], Some(APP_SECRET));
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("redirect_uri = \"http://localhost:7891/callback\""), "{config}");
    assert!(config.contains(&format!("token_endpoint = \"{}/v24.0/oauth/access_token\"", fb.url)), "{config}");
    assert!(!config.contains(APP_SECRET), "the secret is in the store, not config.toml");
    // The one login on the preset's fixed redirect port: the fixed redirect URI is what the
    // authorization request names.
    let out = env.login("fb");
    no_secrets(&format!("{}{}", out.stdout, out.stderr));
    assert!(!out.stderr.contains(LONG), "{}", out.stderr);
    let dialog = &fb.requests_to("/v24.0/dialog/oauth")[0];
    assert_eq!(dialog.param("redirect_uri"), Some("http://localhost:7891/callback"));
    assert_eq!(dialog.param("scope"), Some("public_profile,email"), "Facebook separates scopes with commas");

    // The two-hour token is exchanged at once, the app secret in the body, not the URL.
    let calls = fb.requests_to("/v24.0/oauth/access_token");
    let exchange = &calls[1];
    assert_eq!(exchange.method, "POST");
    assert!(exchange.query.is_empty(), "nothing in the URL: {:?}", exchange.query);
    let form = |k: &str| exchange.form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(form("grant_type"), Some("fb_exchange_token"));
    assert_eq!((form("client_id"), form("client_secret")), (Some(APP_ID), Some(APP_SECRET)));
    assert_eq!(form("fb_exchange_token"), Some(SHORT));

    let stored = &env.stored("fb").unwrap()["tokens"];
    assert_eq!(stored["access_token"], LONG);
    assert!(stored.get("refresh_token").is_none(), "Facebook issues none: {stored}");
    let expires_at = stored["expires_at"].as_u64().unwrap();
    assert!(expires_at.abs_diff(now() + SIXTY_DAYS) < 120, "about 60 days: {stored}");

    let out = run(env.oat().args(["token", "fb"]));
    assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (0, "EAAlong60d\n", ""), "no warning yet");
    let status = run(env.oat().args(["status", "fb"]));
    assert!(status.stdout.contains("valid until") && status.stdout.contains("  no  "), "{}", status.stdout);
    assert!(!status.stderr.contains("oat login"), "{}", status.stderr);
}

#[test]
fn facebook_graph_api_calls_carry_the_token_in_the_header_or_the_query() {
    let fb = facebook(long_lived).expect("/v24.0/me", 2);
    let env = Env::new();
    add(&env, "fb", &fb, &[], Some(APP_SECRET));
    // The -v trace shows the exchange, and none of its secrets.
    let out = run(env.oat().args(["-v", "login", "fb", "--port", &free_port()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("fb_exchange_token"), "{}", out.stderr);
    no_secrets(&out.stderr);
    assert!(!out.stderr.contains(LONG), "{}", out.stderr);

    let out = run(env.oat().args(["request", "fb", "/me"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Alice Example"), "{}", out.stdout);
    let header = &fb.requests_to("/v24.0/me")[0];
    assert_eq!(header.header("authorization"), Some("Bearer EAAlong60d"));
    assert!(header.query.is_empty());

    let out = run(env.oat().args(["request", "fb", "/me?fields=id,name", "--token-in", "query"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("10158"), "{}", out.stdout);
    let query = &fb.requests_to("/v24.0/me")[1];
    assert_eq!(query.header("authorization"), None);
    assert_eq!(query.param("fields"), Some("id,name"));
    assert_eq!(query.param("access_token"), Some(LONG));
    assert!(!out.stderr.contains(LONG), "{}", out.stderr);
}

#[test]
fn facebook_tokens_warn_before_their_60_days_end_and_ask_for_a_login_after() {
    let fb = facebook(long_lived);
    let env = Env::new();
    add(&env, "fb", &fb, &[], Some(APP_SECRET));
    login(&env, "fb");

    // 55 days on: five days left, within the last week.
    let day = 24 * 3600;
    let expires_at = age(&env, "fb", 55 * day, 5 * day as i64);
    let warning = format!("ends at {}", utc(expires_at));
    for command in ["token", "header"] {
        let out = run(env.oat().args([command, "fb"]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains(LONG), "still handed out: {}", out.stdout);
        assert!(out.stderr.contains(&warning), "{command}: {}", out.stderr);
        assert!(out.stderr.contains("run `oat login fb` before then"), "{command}: {}", out.stderr);
    }
    let status = run(env.oat().args(["status", "fb"]));
    assert!(status.stderr.contains(&warning) && status.stderr.contains("oat login fb"), "{}", status.stderr);
    let json: Value = serde_json::from_str(&run(env.oat().args(["status", "fb", "--json"])).stdout).unwrap();
    assert_eq!(json[0]["login_needed_by"], expires_at);
    // A week and a day before the end: nothing yet.
    age(&env, "fb", 52 * day, 8 * day as i64);
    let out = run(env.oat().args(["token", "fb"]));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));

    // Asked to renew it, oat says why it cannot.
    let out = run(env.oat().args(["refresh", "fb"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("expires at") && out.stderr.contains("Facebook issues no refresh tokens"),
        "{}",
        out.stderr
    );

    // Ended: only a new login helps, and oat says why.
    let ended = age(&env, "fb", 61 * day, -(day as i64));
    for command in ["token", "header"] {
        let out = run(env.oat().args([command, "fb"]));
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert_eq!(out.stdout, "");
        assert!(out.stderr.contains(&format!("expired at {}", utc(ended))), "{}", out.stderr);
        assert!(out.stderr.contains("Facebook issues no refresh tokens"), "{}", out.stderr);
        assert!(out.stderr.contains("run `oat login fb`"), "{}", out.stderr);
    }
    let out = run(env.oat().args(["request", "fb", "/me"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    // A new login gets another 60 days.
    login(&env, "fb");
    assert_eq!(run(env.oat().args(["token", "fb"])).stdout, "EAAlong60d\n");
}

#[test]
fn facebook_without_the_app_secret_keeps_the_two_hour_token_and_says_how_to_fix_it() {
    let fb = facebook(long_lived).expect("/v24.0/oauth/access_token", 1);
    let env = Env::new();
    add(&env, "fb", &fb, &[], None);
    let out = login(&env, "fb");
    assert!(out.stderr.contains("lives about 2 hours"), "{}", out.stderr);
    assert!(out.stderr.contains("--client-secret-stdin"), "{}", out.stderr);
    let stored = &env.stored("fb").unwrap()["tokens"];
    assert_eq!(stored["access_token"], SHORT);
    assert!(stored["expires_at"].as_u64().unwrap().abs_diff(now() + 7200) < 120, "{stored}");
    // Its last half hour warns, as the last week of a 60-day one does.
    let expires_at = age(&env, "fb", 6000, 1200);
    let out = run(env.oat().args(["token", "fb"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains(&format!("ends at {}", utc(expires_at))), "{}", out.stderr);
}

#[test]
fn facebook_graph_errors_say_what_went_wrong_and_store_nothing() {
    // The code exchange refused, as Facebook words it.
    let used = Fixture::start(|r, _| match r.path.as_str() {
        "/v24.0/dialog/oauth" => Reply::approve(r, "fb-code"),
        "/v24.0/oauth/access_token" => graph_error(400, "This authorization code has been used.", 100, Some(36009)),
        _ => Reply::not_found(),
    });
    let env = Env::new();
    add(&env, "fb", &used, &[], Some(APP_SECRET));
    let out = run(env.oat().args(["login", "fb", "--port", &free_port()]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "OAuthException: This authorization code has been used. (code 100, subcode 36009, fbtrace_id AZx1)"
        ),
        "{}",
        out.stderr
    );
    assert!(no_tokens(&env, "fb"));

    // A wrong app secret: the exchange is refused, and the login stores nothing.
    let fb = facebook(long_lived);
    let env = Env::new();
    add(&env, "fb", &fb, &[], Some("not-the-app-secret"));
    let out = run(env.oat().args(["login", "fb", "--port", &free_port()]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("fb_exchange_token) was refused; check the App Secret"), "{}", out.stderr);
    assert!(out.stderr.contains("OAuthException: Error validating client secret. (code 1"), "{}", out.stderr);
    assert!(!out.stderr.contains("not-the-app-secret"), "{}", out.stderr);
    assert!(no_tokens(&env, "fb"));

    // A token the Graph API refuses: the answer is shown as it came, with its status.
    let env2 = Env::new();
    add(&env2, "fb", &fb, &[], Some(APP_SECRET));
    login(&env2, "fb");
    let mut entry = env2.stored("fb").unwrap();
    entry["tokens"]["access_token"] = json!("EAArevoked");
    write_private(&env2.data_dir().join("fb.json"), &entry.to_string());
    let out = run(env2.oat().args(["request", "fb", "/me"]));
    assert_ne!(out.code, 0);
    assert!(out.stdout.contains("\"code\":190") || out.stdout.contains("\"code\": 190"), "{}", out.stdout);
}

/// Facebook Login for Devices: `/device/login` and `/device/login_status`, authenticated with
/// `access_token=APP_ID|CLIENT_TOKEN`; pending, slow-down and expiry are Graph errors told
/// apart by their subcode.
fn facebook_devices(expire: bool) -> Fixture {
    Fixture::start(move |r, before| {
        let app_token = format!("{APP_ID}|{CLIENT_TOKEN}");
        if r.param("access_token") != Some(&app_token) {
            return graph_error(400, "Invalid OAuth access token.", 190, None);
        }
        let polls = before.iter().filter(|b| b.path == "/v24.0/device/login_status").count();
        match r.path.as_str() {
            "/v24.0/device/login" => Reply::json(
                200,
                json!({"code": "DEV-CODE-9", "user_code": "A1B2C3", "verification_uri": "https://www.facebook.com/device",
                       "expires_in": 420, "interval": 1}),
            ),
            "/v24.0/device/login_status" if r.param("code") != Some("DEV-CODE-9") => {
                graph_error(400, "Invalid code.", 100, None)
            }
            "/v24.0/device/login_status" if expire => graph_error(400, "The session has expired", 463, Some(1_349_152)),
            "/v24.0/device/login_status" if polls == 0 => {
                graph_error(400, "This request requires the user to take a pending action", 31, Some(1_349_174))
            }
            "/v24.0/device/login_status" if polls == 1 => {
                graph_error(400, "User request limit reached", 17, Some(1_349_172))
            }
            "/v24.0/device/login_status" => {
                Reply::json(200, json!({"access_token": "EAAdevice", "expires_in": SIXTY_DAYS}))
            }
            _ => Reply::not_found(),
        }
    })
}

#[test]
fn facebook_device_login_speaks_its_own_dialect() {
    let fb = facebook_devices(false).expect("/v24.0/device/login", 1).expect("/v24.0/device/login_status", 3);
    let env = Env::new();
    add(&env, "tv", &fb, &["--flow", "device_code"], Some(CLIENT_TOKEN));
    let out = run(env.oat().args(["login", "tv"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("open https://www.facebook.com/device on any device"), "{}", out.stderr);
    assert!(out.stderr.contains("A1B2C3"), "{}", out.stderr);
    assert!(out.stderr.contains("poll less often"), "slowed down: {}", out.stderr);
    no_secrets(&format!("{}{}", out.stdout, out.stderr));
    let start = &fb.requests_to("/v24.0/device/login")[0];
    assert_eq!(start.param("scope"), Some("public_profile,email"));
    assert!(start.query.is_empty(), "the client token goes in the body");
    assert_eq!(fb.requests_to("/v24.0/device/login_status")[2].param("code"), Some("DEV-CODE-9"));
    let stored = &env.stored("tv").unwrap()["tokens"];
    assert_eq!(stored["access_token"], "EAAdevice");
    assert!(stored["expires_at"].as_u64().unwrap().abs_diff(now() + SIXTY_DAYS) < 120, "{stored}");

    // A code that expired before anyone approved it.
    let expired = facebook_devices(true);
    add(&env, "tv2", &expired, &["--flow", "device_code"], Some(CLIENT_TOKEN));
    let out = run(env.oat().args(["login", "tv2"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("the device code expired"), "{}", out.stderr);
    assert!(no_tokens(&env, "tv2"));

    // Without the Client Token nothing is sent.
    let none = Fixture::start(|_, _| Reply::not_found()).expect("/v24.0/device/login", 0);
    add(&env, "tv3", &none, &["--flow", "device_code"], None);
    let out = run(env.oat().args(["login", "tv3"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("Client Token"), "{}", out.stderr);
    assert!(out.stderr.contains("--client-secret-stdin"), "{}", out.stderr);
}

#[test]
fn without_the_preset_facebook_tokens_last_two_hours_and_device_login_fails() {
    // The same Facebook stand-in, as a plain OAuth profile would meet it.
    let fb = facebook(long_lived);
    let env = Env::new();
    let url = |path: &str| format!("{}/v24.0{path}", fb.url);
    let mut add = env.oat();
    add.args(["profile", "add", "plain", "--client-id", APP_ID, "--client-secret-stdin"])
        .args(["--auth-url", &url("/dialog/oauth"), "--token-url", &url("/oauth/access_token")])
        .args(["--device-url", &url("/device/login"), "--scope", "public_profile"])
        .write_stdin(APP_SECRET);
    assert_eq!(run(&mut add).code, 0);
    login(&env, "plain");
    assert!(
        !fb.requests_to("/v24.0/oauth/access_token").iter().any(|r| r.param("grant_type") == Some("fb_exchange_token")),
        "no exchange without the preset"
    );
    let stored = &env.stored("plain").unwrap()["tokens"];
    assert_eq!(stored["access_token"], SHORT, "the two-hour token");
    assert!(stored["expires_at"].as_u64().unwrap().abs_diff(now() + 7200) < 120, "{stored}");
    // Two hours on, the generic answer: no word of why there is no refresh token.
    age(&env, "plain", 7300, -100);
    let out = run(env.oat().args(["token", "plain"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("there is no refresh token"), "{}", out.stderr);
    assert!(!out.stderr.contains("Facebook"), "{}", out.stderr);

    // RFC 8628 spoken to Facebook's device login: no `device_code`, and no client token sent.
    let devices = facebook_devices(false).expect("/v24.0/device/login", 1);
    let mut add = env.oat();
    add.args(["profile", "add", "tv", "--client-id", APP_ID, "--flow", "device_code", "--client-secret-stdin"])
        .args(["--token-url", &format!("{}/v24.0/oauth/access_token", devices.url)])
        .args(["--device-url", &format!("{}/v24.0/device/login", devices.url)])
        .write_stdin(CLIENT_TOKEN);
    assert_eq!(run(&mut add).code, 0);
    let out = run(env.oat().args(["login", "tv"]));
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("Invalid OAuth access token"), "{}", out.stderr);
}

/// Linux only: the memory cache in front of the keyring is the kernel's keyring. `oat token`
/// served from it knows whether a refresh token is stored without reading the keyring, so the
/// warning needs neither the Secret Service nor the network.
#[cfg(target_os = "linux")]
#[test]
fn facebook_warnings_come_from_the_memory_cache_alone() {
    use linux_keyutils::{Key, KeySerialId};
    let fb = facebook(long_lived);
    let keyring = crate::support::Keyring::start();
    let mut env = Env::new();
    keyring.attach(&mut env);
    add(&env, "fbk", &fb, &[], Some(APP_SECRET));
    login(&env, "fbk");
    let entry = crate::store::kernel_keys(":access-token:fbk")
        .into_iter()
        .map(|(id, _)| Key::from_id(KeySerialId(id)))
        .find(|key| String::from_utf8_lossy(&key.read_to_vec().unwrap_or_default()).contains(LONG))
        .expect("the login cached the access token");
    let cached: Value = serde_json::from_slice(&entry.read_to_vec().unwrap()).unwrap();
    assert_eq!(cached["refresh"], false, "the cache knows no refresh token is stored: {cached}");

    // The Secret Service gone, the cache says the token is in its last week.
    drop(keyring);
    let day = 24 * 3600;
    let expires_at = now() + 5 * day;
    let aged = json!({"access_token": LONG, "token_type": "bearer", "issued_at": now() - 55 * day,
                      "expires_at": expires_at, "refresh": false});
    entry.update(&aged.to_string()).unwrap();
    let out = run(env.oat().args(["token", "fbk"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "EAAlong60d\n");
    assert!(out.stderr.contains(&format!("ends at {}", utc(expires_at))), "{}", out.stderr);
    // An entry cached by an older oat, without the flag, is taken as renewable: no warning.
    let old = json!({"access_token": LONG, "token_type": "bearer", "issued_at": now() - 55 * day,
                     "expires_at": expires_at});
    entry.update(&old.to_string()).unwrap();
    let out = run(env.oat().args(["token", "fbk"]));
    assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (0, "EAAlong60d\n", ""));
    entry.invalidate().unwrap();
}
