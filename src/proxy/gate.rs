//! Who may use the local proxy: requests addressed to it (`Host`, against DNS rebinding), and
//! from no web page, its own origin or one allowed with `--allow-origin` (`Origin`,
//! `Sec-Fetch-Site`); a CORS preflight of an allowed origin is answered here.

use super::{header, printable, tokens, values};

/// What the gate decided.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Forward it; the answer carries CORS headers for this allowed foreign origin, if any.
    Forward { cors: Option<String> },
    /// A CORS preflight of an allowed origin: answered here with these headers.
    Preflight(Vec<(&'static str, String)>),
    /// Refused, with this status and reason.
    Refuse { status: u16, reason: String },
}

/// Who may use the proxy: requests addressed to it (`Host`), from no web page or its own
/// origin or an allowed one (`Origin`, `Sec-Fetch-Site`).
pub(super) struct Gate {
    pub(super) port: u16,
    /// Allowed foreign origins, as `scheme://host[:port]`, lowercase.
    pub(super) allowed: Vec<String>,
}

impl Gate {
    pub(super) fn judge(&self, method: &str, headers: &[(String, String)]) -> Verdict {
        let refuse = |status, reason: String| Verdict::Refuse { status, reason };
        match values(headers, "host").as_slice() {
            [host] if self.is_own_host(host) => {}
            [] => return refuse(400, "a request without a Host header is not forwarded".into()),
            [host] => {
                return refuse(
                    421,
                    format!(
                        "Host `{}` is not this proxy's address (127.0.0.1:{port} or localhost:{port})",
                        printable(host),
                        port = self.port
                    ),
                );
            }
            _ => return refuse(400, "a request with several Host headers is not forwarded".into()),
        }
        if values(headers, "connection").iter().any(|v| tokens(v).any(|t| t.eq_ignore_ascii_case("upgrade"))) {
            return refuse(501, "protocol upgrades (WebSocket) are not forwarded".into());
        }
        let origin = match values(headers, "origin").as_slice() {
            [] => {
                // A page of another site (an image, a link, a form sent without an Origin).
                if let Some(site) = header(headers, "sec-fetch-site")
                    && !matches!(site.trim(), "same-origin" | "none")
                {
                    return refuse(
                        403,
                        format!(
                            "a request from a page of another site (Sec-Fetch-Site: {}) is not forwarded",
                            printable(site)
                        ),
                    );
                }
                None
            }
            [origin] => {
                let origin = origin.trim().to_ascii_lowercase();
                if !self.is_own_origin(&origin) && !self.allowed.contains(&origin) {
                    return refuse(
                        403,
                        format!(
                            "Origin `{}` may not use this proxy; start it with --allow-origin {} to let that page in",
                            printable(&origin),
                            printable(&origin)
                        ),
                    );
                }
                Some(origin)
            }
            _ => return refuse(403, "a request with several Origin headers is not forwarded".into()),
        };
        let requested = header(headers, "access-control-request-method");
        if method == "OPTIONS"
            && let (Some(origin), Some(requested)) = (&origin, requested)
        {
            return self.preflight(origin, requested, headers);
        }
        Verdict::Forward { cors: origin.filter(|o| !self.is_own_origin(o)) }
    }

    /// The answer to a CORS preflight from an origin that may use the proxy.
    fn preflight(&self, origin: &str, requested: &str, headers: &[(String, String)]) -> Verdict {
        let requested = requested.trim();
        let asked_headers = header(headers, "access-control-request-headers").unwrap_or("").trim();
        let is_token =
            |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !is_token(requested) || !tokens(asked_headers).all(is_token) {
            return Verdict::Refuse {
                status: 400,
                reason: "a CORS preflight that names no valid method or headers".into(),
            };
        }
        let mut allow = vec![
            ("Access-Control-Allow-Origin", origin.to_string()),
            ("Access-Control-Allow-Methods", requested.to_string()),
            ("Access-Control-Max-Age", "600".to_string()),
            ("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers".to_string()),
        ];
        if !asked_headers.is_empty() {
            allow.push(("Access-Control-Allow-Headers", asked_headers.to_string()));
        }
        // Chrome's Private Network Access: a public page asking for a local address.
        if header(headers, "access-control-request-private-network").is_some_and(|v| v.trim() == "true") {
            allow.push(("Access-Control-Allow-Private-Network", "true".to_string()));
        }
        Verdict::Preflight(allow)
    }

    fn is_own_host(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) => (name, port.parse::<u16>().ok()),
            None => (host.as_str(), Some(80)),
        };
        matches!(name, "127.0.0.1" | "localhost") && port == Some(self.port)
    }

    fn is_own_origin(&self, origin: &str) -> bool {
        let port = if self.port == 80 { String::new() } else { format!(":{}", self.port) };
        origin == format!("http://127.0.0.1{port}") || origin == format!("http://localhost{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn gate() -> Gate {
        Gate { port: 8001, allowed: vec!["http://localhost:3000".into()] }
    }

    fn refused(verdict: Verdict) -> u16 {
        match verdict {
            Verdict::Refuse { status, .. } => status,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn only_requests_addressed_to_the_proxy_pass() {
        let g = gate();
        for host in ["127.0.0.1:8001", "localhost:8001", "LOCALHOST:8001"] {
            assert_eq!(g.judge("GET", &headers(&[("Host", host)])), Verdict::Forward { cors: None }, "{host}");
        }
        for host in ["evil.example:8001", "127.0.0.1:8002", "127.0.0.1", "localhost.evil.example:8001", "[::1]:8001"] {
            assert_eq!(refused(g.judge("GET", &headers(&[("Host", host)]))), 421, "{host}");
        }
        assert_eq!(refused(g.judge("GET", &[])), 400);
        assert_eq!(refused(g.judge("GET", &headers(&[("Host", "127.0.0.1:8001"), ("Host", "evil:1")]))), 400);
        let on_80 = Gate { port: 80, allowed: Vec::new() };
        assert_eq!(on_80.judge("GET", &headers(&[("Host", "localhost")])), Verdict::Forward { cors: None });
    }

    #[test]
    fn web_pages_pass_only_from_the_proxy_or_an_allowed_origin() {
        let g = gate();
        let with = |extra: &[(&str, &str)]| {
            let mut h = headers(&[("Host", "127.0.0.1:8001")]);
            h.extend(headers(extra));
            g.judge("GET", &h)
        };
        assert_eq!(with(&[("Origin", "http://127.0.0.1:8001")]), Verdict::Forward { cors: None });
        assert_eq!(with(&[("Origin", "http://localhost:8001")]), Verdict::Forward { cors: None });
        assert_eq!(
            with(&[("Origin", "http://LocalHost:3000")]),
            Verdict::Forward { cors: Some("http://localhost:3000".into()) }
        );
        for origin in ["http://evil.example", "null", "http://localhost:3001", "https://localhost:3000"] {
            assert_eq!(refused(with(&[("Origin", origin)])), 403, "{origin}");
        }
        assert_eq!(refused(with(&[("Sec-Fetch-Site", "cross-site")])), 403);
        assert_eq!(refused(with(&[("Sec-Fetch-Site", "same-site")])), 403);
        assert_eq!(with(&[("Sec-Fetch-Site", "same-origin")]), Verdict::Forward { cors: None });
        assert_eq!(with(&[("Sec-Fetch-Site", "none")]), Verdict::Forward { cors: None });
        assert_eq!(refused(with(&[("Connection", "Upgrade"), ("Upgrade", "websocket")])), 501);
    }

    #[test]
    fn preflights_are_answered_here_for_allowed_origins_only() {
        let g = gate();
        let preflight = |origin: &str, extra: &[(&str, &str)]| {
            let mut h =
                headers(&[("Host", "127.0.0.1:8001"), ("Origin", origin), ("Access-Control-Request-Method", "PUT")]);
            h.extend(headers(extra));
            g.judge("OPTIONS", &h)
        };
        let Verdict::Preflight(allow) = preflight(
            "http://localhost:3000",
            &[
                ("Access-Control-Request-Headers", "content-type, x-trace"),
                ("Access-Control-Request-Private-Network", "true"),
            ],
        ) else {
            panic!("a preflight")
        };
        let get = |name| allow.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("Access-Control-Allow-Origin"), Some("http://localhost:3000"));
        assert_eq!(get("Access-Control-Allow-Methods"), Some("PUT"));
        assert_eq!(get("Access-Control-Allow-Headers"), Some("content-type, x-trace"));
        assert_eq!(get("Access-Control-Allow-Private-Network"), Some("true"));
        assert_eq!(refused(preflight("http://evil.example", &[])), 403);
        assert_eq!(refused(preflight("http://localhost:3000", &[("Access-Control-Request-Headers", "a\tb")])), 400);
        // An OPTIONS without the preflight's header is an ordinary request.
        let h = headers(&[("Host", "127.0.0.1:8001"), ("Origin", "http://localhost:3000")]);
        assert_eq!(g.judge("OPTIONS", &h), Verdict::Forward { cors: Some("http://localhost:3000".into()) });
    }
}
