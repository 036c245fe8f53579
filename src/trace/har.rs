//! A trace as HAR 1.2 (<http://www.softwareishard.com/blog/har-12-spec/>), the archive that
//! browser dev tools and HAR viewers open. What HAR has no field for (the process, profile
//! and command, a transport error, TLS) goes in `_`-prefixed fields, as the format allows.

use super::{Body, Record};
use serde_json::{Value, json};

/// The HAR 1.2 document of these records.
pub fn render(records: &[Record]) -> Value {
    json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "oat", "version": env!("CARGO_PKG_VERSION")},
            "pages": [],
            "entries": records.iter().map(entry).collect::<Vec<_>>(),
        }
    })
}

fn entry(record: &Record) -> Value {
    let mut entry = json!({
        "startedDateTime": record.time,
        "time": record.duration_ms,
        "request": request(record),
        "response": response(record),
        "cache": {},
        "timings": timings(record),
        "_oat": {"pid": record.pid, "profile": record.profile, "command": record.command, "exchange": record.exchange},
    });
    if let Some(error) = &record.error {
        entry["_error"] = json!(error);
        entry["comment"] = json!(error);
    }
    if let Some(tls) = &record.tls {
        entry["_tls"] = json!(tls);
    }
    entry
}

/// HAR's phases: the wait for the answer's head, then reading the body; the rest (DNS,
/// connecting, TLS, sending) is inside the wait, as the client does not report it apart.
fn timings(record: &Record) -> Value {
    let wait = record.wait_ms.unwrap_or(record.duration_ms).min(record.duration_ms);
    json!({"blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0, "wait": wait, "receive": record.duration_ms - wait})
}

fn request(record: &Record) -> Value {
    let query: Vec<Value> = url::Url::parse(&record.url)
        .map(|u| u.query_pairs().map(|(name, value)| json!({"name": name, "value": value})).collect())
        .unwrap_or_default();
    let version = record.response.as_ref().map_or("HTTP/1.1", |r| version(&r.version));
    let mut request = json!({
        "method": record.method,
        "url": record.url,
        "httpVersion": version,
        "cookies": [],
        "headers": headers(&record.request.headers),
        "queryString": query,
        "headersSize": -1,
        "bodySize": record.request.body.as_ref().map_or(0, |b| b.size),
    });
    if let Some(body) = &record.request.body {
        let mut post = json!({"mimeType": mime(&record.request.headers, body), "text": text(body)});
        if let Some(form) = &body.form {
            post["params"] = form.iter().map(|(name, value)| json!({"name": name, "value": value})).collect();
        }
        request["postData"] = post;
    }
    request
}

fn response(record: &Record) -> Value {
    let Some(answer) = &record.response else {
        // No answer: HAR's convention (as browsers write it) is status 0.
        return json!({
            "status": 0, "statusText": "", "httpVersion": "", "cookies": [], "headers": [],
            "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": -1,
            "_error": record.error,
        });
    };
    let location = answer.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("location")).map(|(_, v)| v.as_str());
    let mut content = json!({"size": 0, "mimeType": "x-unknown"});
    if let Some(body) = &answer.body {
        content = json!({"size": body.size, "mimeType": mime(&answer.headers, body), "text": text(body)});
        if let Some(note) = body.note() {
            content["comment"] = json!(note);
        }
    }
    json!({
        "status": answer.status,
        "statusText": answer.reason,
        "httpVersion": version(&answer.version),
        "cookies": [],
        "headers": headers(&answer.headers),
        "content": content,
        "redirectURL": location.unwrap_or(""),
        "headersSize": -1,
        "bodySize": answer.body.as_ref().map_or(-1, |b| i64::try_from(b.size).unwrap_or(-1)),
    })
}

/// `HTTP/1.1` as HAR writes it; the client's `HTTP/2.0` is `HTTP/2`.
fn version(version: &str) -> &str {
    match version {
        "" => "HTTP/1.1",
        "HTTP/2.0" => "HTTP/2",
        "HTTP/3.0" => "HTTP/3",
        other => other,
    }
}

fn headers(headers: &[(String, String)]) -> Vec<Value> {
    headers.iter().map(|(name, value)| json!({"name": name, "value": value})).collect()
}

/// The body's `Content-Type`, else what its shape says.
fn mime(headers: &[(String, String)], body: &Body) -> String {
    let named = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.clone());
    named.unwrap_or_else(|| {
        if body.json.is_some() {
            "application/json".into()
        } else if body.form.is_some() {
            "application/x-www-form-urlencoded".into()
        } else if body.text.is_some() {
            "text/plain".into()
        } else {
            "application/octet-stream".into()
        }
    })
}

/// The body as text, redacted as the trace holds it.
fn text(body: &Body) -> String {
    if let Some(json) = &body.json {
        return serde_json::to_string_pretty(json).unwrap_or_default();
    }
    if let Some(form) = &body.form {
        let mut text = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in form {
            text.append_pair(k, v);
        }
        return text.finish();
    }
    body.text.clone().or_else(|| body.note()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::{Answer, Message};
    use super::*;

    #[test]
    fn an_exchange_and_a_failure_become_entries() {
        let ok = Record {
            time: "2026-12-02T05:10:34.123Z".into(),
            pid: 7,
            profile: Some("gh".into()),
            command: Some("token".into()),
            exchange: 1,
            method: "POST".into(),
            url: "https://as.example/token?x=1".into(),
            request: Message {
                headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
                body: Some(Body { size: 9, form: Some(vec![("a".into(), "b c".into())]), ..Body::default() }),
            },
            response: Some(Answer {
                status: 200,
                reason: "OK".into(),
                version: "HTTP/1.1".into(),
                headers: vec![("content-type".into(), "application/json".into())],
                body: Some(Body { size: 8, json: Some(json!({"a": 1})), ..Body::default() }),
            }),
            error: None,
            duration_ms: 12,
            wait_ms: Some(10),
            tls: None,
        };
        let failed = Record { response: None, error: Some("no answer within 1s".into()), ..ok.clone() };
        let har = render(&[ok, failed]);
        let entries = har["log"]["entries"].as_array().unwrap();
        assert_eq!(har["log"]["version"], "1.2");
        assert_eq!(entries[0]["request"]["postData"]["text"], "a=b+c");
        assert_eq!(entries[0]["request"]["postData"]["params"][0]["value"], "b c");
        assert_eq!(entries[0]["request"]["queryString"][0], json!({"name": "x", "value": "1"}));
        assert_eq!(entries[0]["response"]["content"]["mimeType"], "application/json");
        assert_eq!(
            (entries[0]["timings"]["wait"].as_u64(), entries[0]["timings"]["receive"].as_u64()),
            (Some(10), Some(2))
        );
        assert_eq!(entries[1]["response"]["status"], 0);
        assert_eq!(entries[1]["_error"], "no answer within 1s");
    }
}
