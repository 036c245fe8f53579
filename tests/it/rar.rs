//! Rich authorization requests (RFC 9396) against the real provider: the details asked for at
//! login, in a profile and for one client-credentials token; what the server granted stored
//! with the tokens and shown by `status --json` and `inspect`; bad details refused before
//! anything is sent or stored.

use crate::support::{Env, LoggedIn, Provider, doctor_check, jwt_claims, run};
use serde_json::{Value, json};

const PAYMENT: &str = r#"[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"123.50"},"creditorName":"Merchant A"}]"#;

/// What the provider grants for [`PAYMENT`]: the request, each entry marked granted.
fn granted() -> Value {
    let mut details: Value = serde_json::from_str(PAYMENT).unwrap();
    details[0]["status"] = json!("granted");
    details
}

#[test]
fn a_login_with_authorization_details_stores_and_shows_what_was_granted() {
    let provider = Provider::start();
    let env = Env::new();
    let login = LoggedIn::new("pay", &provider.issuer, "cli-rar").scope("api:read").log_in(&env);
    assert!(login.stderr.contains("Logged in"), "{}", login.stderr);
    assert!(env.stored("pay").unwrap()["tokens"].get("authorization_details").is_none(), "none asked, none stored");

    let out = run(env.oat().args(["login", "pay", "--authorization-details", PAYMENT]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let url = env.browser_log().pop().expect("the browser was opened");
    let sent = url::Url::parse(&url).unwrap();
    let sent = sent.query_pairs().find(|(k, _)| k == "authorization_details").expect("sent").1.into_owned();
    assert_eq!(serde_json::from_str::<Value>(&sent).unwrap(), serde_json::from_str::<Value>(PAYMENT).unwrap());

    let stored = env.stored("pay").unwrap();
    assert_eq!(stored["tokens"]["authorization_details"], granted(), "the granted details, not the request");
    let access = env.stored_token("pay", "access_token");
    let introspected = run(env.oat().args(["introspect", "pay"]));
    assert_eq!(introspected.code, 0, "{}", introspected.stderr);
    let introspected: Value = serde_json::from_str(&introspected.stdout).unwrap();
    assert_eq!(introspected["authorization_details"], granted(), "the server bound them to the token");

    let status = run(env.oat().args(["status", "pay", "--json"]));
    assert_eq!(status.code, 0, "{}", status.stderr);
    let rows: Value = serde_json::from_str(&status.stdout).unwrap();
    let row = if rows.is_array() { rows[0].clone() } else { rows };
    assert_eq!(row["authorization_details"], granted(), "{}", status.stdout);

    let inspect = run(env.oat().args(["inspect", "pay"]));
    assert_eq!(inspect.code, 0, "{}", inspect.stderr);
    assert!(inspect.stdout.contains("granted with the tokens"), "{}", inspect.stdout);
    assert!(inspect.stdout.contains(r#""creditorName":"Merchant A""#), "{}", inspect.stdout);
    let inspect = run(env.oat().args(["inspect", "pay", "--json"]));
    let shown: Value = serde_json::from_str(&inspect.stdout).unwrap();
    assert_eq!(shown["authorization_details"], granted(), "{}", inspect.stdout);

    // A refresh keeps the grant's details.
    let refresh = run(env.oat().args(["refresh", "pay"]));
    assert_eq!(refresh.code, 0, "{}", refresh.stderr);
    assert_eq!(env.stored("pay").unwrap()["tokens"]["authorization_details"], granted());
    assert_ne!(env.stored_token("pay", "access_token"), access);
}

#[test]
fn a_profile_asks_for_its_authorization_details_at_every_login() {
    let provider = Provider::start();
    let env = Env::new();
    let details = env.dir.path().join("payment.json");
    std::fs::write(&details, PAYMENT).unwrap();
    LoggedIn::new("pay", &provider.issuer, "cli-rar")
        .add_args(&["--authorization-details", &format!("@{}", details.display())])
        .log_in(&env);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("authorization_details = "), "{config}");
    assert_eq!(env.stored("pay").unwrap()["tokens"]["authorization_details"], granted());
}

#[test]
fn client_credentials_carry_the_profile_s_details_or_those_of_one_token() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("m", &provider, "machine-rar")
        .args(["--flow", "client_credentials", "--authorization-details", PAYMENT])
        .arg("--client-secret-stdin")
        .write_stdin("machine-rar-secret")
        .assert()
        .success();
    let token = run(env.oat().args(["token", "m", "--format", "json"]));
    assert_eq!(token.code, 0, "{}", token.stderr);
    let answer: Value = serde_json::from_str(&token.stdout).unwrap();
    assert_eq!(answer["authorization_details"], granted(), "{}", token.stdout);
    assert_eq!(env.stored("m").unwrap()["tokens"]["authorization_details"], granted());
    let stored = env.stored_token("m", "access_token");
    assert_eq!(jwt_claims(&stored)["authorization_details"], granted(), "a JWT for the API, with the details");

    // One token for other details: fetched, handed out, not stored.
    let other = PAYMENT.replace("123.50", "7.00");
    let out = run(env.oat().args(["token", "m", "--format", "json", "--authorization-details", &other]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(answer["authorization_details"][0]["instructedAmount"]["amount"], "7.00");
    assert_eq!(env.stored_token("m", "access_token"), stored, "the stored token stays");
    assert_eq!(provider.grants("client_credentials").len(), 2);

    // The server checks the details against its schema: its refusal is exit 4.
    let bad = PAYMENT.replace("EUR", "euro");
    let out = run(env.oat().args(["token", "m", "--authorization-details", &bad]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_authorization_details"), "{}", out.stderr);
}

#[test]
fn details_that_are_not_an_array_of_typed_objects_are_refused_and_nothing_is_stored() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("m", &provider, "machine-rar")
        .args(["--flow", "client_credentials", "--client-secret-stdin"])
        .write_stdin("machine-rar-secret")
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let missing = env.dir.path().join("missing.json");
    let missing = format!("@{}", missing.display());
    for bad in [r#"{"type":"payment_initiation"}"#, "[]", r#"[{"kind":"x"}]"#, "[1]", "not json", missing.as_str()] {
        for args in [
            vec!["login", "m", "--authorization-details", bad],
            vec!["token", "m", "--authorization-details", bad],
            vec![
                "profile",
                "add",
                "n",
                "--issuer",
                &provider.issuer,
                "--client-id",
                "x",
                "--authorization-details",
                bad,
            ],
        ] {
            let out = run(env.oat().args(&args));
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert_eq!(out.stderr.trim().lines().count(), 1, "{args:?}: one line: {}", out.stderr);
            assert!(out.stderr.contains("--authorization-details"), "{}", out.stderr);
            assert!(out.stdout.is_empty());
        }
    }
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), config, "config unchanged");
    assert!(env.stored("m").is_none_or(|entry| entry.get("tokens").is_none()), "nothing stored");
    assert!(provider.grants("client_credentials").is_empty(), "nothing sent");
}

#[test]
fn a_token_exchange_asks_for_authorization_details_and_shows_the_granted_ones() {
    let provider = Provider::start();
    let env = Env::logged_in("user", &provider, "cli-public");
    env.profile_add("ex", &provider, "exchanger")
        .args(["--client-secret-stdin", "--flow", "client_credentials"])
        .write_stdin("exchanger-secret")
        .assert()
        .success();
    let out = run(env
        .oat()
        .args(["exchange", "ex", "--subject-token-from", "user", "--json"])
        .args(["--authorization-details", PAYMENT]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(answer["authorization_details"], granted(), "{}", out.stdout);
    let token = answer["access_token"].as_str().unwrap();
    let (_, body) = provider.post_basic("/token/introspection", ("exchanger", "exchanger-secret"), &[("token", token)]);
    let info: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(info["authorization_details"], granted(), "{info}");

    let out = run(env
        .oat()
        .args(["exchange", "ex", "--subject-token-from", "user"])
        .args(["--authorization-details", "[{}]"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn discover_and_doctor_tell_what_the_server_offers_and_what_the_profile_asks_for() {
    let provider = Provider::start();
    let env = Env::new();
    let out = run(env.oat().args(["discover", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("rich authorization requests (RFC 9396), types: payment_initiation"), "{}", out.stderr);
    let metadata: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(metadata["authorization_details_types_supported"], json!(["payment_initiation"]));

    env.profile_add("pay", &provider, "cli-rar").args(["--authorization-details", PAYMENT]).assert().success();
    let (_, check) = doctor_check(&env, "pay", "rar");
    assert_eq!(check["ok"], true, "{check}");
    assert!(check["detail"].as_str().unwrap().contains("payment_initiation"), "{check}");

    env.profile_add("acct", &provider, "cli-rar")
        .args(["--authorization-details", r#"[{"type":"account_information"}]"#])
        .assert()
        .success();
    let (code, check) = doctor_check(&env, "acct", "rar");
    assert_ne!(code, 0, "a failed check fails doctor");
    assert_eq!(check["ok"], false, "{check}");
    assert!(check["detail"].as_str().unwrap().contains("account_information"), "{check}");
    assert!(check["fix"].as_str().unwrap().contains("oat profile add acct"), "{check}");
    let human = run(env.oat().args(["doctor", "acct"]));
    assert!(
        human.stdout.contains("✗ rar: the server does not support the type account_information"),
        "{}",
        human.stdout
    );
}
