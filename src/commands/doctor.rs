//! `oat doctor [NAME]`: one ✓ or ✗ line per check, with the fix under each ✗; `--json` too.
//! The integrations set up for a profile (git, kubectl, docker) are checks of their own.
//! Exit 0 only when every check passes. `oat audit ISSUER`: a server's metadata against RFC 9700
//! (and FAPI 2.0), with the same lines.

use super::App;
use crate::cli::AuditArgs;
use crate::config::Issuer;
use crate::error::ExitStatus;
use crate::flow::doctor::{self, Check, Environment, Status};
use anyhow::Context as _;
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
        Ok((config, path)) => (Some(config), Check::pass("config", format!("{} parses", path.display()))),
        Err(e) => (None, Check::fail("config", format!("{e:#}"), "fix the file at the line named")),
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
    let ok = config_check.ok() && results.iter().all(|(_, checks)| checks.iter().all(Check::ok));
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

/// `✓`, `!` or `✗`, then the check and what was found; the fix on a line of its own.
pub(super) fn line(check: &Check) -> String {
    let mark = match check.status {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
    };
    let mut text = format!("{mark} {}: {}", check.check, check.detail);
    if let Some(fix) = &check.fix {
        text.push_str(&format!("\n      fix: {fix}"));
    }
    text
}

/// `oat audit ISSUER [--fapi2]`: one line per check with the section it applies, or the JSON
/// array of `{check, status, detail, reference}`; exit 1 when a check fails.
pub fn audit(app: &App, args: AuditArgs) -> anyhow::Result<ExitStatus> {
    let issuer = Issuer::parse(&args.issuer).with_context(|| format!("the issuer `{}`", args.issuer))?;
    let http = app.http(None);
    let checks = crate::flow::audit::audit(&http, &issuer, args.fapi2, crate::time::now())
        .with_context(|| format!("auditing `{issuer}`"))?;
    let p = &app.printer;
    if p.json {
        let lines: Vec<Reported<'_>> = checks.iter().map(Reported::from).collect();
        p.json(&lines)?;
    } else {
        let lines: Vec<String> = checks
            .iter()
            .map(|c| match c.reference {
                Some(reference) => format!("{}  [{reference}]", line(c)),
                None => line(c),
            })
            .collect();
        p.data(&lines.join("\n"))?;
    }
    let failed = checks.iter().filter(|c| !c.ok()).count();
    let warned = checks.iter().filter(|c| c.status == Status::Warn).count();
    p.note(&format!("{} checks: {failed} failed, {warned} warned.", checks.len()));
    Ok(if failed == 0 { ExitStatus::Success } else { ExitStatus::Failure })
}

/// A check as `oat audit --json` and `oat verify --json` show it.
#[derive(Serialize)]
pub(super) struct Reported<'a> {
    check: &'a str,
    status: Status,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
}

impl<'a> From<&'a Check> for Reported<'a> {
    fn from(c: &'a Check) -> Self {
        Reported { check: c.check, status: c.status, detail: &c.detail, reference: c.reference }
    }
}
