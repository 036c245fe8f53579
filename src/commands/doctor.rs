//! `oat doctor [NAME]`: one ✓ or ✗ line per check, with the fix under each ✗; `--json` too.
//! The integrations set up for a profile (git, kubectl, docker) are checks of their own.
//! Exit 0 only when every check passes.

use super::App;
use crate::error::ExitStatus;
use crate::flow::doctor::{self, Check, Environment};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    config: &'a Check,
    profiles: Vec<ProfileReport<'a>>,
}

#[derive(Serialize)]
struct ProfileReport<'a> {
    profile: &'a str,
    checks: &'a [Check],
}

/// The checks that report an integration: present only when it is set up for the profile.
const INTEGRATIONS: [&str; 3] = ["git", "kubectl", "docker"];

/// `oat doctor [NAME]`
pub fn doctor(app: &App, only: Option<&str>) -> anyhow::Result<ExitStatus> {
    let config_check = match app.config() {
        Ok((config, path)) => {
            (Some(config), Check { check: "config", ok: true, detail: format!("{} parses", path.display()), fix: None })
        }
        Err(e) => (
            None,
            Check {
                check: "config",
                ok: false,
                detail: format!("{e:#}"),
                fix: Some("fix the file at the line named".into()),
            },
        ),
    };
    let (config, config_check) = config_check;
    let mut results: Vec<(String, Vec<Check>)> = Vec::new();
    if let Some(config) = &config {
        let names: Vec<String> = match only {
            Some(name) => {
                config.profile(name)?;
                vec![name.to_string()]
            }
            None => config.profiles.keys().cloned().collect(),
        };
        for name in names {
            let mut checks = app.with_profile(&name, |ports, profile| {
                let env = Environment {
                    browser: std::env::var_os("BROWSER"),
                    cacert: app.global.cacert.as_ref().or(profile.cacert.as_ref()).map(|p| p.display().to_string()),
                };
                let mut checks = doctor::check_profile(ports, profile, env);
                checks.extend(super::git::doctor_check(app, profile));
                Ok(checks)
            })?;
            checks.extend(super::kube::doctor_check(&name));
            checks.extend(super::docker::check(config, &name));
            results.push((name, checks));
        }
    }
    let ok = config_check.ok && results.iter().all(|(_, checks)| checks.iter().all(|c| c.ok));
    let p = &app.printer;
    if p.json {
        let profiles = results.iter().map(|(name, checks)| ProfileReport { profile: name, checks }).collect();
        p.json(&Report { ok, config: &config_check, profiles })?;
    } else {
        let mut lines = vec![line(&config_check)];
        if config.as_ref().is_some_and(|c| c.profiles.is_empty()) {
            lines.push("  no profiles yet: add one with `oat profile add NAME --issuer URL --client-id ID`".into());
        }
        for (name, checks) in &results {
            lines.push(format!("profile `{name}`"));
            lines.extend(checks.iter().map(|c| format!("  {}", line(c))));
            if !checks.iter().any(|c| INTEGRATIONS.contains(&c.check)) {
                lines.push(format!("  · no integration set up: `oat setup git|kubectl|docker {name}` adds one"));
            }
        }
        p.data(&lines.join("\n"))?;
    }
    Ok(if ok { ExitStatus::Success } else { ExitStatus::Failure })
}

fn line(check: &Check) -> String {
    let mark = if check.ok { "✓" } else { "✗" };
    let mut text = format!("{mark} {}: {}", check.check, check.detail);
    if let Some(fix) = &check.fix {
        text.push_str(&format!("\n      fix: {fix}"));
    }
    text
}
