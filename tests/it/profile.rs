//! `oat profile …` and `oat discover`: configuration, discovery and bad input.

use crate::support::{Env, Provider, run, write_private};

#[test]
fn profiles_are_added_listed_shown_and_removed() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("[profiles.local]"), "{config}");
    assert!(config.contains(&format!("token_endpoint = \"{}/token\"", provider.issuer)), "{config}");
    assert!(config.contains(&format!("revocation_endpoint = \"{}/token/revocation\"", provider.issuer)), "{config}");

    let out = run(env.oat().args(["profile", "list"]));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.lines().nth(1).is_some_and(|l| l.starts_with("local") && l.contains("cli-public")),
        "{}",
        out.stdout
    );
    let out = run(env.oat().args(["profile", "list", "--json"]));
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(list[0]["name"], "local");

    let out = run(env.oat().args(["profile", "show", "local"]));
    assert!(out.stdout.contains("client_id = \"cli-public\""), "{}", out.stdout);

    env.login("local");
    assert!(env.stored("local").is_some());
    let out = run(env.oat().args(["profile", "remove", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(env.stored("local").is_none(), "the stored tokens go with the profile");
    assert!(!std::fs::read_to_string(env.config_path()).unwrap().contains("[profiles.local]"));
}

#[test]
fn replacing_a_profile_drops_tokens_another_server_or_client_issued() {
    let provider = Provider::start();
    let env = Env::logged_in("local", &provider, "cli-public");
    let add = |client: &str, scope: &str| {
        run(env.profile_add("local", &provider, client).args(["--force", "--scope", scope]))
    };
    // Same server and client, other scopes: the tokens stay (a new login asks for the new scopes).
    let out = add("cli-public", "openid");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("Dropped"), "{}", out.stderr);
    assert!(env.stored("local").is_some_and(|e| e.get("tokens").is_some()));
    // Another client: they go, and the user is told.
    let out = add("cli-confidential", "openid");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Dropped the tokens stored for `local`"), "{}", out.stderr);
    assert!(env.stored("local").is_none_or(|e| e.get("tokens").is_none()), "{:?}", env.stored("local"));
    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    // Another server, same client id: they go too.
    let other = Provider::start();
    env.add_profile("moved", &provider, "cli-public");
    env.login("moved");
    let out = run(env.profile_add("moved", &other, "cli-public").arg("--force"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Dropped the tokens stored for `moved`"), "{}", out.stderr);
}

#[test]
fn explicit_endpoints_work_without_discovery() {
    let provider = Provider::start();
    let env = Env::new();
    env.oat()
        .args(["profile", "add", "manual", "--client-id", "cli-public", "--scope", "openid"])
        .args(["--auth-url", &format!("{}/auth", provider.issuer)])
        .args(["--token-url", &format!("{}/token", provider.issuer)])
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(!config.contains("issuer"), "{config}");
    env.login("manual");
    assert!(env.stored("manual").is_some());
    assert!(!provider.log().contains("openid-configuration"), "no discovery request");
}

#[test]
fn discover_prints_the_metadata_document() {
    let provider = Provider::start();
    let env = Env::new();
    let out = run(env.oat().args(["discover", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["issuer"], provider.issuer.as_str());
    assert_eq!(doc["token_endpoint"], format!("{}/token", provider.issuer));
    assert!(out.stderr.contains("/.well-known/openid-configuration"), "{}", out.stderr);
}

#[test]
fn bad_input_exits_2_with_one_line_and_changes_nothing() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    let before = std::fs::read(env.config_path()).unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["profile", "add", "a/b", "--issuer", &provider.issuer, "--client-id", "x"], "invalid profile name `a/b`"),
        (
            vec!["profile", "add", "local", "--issuer", &provider.issuer, "--client-id", "x"],
            "already exists; pass --force",
        ),
        (vec!["profile", "add", "web", "--issuer", "http://example.com", "--client-id", "x"], "plain http"),
        (vec!["profile", "add", "x", "--client-id", "x"], "needs a token endpoint"),
        (
            vec![
                "profile",
                "add",
                "x",
                "--issuer",
                &provider.issuer,
                "--client-id",
                "x",
                "--redirect-uri",
                "http://example.com/cb",
            ],
            "must be a loopback http URL",
        ),
        (vec!["token", "nope"], "no profile named `nope` (known: local)"),
        (vec!["login", "nope"], "no profile named `nope`"),
        (vec!["token", "local", "--format", "xml"], "invalid value 'xml'"),
        (vec!["login", "local", "--timeout", "soon"], "invalid value 'soon'"),
    ];
    for (args, expected) in cases {
        let out = run(env.oat().args(&args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
        if !expected.starts_with("invalid value") {
            assert_eq!(out.stderr.lines().count(), 1, "{args:?}: one line: {}", out.stderr);
        }
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(std::fs::read(env.config_path()).unwrap(), before, "{args:?} changed config.toml");
    }
}

#[test]
fn a_broken_config_names_the_file_and_line() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(env.config_path(), "[profiles.x]\nclient_id = \"a\"\nscopes = \"openid\"\n").unwrap();
    let out = run(env.oat().args(["token", "x"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.starts_with(&format!("error: {}:3:", env.config_path().display())), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn a_mistake_in_one_profile_does_not_stop_the_others() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    let config = "[profiles.good]\nclient_id = \"a\"\ntoken_endpoint = \"http://127.0.0.1:9/token\"\n\
                  [profiles.bad]\nclient_id = \"b\"\ntoken_endpoint = \"http://example.com/token\"\n";
    std::fs::write(env.config_path(), config).unwrap();
    let entry = r#"{"tokens": {"access_token": "at-good", "token_type": "Bearer", "expires_at": 4102444800}}"#;
    write_private(&env.data_dir().join("good.json"), entry);
    let out = run(env.oat().args(["token", "good"]).env("OAT_STORE", "file"));
    assert_eq!((out.code, out.stdout.trim()), (0, "at-good"), "{}", out.stderr);
    // The broken one is named, with its line, when it is used, and by the commands that list all.
    for args in [&["token", "bad"][..], &["profile", "list"]] {
        let out = run(env.oat().args(args).env("OAT_STORE", "file"));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(":6:") && out.stderr.contains("plain http"), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn a_secret_written_in_config_is_used_with_a_warning_and_never_shown() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("conf", &provider, "cli-confidential").args(["--scope", "openid"]).assert().success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(
        env.config_path(),
        config.replace(
            "client_id = \"cli-confidential\"",
            "client_id = \"cli-confidential\"\nclient_secret = \"cli-confidential-secret\"",
        ),
    )
    .unwrap();
    let out = env.login("conf");
    assert!(out.stderr.contains("warning: the client secret is written in config.toml"), "{}", out.stderr);
    assert_eq!(provider.grants("authorization_code")[0]["basic_auth"], true);
    let show = run(env.oat().args(["profile", "show", "conf"]));
    assert!(!show.stdout.contains("cli-confidential-secret"), "{}", show.stdout);
}

#[test]
fn the_profile_for_a_url_is_the_one_with_the_longest_prefix() {
    let env = Env::new();
    let add = |name: &str, urls: &[&str]| {
        let mut cmd = env.oat();
        cmd.args(["profile", "add", name, "--client-id", "x", "--token-url", "https://id.example/token"]);
        cmd.args(["--flow", "client_credentials"]);
        for url in urls {
            cmd.args(["--url", url]);
        }
        let out = run(&mut cmd);
        assert_eq!(out.code, 0, "{}", out.stderr);
        // A machine's profile has nothing to log in to: its tokens come on demand.
        assert!(out.stderr.contains(&format!("Next: `oat token {name}`.")), "{}", out.stderr);
    };
    add("work", &["https://github.com/acme/"]);
    add("personal", &["https://github.com/", "https://api.github.com"]);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains(r#"urls = ["https://github.com/acme/"]"#), "{config}");

    let out = run(env.oat().args(["profile", "which", "https://github.com/acme/app.git"]));
    assert_eq!((out.code, out.stdout.as_str()), (0, "work\n"), "{}", out.stderr);
    assert!(out.stderr.contains("through https://github.com/acme/ (1 path segment)"), "{}", out.stderr);
    assert!(out.stderr.contains("`personal` (https://github.com/)"), "{}", out.stderr);
    let out = run(env.oat().args(["profile", "which", "https://github.com/acme-corp/app.git"]));
    assert_eq!(out.stdout, "personal\n", "whole segments only: {}", out.stderr);
    let out = run(env.oat().args(["profile", "which", "https://api.github.com/user", "--json"]));
    let answer: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((answer["profile"].as_str(), answer["path_segments"].as_u64()), (Some("personal"), Some(0)));

    let out = run(env.oat().args(["profile", "which", "https://gitlab.com/x"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no profile serves https://gitlab.com/x"), "{}", out.stderr);
    assert!(out.stdout.is_empty());

    add("twin", &["https://github.com/acme"]);
    let out = run(env.oat().args(["profile", "which", "https://github.com/acme/app.git"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("both `twin` (https://github.com/acme) and `work` (https://github.com/acme/)"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);

    let out = run(env.oat().args(["profile", "add", "bad", "--client-id", "x", "--url", "github.com/acme"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("github.com/acme"), "{}", out.stderr);
}
