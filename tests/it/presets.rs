//! What every preset shares: `--list-presets`, the options each takes, and the API base that
//! `oat request NAME /path` resolves a path against (here a `--api-base` of a profile of the
//! real provider, with the test API checking its tokens). Each provider's quirks are tested
//! against a stand-in for it in the presets_* modules.

use crate::support::api::Api;
use crate::support::git_server::Introspection;
use crate::support::{Env, LoggedIn, Provider, run};
use serde_json::Value;

#[test]
fn list_presets_names_every_preset_its_options_and_what_it_handles() {
    let env = Env::new();
    let out = run(env.oat().args(["profile", "add", "--list-presets"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert!(rows[0].starts_with("PRESET") && rows[0].contains("OPTIONS") && rows[0].contains("HANDLES"), "{rows:?}");
    let names = [
        "github",
        "google",
        "microsoft",
        "gitlab",
        "facebook",
        "okta",
        "auth0",
        "keycloak",
        "slack",
        "atlassian",
        "salesforce",
        "dropbox",
        "discord",
        "spotify",
        "twitch",
    ];
    assert_eq!(rows.len(), names.len() + 1, "{}", out.stdout);
    for name in names {
        assert!(rows.iter().any(|r| r.starts_with(&format!("{name} "))), "{name} missing:\n{}", out.stdout);
    }
    let facebook = rows.iter().find(|r| r.starts_with("facebook")).unwrap();
    assert!(facebook.contains("--graph-version") && facebook.contains("fb_exchange_token"), "{facebook}");
    let okta = rows.iter().find(|r| r.starts_with("okta")).unwrap();
    assert!(okta.contains("--domain") && okta.contains("--authorization-server"), "{okta}");

    let out = run(env.oat().args(["--json", "profile", "add", "--list-presets"]));
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), names.len());
    let keycloak = items.iter().find(|i| i["preset"] == "keycloak").unwrap();
    assert_eq!(keycloak["options"], serde_json::json!(["--host HOST", "--realm REALM"]));
    assert!(!env.config_path().exists(), "listing adds nothing");
}

#[test]
fn options_are_checked_against_the_preset_before_anything_is_stored() {
    let env = Env::new();
    let refused = |args: &[&str], says: &str| {
        let out = run(env.oat().args(["profile", "add", "p"]).args(args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert!(!env.config_path().exists(), "{args:?}: nothing stored");
    };
    refused(
        &["--preset", "github", "--realm", "r", "--client-id", "c"],
        "--realm is for the keycloak preset, not github",
    );
    refused(
        &["--preset", "okta", "--graph-version", "v24.0", "--client-id", "c"],
        "--graph-version is for the facebook preset",
    );
    refused(
        &["--preset", "keycloak", "--host", "https://kc.example", "--client-id", "c"],
        "the keycloak preset needs --realm REALM",
    );
    refused(&["--preset", "okta", "--client-id", "c"], "the okta preset needs --domain DOMAIN");
    refused(&["--preset", "facebook", "--graph-version", "24", "--client-id", "c"], "give one such as v");
    refused(&["--preset", "github", "--client-id", "c", "--api-base", "ftp://x"], "--api-base `ftp://x` is not a URL");
    refused(&["--preset", "nope", "--client-id", "c"], "unknown preset `nope`; use one of: github, google");
    // Without a client id, what to register comes first, with the options still to give.
    let out = run(env.oat().args(["profile", "add", "id", "--preset", "okta"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("To use the okta preset, register an app integration"), "{}", out.stderr);
    assert!(out.stderr.contains("oat profile add id --preset okta --domain DOMAIN --client-id ID"), "{}", out.stderr);

    // Given, they fill the endpoints.
    let out = run(env.oat().args([
        "profile",
        "add",
        "kc",
        "--preset",
        "keycloak",
        "--host",
        "https://sso.example.com/",
        "--realm",
        "dev",
        "--client-id",
        "cli",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("issuer = \"https://sso.example.com/realms/dev\""), "{config}");
    assert!(
        config.contains("token_endpoint = \"https://sso.example.com/realms/dev/protocol/openid-connect/token\""),
        "{config}"
    );
    let out = run(env.oat().args(["profile", "add", "o", "--preset", "okta", "--domain", "dev-1.okta.com"]).args([
        "--authorization-server",
        "org",
        "--client-id",
        "cli",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("issuer = \"https://dev-1.okta.com\""), "{config}");
    assert!(config.contains("token_endpoint = \"https://dev-1.okta.com/oauth2/v1/token\""), "{config}");
}

#[test]
fn a_path_goes_to_the_profiles_api_base() {
    let provider = Provider::start();
    let api = Api::start(Introspection::new(&provider));
    let base = format!("{}/v1/", api.url);
    let env = LoggedIn::new("api", &provider.issuer, "cli-public").add_args(&["--api-base", &base]).env();
    let out = run(env.oat().args(["request", "api", "/things?page=2"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((answer["user"].as_str(), answer["path"].as_str()), (Some("alice"), Some("/v1/things")));
    assert_eq!(answer["query"], "page=2");
    let token = env.stored_token("api", "access_token");
    assert_eq!(api.requests()[0].values("authorization"), [format!("Bearer {token}")]);
    let show = run(env.oat().args(["profile", "show", "api"]));
    assert!(show.stdout.contains(&format!("# `oat request api /path` calls {}/v1/path", api.url)), "{}", show.stdout);

    // A path needs a profile, and the profile an API base.
    let out = run(env.oat().args(["request", "/things"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("`/things` is a path: name the profile"), "{}", out.stderr);
    let plain =
        run(env.oat().args(["profile", "add", "plain", "--issuer", &provider.issuer, "--client-id", "cli-public"]));
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let out = run(env.oat().args(["request", "plain", "/things"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("profile `plain` has no API base") && out.stderr.contains("--api-base URL"),
        "{}",
        out.stderr
    );
    assert_eq!(api.requests().len(), 1, "nothing more was sent");
}

#[test]
fn a_value_the_server_gives_at_login_is_needed_before_a_path_can_go_anywhere() {
    let env = Env::new();
    let out = run(env.oat().args(["profile", "add", "sf", "--preset", "salesforce", "--client-id", "key"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::read_to_string(env.config_path()).unwrap().contains("api_base = \"{instance_url}\""));
    let out = run(env.oat().args(["request", "sf", "/services/data"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("run `oat login sf`"), "{}", out.stderr);
}
