//! The trace file (`OAT_TRACE`, `--trace`) and `oat trace`, against the real provider: what a
//! login, a refresh and a cached token write, that no secret reaches the file while the
//! fingerprints let a token be followed, that concurrent processes append whole lines, TLS
//! details over https, and the HAR 1.2 that a real validator (npm `har-validator`) accepts.

use crate::support::{Env, Provider, pki, root, run, write_private};
use base64::Engine as _;
use serde_json::Value;
use sha2::Digest as _;
use std::path::Path;
use std::process::{Command, Stdio};

const SECRET: &str = "cli-confidential-secret";

/// The records of a trace file; every line must be one.
fn records(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(text.is_empty() || text.ends_with('\n'), "the file ends with a whole line");
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"))).collect()
}

/// `[redacted sha256:…]` of a value, computed here, not by oat.
fn fingerprint(value: &str) -> String {
    let digest = sha2::Sha256::digest(value.as_bytes());
    format!("[redacted sha256:{}]", digest.iter().take(4).map(|b| format!("{b:02x}")).collect::<String>())
}

/// A form field of a traced request body.
fn form_field<'a>(record: &'a Value, name: &str) -> Option<&'a str> {
    let form = record["request"]["body"]["form"].as_array()?;
    form.iter().find(|f| f[0] == name).and_then(|f| f[1].as_str())
}

/// An environment (file store) with profile `conf` of the confidential client, tracing to
/// `trace.jsonl` in its directory; the callback URLs the browser reached are logged.
fn traced(provider: &Provider) -> (Env, std::path::PathBuf) {
    let mut env = Env::new();
    let trace = env.dir.path().join("trace.jsonl");
    env.set("OAT_TRACE", trace.to_str().unwrap());
    env.set("OAT_TEST_CALLBACK_LOG", env.dir.path().join("callback.log").to_str().unwrap());
    let out = run(env
        .profile_add("conf", provider, "cli-confidential")
        .args(["--scope", "openid", "--scope", "offline_access", "--client-secret-stdin"])
        .write_stdin(SECRET));
    assert_eq!(out.code, 0, "{}", out.stderr);
    (env, trace)
}

#[test]
fn a_login_a_refresh_and_a_cached_token_are_traced_with_no_secret_in_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let provider = Provider::start();
    let (env, trace) = traced(&provider);
    env.login("conf");
    let issued = env.stored("conf").unwrap()["tokens"].clone();
    // --show-secrets opens up -v, never the trace file.
    let refreshed = run(env.oat().args(["-v", "--show-secrets", "refresh", "conf"]));
    assert_eq!(refreshed.code, 0, "{}", refreshed.stderr);
    let before_token = records(&trace).len();
    let token = run(env.oat().args(["token", "conf"]));
    assert_eq!(token.code, 0, "{}", token.stderr);
    let untouched = env.dir.path().join("untouched.jsonl");
    let token = run(env.oat().env("OAT_TRACE", &untouched).args(["token", "conf"]));
    assert_eq!(token.code, 0, "{}", token.stderr);
    assert!(!untouched.exists(), "a cached token never opens the trace file");

    let mode = std::fs::metadata(&trace).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let records = records(&trace);
    assert_eq!(records.len(), before_token, "a cached token makes no exchange and writes nothing");
    let commands: Vec<&str> = records.iter().map(|r| r["command"].as_str().unwrap()).collect();
    assert!(commands.contains(&"profile add"), "{commands:?}");
    for record in &records {
        for field in ["time", "pid", "command", "exchange", "method", "url", "request", "response", "duration_ms"] {
            assert!(!record[field].is_null(), "{field} missing: {record}");
        }
        let time = record["time"].as_str().unwrap();
        assert!(time.len() == 24 && time.ends_with('Z') && &time[19..20] == ".", "{time}");
        assert!(record.get("tls").is_none(), "plain http has no TLS: {record}");
    }
    let token_endpoint = format!("{}/token", provider.issuer);
    let posts: Vec<&Value> =
        records.iter().filter(|r| r["url"] == token_endpoint.as_str() && r["method"] == "POST").collect();
    let [login, refresh] = posts.as_slice() else { panic!("two token requests: {posts:#?}") };
    assert_eq!((login["command"].as_str(), login["profile"].as_str()), (Some("login"), Some("conf")));
    assert_eq!((refresh["command"].as_str(), refresh["profile"].as_str()), (Some("refresh"), Some("conf")));
    assert_eq!(login["response"]["status"], 200);
    assert_eq!(form_field(login, "grant_type"), Some("authorization_code"));
    let basic = login["request"]["headers"].as_array().unwrap().iter().find(|h| h[0] == "authorization").unwrap();
    assert_eq!(basic[1], "Basic [redacted]", "a client secret is masked, not fingerprinted");

    // The refresh token the login's answer issued is the one the refresh sent: same fingerprint.
    let rt = issued["refresh_token"].as_str().unwrap();
    assert_eq!(login["response"]["body"]["json"]["refresh_token"], fingerprint(rt).as_str());
    assert_eq!(form_field(refresh, "refresh_token"), Some(fingerprint(rt).as_str()));
    assert_eq!(login["response"]["body"]["json"]["token_type"], "Bearer");

    // No secret value anywhere: tokens (both generations), the client secret, the code.
    let text = std::fs::read_to_string(&trace).unwrap();
    let renewed = env.stored("conf").unwrap()["tokens"].clone();
    let callback = std::fs::read_to_string(env.dir.path().join("callback.log")).unwrap();
    let callback = url::Url::parse(callback.trim()).unwrap();
    let code = callback.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let mut secrets = vec![SECRET.to_string(), code.clone()];
    secrets.push(base64::engine::general_purpose::STANDARD.encode(format!("cli-confidential:{SECRET}")));
    for tokens in [&issued, &renewed] {
        for key in ["access_token", "refresh_token", "id_token"] {
            secrets.push(tokens[key].as_str().unwrap().to_string());
        }
    }
    for secret in &secrets {
        assert!(secret.len() > 8 && !text.contains(secret.as_str()), "a secret reached the trace file");
    }
    assert_eq!(form_field(login, "code"), Some(fingerprint(&code).as_str()));
    // The -v trace with --show-secrets did show them: the flag works, only not for the file.
    assert!(refreshed.stderr.contains(rt), "--show-secrets shows the refresh token in -v");
}

#[test]
fn eight_processes_appending_at_once_write_only_whole_lines() {
    let provider = Provider::start();
    let env = Env::logged_in("p", &provider, "cli-public");
    let trace = env.dir.path().join("trace.jsonl");
    let userinfo = format!("{}/me", provider.issuer);
    // Each sends a JSON body of 6 KB, so each line is larger than a page (4 KiB), which the
    // kernel does not promise to append in one piece without the file lock.
    let children: Vec<_> = (0..8)
        .map(|i| {
            let body = serde_json::json!({"n": i, "pad": "x".repeat(6000)}).to_string();
            let mut cmd = env.command();
            cmd.env("OAT_TRACE", &trace).args(["request", "p", &userinfo, "--data-json", &body]);
            cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("start oat")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.code().is_some(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let records = records(&trace);
    assert_eq!(records.len(), 8, "one exchange each: the cached token needs no refresh");
    let pids: std::collections::BTreeSet<u64> = records.iter().map(|r| r["pid"].as_u64().unwrap()).collect();
    assert_eq!(pids.len(), 8, "every process wrote");
    let mut sent: Vec<u64> = records.iter().map(|r| r["request"]["body"]["json"]["n"].as_u64().unwrap()).collect();
    sent.sort();
    assert_eq!(sent, (0..8).collect::<Vec<u64>>());
    let text = std::fs::read_to_string(&trace).unwrap();
    assert!(text.lines().all(|l| l.len() > 6000), "lines larger than a page were written");
    assert!(records.iter().all(|r| r["command"] == "request" && r["profile"] == "p"));
}

#[test]
fn https_exchanges_record_tls_and_the_flag_wins_over_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let pki = pki(dir.path());
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let provider = Provider::start_with(&[
        ("OAT_TEST_TLS_CERT", &s(&pki.server_cert)),
        ("OAT_TEST_TLS_KEY", &s(&pki.server_key)),
        ("OAT_TEST_TLS_CA", &s(&pki.ca)),
    ]);
    let mut env = Env::new();
    let flag = env.dir.path().join("flag.jsonl");
    let variable = env.dir.path().join("variable.jsonl");
    env.set("OAT_TRACE", variable.to_str().unwrap());
    let out = run(env.oat().args(["--trace", &s(&flag), "--cacert", &s(&pki.ca), "discover", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);

    assert!(!variable.exists(), "--trace wins over OAT_TRACE");
    let records = records(&flag);
    assert!(!records.is_empty());
    for record in &records {
        let tls = &record["tls"];
        assert_eq!(tls["subject"], "CN=127.0.0.1", "{record}");
        assert_eq!(tls["version"], "TLSv1.3", "{record}");
        let not_after: jiff::Timestamp = tls["not_after"].as_str().unwrap().parse().unwrap();
        assert!(not_after > jiff::Timestamp::now(), "{not_after}");
    }
    // `oat trace -v` shows it.
    let shown = run(env.oat().args(["trace", &s(&flag), "-v"]));
    assert!(shown.stdout.contains("* TLSv1.3, server certificate CN=127.0.0.1, valid until"), "{}", shown.stdout);
}

#[test]
fn a_trace_file_that_cannot_be_written_is_said_once_and_the_command_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let provider = Provider::start();
    let mut env = Env::new();
    env.set("OAT_TRACE", env.dir.path().join("no-such-dir/trace.jsonl").to_str().unwrap());
    let out = run(env.oat().args(["login", "x"]));
    assert_eq!(out.code, 2, "no such profile: {}", out.stderr);
    assert!(!out.stderr.contains("trace"), "no exchange, so the file was never opened: {}", out.stderr);
    // A login makes several exchanges: the warning comes once.
    env.add_profile("p", &provider, "cli-public");
    let out = run(env.oat().args(["login", "p"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(env.stored("p").is_some(), "the login went through");
    let warnings: Vec<&str> = out.stderr.lines().filter(|l| l.contains("trace file")).collect();
    assert_eq!(warnings.len(), 1, "{}", out.stderr);
    assert!(warnings[0].starts_with("warning: cannot write the trace file ") && warnings[0].contains("no-such-dir"));
    assert!(warnings[0].contains("No such file or directory"), "{}", warnings[0]);

    // An empty OAT_TRACE traces nothing.
    env.set("OAT_TRACE", "");
    let out = run(env.oat().args(["discover", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("trace"), "{}", out.stderr);

    // A file others can read is written all the same, with a warning.
    let open = env.dir.path().join("open.jsonl");
    std::fs::write(&open, "").unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.set("OAT_TRACE", open.to_str().unwrap());
    let out = run(env.oat().args(["discover", &provider.issuer]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("can be read by others (mode 644)"), "{}", out.stderr);
    assert!(!records(&open).is_empty());
}

#[test]
fn oat_trace_shows_one_line_per_exchange_with_the_oauth_error() {
    let provider = Provider::start();
    let (env, trace) = traced(&provider);
    env.login("conf");
    // A refresh token the server does not know: invalid_grant.
    let entry = env.data_dir().join("conf.json");
    let mut stored = env.stored("conf").unwrap();
    stored["tokens"]["refresh_token"] = "not-a-refresh-token".into();
    stored["tokens"]["expires_at"] = 0.into();
    write_private(&entry, &stored.to_string());
    let out = run(env.oat().args(["refresh", "conf"]));
    assert_ne!(out.code, 0);
    // A line cut short, as a killed process leaves it.
    let mut text = std::fs::read_to_string(&trace).unwrap();
    let lines = text.lines().count();
    text.push_str("{\"time\":\"2026-");
    std::fs::write(&trace, &text).unwrap();

    let out = run(env.oat().args(["trace", trace.to_str().unwrap()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let shown: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(shown.len(), lines, "{}", out.stdout);
    assert!(out.stderr.contains(&format!(":{}: not a trace record", lines + 1)), "{}", out.stderr);
    let failed = shown.last().unwrap();
    let token_endpoint = format!("POST {}/token", provider.issuer);
    assert!(failed.contains("  conf  refresh  "), "{failed}");
    assert!(failed.contains(&token_endpoint) && failed.contains("  400 Bad Request  "), "{failed}");
    assert!(failed.contains(" ms  invalid_grant: grant request is invalid"), "{failed}");
    assert!(shown[0].contains("Z  ["), "several processes wrote the file: each line names its pid: {}", shown[0]);

    let verbose = run(env.oat().args(["trace", trace.to_str().unwrap(), "-v"]));
    assert!(verbose.stdout.contains("    > authorization: Basic [redacted]"), "{}", verbose.stdout);
    assert!(verbose.stdout.contains(&format!("    >   refresh_token={}", fingerprint("not-a-refresh-token"))));
    assert!(verbose.stdout.contains("    <     \"error\": \"invalid_grant\""), "{}", verbose.stdout);

    let json = run(env.oat().args(["trace", trace.to_str().unwrap(), "--json"]));
    let listed: Vec<Value> = serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}: {}", json.stdout));
    assert_eq!(listed.len(), lines);
    assert_eq!(listed.last().unwrap()["response"]["body"]["json"]["error"], "invalid_grant");

    // A file that is not a trace: a few of its lines are named, then exit 2.
    let garbage = env.dir.path().join("garbage.txt");
    std::fs::write(&garbage, "not json\n".repeat(15)).unwrap();
    let out = run(env.oat().args(["trace", garbage.to_str().unwrap()]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.lines().filter(|l| l.contains(": not a trace record")).count(), 10, "{}", out.stderr);
    assert!(out.stderr.contains("5 more lines are not trace records"), "{}", out.stderr);
    assert!(out.stderr.contains("holds no trace records"), "{}", out.stderr);

    let missing = run(env.oat().args(["trace", "/no/such/trace.jsonl"]));
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read the trace file /no/such/trace.jsonl"), "{}", missing.stderr);
}

#[test]
fn the_har_file_passes_a_har_validator_and_has_what_dev_tools_import() {
    let provider = Provider::start();
    let (env, trace) = traced(&provider);
    env.login("conf");
    let har = env.dir.path().join("out.har");
    let out = run(env.oat().args(["trace", trace.to_str().unwrap(), "--har", har.to_str().unwrap()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let to_stdout = run(env.oat().args(["trace", trace.to_str().unwrap(), "--har", "-"]));
    assert_eq!(to_stdout.stdout, std::fs::read_to_string(&har).unwrap());

    let modules = root().join("tests/provider/node_modules");
    assert!(modules.join("har-validator").is_dir(), "run `npm ci --prefix tests/provider` (scripts/test does it)");
    let check = "require('har-validator').har(JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')))\
        .then(() => console.log('valid'), e => { console.log(JSON.stringify(e.errors)); process.exit(1); })";
    let node = Command::new("node")
        .env("NODE_PATH", &modules)
        .args(["-e", check, har.to_str().unwrap()])
        .output()
        .expect("run node");
    assert!(
        node.status.success(),
        "{}{}",
        String::from_utf8_lossy(&node.stdout),
        String::from_utf8_lossy(&node.stderr)
    );

    // What Chrome DevTools' importer reads of each entry.
    let har: Value = serde_json::from_str(&to_stdout.stdout).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["creator"]["name"], "oat");
    let entries = har["log"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), records(&trace).len());
    for entry in entries {
        assert!(entry["startedDateTime"].is_string() && entry["time"].is_number());
        assert!(entry["request"]["method"].is_string() && entry["request"]["url"].is_string());
        assert!(entry["request"]["headers"].as_array().unwrap().iter().all(|h| h["name"].is_string()));
        assert!(entry["response"]["status"].as_u64().unwrap() >= 200);
        assert!(
            entry["response"]["content"]["mimeType"].is_string() && entry["response"]["content"]["size"].is_number()
        );
        assert!(entry["timings"]["wait"].is_number());
    }
    let exchange = entries.iter().find(|e| e["request"]["postData"]["params"].is_array()).expect("a form POST");
    let params = exchange["request"]["postData"]["params"].as_array().unwrap();
    let code = params.iter().find(|p| p["name"] == "code").unwrap();
    assert!(code["value"].as_str().unwrap().starts_with("[redacted sha256:"), "{code}");
    assert!(exchange["response"]["content"]["text"].as_str().unwrap().contains("[redacted sha256:"));
}

#[test]
fn the_command_oat_exec_runs_is_told_the_trace_file() {
    let provider = Provider::start();
    let env = Env::logged_in("p", &provider, "cli-public");
    let out = run(env.oat().current_dir(env.dir.path()).args([
        "--trace",
        "relative.jsonl",
        "exec",
        "p",
        "--",
        "sh",
        "-c",
        "echo \"$OAT_TRACE\"",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let told = Path::new(out.stdout.trim());
    assert!(told.is_absolute() && told.ends_with("relative.jsonl"), "{}", out.stdout);
}
