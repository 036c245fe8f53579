//! `oat trace FILE`: a trace file (`OAT_TRACE`) for a person, one line per exchange (`-v`:
//! with headers and bodies), as JSON (`--json`), or as HAR 1.2 (`--har OUT`). Lines that are
//! not records (one cut short by a killed process) are named on stderr and skipped.

use super::App;
use crate::cli::TraceArgs;
use crate::error::{ExitStatus, usage};
use crate::trace::{self, Body, Record};
use std::collections::BTreeSet;
use std::path::Path;

/// How many lines that are not records are named one by one.
const SHOWN_BAD_LINES: usize = 10;

/// `oat trace FILE [--har OUT]`
pub fn show(app: &App, args: TraceArgs) -> anyhow::Result<ExitStatus> {
    let p = app.printer;
    let file = args.file.display();
    let read = trace::read(&args.file).map_err(|e| usage(format!("cannot read the trace file {file}: {e}")))?;
    // A few are enough to see what is wrong; a file that is not a trace at all would
    // otherwise bury the terminal.
    for (line, reason) in read.bad.iter().take(SHOWN_BAD_LINES) {
        p.warn(&format!("{file}:{line}: not a trace record ({reason}); skipped"));
    }
    if read.bad.len() > SHOWN_BAD_LINES {
        p.warn(&format!("{file}: {} more lines are not trace records; skipped", read.bad.len() - SHOWN_BAD_LINES));
    }
    if read.records.is_empty() && !read.bad.is_empty() {
        return Err(usage(format!("{file} holds no trace records; is it the file OAT_TRACE named?")));
    }
    let records: Vec<Record> = read.records.into_iter().map(|(_, r)| r).collect();
    if let Some(out) = &args.har {
        let mut har = serde_json::to_vec_pretty(&trace::har::render(&records))?;
        har.push(b'\n');
        if out == Path::new("-") {
            p.raw(&har)?;
        } else {
            crate::private_file::write_atomic(out, &har)
                .map_err(|e| usage(format!("cannot write the HAR file {}: {e}", out.display())))?;
            p.note(&format!("Wrote {} exchanges to {} (HAR 1.2).", records.len(), out.display()));
        }
        return Ok(ExitStatus::Success);
    }
    if p.json {
        p.json(&records)?;
        return Ok(ExitStatus::Success);
    }
    let pids: BTreeSet<u32> = records.iter().map(|r| r.pid).collect();
    for record in &records {
        p.data(&line(record, pids.len() > 1))?;
        if p.verbose > 0 {
            for detail in details(record) {
                p.data(&format!("    {detail}"))?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

/// One exchange: time, [pid], profile, command, method, URL, status or error, duration, and
/// the OAuth error the answer carries.
fn line(record: &Record, pid: bool) -> String {
    let mut parts = vec![record.time.clone()];
    if pid {
        parts.push(format!("[{}]", record.pid));
    }
    parts.push(record.profile.clone().unwrap_or_else(|| "-".into()));
    parts.push(record.command.clone().unwrap_or_else(|| "-".into()));
    parts.push(format!("{} {}", record.method, record.url));
    match (&record.response, &record.error) {
        (_, Some(error)) => parts.push(format!("failed: {error}")),
        (Some(answer), None) => parts.push(format!("{} {}", answer.status, answer.reason)),
        (None, None) => parts.push("no answer".into()),
    }
    parts.push(format!("{} ms", record.duration_ms));
    if let Some(error) = record.response.as_ref().and_then(|a| a.body.as_ref()).and_then(Body::oauth_error) {
        parts.push(error);
    }
    printable(&parts.join("  "))
}

/// `-v`: the headers and bodies of an exchange, and its TLS, as `-v` showed them.
fn details(record: &Record) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(tls) = &record.tls {
        let mut parts = Vec::new();
        parts.extend(tls.version.clone());
        parts.extend(tls.subject.as_ref().map(|s| format!("server certificate {s}")));
        parts.extend(tls.not_after.as_ref().map(|t| format!("valid until {t}")));
        lines.push(format!("* {}", parts.join(", ")));
    }
    lines.extend(record.request.headers.iter().map(|(k, v)| format!("> {k}: {v}")));
    lines.extend(body(record.request.body.as_ref()).into_iter().map(|l| format!(">   {l}")));
    if let Some(answer) = &record.response {
        lines.push(format!("< {} {} {}", answer.version, answer.status, answer.reason));
        lines.extend(answer.headers.iter().map(|(k, v)| format!("< {k}: {v}")));
        lines.extend(body(answer.body.as_ref()).into_iter().map(|l| format!("<   {l}")));
    }
    lines.into_iter().map(|l| printable(&l)).collect()
}

/// A body's lines: JSON pretty-printed, forms one field a line.
fn body(body: Option<&Body>) -> Vec<String> {
    let Some(body) = body else { return Vec::new() };
    if let Some(json) = &body.json {
        return serde_json::to_string_pretty(json).unwrap_or_default().lines().map(str::to_string).collect();
    }
    if let Some(form) = &body.form {
        return form.iter().map(|(k, v)| format!("{k}={v}")).collect();
    }
    let mut lines: Vec<String> = body.text.as_deref().unwrap_or_default().lines().map(str::to_string).collect();
    if body.truncated {
        lines.push(format!("[… cut at {} KiB of {} bytes]", trace::TEXT_LIMIT / 1024, body.size));
    }
    lines.extend(body.note());
    lines
}

/// Text from a file as a terminal may show it: control characters (escape sequences) dropped.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Answer, Message};

    #[test]
    fn a_line_names_the_exchange_and_its_oauth_error() {
        let error = serde_json::json!({"error": "invalid_grant", "error_description": "grant \u{1b}[31mexpired"});
        let record = Record {
            time: "2026-12-02T05:10:34.123Z".into(),
            pid: 42,
            profile: Some("gh".into()),
            command: Some("refresh".into()),
            exchange: 1,
            method: "POST".into(),
            url: "https://as.example/token".into(),
            request: Message::default(),
            response: Some(Answer {
                status: 400,
                reason: "Bad Request".into(),
                body: Some(Body { size: 60, json: Some(error), ..Body::default() }),
                ..Answer::default()
            }),
            error: None,
            duration_ms: 8,
            wait_ms: None,
            tls: None,
        };
        assert_eq!(
            line(&record, false),
            "2026-12-02T05:10:34.123Z  gh  refresh  POST https://as.example/token  400 Bad Request  8 ms  invalid_grant: grant [31mexpired"
        );
        assert!(line(&record, true).contains("Z  [42]  gh"));
    }
}
