//! `oat login`: the authorization-code flow with PKCE through the loopback listener, driven by
//! the test browser against the real provider.

use crate::support::{Env, Provider, login_pasting, run};

fn query(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url).unwrap().query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn param(url: &str, name: &str) -> Option<String> {
    query(url).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

#[test]
fn a_public_client_logs_in_with_pkce_and_the_tokens_are_stored_privately() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    let out = env.login("local");
    assert!(out.stdout.is_empty(), "login prints nothing on stdout: {}", out.stdout);
    assert!(out.stderr.contains("Logged in to `local` as alice"), "{}", out.stderr);
    assert!(out.stderr.contains("valid until"), "{}", out.stderr);

    // What the browser was sent to.
    let urls = env.browser_log();
    assert_eq!(urls.len(), 1, "{urls:?}");
    let url = &urls[0];
    assert!(url.starts_with(&format!("{}/auth?", provider.issuer)), "{url}");
    assert_eq!(param(url, "response_type").as_deref(), Some("code"));
    assert_eq!(param(url, "client_id").as_deref(), Some("cli-public"));
    assert_eq!(param(url, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(param(url, "code_challenge").map(|c| c.len()), Some(43));
    assert!(param(url, "state").is_some_and(|s| s.len() >= 22), "state of at least 128 bits");
    assert!(param(url, "nonce").is_some(), "openid scope sends a nonce");
    assert_eq!(param(url, "prompt").as_deref(), Some("consent"), "offline_access asks for consent");
    let redirect = param(url, "redirect_uri").unwrap();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"), "{redirect}");
    assert!(out.stderr.contains(url.as_str()), "the URL is printed on stderr");

    // One code exchange by a public client, with the verifier.
    let exchanges = provider.grants("authorization_code");
    assert_eq!(exchanges.len(), 1);
    assert_eq!(exchanges[0]["status"], 200);
    assert_eq!(exchanges[0]["client_id"], "cli-public");
    assert_eq!(exchanges[0]["basic_auth"], false);

    // Stored in a private file.
    let stored = env.stored("local").expect("tokens stored");
    let tokens = &stored["tokens"];
    assert!(tokens["access_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(tokens["refresh_token"].as_str().is_some(), "offline_access yields a refresh token");
    assert!(tokens["expires_at"].as_u64().is_some());
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&env.data_dir().join("local.json")), 0o600);
    assert_eq!(mode(&env.data_dir()), 0o700);

    // `oat token` prints exactly the stored access token.
    let out = run(env.oat().args(["token", "local"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, format!("{}\n", tokens["access_token"].as_str().unwrap()));
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn a_confidential_client_authenticates_with_basic_and_its_secret_stays_out_of_config() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("conf", &provider, "cli-confidential")
        .args(["--scope", "openid", "--client-secret-stdin"])
        .write_stdin("cli-confidential-secret\n")
        .assert()
        .success();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(!config.contains("cli-confidential-secret"), "{config}");
    assert!(config.contains("client_auth = \"client_secret_basic\""), "{config}");
    assert_eq!(env.stored("conf").unwrap()["client_secret"], "cli-confidential-secret");

    env.login("conf");
    let exchanges = provider.grants("authorization_code");
    assert_eq!(exchanges.len(), 1);
    assert_eq!(exchanges[0]["status"], 200);
    assert_eq!(exchanges[0]["basic_auth"], true);
    assert_eq!(exchanges[0]["client_secret_in_body"], false);
}

#[test]
fn client_secret_post_sends_the_secret_in_the_body() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("post", &provider, "cli-post")
        .args(["--scope", "openid", "--client-auth", "client_secret_post", "--client-secret-stdin"])
        .write_stdin("cli-post-secret")
        .assert()
        .success();
    env.login("post");
    let exchanges = provider.grants("authorization_code");
    assert_eq!(exchanges[0]["status"], 200);
    assert_eq!(exchanges[0]["basic_auth"], false);
    assert_eq!(exchanges[0]["client_secret_in_body"], true);
}

#[test]
fn the_client_secret_can_come_from_the_environment() {
    let provider = Provider::start();
    let mut env = Env::new();
    env.profile_add("conf", &provider, "cli-confidential")
        .args(["--scope", "openid", "--client-auth", "client_secret_basic"])
        .assert()
        .success();
    env.set("OAT_CLIENT_SECRET", "cli-confidential-secret");
    env.login("conf");
    assert_eq!(provider.grants("authorization_code")[0]["basic_auth"], true);
}

#[test]
fn denied_consent_exits_4_and_stores_nothing() {
    let provider = Provider::start();
    let mut env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    env.set("OAT_TEST_BROWSER", "deny");
    let out = run(env.oat().args(["login", "local"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("access_denied"), "{}", out.stderr);
    assert!(env.stored("local").is_none());
    assert!(provider.grants("authorization_code").is_empty());
}

#[test]
fn a_tampered_state_exits_4_and_stores_nothing() {
    let provider = Provider::start();
    let mut env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    env.set("OAT_TEST_BROWSER", "tamper-state");
    let out = run(env.oat().args(["login", "local"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("state does not match"), "{}", out.stderr);
    assert!(env.stored("local").is_none());
    assert!(provider.grants("authorization_code").is_empty(), "the code is never exchanged");
}

#[test]
fn no_redirect_within_the_timeout_exits_5_naming_the_redirect_uri() {
    let provider = Provider::start();
    let mut env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    env.set("OAT_TEST_BROWSER", "ignore");
    let out = run(env.oat().args(["login", "local", "--timeout", "1s"]));
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains("no redirect reached http://127.0.0.1:"), "{}", out.stderr);
    assert!(out.stderr.contains("/callback within 1s"), "{}", out.stderr);
    assert!(env.stored("local").is_none());
}

#[test]
fn a_browser_that_cannot_start_leaves_the_url_and_the_listener() {
    let provider = Provider::start();
    let mut env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    env.set("BROWSER", "/nonexistent/browser");
    let out = run(env.oat().args(["login", "local", "--timeout", "1"]));
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains("cannot run $BROWSER (`/nonexistent/browser`)"), "{}", out.stderr);
    assert!(out.stderr.contains(&format!("{}/auth?", provider.issuer)), "{}", out.stderr);
    assert!(out.stderr.contains("Waiting up to 1s"), "{}", out.stderr);
}

#[test]
fn no_browser_prints_the_url_and_starts_nothing() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    let out = run(env.oat().args(["login", "local", "--no-browser", "--timeout", "1"]));
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains(&format!("{}/auth?", provider.issuer)), "{}", out.stderr);
    assert!(env.browser_log().is_empty(), "no browser was started");
}

/// A loopback port nobody listens on now.
pub(crate) fn free_port() -> u16 {
    #[allow(clippy::disallowed_types)]
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_fixed_redirect_port_is_used_and_ssh_sessions_get_the_forwarding_line() {
    let provider = Provider::start();
    let mut env = Env::new();
    let port = free_port();
    env.profile_add("fixed", &provider, "cli-public")
        .args(["--scope", "openid", "--redirect-uri", &format!("http://127.0.0.1:{port}/callback")])
        .assert()
        .success();
    env.login("fixed");
    let redirect = param(&env.browser_log()[0], "redirect_uri").unwrap();
    assert_eq!(redirect, format!("http://127.0.0.1:{port}/callback"));

    env.set("SSH_CONNECTION", "192.0.2.1 50000 198.51.100.7 22");
    env.set("OAT_TEST_BROWSER", "ignore");
    let out = run(env.oat().args(["login", "fixed", "--timeout", "1"]));
    assert!(out.stderr.contains(&format!("ssh -L {port}:127.0.0.1:{port} 198.51.100.7")), "{}", out.stderr);
}

#[test]
fn a_fixed_port_in_use_exits_5_naming_it() {
    let provider = Provider::start();
    let env = Env::new();
    #[allow(clippy::disallowed_types)]
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    env.add_profile("local", &provider, "cli-public");
    let out = run(env.oat().args(["login", "local", "--port", &port.to_string()]));
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains(&format!("127.0.0.1:{port}")), "{}", out.stderr);
    assert!(env.browser_log().is_empty(), "the browser is not opened when nothing can receive the redirect");
}

#[test]
fn on_a_terminal_the_redirected_url_can_be_pasted() {
    // A browser on another machine: the person copies the address it was redirected to (which
    // does not load there) and pastes it into oat's terminal. `script` gives oat a terminal.
    use std::io::Write;
    let provider = Provider::start();
    let mut env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    let (status, output) = login_pasting(&mut env, "login local --timeout 60", |stdin, url| {
        stdin.write_all(b"not the address\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        stdin.write_all(url.as_bytes()).unwrap();
        stdin.flush().unwrap();
    });
    assert!(status.success(), "{output}");
    assert!(output.contains("paste the address"), "{output}");
    assert!(output.contains("that is not the redirected address"), "{output}");
    assert!(output.contains("Logged in to `local` as alice"), "{output}");
    assert!(env.stored("local").is_some());
    assert_eq!(provider.grants("authorization_code").len(), 1);
}

#[test]
fn on_a_terminal_the_progress_line_never_draws_over_an_address_being_pasted() {
    // The address arrives in two parts with time for many redraws of the waiting line in
    // between (a person typing, or a slow paste): the terminal must show it whole, on a line
    // of its own. oat cannot see a line before Enter, so while it offers to take a pasted
    // address it draws no progress line at all.
    use std::io::Write;
    let provider = Provider::start();
    let mut env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    let mut url = String::new();
    let (status, output) = login_pasting(&mut env, "login local --timeout 60", |stdin, handed| {
        url = handed.trim().to_string();
        let (head, tail) = handed.split_at(handed.len() / 2);
        stdin.write_all(head.as_bytes()).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(800));
        stdin.write_all(tail.as_bytes()).unwrap();
        stdin.flush().unwrap();
    });
    assert!(status.success(), "{output}");
    assert!(output.contains("paste the address"), "{output}");
    assert!(!output.contains("Waiting for the browser…"), "no progress line while a paste is offered: {output}");
    let screen = screen(&output);
    assert!(screen.contains(&url), "the address is not shown whole on a line: {screen:#?}");
    assert!(screen.iter().any(|l| l.contains("Logged in to `local` as alice")), "{screen:#?}");
}

/// The lines a terminal shows after `output`: carriage returns, backspaces and "erase line"
/// act as on a terminal; other escape sequences (colours) are dropped; lines do not wrap.
fn screen(output: &str) -> Vec<String> {
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = output.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                if lines.len() == row {
                    lines.push(Vec::new());
                }
            }
            '\u{8}' => col = col.saturating_sub(1),
            '\u{1b}' if chars.peek() == Some(&'[') => {
                chars.next();
                let mut sequence = String::new();
                for c in chars.by_ref() {
                    sequence.push(c);
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
                if sequence == "2K" {
                    lines[row].clear();
                }
            }
            c if c.is_control() => {}
            c => {
                let line = &mut lines[row];
                if line.len() <= col {
                    line.resize(col + 1, ' ');
                }
                line[col] = c;
                col += 1;
            }
        }
    }
    lines.iter().map(|l| l.iter().collect::<String>().trim_end().to_string()).collect()
}

#[test]
fn token_with_login_logs_in_when_needed_and_prints_only_the_token() {
    let provider = Provider::start();
    let env = Env::new();
    env.add_profile("local", &provider, "cli-public");
    let out = run(env.oat().args(["token", "local", "--login"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, format!("{}\n", env.stored_token("local", "access_token")));
    assert!(out.stderr.contains("no tokens stored for `local`"), "{}", out.stderr);
    assert_eq!(env.browser_log().len(), 1);
}

#[test]
fn a_wrong_client_secret_exits_4_with_the_servers_error() {
    let provider = Provider::start();
    let env = Env::new();
    env.profile_add("conf", &provider, "cli-confidential")
        .args(["--scope", "openid", "--client-secret-stdin"])
        .write_stdin("not-the-secret")
        .assert()
        .success();
    let out = run(env.oat().args(["login", "conf"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("token endpoint: invalid_client"), "{}", out.stderr);
    assert!(env.stored("conf").unwrap().get("tokens").is_none(), "nothing but the secret is stored");
}
