//! Provider presets and their documented quirks. GitHub, Google and Microsoft cannot be reached
//! from CI, so each quirk is played by a fixture server that answers exactly as the provider
//! documents it (see `support::fixture`).

use crate::support::fixture::{Fixture, Reply};
use crate::support::{Env, run};
use serde_json::json;

/// `oat profile add gh --preset github --host GITHUB --client-id ID`, GitHub being a fixture,
/// to add arguments to and run.
fn github_profile(env: &Env, github: &Fixture, client_id: &str) -> assert_cmd::Command {
    let mut cmd = env.oat();
    cmd.args(["profile", "add", "gh", "--preset", "github", "--host", &github.url, "--client-id", client_id]);
    cmd
}

#[test]
fn github_form_encoded_answers_and_tokens_without_expiry() {
    // GitHub's token endpoint answers form-encoded (unless it honours Accept: application/json).
    let github = Fixture::start(|r, _| match r.path.as_str() {
        "/login/oauth/authorize" => Reply::approve(r, "gh-code"),
        "/login/oauth/access_token" => Reply::form(
            200,
            "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cread%3Aorg&token_type=bearer",
        ),
        _ => Reply::not_found(),
    });
    let env = Env::new();
    github_profile(&env, &github, "Iv1.abc")
        .args(["--client-secret-stdin", "--scope", "repo", "--scope", "read:org"])
        .write_stdin("gh-secret")
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains(&format!("token_endpoint = \"{}/login/oauth/access_token\"", github.url)), "{config}");
    assert!(config.contains("client_auth = \"client_secret_post\""), "{config}");
    assert!(config.contains("preset = \"github\""), "{config}");
    env.login("gh");

    let exchange = &github.requests_to("/login/oauth/access_token")[0];
    assert_eq!(exchange.header("accept"), Some("application/json"));
    assert_eq!(exchange.param("client_secret"), Some("gh-secret"));
    assert_eq!(exchange.param("code"), Some("gh-code"));
    let out = run(env.oat().args(["token", "gh"]));
    assert_eq!(out.stdout, "gho_16C7e42F292c6912E7710c838347Ae178B4a\n");
    let status = run(env.oat().args(["status", "gh"]));
    assert!(
        status.stdout.contains("valid (no expiry given)") && status.stdout.contains("  no  "),
        "an OAuth App token: {}",
        status.stdout
    );
    assert!(status.stdout.contains("repo,read:org"), "{}", status.stdout);
}

#[test]
fn github_errors_come_with_http_200() {
    let github = Fixture::start(|r, _| match r.path.as_str() {
        "/login/oauth/authorize" => Reply::approve(r, "stale"),
        "/login/oauth/access_token" => Reply::form(
            200,
            "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com%2Fapps%2Foauth",
        ),
        _ => Reply::not_found(),
    })
    .expect("/login/oauth/access_token", 1);
    let env = Env::new();
    github_profile(&env, &github, "Iv1.abc").arg("--client-secret-stdin").write_stdin("gh-secret").assert().success();
    let out = run(env.oat().args(["login", "gh"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "bad_verification_code: The code passed is incorrect or expired. (see https://docs.github.com/apps/oauth)"
        ),
        "{}",
        out.stderr
    );
    assert!(env.stored("gh").unwrap().get("tokens").is_none());
}

#[test]
fn github_device_flow_disabled_says_how_to_enable_it() {
    let github = Fixture::start(|r, _| match r.path.as_str() {
        "/login/device/code" => Reply::json(
            400,
            json!({"error": "device_flow_disabled", "error_description": "Device Flow must be explicitly enabled for this App", "error_uri": "https://docs.github.com"}),
        ),
        _ => Reply::not_found(),
    })
    .expect("/login/device/code", 1);
    let env = Env::new();
    github_profile(&env, &github, "Iv1.abc").args(["--flow", "device_code"]).assert().success();
    let out = run(env.oat().args(["login", "gh"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("requesting a device code for `gh`"), "{}", out.stderr);
    assert!(out.stderr.contains("device_flow_disabled"), "{}", out.stderr);
    assert!(out.stderr.contains("Enable Device Flow"), "{}", out.stderr);
}

#[test]
fn github_app_tokens_expire_and_rotate_their_refresh_token() {
    let github = Fixture::start(|r, before| match r.path.as_str() {
        "/login/oauth/authorize" => Reply::approve(r, "code"),
        "/login/oauth/access_token" => {
            let n = before.iter().filter(|b| b.path == r.path).count();
            Reply::json(
                200,
                json!({"access_token": format!("ghu_{n}"), "expires_in": 28800, "refresh_token": format!("ghr_{n}"),
                       "refresh_token_expires_in": 15897600, "scope": "", "token_type": "bearer"}),
            )
        }
        _ => Reply::not_found(),
    })
    // The code exchange and two refreshes.
    .expect("/login/oauth/access_token", 3);
    let env = Env::new();
    github_profile(&env, &github, "Iv1.app").arg("--client-secret-stdin").write_stdin("s").assert().success();
    env.login("gh");
    let status = run(env.oat().args(["status", "gh", "--json"]));
    let row = &serde_json::from_str::<serde_json::Value>(&status.stdout).unwrap()[0];
    // Eight hours, less the second or two the test took.
    assert!(row["expires_in"].as_i64().is_some_and(|s| (28_700..=28_800).contains(&s)), "{row}");
    assert_eq!(row["refresh_token"], true, "a GitHub App token: {row}");
    env.oat().args(["refresh", "gh"]).assert().success();
    let refresh = &github.requests_to("/login/oauth/access_token")[1];
    assert_eq!(refresh.param("refresh_token"), Some("ghr_0"));
    assert_eq!(env.stored("gh").unwrap()["tokens"]["refresh_token"], "ghr_1", "the rotated refresh token is kept");
    env.oat().args(["refresh", "gh"]).assert().success();
    assert_eq!(github.requests_to("/login/oauth/access_token")[2].param("refresh_token"), Some("ghr_1"));
}

#[test]
fn google_asks_for_offline_access_and_reads_verification_url() {
    let google = Fixture::start(|r, before| match r.path.as_str() {
        "/auth" => Reply::approve(r, "g-code"),
        "/device/code" => Reply::json(
            200,
            json!({"device_code": "dc", "user_code": "GQVQ-JKEC", "verification_url": "https://www.google.com/device", "expires_in": 1800, "interval": 1}),
        ),
        "/token"
            if r.param("grant_type") == Some("urn:ietf:params:oauth:grant-type:device_code")
                && !before.iter().any(|b| b.param("device_code").is_some()) =>
        {
            Reply::json(428, json!({"error": "authorization_pending", "error_description": "Precondition Required"}))
        }
        "/token" => Reply::json(
            200,
            json!({"access_token": "ya29.a0", "expires_in": 3599, "refresh_token": "1//0g", "scope": "openid email", "token_type": "Bearer"}),
        ),
        _ => Reply::not_found(),
    })
    // The code exchange, then two device polls: pending (as Google says it, with 428), issued.
    .expect("/token", 3);
    let env = Env::new();
    let url = |path: &str| format!("{}{path}", google.url);
    env.oat()
        .args([
            "profile",
            "add",
            "g",
            "--preset",
            "google",
            "--client-id",
            "1234-abc.apps.googleusercontent.com",
            "--client-secret-stdin",
        ])
        .args(["--auth-url", &url("/auth"), "--token-url", &url("/token"), "--device-url", &url("/device/code")])
        .write_stdin("GOCSPX-secret")
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("issuer = \"https://accounts.google.com\""), "{config}");
    assert!(config.contains("revocation_endpoint = \"https://oauth2.googleapis.com/revoke\""), "{config}");
    env.login("g");
    let authorize = &google.requests_to("/auth")[0];
    assert_eq!(authorize.param("access_type"), Some("offline"));
    assert_eq!(authorize.param("prompt"), Some("consent"));
    assert_eq!(authorize.param("scope"), Some("openid email profile"));
    assert_eq!(env.stored("g").unwrap()["tokens"]["refresh_token"], "1//0g");

    let out = run(env.oat().args(["login", "g", "--flow", "device_code"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("open https://www.google.com/device on any device"), "{}", out.stderr);
    assert!(out.stderr.contains("GQVQ-JKEC"), "{}", out.stderr);
    assert_eq!(google.requests_to("/device/code")[0].param("client_id"), Some("1234-abc.apps.googleusercontent.com"));
}

/// A Microsoft token endpoint for an app whose redirect is registered as `spa` or not: Entra
/// refuses a token request with the wrong presence of an `Origin` header.
fn entra(spa: bool) -> Fixture {
    Fixture::start(move |r, _| match r.path.as_str() {
        "/tenant-1/oauth2/v2.0/authorize" => Reply::approve(r, "ms-code"),
        "/tenant-1/oauth2/v2.0/token" => match (spa, r.header("origin").is_some()) {
            (true, false) => Reply::json(
                400,
                json!({"error": "invalid_request", "error_description": "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests."}),
            ),
            (false, true) => Reply::json(
                400,
                json!({"error": "invalid_request", "error_description": "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type."}),
            ),
            // Refresh answers may omit the refresh token.
            _ if r.param("grant_type") == Some("refresh_token") => Reply::json(
                200,
                json!({"access_token": "eyJ.refreshed", "expires_in": 3600, "token_type": "Bearer", "scope": "openid profile offline_access"}),
            ),
            _ => Reply::json(
                200,
                json!({"access_token": "eyJ.first", "expires_in": 3600, "refresh_token": "M.R3_BAY", "token_type": "Bearer"}),
            ),
        },
        _ => Reply::not_found(),
    })
}

fn add_microsoft(env: &Env, fixture: &Fixture, spa: bool) {
    let mut cmd = env.oat();
    cmd.args(["profile", "add", "ms", "--preset", "microsoft", "--tenant", "tenant-1", "--client-id", "00000000-aaaa"]);
    cmd.args(["--auth-url", &format!("{}/tenant-1/oauth2/v2.0/authorize", fixture.url)]);
    cmd.args(["--token-url", &format!("{}/tenant-1/oauth2/v2.0/token", fixture.url)]);
    if spa {
        cmd.arg("--spa");
    }
    cmd.assert().success();
}

#[test]
fn microsoft_spa_registrations_get_an_origin_header_and_others_do_not() {
    for spa in [true, false] {
        let fixture = entra(spa);
        let env = Env::new();
        add_microsoft(&env, &fixture, spa);
        env.login("ms");
        let out = run(env.oat().args(["refresh", "ms"]));
        assert_eq!(out.code, 0, "spa={spa}: {}", out.stderr);
        let tokens = fixture.requests_to("/tenant-1/oauth2/v2.0/token");
        assert_eq!(tokens.len(), 2);
        for t in &tokens {
            assert_eq!(t.header("origin").is_some(), spa, "spa={spa}");
        }
        let stored = env.stored("ms").unwrap();
        assert_eq!(stored["tokens"]["access_token"], "eyJ.refreshed");
        assert_eq!(
            stored["tokens"]["refresh_token"], "M.R3_BAY",
            "a refresh answer without a refresh token keeps the old one"
        );
    }
}

#[test]
fn microsoft_presets_pin_the_issuer_only_for_a_single_tenant() {
    let env = Env::new();
    env.oat().args(["profile", "add", "common", "--preset", "microsoft", "--client-id", "x"]).assert().success();
    env.oat()
        .args([
            "profile",
            "add",
            "one",
            "--preset",
            "microsoft",
            "--tenant",
            "contoso.onmicrosoft.com",
            "--client-id",
            "x",
        ])
        .assert()
        .success();
    let config: toml::Value = toml::from_str(&std::fs::read_to_string(env.config_path()).unwrap()).unwrap();
    let common = &config["profiles"]["common"];
    assert!(common.get("issuer").is_none(), "{common}");
    assert_eq!(common["token_endpoint"].as_str(), Some("https://login.microsoftonline.com/common/oauth2/v2.0/token"));
    assert_eq!(common["redirect_uri"].as_str(), Some("http://localhost"));
    assert!(common["scopes"].as_array().unwrap().iter().any(|s| s.as_str() == Some("offline_access")));
    assert_eq!(
        config["profiles"]["one"]["issuer"].as_str(),
        Some("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0")
    );
}

#[test]
fn a_preset_without_a_client_id_says_what_to_register() {
    let env = Env::new();
    let out = run(env.oat().args(["profile", "add", "lab", "--preset", "gitlab", "--host", "gitlab.example.com"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("https://gitlab.example.com/-/user_settings/applications"), "{}", out.stderr);
    assert!(out.stderr.contains("http://127.0.0.1:7890/callback exactly"), "{}", out.stderr);
    assert!(out.stderr.contains("--client-id is required"), "{}", out.stderr);
    assert!(!env.config_path().exists(), "nothing was written");

    env.oat().args(["profile", "add", "lab", "--preset", "gitlab", "--client-id", "app-id"]).assert().success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("redirect_uri = \"http://127.0.0.1:7890/callback\""), "{config}");
    assert!(config.contains("token_endpoint = \"https://gitlab.com/oauth/token\""), "{config}");

    for (preset, what) in
        [("github", "Enable Device Flow"), ("google", "Desktop app"), ("microsoft", "Mobile and desktop applications")]
    {
        let out = run(env.oat().args(["profile", "add", "x", "--preset", preset]));
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains(what), "{preset}: {}", out.stderr);
    }
    let out = run(env.oat().args([
        "profile",
        "add",
        "x",
        "--preset",
        "github",
        "--client-id",
        "a",
        "--flow",
        "client_credentials",
    ]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("the github preset supports --flow authorization_code, device_code"), "{}", out.stderr);
    let out = run(env.oat().args(["profile", "add", "x", "--preset", "bitbucket", "--client-id", "a"]));
    assert!(
        out.stderr.contains("unknown preset `bitbucket`; use one of: github, google, microsoft, gitlab"),
        "{}",
        out.stderr
    );
}
