//! Security profiles a profile can declare (`--security-profile`, config `security_profile`):
//! FAPI 2.0 Security Profile (§5.3.2, the client's part) as a set of choices made for the
//! profile where oat can make them (PAR, DPoP) and rules it must meet where only the user can
//! (the client's authentication, the server's PAR endpoint).

use super::{ClientAuthMethod, Flow, Profile};
use serde::{Deserialize, Serialize};

/// A security profile oat knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum SecurityProfile {
    /// FAPI 2.0 Security Profile: PAR, PKCE S256, private_key_jwt or mTLS client
    /// authentication, sender-constrained tokens (DPoP or mTLS), `iss` in the authorization
    /// response.
    #[serde(rename = "fapi2")]
    #[value(name = "fapi2")]
    Fapi2,
}

impl SecurityProfile {
    /// Makes the choices the security profile leaves to oat: every login pushes its request
    /// (PAR), and tokens are bound to a DPoP key unless a client certificate binds them.
    pub fn apply(self, profile: &mut Profile) {
        match self {
            SecurityProfile::Fapi2 => {
                profile.par = true;
                profile.pkce = true;
                if profile.client_cert.is_none() {
                    profile.dpop = true;
                }
            }
        }
    }

    /// What `profile` lacks to meet the security profile, in words that name the fix; `None`
    /// when it meets it.
    pub fn unmet(self, profile: &Profile) -> Option<String> {
        match self {
            SecurityProfile::Fapi2 => fapi2_unmet(profile),
        }
    }
}

fn fapi2_unmet(profile: &Profile) -> Option<String> {
    let fapi = "FAPI 2.0 (--security-profile fapi2)";
    if profile.flow != Flow::AuthorizationCode {
        return Some(format!("{fapi} covers the authorization code flow, not {}: drop --flow", profile.flow));
    }
    if profile.issuer.is_none() {
        return Some(format!(
            "{fapi} needs the server's issuer (client assertions name it, and the authorization response must): pass --issuer URL"
        ));
    }
    if !profile.par || profile.pushed_authorization_request_endpoint.is_none() {
        return Some(format!(
            "{fapi} needs pushed authorization requests, and the server offers no pushed_authorization_request_endpoint (PAR, RFC 9126)"
        ));
    }
    if !profile.pkce {
        return Some(format!("{fapi} needs PKCE (S256): remove `pkce = false`"));
    }
    match profile.client_auth {
        Some(ClientAuthMethod::PrivateKeyJwt | ClientAuthMethod::TlsClientAuth) => {}
        other => {
            let used = other.map_or_else(|| "no client authentication".to_string(), |m| m.as_str().to_string());
            return Some(format!(
                "{fapi} needs private_key_jwt (--key FILE) or tls_client_auth (--cert FILE --key FILE) client authentication, not {used}"
            ));
        }
    }
    if !profile.dpop && profile.client_cert.is_none() {
        return Some(format!(
            "{fapi} needs sender-constrained tokens: --dpop, or a client certificate (--cert) for mTLS-bound tokens"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready() -> Profile {
        let mut profile = Profile {
            issuer: Some(super::super::Issuer::parse("https://as.example").unwrap()),
            pushed_authorization_request_endpoint: Some(
                super::super::Endpoint::parse("https://as.example/par").unwrap(),
            ),
            client_auth: Some(ClientAuthMethod::PrivateKeyJwt),
            private_key: Some("/k.pem".into()),
            ..Profile::default()
        };
        SecurityProfile::Fapi2.apply(&mut profile);
        profile
    }

    #[test]
    fn fapi2_turns_on_par_and_dpop_and_then_is_met() {
        let profile = ready();
        assert!(profile.par && profile.dpop && profile.pkce);
        assert_eq!(SecurityProfile::Fapi2.unmet(&profile), None);
    }

    #[test]
    fn a_client_certificate_binds_the_tokens_instead_of_dpop() {
        let mut profile = Profile {
            client_cert: Some("/c.pem".into()),
            client_auth: Some(ClientAuthMethod::TlsClientAuth),
            ..ready()
        };
        profile.dpop = false;
        SecurityProfile::Fapi2.apply(&mut profile);
        assert!(!profile.dpop);
        assert_eq!(SecurityProfile::Fapi2.unmet(&profile), None);
    }

    #[test]
    fn each_unmet_rule_names_its_fix() {
        let unmet = |change: fn(&mut Profile)| {
            let mut profile = ready();
            change(&mut profile);
            SecurityProfile::Fapi2.unmet(&profile).unwrap()
        };
        assert!(unmet(|p| p.flow = Flow::ClientCredentials).contains("authorization code flow"));
        assert!(unmet(|p| p.issuer = None).contains("--issuer"));
        assert!(
            unmet(|p| p.pushed_authorization_request_endpoint = None).contains("pushed_authorization_request_endpoint")
        );
        assert!(unmet(|p| p.pkce = false).contains("PKCE"));
        assert!(
            unmet(|p| p.client_auth = Some(ClientAuthMethod::ClientSecretBasic)).contains("not client_secret_basic")
        );
        assert!(unmet(|p| p.client_auth = None).contains("not no client authentication"));
        assert!(unmet(|p| p.dpop = false).contains("sender-constrained"));
    }
}
