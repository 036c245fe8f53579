//! The keyring store against a real Secret Service (gnome-keyring-daemon on a private bus),
//! and what happens when no keyring can be reached.

use crate::support::{Env, Keyring, Provider, run};

#[test]
fn the_keyring_holds_tokens_and_the_client_secret_under_service_oat() {
    let provider = Provider::start();
    let keyring = Keyring::start();
    let mut env = Env::bare();
    keyring.attach(&mut env);
    env.oat()
        .args(["profile", "add", "conf", "--issuer", &provider.issuer, "--client-id", "cli-confidential"])
        .args(["--scope", "openid", "--scope", "offline_access", "--client-secret-stdin"])
        .write_stdin("cli-confidential-secret")
        .assert()
        .success();
    assert_eq!(keyring.lookup("conf#client-secret").as_deref(), Some("cli-confidential-secret"));

    env.login("conf");
    assert_eq!(provider.grants("authorization_code")[0]["basic_auth"], true);
    let entry: serde_json::Value =
        serde_json::from_str(&keyring.lookup("conf").expect("tokens in the keyring")).unwrap();
    let access = entry["access_token"].as_str().unwrap();
    assert!(entry["refresh_token"].as_str().is_some());
    assert!(!env.data_dir().join("conf.json").exists(), "nothing in the file store");

    let out = run(env.oat().args(["token", "conf"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), access);

    let out = run(env.oat().args(["refresh", "conf"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let refreshed: serde_json::Value = serde_json::from_str(&keyring.lookup("conf").unwrap()).unwrap();
    assert_ne!(refreshed["access_token"], entry["access_token"]);
    assert_ne!(refreshed["refresh_token"], entry["refresh_token"], "the rotated refresh token is stored");

    let out = run(env.oat().args(["logout", "conf"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(keyring.lookup("conf").is_none());
    assert!(keyring.lookup("conf#client-secret").is_some(), "logout keeps the client secret");
    env.oat().args(["profile", "remove", "conf"]).assert().success();
    assert!(keyring.lookup("conf#client-secret").is_none(), "profile remove deletes the secret");
}

#[test]
fn an_unreachable_keyring_exits_6_naming_the_file_store_before_any_browser_opens() {
    let provider = Provider::start();
    let env = Env::bare(); // its session bus address points at nothing
    // Adding a profile without a secret needs no store.
    env.add_profile("local", &provider, "cli-public");
    let out = run(env.oat().args(["login", "local"]));
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("OS keyring is unreachable"), "{}", out.stderr);
    assert!(out.stderr.contains("OAT_STORE=file"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    assert!(env.browser_log().is_empty(), "no browser was opened");
    assert!(provider.requests().is_empty());

    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 6, "{}", out.stderr);
    let out = run(env
        .oat()
        .args(["profile", "add", "c", "--issuer", &provider.issuer, "--client-id", "x", "--client-secret-stdin"])
        .write_stdin("s"));
    assert_eq!(out.code, 6, "{}", out.stderr);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(!config.contains("[profiles.c]"), "a profile whose secret could not be stored is not added");
}

#[test]
fn the_store_can_be_chosen_in_config() {
    let provider = Provider::start();
    let mut env = Env::bare();
    env.add_profile("local", &provider, "cli-public");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(env.config_path(), format!("store = \"file\"\n{config}")).unwrap();
    env.login("local");
    assert!(env.stored("local").is_some());
    env.set("OAT_STORE", "keyring");
    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 6, "OAT_STORE wins over config: {}", out.stderr);
}

#[test]
fn a_world_readable_token_file_is_refused_with_the_fix() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    env.login("local");
    use std::os::unix::fs::PermissionsExt;
    let file = env.data_dir().join("local.json");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains(&format!("chmod 600 {}", file.display())), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_corrupt_entry_is_reported_with_its_location() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    env.login("local");
    let file = env.data_dir().join("local.json");
    std::fs::write(&file, "{\"tokens\": {").unwrap();
    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains(&file.display().to_string()), "{}", out.stderr);
    assert!(out.stderr.contains("run `oat login local`"), "{}", out.stderr);
    let status = run(env.oat().arg("status"));
    assert_eq!(status.code, 0, "status still shows the profiles: {}", status.stderr);
    assert!(status.stdout.contains("unreadable"), "{}", status.stdout);
}

#[test]
fn a_locked_keyring_exits_6_at_once_naming_the_file_store() {
    let provider = Provider::start();
    let keyring = Keyring::start();
    let mut env = Env::bare();
    keyring.attach(&mut env);
    env.add_profile("local", &provider, "cli-public");
    env.login("local");
    keyring.lock();
    let started = std::time::Instant::now();
    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("the OS keyring is locked"), "{}", out.stderr);
    assert!(out.stderr.contains("OAT_STORE=file"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(15), "no hang waiting for a prompt");
    assert!(out.stdout.is_empty());
}
