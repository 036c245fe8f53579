//! How a request and its answer change on the way through the local proxy: the upstream URL
//! of a request target (never above the upstream's path), the headers that go upstream and
//! back (hop-by-hop ones, credentials and cookies stay behind, RFC 9110 §7.6.1), a redirect
//! pointed back at the proxy, and the target as the log shows it.

use super::{cors_headers, header, printable, tokens, values};
use url::Url;

/// Hop-by-hop headers (RFC 9110 §7.6.1), besides those `Connection` names and `Proxy-*`.
const HOP_BY_HOP: [&str; 6] = ["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"];

/// Whether a header is hop-by-hop in a message with these headers.
fn hop_by_hop(name: &str, headers: &[(String, String)]) -> bool {
    let name = name.to_ascii_lowercase();
    HOP_BY_HOP.contains(&name.as_str())
        || name.starts_with("proxy-")
        || values(headers, "connection").iter().any(|v| tokens(v).any(|t| t.eq_ignore_ascii_case(&name)))
}

/// The client's headers that go upstream: not the hop-by-hop ones, nor its own credentials and
/// cookies (oat's token replaces them; the browser's cookies for 127.0.0.1 are every local
/// app's), nor what the proxy answers for itself (`Host`, `Content-Length`, `Expect`, `Origin`).
pub(super) fn request_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    const OWN: [&str; 6] = ["host", "authorization", "cookie", "content-length", "expect", "origin"];
    headers
        .iter()
        .filter(|(name, _)| !hop_by_hop(name, headers) && !OWN.iter().any(|o| name.eq_ignore_ascii_case(o)))
        .cloned()
        .collect()
}

/// The upstream's headers that go to the client, and its `Content-Length`: not the hop-by-hop
/// ones, nor cookies (the browser would keep them for every local app), nor its CORS headers
/// and `Alt-Svc` (they are the upstream's, not the proxy's); CORS headers for `cors` instead,
/// and a `Location` as `relocate` has it.
pub(super) fn response_headers(
    headers: &[(String, String)],
    cors: Option<&str>,
    relocate: &dyn Fn(&str) -> String,
) -> (Vec<tiny_http::Header>, Option<usize>) {
    let length = header(headers, "content-length").and_then(|v| v.trim().parse().ok());
    let dropped = |name: &str| {
        let name = name.to_ascii_lowercase();
        hop_by_hop(&name, headers)
            || matches!(name.as_str(), "content-length" | "set-cookie" | "alt-svc")
            || name.starts_with("access-control-")
    };
    let mut out: Vec<tiny_http::Header> = headers
        .iter()
        .filter(|(name, _)| !dropped(name))
        .filter_map(|(name, value)| {
            let value = if name.eq_ignore_ascii_case("location") { relocate(value) } else { value.clone() };
            tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
        })
        .collect();
    for (name, value) in cors_headers(cors) {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            out.push(header);
        }
    }
    (out, length)
}

/// A redirect to a URL below the upstream, pointed back at the proxy (`own`, its origin), so that
/// a client that follows it still gets the token; any other `Location` is left as it is.
pub(super) fn relocate(location: &str, upstream: &Url, own: &str) -> String {
    let absolute = location.starts_with('/') && !location.starts_with("//");
    let parsed = if absolute { upstream.join(location) } else { Url::parse(location) };
    let Ok(url) = parsed else { return location.to_string() };
    let base = upstream.path().trim_end_matches('/');
    let rest = &url[url::Position::BeforePath..];
    match rest.strip_prefix(base) {
        Some(below)
            if url.origin() == upstream.origin() && (below.is_empty() || below.starts_with(['/', '?', '#'])) =>
        {
            format!("{own}{}{below}", if below.starts_with('/') { "" } else { "/" })
        }
        _ => location.to_string(),
    }
}

/// The upstream URL for a request target: the target's path below the upstream's path, and its
/// query. Only a path is taken (not `*` or a full URL), and no `.` or `..` segment, so that no
/// request leaves the upstream's path.
pub(super) fn upstream_url(upstream: &Url, target: &str) -> Result<Url, String> {
    if !target.starts_with('/') {
        return Err(format!("only a path is forwarded, not `{}`", printable(target)));
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let dots = |segment: &str| {
        matches!(segment.to_ascii_lowercase().as_str(), "." | ".." | "%2e" | ".%2e" | "%2e." | "%2e%2e")
    };
    if path.contains(['\\', '#']) || path.split('/').any(dots) {
        return Err(format!("a path with `.` or `..` segments is not forwarded: `{}`", printable(path)));
    }
    let mut url = upstream.clone();
    url.set_path(&format!("{}{path}", upstream.path().trim_end_matches('/')));
    url.set_query(query);
    Ok(url)
}

/// A request target as the log shows it: secret query values masked, at most 200 characters.
pub(super) fn shown_target(target: &str) -> String {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let mut shown = path.to_string();
    if let Some(query) = query {
        let masked: Vec<String> = query
            .split('&')
            .map(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                let secret =
                    url::form_urlencoded::parse(key.as_bytes()).any(|(k, _)| crate::redact::is_secret_field(&k));
                if secret { format!("{key}={}", crate::redact::MASK) } else { pair.to_string() }
            })
            .collect();
        shown.push('?');
        shown.push_str(&masked.join("&"));
    }
    let mut shown = printable(&shown);
    if shown.chars().count() > 200 {
        shown = shown.chars().take(200).chain("…".chars()).collect();
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn hop_by_hop_headers_credentials_and_cookies_stay_behind() {
        let client = headers(&[
            ("Host", "127.0.0.1:8001"),
            ("Connection", "keep-alive, X-Hop"),
            ("X-Hop", "1"),
            ("Keep-Alive", "timeout=5"),
            ("Proxy-Authorization", "Basic eDp5"),
            ("TE", "trailers"),
            ("Authorization", "Bearer the-clients-own"),
            ("Cookie", "session=other-local-app"),
            ("Content-Length", "3"),
            ("Expect", "100-continue"),
            ("Origin", "http://localhost:3000"),
            ("Accept", "application/json"),
            ("X-Custom", "kept"),
        ]);
        let names: Vec<String> = request_headers(&client).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["Accept", "X-Custom"]);

        let upstream = headers(&[
            ("content-type", "application/json"),
            ("content-length", "1234"),
            ("transfer-encoding", "chunked"),
            ("connection", "close, x-upstream-hop"),
            ("x-upstream-hop", "1"),
            ("set-cookie", "track=1"),
            ("access-control-allow-origin", "*"),
            ("proxy-authenticate", "Basic"),
            ("www-authenticate", "Bearer error=\"invalid_token\""),
        ]);
        let (out, length) = response_headers(&upstream, Some("http://localhost:3000"), &|l| l.to_string());
        let names: Vec<String> = out.iter().map(|h| h.field.as_str().as_str().to_ascii_lowercase()).collect();
        assert_eq!(length, Some(1234));
        assert_eq!(
            names,
            [
                "content-type",
                "www-authenticate",
                "access-control-allow-origin",
                "access-control-expose-headers",
                "vary"
            ]
        );
        assert_eq!(out[2].value.as_str(), "http://localhost:3000");
    }

    #[test]
    fn redirects_below_the_upstream_come_back_to_the_proxy() {
        let upstream = Url::parse("https://api.example/v1/").unwrap();
        let own = "http://127.0.0.1:8001";
        let to = |location| relocate(location, &upstream, own);
        assert_eq!(to("https://api.example/v1/items/2?x=1"), "http://127.0.0.1:8001/items/2?x=1");
        assert_eq!(to("/v1/items"), "http://127.0.0.1:8001/items");
        assert_eq!(to("https://api.example/v1"), "http://127.0.0.1:8001/");
        assert_eq!(to("https://API.example:443/v1/a"), "http://127.0.0.1:8001/a");
        for kept in
            ["https://api.example/v2/items", "https://api.example/v10", "https://login.example/", "items/2", "//evil/x"]
        {
            assert_eq!(to(kept), kept);
        }
    }

    #[test]
    fn targets_go_below_the_upstream_path_and_never_above_it() {
        let base = Url::parse("https://api.example/v1/").unwrap();
        let to = |target| upstream_url(&base, target).map(|u| u.to_string());
        assert_eq!(to("/users?page=2&q=a%20b").unwrap(), "https://api.example/v1/users?page=2&q=a%20b");
        assert_eq!(to("/").unwrap(), "https://api.example/v1/");
        let bare = Url::parse("http://127.0.0.1:9000").unwrap();
        assert_eq!(upstream_url(&bare, "/a/b%2Fc").unwrap().as_str(), "http://127.0.0.1:9000/a/b%2Fc");
        for bad in ["*", "http://evil.example/x", "/../admin", "/a/%2e%2E/admin", "/a/./b", "/a\\..\\b", "/.%2e/x"] {
            assert!(to(bad).is_err(), "{bad}");
        }
        assert!(to("/a..b/...").is_ok(), "dots inside a segment are a name");
    }

    #[test]
    fn the_log_masks_secret_query_values_and_control_characters() {
        assert_eq!(
            shown_target("/cb?code=abc&state=s%20t&access%5Ftoken=x"),
            "/cb?code=[redacted]&state=s%20t&access%5Ftoken=[redacted]"
        );
        assert_eq!(shown_target("/x\u{1b}[31m"), "/x?[31m");
        assert!(shown_target(&format!("/{}", "a".repeat(500))).chars().count() <= 201);
    }
}
