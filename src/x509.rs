//! What a person debugging a TLS set-up needs of a server's certificate: who it names and
//! until when it is valid. Read from the DER the TLS client saw; nothing here verifies it (the
//! TLS client did).

use x509_cert::der::Decode as _;

/// A certificate's subject and end of validity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The subject distinguished name, as RFC 4514 writes it (`CN=as.example,O=Example`).
    pub subject: String,
    /// `notAfter`.
    pub not_after: jiff::Timestamp,
}

/// The summary of a DER certificate, or `None` when it cannot be read.
pub fn summary(der: &[u8]) -> Option<Summary> {
    let cert = x509_cert::Certificate::from_der(der).ok()?;
    let tbs = cert.tbs_certificate();
    let not_after = tbs.validity().not_after.to_unix_duration();
    let not_after = jiff::Timestamp::from_second(i64::try_from(not_after.as_secs()).ok()?).ok()?;
    Some(Summary { subject: tbs.subject().to_string(), not_after })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_subject_and_the_end_of_validity() {
        let mut params = rcgen::CertificateParams::new(vec!["as.example".to_string()]).unwrap();
        params.distinguished_name.push(rcgen::DnType::CommonName, "as.example");
        params.not_after = rcgen::date_time_ymd(2031, 5, 17);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let s = summary(cert.der()).unwrap();
        assert_eq!(s.subject, "CN=as.example");
        assert_eq!(s.not_after.to_string(), "2031-05-17T00:00:00Z");
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(summary(b"not a certificate"), None);
        assert_eq!(summary(&[]), None);
    }
}
