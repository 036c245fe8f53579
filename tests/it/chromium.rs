//! One login end to end through a real browser: Debian's headless Chromium, driven by
//! tests/browser/chromium.mjs (npm's playwright-core) as `$BROWSER`, fills the real provider's
//! login and consent pages and lands on oat's callback page, whose text it hands back.

use crate::support::{Env, Provider, root, run};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// The browser script, after checking (loudly) that what it needs is installed.
fn chromium_browser() -> PathBuf {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: install it with \
         `apt-get update && apt-get install -y --no-install-recommends chromium` (.ci/run does it)"
    );
    let dir = root().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "playwright-core is not installed: run `npm ci --prefix tests/browser` (scripts/test does it)"
    );
    dir.join("chromium.mjs")
}

/// The live processes whose command line mentions one of `needles`.
fn processes_mentioning(needles: &[&str]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())))
        .filter_map(|e| {
            // A zombie has an empty command line: it is gone, only not yet reaped by init.
            let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            needles
                .iter()
                .any(|n| cmdline.contains(n))
                .then(|| format!("{}: {}", e.file_name().to_string_lossy(), cmdline.trim()))
        })
        .collect()
}

#[test]
fn a_real_browser_completes_the_login() {
    let (env, page_file, tmp) = chromium_env();
    let provider = Provider::start();
    env.add_profile("local", &provider, "cli-public");

    let out = run(env.oat().args(["login", "local", "--timeout", "45s"]));
    assert_eq!(out.code, 0, "login through Chromium failed:\n{}", out.stderr);
    assert!(out.stderr.contains("Logged in to `local` as alice"), "{}", out.stderr);

    // The browser went to the provider's authorization endpoint, once.
    let urls = env.browser_log();
    assert_eq!(urls.len(), 1, "{urls:?}");
    assert!(urls[0].starts_with(&format!("{}/auth?", provider.issuer)), "{}", urls[0]);

    let page = finished_page(&env, &page_file, &urls[0], &out.stderr);
    assert_eq!(page["url_path"], "/callback", "{page}");
    assert_eq!(page["title"], "oat: Logged in", "{page}");
    let text = page["text"].as_str().expect("page text");
    assert!(text.contains("Logged in"), "{text}");
    assert!(text.contains("You can close this tab"), "{text}");

    // The code the browser carried was exchanged, and the tokens stored.
    let exchanges = provider.grants("authorization_code");
    assert_eq!(exchanges.len(), 1, "{exchanges:?}");
    assert_eq!(exchanges[0]["status"], 200);
    let stored = env.stored("local").expect("tokens stored");
    assert!(stored["tokens"]["access_token"].as_str().is_some_and(|t| !t.is_empty()), "{stored}");
    assert!(stored["tokens"]["refresh_token"].as_str().is_some_and(|t| !t.is_empty()), "{stored}");

    // Its temporary profile is removed.
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "the browser left {left:?} in its TMPDIR");
}

/// Waits until the browser script has recorded the final page and exited, and Chromium with
/// it, then returns the page. oat does not wait for its browser, so the test must.
fn finished_page(env: &Env, page_file: &Path, url: &str, stderr: &str) -> Value {
    // The script has the URL on its command line; Chromium's profile is under TMPDIR and its
    // crash database under XDG_CONFIG_HOME, both in the test's HOME. The page file is written
    // last, by a rename.
    let needles = [env.dir.path().to_str().unwrap(), url];
    let deadline = Instant::now() + Duration::from_secs(30);
    while !(page_file.exists() && processes_mentioning(&needles).is_empty()) {
        assert!(
            Instant::now() < deadline,
            "the browser did not finish: page file written: {}, processes left: {:#?}\n{stderr}",
            page_file.exists(),
            processes_mentioning(&needles),
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    serde_json::from_str(&std::fs::read_to_string(page_file).unwrap()).expect("page file is JSON")
}

/// An environment whose `$BROWSER` is Chromium, with its page file and private TMPDIR.
fn chromium_env() -> (Env, PathBuf, PathBuf) {
    let browser = chromium_browser();
    let mut env = Env::new();
    env.set("BROWSER", browser.to_str().unwrap());
    let page_file = env.dir.path().join("page.json");
    env.set("OAT_TEST_PAGE_FILE", page_file.to_str().unwrap());
    // The browser's temporary profile goes here, so that leftovers (files or processes) of this
    // test can be told from anything else on the machine.
    let tmp = env.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    env.set("TMPDIR", tmp.to_str().unwrap());
    (env, page_file, tmp)
}

#[test]
fn a_real_browser_signs_in_to_the_demo_server() {
    let (env, page_file, tmp) = chromium_env();
    let out = run(env.oat().args(["demo", "--timeout", "45s"]));
    assert_eq!(out.code, 0, "the demo through Chromium failed:\n{}", out.stderr);
    assert!(out.stderr.contains("Logged in as alice"), "the name typed on the demo page: {}", out.stderr);
    assert!(out.stderr.contains("That was the whole flow"), "{}", out.stderr);
    let urls = env.browser_log();
    assert_eq!(urls.len(), 1, "{urls:?}");
    let page = finished_page(&env, &page_file, &urls[0], &out.stderr);
    assert_eq!(page["url_path"], "/callback", "{page}");
    assert_eq!(page["title"], "oat: Logged in", "{page}");
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "the browser or the demo left {left:?} in TMPDIR");
}
