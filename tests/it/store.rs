//! The keyring store against a real Secret Service (gnome-keyring-daemon on a private bus),
//! and what happens when no keyring can be reached.

use crate::support::{Env, Keyring, LoggedIn, Provider, run};

#[test]
fn the_keyring_holds_tokens_and_the_client_secret_under_service_oat() {
    let provider = Provider::start();
    let keyring = Keyring::start();
    let mut env = Env::bare();
    keyring.attach(&mut env);
    env.profile_add("conf", &provider, "cli-confidential")
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
    let out = run(env.profile_add("c", &provider, "x").arg("--client-secret-stdin").write_stdin("s"));
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
    let env = Env::logged_in("local", &provider, "cli-public");
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
    let env = Env::logged_in("local", &provider, "cli-public");
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
    let env = LoggedIn::new("local", &provider.issuer, "cli-public").keyring(&keyring).env();
    keyring.lock();
    // `oat token` is served from the memory cache of the access token while it lasts (see
    // the cache test); anything that needs the keyring itself meets the lock.
    let started = std::time::Instant::now();
    let out = run(env.oat().args(["refresh", "local"]));
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("the OS keyring is locked"), "{}", out.stderr);
    assert!(out.stderr.contains("OAT_STORE=file"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(15), "no hang waiting for a prompt");
    assert!(out.stdout.is_empty());
}

/// The kernel keyring entries (id, description) of this user whose description contains `part`.
#[cfg(target_os = "linux")]
pub(crate) fn kernel_keys(part: &str) -> Vec<(i32, String)> {
    std::fs::read_to_string("/proc/keys")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(part))
        .filter_map(|l| {
            let id = i32::from_str_radix(l.split_whitespace().next()?, 16).ok()?;
            Some((id, l.split_whitespace().last()?.to_string()))
        })
        .collect()
}

/// Linux only: the memory cache is the Linux kernel's keyring (src/store/cache.rs).
#[cfg(target_os = "linux")]
#[test]
fn the_access_token_is_cached_in_memory_without_the_refresh_token() {
    let provider = Provider::start();
    let keyring = Keyring::start();
    let env = LoggedIn::new("cached", &provider.issuer, "cli-public").keyring(&keyring).env();
    let stored: serde_json::Value = serde_json::from_str(&keyring.lookup("cached").unwrap()).unwrap();
    let (access, refresh) = (stored["access_token"].as_str().unwrap(), stored["refresh_token"].as_str().unwrap());

    // The login left the access token, and only that, in the kernel's user keyring.
    let tag = env.dir.path().to_string_lossy().to_string();
    let entries: Vec<_> = kernel_keys(":access-token:cached")
        .into_iter()
        .filter(|(id, _)| {
            let payload =
                linux_keyutils::Key::from_id(linux_keyutils::KeySerialId(*id)).read_to_vec().unwrap_or_default();
            String::from_utf8_lossy(&payload).contains(access)
        })
        .collect();
    assert_eq!(entries.len(), 1, "one cache entry for this login ({tag})");
    let payload = linux_keyutils::Key::from_id(linux_keyutils::KeySerialId(entries[0].0)).read_to_vec().unwrap();
    assert!(!String::from_utf8_lossy(&payload).contains(refresh), "the refresh token never goes to the cache");

    // With the Secret Service gone, a valid access token is still handed out from memory...
    drop(keyring);
    let out = run(env.oat().args(["token", "cached"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), access);
    // ...but nothing that needs the store itself works.
    let out = run(env.oat().args(["refresh", "cached"]));
    assert_eq!(out.code, 6, "{}", out.stderr);
}

#[test]
fn logout_drops_the_cached_access_token() {
    let provider = Provider::start();
    let keyring = Keyring::start();
    let env = LoggedIn::new("gone", &provider.issuer, "cli-public").keyring(&keyring).env();
    assert_eq!(run(env.oat().args(["token", "gone"])).code, 0);
    env.oat().args(["logout", "gone"]).assert().success();
    let out = run(env.oat().args(["token", "gone"]));
    assert_eq!(out.code, 3, "no cached token outlives a logout: {}", out.stderr);
}
