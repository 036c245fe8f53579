//! `oat audit`: a server's published metadata against the OAuth 2.0 Security Best Current
//! Practice (RFC 9700) and, when asked, the FAPI 2.0 Security Profile (§5.3.2, §5.4). Every
//! check runs even after one fails; each names the section it applies. Only the metadata and
//! its key set are fetched; what cannot be seen from them (refresh-token rotation, how strictly
//! PKCE is enforced) is not judged.

use super::doctor::{self, Check, Status};
use crate::config::{Endpoint, EndpointError, Issuer};
use crate::http::Http;
use crate::oauth::{self, discovery};
use base64::Engine as _;
use serde_json::Value;

/// Clock differences above this warn; above [`SKEW_FAIL`] they fail.
const SKEW_WARN: i64 = 60;
/// Five minutes: tokens with short lives break beyond it.
const SKEW_FAIL: i64 = 300;
/// A certificate with fewer days left than this warns.
const CERT_WARN_DAYS: i64 = 14;
/// The smallest RSA key RFC 7518 §3.3 and §3.5 accept.
const RSA_MIN_BITS: usize = 2048;

/// Runs every check against the metadata of `issuer` (and, with `fapi2`, those of FAPI 2.0).
/// Fails only when the server cannot be reached at all; a server that answers with no
/// metadata gives a failed `discovery` check.
pub fn audit(http: &Http, issuer: &Issuer, fapi2: bool, now: u64) -> Result<Vec<Check>, oauth::Error> {
    let found = match discovery::fetch(http, issuer) {
        Ok(found) => found,
        Err(e @ oauth::Error::Transport(_)) => return Err(e),
        Err(e) => {
            let detail = e.to_string();
            return Ok(vec![Check::against("discovery", Status::Fail, detail, "RFC 8414 §3; OIDC Discovery §4")]);
        }
    };
    let doc = &found.document;
    let m = &found.metadata;
    let mut checks = vec![check_issuer(issuer, &m.issuer, &found.url), check_https(doc)];
    if m.authorization_endpoint.is_some() {
        checks.push(check_pkce(&m.code_challenge_methods_supported));
        checks.push(check_response_types(strings(doc, "response_types_supported")));
        checks.push(check_iss_parameter(m.authorization_response_iss_parameter_supported));
    } else {
        // No redirect-based flow: PKCE, response types and the `iss` parameter do not apply.
        let detail = "no authorization_endpoint: no redirect-based flow to protect";
        checks.push(Check::against("authorization", Status::Pass, detail, "RFC 9700 §2.1"));
    }
    checks.push(check_password(strings(doc, "grant_types_supported")));
    checks.extend(check_keys(http, m.jwks_uri.as_deref()));
    checks.extend(check_id_token_algs(doc));
    checks.push(check_sender_constraint(doc, Status::Warn, "sender_constraint", "RFC 9700 §2.2.1"));
    if found.url.scheme() == "https" {
        checks.push(check_certificate(found.certificate.as_ref(), now));
    }
    checks.push(check_clock(now, found.date.as_deref()));
    if fapi2 {
        checks.extend(check_fapi2(doc, m));
    }
    Ok(checks)
}

/// A metadata field that is an array of strings (absent: empty).
fn strings<'a>(doc: &'a Value, field: &str) -> Vec<&'a str> {
    doc.get(field).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

/// The `issuer` in the metadata must be exactly the URL it was fetched for (RFC 8414 §3.3).
fn check_issuer(asked: &Issuer, named: &str, url: &url::Url) -> Check {
    const REFERENCE: &str = "RFC 8414 §3.3; OIDC Discovery §4.3";
    let (status, detail) = if named == asked.as_str() {
        (Status::Pass, format!("{url} names `{named}`, the issuer asked for"))
    } else if *asked == *named {
        (
            Status::Warn,
            format!(
                "{url} names `{named}`, which differs from `{asked}` by a trailing slash: clients compare exactly; use `{named}`"
            ),
        )
    } else {
        (Status::Fail, format!("{url} names `{named}`, not `{asked}`: clients must refuse this metadata"))
    };
    Check::against("issuer", status, detail, REFERENCE)
}

/// Every URL in the metadata over https; plain http only warns on loopback (a test server).
fn check_https(doc: &Value) -> Check {
    let mut urls: Vec<(String, &str)> = Vec::new();
    if let Some(fields) = doc.as_object() {
        for (name, value) in fields {
            let is_url = name == "issuer" || name.ends_with("_endpoint") || name.ends_with("_uri");
            match value {
                Value::String(text) if is_url => urls.push((name.clone(), text)),
                Value::Object(aliases) if name == "mtls_endpoint_aliases" => {
                    for (alias, text) in aliases {
                        if let Some(text) = text.as_str() {
                            urls.push((format!("mtls_endpoint_aliases.{alias}"), text));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let (mut loopback, mut plain) = (Vec::new(), Vec::new());
    for (name, text) in &urls {
        match Endpoint::parse(text) {
            Ok(e) if e.url().scheme() == "https" => {}
            Ok(_) => loopback.push(name.as_str()),
            Err(EndpointError::PlainHttp(_)) => plain.push(name.as_str()),
            Err(_) => plain.push(name.as_str()),
        }
    }
    let (status, detail) = if !plain.is_empty() {
        (Status::Fail, format!("not https: {}", plain.join(", ")))
    } else if !loopback.is_empty() {
        (Status::Warn, format!("plain http on loopback (a test server?): {}", loopback.join(", ")))
    } else {
        (Status::Pass, format!("all {} URLs are https", urls.len()))
    };
    Check::against("https", status, detail, "RFC 6749 §3.1, §3.2; RFC 8414 §2")
}

/// PKCE with S256 advertised (RFC 9700 §2.1.1); `plain` alone is no protection.
fn check_pkce(methods: &[String]) -> Check {
    let has = |m: &str| methods.iter().any(|x| x == m);
    let (status, detail) = match (has("S256"), has("plain")) {
        (true, false) => (Status::Pass, "S256".to_string()),
        (true, true) => (Status::Pass, "S256 (plain is offered too; clients should send S256)".to_string()),
        (false, true) => (Status::Fail, "only `plain`: the code challenge gives the verifier away".to_string()),
        (false, false) if methods.is_empty() => {
            (Status::Fail, "code_challenge_methods_supported is absent: clients cannot tell PKCE is supported".into())
        }
        (false, false) => (Status::Fail, format!("no S256 in {methods:?}")),
    };
    Check::against("pkce", status, detail, "RFC 9700 §2.1.1; RFC 7636 §4.2")
}

/// No access tokens in the authorization response (implicit and hybrid `token` types, RFC
/// 9700 §2.1.2); ID tokens in the front channel only warn.
fn check_response_types(types: Vec<&str>) -> Check {
    let words = |t: &str| t.split(' ').map(str::to_string).collect::<Vec<_>>();
    let implicit: Vec<&str> = types.iter().copied().filter(|t| words(t).iter().any(|w| w == "token")).collect();
    let front: Vec<&str> = types.iter().copied().filter(|t| words(t).iter().any(|w| w == "id_token")).collect();
    let (status, detail) = if !implicit.is_empty() {
        (Status::Fail, format!("access tokens in the authorization response: {}", implicit.join(", ")))
    } else if !front.is_empty() {
        (Status::Warn, format!("ID tokens in the front channel (implicit or hybrid): {}", front.join(", ")))
    } else if types.is_empty() {
        (Status::Warn, "response_types_supported is absent".to_string())
    } else {
        (Status::Pass, types.join(", "))
    };
    Check::against("response_types", status, detail, "RFC 9700 §2.1.2")
}

/// Authorization responses name their issuer, so clients can tell servers apart (RFC 9207).
fn check_iss_parameter(supported: bool) -> Check {
    let (status, detail) = match supported {
        true => (Status::Pass, "authorization responses carry `iss` (mix-up defence)"),
        false => (
            Status::Warn,
            "authorization_response_iss_parameter_supported is not true: clients cannot tell which server answered",
        ),
    };
    Check::against("iss_parameter", status, detail, "RFC 9207 §3; RFC 9700 §4.4.2")
}

/// The resource owner password credentials grant must not be used (RFC 9700 §2.4).
fn check_password(grants: Vec<&str>) -> Check {
    let (status, detail) = match grants.contains(&"password") {
        true => (Status::Warn, "the password grant is advertised: it exposes the user's credentials to the client"),
        false => (Status::Pass, "the password grant is not advertised"),
    };
    Check::against("password_grant", status, detail, "RFC 9700 §2.4")
}

/// The key set is reachable and holds no weak keys: RSA under 2048 bits (RFC 7518 §3.3),
/// symmetric keys (a published secret).
fn check_keys(http: &Http, jwks_uri: Option<&str>) -> Vec<Check> {
    const REFERENCE: &str = "RFC 8414 §2; RFC 7517 §5";
    let Some(uri) = jwks_uri else {
        return vec![Check::against("jwks", Status::Warn, "no jwks_uri: signed tokens cannot be checked", REFERENCE)];
    };
    let keys = Endpoint::parse(uri)
        .map_err(|e| e.to_string())
        .and_then(|url| discovery::jwks(http, url.url()).map_err(|e| e.to_string()));
    let keys = match keys {
        Ok(keys) => keys,
        Err(why) => return vec![Check::against("jwks", Status::Fail, format!("{uri}: {why}"), REFERENCE)],
    };
    let entries = keys.get("keys").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut weak = Vec::new();
    for key in entries {
        let field = |f: &str| key.get(f).and_then(Value::as_str);
        let name = field("kid").unwrap_or("(no kid)");
        match field("kty") {
            Some("RSA") => match field("n").map(rsa_bits) {
                Some(bits) if bits >= RSA_MIN_BITS => {}
                Some(bits) => weak.push(format!("{name}: RSA {bits} bits")),
                None => weak.push(format!("{name}: RSA without a modulus")),
            },
            Some("oct") => weak.push(format!("{name}: a symmetric key, published")),
            _ => {}
        }
    }
    let reachable = Check::against("jwks", Status::Pass, format!("{uri}: {} key(s)", entries.len()), REFERENCE);
    let strength = match weak.is_empty() {
        true => {
            Check::against("weak_keys", Status::Pass, "no RSA key under 2048 bits, no symmetric key", "RFC 7518 §3.3")
        }
        false => Check::against("weak_keys", Status::Fail, weak.join("; "), "RFC 7518 §3.3; RFC 8725 §3.5"),
    };
    vec![reachable, strength]
}

/// The size in bits of an RSA modulus given as base64url (RFC 7518 §6.3.1.1).
fn rsa_bits(n: &str) -> usize {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(n.trim_end_matches('=')).unwrap_or_default();
    let bytes: Vec<u8> = bytes.into_iter().skip_while(|b| *b == 0).collect();
    match bytes.first() {
        Some(first) => bytes.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

/// ID tokens are signed, and not with a shared secret (RFC 8725 §3.1–3.2).
fn check_id_token_algs(doc: &Value) -> Option<Check> {
    let algs = strings(doc, "id_token_signing_alg_values_supported");
    if algs.is_empty() {
        return None;
    }
    let list = algs.join(", ");
    let (status, detail) = if algs.iter().any(|a| a.eq_ignore_ascii_case("none")) {
        (Status::Fail, format!("{list}: unsigned ID tokens (`none`) are offered"))
    } else if algs.iter().any(|a| a.starts_with("HS")) {
        (Status::Warn, format!("{list}: ID tokens signed with the client secret cannot be checked by anyone else"))
    } else {
        (Status::Pass, list)
    };
    Some(Check::against("id_token_algs", status, detail, "RFC 8725 §3.1; OIDC Core §10.1"))
}

/// Access tokens can be bound to the client: DPoP (RFC 9449) or mTLS (RFC 8705).
fn check_sender_constraint(doc: &Value, missing: Status, check: &'static str, reference: &'static str) -> Check {
    let dpop = strings(doc, "dpop_signing_alg_values_supported");
    let mtls = doc.get("tls_client_certificate_bound_access_tokens").and_then(Value::as_bool) == Some(true);
    let mut offered = Vec::new();
    if !dpop.is_empty() {
        offered.push(format!("DPoP ({})", dpop.join(", ")));
    }
    if mtls {
        offered.push("mTLS-bound tokens".to_string());
    }
    match offered.is_empty() {
        true => Check::against(
            check,
            missing,
            "neither DPoP nor mTLS-bound tokens: access tokens are bearer tokens",
            reference,
        ),
        false => Check::against(check, Status::Pass, offered.join("; "), reference),
    }
}

/// Days left on the server's certificate: fail when expired, warn under two weeks.
fn check_certificate(certificate: Option<&crate::x509::Summary>, now: u64) -> Check {
    const REFERENCE: &str = "RFC 5280 §4.1.2.5";
    let Some(cert) = certificate else {
        return Check::against("certificate", Status::Warn, "the server's certificate could not be read", REFERENCE);
    };
    let left = cert.not_after.as_second() - now as i64;
    let days = left.div_euclid(86_400);
    let (status, detail) = if left < 0 {
        (Status::Fail, format!("{} expired on {}", cert.subject, cert.not_after))
    } else if days < CERT_WARN_DAYS {
        (Status::Warn, format!("{} expires on {} ({days} days left)", cert.subject, cert.not_after))
    } else {
        (Status::Pass, format!("{} valid until {} ({days} days left)", cert.subject, cert.not_after))
    };
    Check::against("certificate", status, detail, REFERENCE)
}

/// The server's clock (its `Date` header) against this one's.
fn check_clock(now: u64, date: Option<&str>) -> Check {
    const REFERENCE: &str = "RFC 9110 §6.6.1; RFC 7519 §4.1.4";
    let (status, detail) = match doctor::skew(now, date) {
        Err(why) => (Status::Warn, why),
        Ok(skew) if skew.abs() <= SKEW_WARN => {
            (Status::Pass, format!("within {}s of this machine's", skew.abs().max(1)))
        }
        Ok(skew) if skew.abs() <= SKEW_FAIL => (Status::Warn, doctor::describe_skew(skew)),
        Ok(skew) => (Status::Fail, format!("{}: token lifetimes will be misjudged", doctor::describe_skew(skew))),
    };
    Check::against("clock", status, detail, REFERENCE)
}

/// The authorization server's part of the FAPI 2.0 Security Profile that metadata shows.
fn check_fapi2(doc: &Value, m: &discovery::Metadata) -> Vec<Check> {
    let verdict = |ok: bool| if ok { Status::Pass } else { Status::Fail };
    let par = match (&m.pushed_authorization_request_endpoint, m.require_pushed_authorization_requests) {
        (Some(url), true) => (Status::Pass, format!("required, at {url}")),
        (Some(url), false) => {
            (Status::Fail, format!("offered at {url} but not required (require_pushed_authorization_requests)"))
        }
        (None, _) => (Status::Fail, "no pushed_authorization_request_endpoint".to_string()),
    };
    let types = strings(doc, "response_types_supported");
    let methods = &m.code_challenge_methods_supported;
    let auth = &m.token_endpoint_auth_methods_supported;
    let strong: Vec<&str> = auth
        .iter()
        .map(String::as_str)
        .filter(|a| matches!(*a, "private_key_jwt" | "tls_client_auth" | "self_signed_tls_client_auth"))
        .collect();
    let secret: Vec<&str> = auth.iter().map(String::as_str).filter(|a| a.starts_with("client_secret")).collect();
    let client_auth = match (strong.is_empty(), secret.is_empty()) {
        (true, _) => (Status::Fail, format!("neither private_key_jwt nor mTLS among {auth:?}")),
        (false, true) => (Status::Pass, strong.join(", ")),
        (false, false) => (
            Status::Warn,
            format!(
                "{}; also {}, which FAPI 2.0 clients must not be allowed to use",
                strong.join(", "),
                secret.join(", ")
            ),
        ),
    };
    let algs = strings(doc, "id_token_signing_alg_values_supported");
    let other: Vec<&str> = algs.iter().copied().filter(|a| !matches!(*a, "PS256" | "ES256" | "EdDSA")).collect();
    let algs_check = match (algs.is_empty(), other.is_empty()) {
        (true, _) => (Status::Pass, "no ID tokens (not an OpenID provider)".to_string()),
        (false, true) => (Status::Pass, algs.join(", ")),
        (false, false) => (Status::Fail, format!("{} not allowed (only PS256, ES256, EdDSA)", other.join(", "))),
    };
    vec![
        Check::against("fapi2_par", par.0, par.1, "FAPI 2.0 SP §5.3.2.2"),
        Check::against(
            "fapi2_response_types",
            verdict(types == ["code"]),
            format!("{}{}", types.join(", "), if types == ["code"] { "" } else { ": only `code` is allowed" }),
            "FAPI 2.0 SP §5.3.2.2",
        ),
        Check::against(
            "fapi2_pkce",
            verdict(methods.iter().any(|x| x == "S256")),
            format!("code_challenge_methods_supported: {methods:?}"),
            "FAPI 2.0 SP §5.3.2.2",
        ),
        check_sender_constraint(doc, Status::Fail, "fapi2_sender_constraint", "FAPI 2.0 SP §5.3.2.1"),
        Check::against("fapi2_client_auth", client_auth.0, client_auth.1, "FAPI 2.0 SP §5.3.2.1"),
        Check::against(
            "fapi2_iss_parameter",
            verdict(m.authorization_response_iss_parameter_supported),
            format!(
                "authorization_response_iss_parameter_supported: {}",
                m.authorization_response_iss_parameter_supported
            ),
            "FAPI 2.0 SP §5.3.2.2",
        ),
        Check::against("fapi2_id_token_algs", algs_check.0, algs_check.1, "FAPI 2.0 SP §5.4.1"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rsa_modulus_sizes_are_counted_in_bits() {
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(rsa_bits(&b64(&[0x80; 256])), 2048);
        assert_eq!(rsa_bits(&b64(&[0xc0; 128])), 1024);
        assert_eq!(rsa_bits(&b64(&[0x00, 0x01, 0xff])), 9, "leading zero bytes and bits do not count");
        assert_eq!(rsa_bits("!!"), 0);
    }

    #[test]
    fn response_types_that_put_tokens_in_the_front_channel_are_named() {
        assert_eq!(check_response_types(vec!["code"]).status, Status::Pass);
        let hybrid = check_response_types(vec!["code", "code id_token"]);
        assert_eq!(hybrid.status, Status::Warn);
        let implicit = check_response_types(vec!["code", "token", "code id_token token"]);
        assert_eq!(implicit.status, Status::Fail);
        assert!(implicit.detail.contains("token, code id_token token"), "{}", implicit.detail);
    }

    #[test]
    fn pkce_needs_s256() {
        let of = |m: &[&str]| check_pkce(&m.iter().map(|s| s.to_string()).collect::<Vec<_>>()).status;
        assert_eq!(of(&["S256"]), Status::Pass);
        assert_eq!(of(&["plain", "S256"]), Status::Pass);
        assert_eq!(of(&["plain"]), Status::Fail);
        assert_eq!(of(&[]), Status::Fail);
    }

    #[test]
    fn loopback_http_warns_and_other_http_fails() {
        let doc =
            |u: &str| json!({"issuer": "https://as.example", "token_endpoint": u, "jwks_uri": "https://as.example/k"});
        assert_eq!(check_https(&doc("https://as.example/t")).status, Status::Pass);
        assert_eq!(check_https(&doc("http://127.0.0.1:9/t")).status, Status::Warn);
        let plain = check_https(&doc("http://as.example/t"));
        assert_eq!((plain.status, plain.detail.as_str()), (Status::Fail, "not https: token_endpoint"));
    }

    #[test]
    fn the_clock_warns_over_a_minute_and_fails_over_five() {
        let date = "Wed, 02 Dec 2026 05:00:00 GMT";
        let at = jiff::fmt::rfc2822::parse(date).unwrap().timestamp().as_second() as u64;
        assert_eq!(check_clock(at + 30, Some(date)).status, Status::Pass);
        assert_eq!(check_clock(at + 120, Some(date)).status, Status::Warn);
        let off = check_clock(at - 600, Some(date));
        assert_eq!(off.status, Status::Fail);
        assert!(off.detail.contains("behind"), "{}", off.detail);
        assert_eq!(check_clock(at, None).status, Status::Warn);
    }

    #[test]
    fn certificates_close_to_their_end_warn() {
        let cert = |days: i64| crate::x509::Summary {
            subject: "CN=as".into(),
            not_after: jiff::Timestamp::from_second(1_000_000_000 + days * 86_400).unwrap(),
        };
        let now = 1_000_000_000;
        assert_eq!(check_certificate(Some(&cert(90)), now).status, Status::Pass);
        assert_eq!(check_certificate(Some(&cert(3)), now).status, Status::Warn);
        assert_eq!(check_certificate(Some(&cert(-1)), now).status, Status::Fail);
    }
}
