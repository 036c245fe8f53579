//! What the server offers of pushed, signed and JWT-answered authorization requests (PAR, JAR,
//! JARM), rich authorization requests (RFC 9396) and certificate-bound tokens (RFC 8705), read
//! from its metadata, and whether the profile asks for something the server does not offer:
//! for `oat discover` (a summary), `oat profile add` (warnings) and `oat doctor` (checks with
//! fixes).

use super::Check;
use crate::config::{Endpoint, NamedProfile};
use crate::oauth::discovery::Metadata;
use crate::oauth::mtls::Aliases;

/// One line each for what the server offers of these features; empty if nothing.
pub fn offered(m: &Metadata) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(types) = &m.authorization_details_types_supported {
        lines.push(format!("rich authorization requests (RFC 9396), types: {}", list(types)));
    }
    if let Some(aliases) = &m.mtls_endpoint_aliases {
        lines.push(format!("mTLS endpoint aliases (RFC 8705 §5) for: {}", list(&aliased(aliases))));
    }
    if m.tls_client_certificate_bound_access_tokens {
        lines.push("certificate-bound access tokens (RFC 8705 §3)".into());
    }
    lines
}

/// The RAR check: present when the profile asks for details or the server offers them.
pub fn rar(m: &Metadata, profile: &NamedProfile<'_>) -> Option<Check> {
    let name = profile.name;
    let supported = m.authorization_details_types_supported.as_ref();
    let Some(details) = &profile.authorization_details else {
        return supported.map(|types| {
            Check::pass(
                "rar",
                format!("the server takes authorization_details ({}); the profile asks for none", list(types)),
            )
        });
    };
    let asked = details.types();
    let fix = |offer: &str| {
        format!("{offer}, or stop asking: oat profile add {name} … --force without --authorization-details")
    };
    Some(match supported {
        None => Check::fail(
            "rar",
            format!(
                "the profile asks for authorization_details ({}) but the server's metadata names no authorization_details_types_supported",
                list(asked)
            ),
            fix("check that the server supports RFC 9396"),
        ),
        Some(types) => {
            let unknown: Vec<String> = asked.iter().filter(|t| !types.contains(t)).cloned().collect();
            if unknown.is_empty() {
                Check::pass("rar", format!("the profile asks for {}; the server supports them", list(asked)))
            } else {
                Check::fail(
                    "rar",
                    format!("the server does not support the type {} (it supports {})", list(&unknown), list(types)),
                    fix(&format!("use a type the server supports ({})", list(types))),
                )
            }
        }
    })
}

/// The mTLS check: present when the profile has a client certificate or the server offers
/// certificate-bound tokens or aliases.
pub fn mtls(m: &Metadata, profile: &NamedProfile<'_>) -> Option<Check> {
    let name = profile.name;
    let bound = if m.tls_client_certificate_bound_access_tokens {
        "the server binds tokens to certificates"
    } else {
        "the server does not say it binds tokens to certificates"
    };
    let Some(cert) = &profile.client_cert else {
        return (m.mtls_endpoint_aliases.is_some() || m.tls_client_certificate_bound_access_tokens)
            .then(|| Check::pass("mtls", format!("{bound}; the profile presents no client certificate")));
    };
    let Some(aliases) = &m.mtls_endpoint_aliases else {
        return Some(Check::pass(
            "mtls",
            format!(
                "the profile presents {}; the server has no mTLS aliases, so its plain endpoints take it; {bound}",
                cert.display()
            ),
        ));
    };
    let plain: Vec<&str> = mismatched(aliases, profile).into_iter().map(|(field, _)| field).collect();
    Some(if plain.is_empty() {
        Check::pass(
            "mtls",
            format!(
                "the profile presents {} at the server's mTLS aliases ({}); {bound}",
                cert.display(),
                list(&aliased(aliases))
            ),
        )
    } else {
        Check::fail(
            "mtls",
            format!(
                "the profile presents a certificate but not at the server's mTLS aliases for: {}",
                plain.join(", ")
            ),
            format!("add the profile again to take the aliases: oat profile add {name} --issuer … --cert … --force"),
        )
    })
}

/// The endpoint the server names for `field` for this profile: its mTLS alias when the
/// profile presents a certificate and the server has one, else the plain one.
pub fn expected<'m>(
    m: &'m Metadata,
    profile: &NamedProfile<'_>,
    field: &str,
    plain: &'m Option<String>,
) -> &'m Option<String> {
    let alias = match (&profile.client_cert, &m.mtls_endpoint_aliases) {
        (Some(_), Some(aliases)) => alias(aliases, field),
        _ => None,
    };
    match alias {
        Some(alias) if alias.is_some() => alias,
        _ => plain,
    }
}

fn alias<'a>(aliases: &'a Aliases, field: &str) -> Option<&'a Option<String>> {
    Some(match field {
        "token_endpoint" => &aliases.token_endpoint,
        "revocation_endpoint" => &aliases.revocation_endpoint,
        "introspection_endpoint" => &aliases.introspection_endpoint,
        "userinfo_endpoint" => &aliases.userinfo_endpoint,
        "device_authorization_endpoint" => &aliases.device_authorization_endpoint,
        "pushed_authorization_request_endpoint" => &aliases.pushed_authorization_request_endpoint,
        _ => return None,
    })
}

/// The profile's endpoints that have an alias but are not it: (field, the alias).
fn mismatched<'a>(aliases: &'a Aliases, profile: &NamedProfile<'_>) -> Vec<(&'static str, &'a str)> {
    let mine: [(&'static str, &Option<Endpoint>); 5] = [
        ("token_endpoint", &profile.token_endpoint),
        ("revocation_endpoint", &profile.revocation_endpoint),
        ("introspection_endpoint", &profile.introspection_endpoint),
        ("userinfo_endpoint", &profile.userinfo_endpoint),
        ("device_authorization_endpoint", &profile.device_authorization_endpoint),
    ];
    mine.into_iter()
        .filter_map(|(field, endpoint)| {
            let alias = alias(aliases, field)?.as_deref()?;
            let endpoint = endpoint.as_ref()?;
            (endpoint.url().as_str() != alias && endpoint.to_string() != alias).then_some((field, alias))
        })
        .collect()
}

/// The endpoints that have an alias, by their short names.
fn aliased(aliases: &Aliases) -> Vec<String> {
    [
        ("token", &aliases.token_endpoint),
        ("introspection", &aliases.introspection_endpoint),
        ("revocation", &aliases.revocation_endpoint),
        ("userinfo", &aliases.userinfo_endpoint),
        ("device authorization", &aliases.device_authorization_endpoint),
        ("PAR", &aliases.pushed_authorization_request_endpoint),
    ]
    .into_iter()
    .filter(|(_, url)| url.is_some())
    .map(|(name, _)| name.to_string())
    .collect()
}

fn list(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

/// PAR, request objects and JARM: what the server offers (from its metadata, else what the
/// profile learned when it was added) against what the profile uses. A profile that asks for
/// one the server does not offer fails, with the fix.
pub fn check_hardening(profile: &NamedProfile<'_>, metadata: Option<&Metadata>) -> Vec<Check> {
    let name = profile.name;
    let readd = format!("oat profile add {name} --issuer … --force");
    let mut checks = Vec::new();

    let par_endpoint = metadata.map_or(profile.pushed_authorization_request_endpoint.is_some(), |m| {
        m.pushed_authorization_request_endpoint.is_some()
    });
    let required =
        metadata.map_or(profile.require_pushed_authorization_requests, |m| m.require_pushed_authorization_requests);
    let uses = if profile.par { "the profile uses it (par = true)" } else { "the profile does not ask for it" };
    checks.push(if !par_endpoint {
        if profile.par {
            Check::fail(
                "par",
                "the profile asks for PAR, and the server offers no pushed authorization request endpoint",
                format!("drop `par = true` from [profiles.{name}] (or re-add it without --par)"),
            )
        } else {
            Check::pass("par", "the server does not offer PAR; the profile does not use it")
        }
    } else if profile.pushed_authorization_request_endpoint.is_none() && (profile.par || required) {
        Check::fail(
            "par",
            "the server offers PAR, and the profile does not know its endpoint",
            format!("refresh the profile: {readd}"),
        )
    } else if profile.pushed_authorization_request_endpoint.is_none() {
        // A profile added before oat knew PAR: nothing fails until it is asked for.
        Check::pass("par", format!("the server offers PAR; the profile predates it (refresh it to use --par: {readd})"))
    } else if required && !profile.require_pushed_authorization_requests && !profile.par {
        Check::fail(
            "par",
            "the server now requires PAR, and the profile does not know it",
            format!("refresh the profile: {readd}"),
        )
    } else if required {
        Check::pass("par", "the server requires PAR; every login pushes its request")
    } else {
        Check::pass("par", format!("the server offers PAR; {uses} (`oat login {name} --par` pushes once)"))
    });

    let algs = metadata.map(|m| &m.request_object_signing_alg_values_supported);
    let key_alg = || {
        let key = profile.private_key().ok()?;
        crate::oauth::assertion::SigningKey::load(key, profile.key_id.as_deref()).ok().map(|k| k.algorithm())
    };
    checks.push(match (profile.request_object, algs) {
        (Some(_), Some(algs)) => match key_alg() {
            None => Check::fail("request object", "the profile's key cannot be loaded to sign request objects", "give the profile a usable key: oat profile add … --key FILE --force"),
            Some(alg) if algs.iter().any(|a| a == alg) => Check::pass("request object", format!("signed with {alg}, which the server accepts")),
            Some(alg) if algs.is_empty() => Check::fail("request object", format!("the profile signs request objects ({alg}), and the server lists no request_object_signing_alg_values_supported"), format!("drop `request_object` from [profiles.{name}]")),
            Some(alg) => Check::fail("request object", format!("the profile signs request objects with {alg}, and the server accepts only {}", algs.join(", ")), "use a key of an algorithm the server accepts (--key FILE)"),
        },
        (Some(_), None) => Check::pass("request object", "signed with the profile's key (the server's metadata is not at hand to compare)"),
        (None, Some(algs)) if !algs.is_empty() => Check::pass("request object", format!("the server accepts request objects ({}); the profile does not use them", algs.join(", "))),
        (None, _) => Check::pass("request object", "the profile does not use request objects"),
    });

    let jarm = metadata.map(|m| m.response_modes_supported.iter().any(|r| r == "jwt" || r == "query.jwt"));
    checks.push(match (profile.response_mode, jarm) {
        (Some(mode), Some(false)) => Check::fail(
            "jarm",
            format!(
                "the profile asks for response_mode {}, and the server's response_modes_supported has no jwt",
                mode.as_str()
            ),
            format!("drop `response_mode` from [profiles.{name}]"),
        ),
        (Some(mode), _) => {
            Check::pass("jarm", format!("responses come as signed JWTs ({}), checked before use", mode.as_str()))
        }
        (None, Some(true)) => {
            Check::pass("jarm", "the server offers JWT responses (JARM); the profile does not use them")
        }
        (None, _) => Check::pass("jarm", "the profile does not use JWT responses (JARM)"),
    });
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{AuthorizationDetails, Profile};

    fn metadata(types: Option<&[&str]>, aliases: bool) -> Metadata {
        Metadata {
            token_endpoint: Some("https://as.example/token".into()),
            authorization_details_types_supported: types.map(|t| t.iter().map(|s| s.to_string()).collect()),
            mtls_endpoint_aliases: aliases.then(|| Aliases {
                token_endpoint: Some("https://mtls.as.example/token".into()),
                ..Aliases::default()
            }),
            tls_client_certificate_bound_access_tokens: aliases,
            ..Metadata::default()
        }
    }

    fn profile(details: Option<&str>, cert: bool, token: &str) -> Profile {
        Profile {
            authorization_details: details.map(|d| AuthorizationDetails::parse(d).unwrap()),
            client_cert: cert.then(|| "/c.pem".into()),
            token_endpoint: Some(Endpoint::parse(token).unwrap()),
            ..Profile::default()
        }
    }

    #[test]
    fn a_profile_asking_for_a_type_the_server_lacks_fails_with_the_fix() {
        let p = profile(Some(r#"[{"type":"payment_initiation"}]"#), false, "https://as.example/token");
        let named = NamedProfile { name: "pay", profile: &p };
        assert!(rar(&metadata(Some(&["payment_initiation"]), false), &named).unwrap().ok());
        let other = rar(&metadata(Some(&["account_information"]), false), &named).unwrap();
        assert!(
            !other.ok() && other.detail.contains("payment_initiation") && other.detail.contains("account_information")
        );
        let none = rar(&metadata(None, false), &named).unwrap();
        assert!(!none.ok() && none.fix.unwrap().contains("oat profile add pay"));
        let plain = profile(None, false, "https://as.example/token");
        let named = NamedProfile { name: "p", profile: &plain };
        assert!(rar(&metadata(None, false), &named).is_none(), "nothing to say");
        assert!(rar(&metadata(Some(&["x"]), false), &named).unwrap().detail.contains("asks for none"));
    }

    #[test]
    fn a_certificate_profile_must_use_the_aliases() {
        let m = metadata(None, true);
        let at_alias = profile(None, true, "https://mtls.as.example/token");
        assert!(mtls(&m, &NamedProfile { name: "m", profile: &at_alias }).unwrap().ok());
        let plain = profile(None, true, "https://as.example/token");
        let check = mtls(&m, &NamedProfile { name: "m", profile: &plain }).unwrap();
        assert!(!check.ok() && check.detail.contains("token_endpoint"), "{check:?}");
        let no_cert = profile(None, false, "https://as.example/token");
        assert!(
            mtls(&m, &NamedProfile { name: "m", profile: &no_cert }).unwrap().detail.contains("no client certificate")
        );
        assert!(mtls(&metadata(None, false), &NamedProfile { name: "m", profile: &no_cert }).is_none());
        // Discovery compares a certificate profile's endpoints with the aliases.
        let named = NamedProfile { name: "m", profile: &at_alias };
        assert_eq!(
            expected(&m, &named, "token_endpoint", &m.token_endpoint).as_deref(),
            Some("https://mtls.as.example/token")
        );
    }

    #[test]
    fn discover_lists_what_is_offered() {
        let lines = offered(&metadata(Some(&["payment_initiation"]), true));
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains("payment_initiation") && lines[1].contains("token"));
        assert!(offered(&Metadata::default()).is_empty());
    }
}
