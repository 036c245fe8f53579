//! Mutual-TLS client authentication and certificate-bound access tokens (RFC 8705): the
//! server's `mtls_endpoint_aliases` (§5) and a certificate's thumbprint as `cnf.x5t#S256`
//! carries it (§3.1). Presenting the certificate is http's.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// `mtls_endpoint_aliases` (RFC 8705 §5): where a client that presents a certificate sends
/// its requests instead of the plain endpoints.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Aliases {
    /// The token endpoint's alias.
    pub token_endpoint: Option<String>,
    /// The revocation endpoint's alias (RFC 7009).
    pub revocation_endpoint: Option<String>,
    /// The introspection endpoint's alias (RFC 7662).
    pub introspection_endpoint: Option<String>,
    /// The userinfo endpoint's alias (OpenID Connect).
    pub userinfo_endpoint: Option<String>,
    /// The device authorization endpoint's alias (RFC 8628).
    pub device_authorization_endpoint: Option<String>,
    /// The pushed authorization request endpoint's alias (RFC 9126).
    pub pushed_authorization_request_endpoint: Option<String>,
}

/// Why a certificate's thumbprint cannot be taken.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the client certificate {}: {reason}", path.display())]
pub struct CertificateError {
    /// The certificate file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: String,
}

/// The `x5t#S256` of the first certificate in a PEM file (RFC 8705 §3.1): the base64url
/// SHA-256 of its DER encoding.
pub fn thumbprint(path: &Path) -> Result<String, CertificateError> {
    let der = CertificateDer::from_pem_file(path)
        .map_err(|e| CertificateError { path: path.to_path_buf(), reason: e.to_string() })?;
    Ok(thumbprint_of(&der))
}

/// The `x5t#S256` of a DER certificate.
pub fn thumbprint_of(der: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(der))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thumbprint_is_base64url_sha256_without_padding() {
        // SHA-256 of the empty string.
        assert_eq!(thumbprint_of(b""), "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    }

    #[test]
    fn a_file_without_a_certificate_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("oat-mtls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("not-a-cert.pem");
        std::fs::write(&file, "hello").unwrap();
        let e = thumbprint(&file).unwrap_err().to_string();
        assert!(e.contains("not-a-cert.pem"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
