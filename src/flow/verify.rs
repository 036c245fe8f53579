//! Token verification in one place: a JWT's signature with the keys of a [`KeySource`] (an
//! issuer's published keys, a JWKS URL or file, a shared secret), then its claims against the
//! caller's [`Expectations`] (OpenID Connect Core §3.1.3.7, RFC 7519 §4.1, RFC 8725 §3).
//! Login's ID-token check and `--verify` stop at the first failure ([`check`]); `oat verify`
//! wants every verdict ([`examine`]). Only the JWKS (and the metadata naming it) is fetched,
//! through [`Http`]; callers word the outcome and pick the exit code, nothing here prints.

use super::doctor::{Check, Status};
use crate::config::{Endpoint, EndpointError, Issuer, Profile};
use crate::http::Http;
use crate::jwt::{self, Jwt, JwtError};
use crate::oauth::{self, discovery};
use crate::redact::Secret;
use serde_json::Value;

/// Tolerated clock difference for `exp`, `nbf` and `iat`.
const SKEW: u64 = 60;

/// Where the keys that check a token's signature come from.
#[derive(Debug)]
pub enum KeySource<'a> {
    /// The keys an issuer publishes at its metadata's `jwks_uri` (OpenID Connect Discovery 1.0 §3).
    Issuer(&'a Issuer),
    /// A JSON Web Key Set at a URL (RFC 7517 §5).
    JwksUrl(&'a Endpoint),
    /// A JSON Web Key Set the caller already has (read from a file), and what to call it.
    Jwks {
        /// The key set.
        keys: &'a Value,
        /// Where it came from, for messages.
        origin: &'a str,
    },
    /// A shared secret for HS256/384/512: the client secret (OpenID Connect Core §10.1).
    Secret(&'a Secret<String>),
    /// No keys: the token came over TLS straight from the token endpoint, which OpenID Connect
    /// Core §3.1.3.7 item 6 accepts in place of a signature check. Only `alg: none` is refused.
    TokenEndpoint,
}

/// What the claims must say; `None` (the default) leaves a claim unjudged.
#[derive(Debug, Default)]
pub struct Expectations<'a> {
    /// The issuer `iss` must name.
    pub issuer: Option<&'a Issuer>,
    /// A value `aud` must contain: the client id for ID tokens (OpenID Connect Core §3.1.3.7 item 3).
    pub audience: Option<&'a str>,
    /// The only `azp` accepted if the token has one (OpenID Connect Core §3.1.3.7 item 5).
    pub authorized_party: Option<&'a str>,
    /// The `nonce` the authorization request sent (OpenID Connect Core §3.1.3.7 item 11).
    pub nonce: Option<&'a str>,
    /// The current time in Unix seconds: `exp` must then be present and not past, `nbf` and
    /// `iat` not in the future (OpenID Connect Core §3.1.3.7 items 9–10, RFC 7519 §4.1.4–4.1.6),
    /// give or take a minute of skew.
    pub now: Option<u64>,
}

/// A token whose signature and claims checked out.
#[derive(Debug)]
pub struct Verified {
    /// Its header and claims.
    pub jwt: Jwt,
    /// The `kid` of the published key that verified it; `None` for a secret or the token endpoint.
    pub kid: Option<String>,
}

/// Which check failed, or why the keys to check with could not be had.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The token is not a readable JWT.
    #[error(transparent)]
    Malformed(#[from] JwtError),
    /// The issuer's metadata could not be had.
    #[error("finding the keys of `{issuer}`")]
    Discovery { issuer: String, source: oauth::Error },
    /// The issuer's metadata names no key set.
    #[error("the metadata of `{issuer}` has no jwks_uri to verify with")]
    NoJwksUri { issuer: String },
    /// The metadata's `jwks_uri` is not an acceptable URL.
    #[error("the jwks_uri")]
    JwksUri(#[source] EndpointError),
    /// The key set could not be fetched.
    #[error("fetching {url}")]
    Jwks {
        /// The key set's URL.
        url: String,
        source: oauth::Error,
    },
    /// The token is signed with a shared secret and there is none to check it with.
    #[error("it is signed with {alg}, which needs a client secret this client does not have")]
    NoSecret {
        /// The token's `alg`.
        alg: String,
    },
    /// The token is not signed and nothing else vouches for it.
    #[error("it is not signed (alg none)")]
    Unsigned,
    /// The signature does not verify.
    #[error(transparent)]
    Signature(jwt::VerifyError),
    /// `iss` is not the expected issuer.
    #[error("iss is `{got}`, expected `{expected}`")]
    Issuer {
        /// The token's `iss`.
        got: String,
        /// The expected issuer.
        expected: String,
    },
    /// `aud` does not contain the expected audience.
    #[error("aud {audiences:?} does not contain the client id `{expected}`")]
    Audience {
        /// The token's audiences.
        audiences: Vec<String>,
        /// The expected audience.
        expected: String,
    },
    /// `azp` names another party.
    #[error("azp is `{got}`, not the client id `{expected}`")]
    AuthorizedParty {
        /// The token's `azp`.
        got: String,
        /// The expected party.
        expected: String,
    },
    /// `exp` has passed.
    #[error("it expired {} (check this machine's clock)", crate::time::relative(*.exp, *.now))]
    Expired {
        /// The token's `exp`.
        exp: u64,
        /// The time it was checked at.
        now: u64,
    },
    /// There is no `exp`.
    #[error("it has no exp claim")]
    NoExpiry,
    /// `nbf` is in the future.
    #[error("it is not valid before {} (check this machine's clock)", crate::time::relative(*.nbf, *.now))]
    NotYetValid {
        /// The token's `nbf`.
        nbf: u64,
        /// The time it was checked at.
        now: u64,
    },
    /// `iat` is in the future.
    #[error("it was issued {} (check this machine's clock)", crate::time::relative(*.iat, *.now))]
    IssuedInFuture {
        /// The token's `iat`.
        iat: u64,
        /// The time it was checked at.
        now: u64,
    },
    /// `nonce` is not the one sent.
    #[error("its nonce is not the one this login sent")]
    Nonce,
}

/// Checks a JWT's signature with `keys`, then its claims against `expect`, and returns it.
pub fn check(http: &Http, token: &str, keys: &KeySource<'_>, expect: &Expectations<'_>) -> Result<Verified, Error> {
    let jwt = jwt::decode(token)?;
    let kid = match keys {
        KeySource::Secret(secret) => {
            jwt::verify_with_secret(token, secret.expose()).map_err(Error::Signature)?;
            None
        }
        KeySource::TokenEndpoint => {
            let alg = jwt.algorithm();
            if alg.is_empty() || alg.eq_ignore_ascii_case("none") {
                return Err(Error::Unsigned);
            }
            None
        }
        KeySource::Jwks { .. } | KeySource::Issuer(_) | KeySource::JwksUrl(_) => match key_set(http, keys)? {
            Some(set) => Some(jwt::verify(token, &set.keys, &set.origin).map_err(Error::Signature)?),
            None => None,
        },
    };
    check_claims(&jwt, expect)?;
    Ok(Verified { jwt, kid })
}

/// The keys that check an ID token (OpenID Connect Core §3.1.3.7 items 6–8): the client secret
/// for an HMAC `alg` (§10.1); else the profile's `jwks_uri`, else its issuer's published keys;
/// with neither, the token endpoint it came from.
pub fn id_token_keys<'a>(
    token: &str,
    profile: &'a Profile,
    secret: Option<&'a Secret<String>>,
) -> Result<KeySource<'a>, Error> {
    let alg = jwt::decode(token)?.algorithm().to_string();
    if alg.starts_with("HS") {
        return secret.map(KeySource::Secret).ok_or(Error::NoSecret { alg });
    }
    Ok(match (&profile.jwks_uri, &profile.issuer) {
        (Some(url), _) => KeySource::JwksUrl(url),
        (None, Some(issuer)) => KeySource::Issuer(issuer),
        (None, None) => KeySource::TokenEndpoint,
    })
}

/// A JSON Web Key Set and where it came from.
#[derive(Debug)]
pub struct KeySet {
    /// The set (RFC 7517 §5).
    pub keys: Value,
    /// Its URL or file, for messages.
    pub origin: String,
}

/// The published keys of a [`KeySource`]: fetched from the issuer's `jwks_uri` or a JWKS URL,
/// or the set given; `None` for a secret or the token endpoint, which publish no key set.
pub fn key_set(http: &Http, keys: &KeySource<'_>) -> Result<Option<KeySet>, Error> {
    let url = match keys {
        KeySource::Jwks { keys, origin } => {
            return Ok(Some(KeySet { keys: (*keys).clone(), origin: origin.to_string() }));
        }
        KeySource::Issuer(issuer) => jwks_uri(http, issuer)?,
        KeySource::JwksUrl(url) => (*url).clone(),
        KeySource::Secret(_) | KeySource::TokenEndpoint => return Ok(None),
    };
    let keys = discovery::jwks(http, url.url()).map_err(|source| Error::Jwks { url: url.to_string(), source })?;
    Ok(Some(KeySet { keys, origin: url.to_string() }))
}

/// The `jwks_uri` of an issuer's metadata.
fn jwks_uri(http: &Http, issuer: &Issuer) -> Result<Endpoint, Error> {
    let found =
        discovery::discover(http, issuer).map_err(|source| Error::Discovery { issuer: issuer.to_string(), source })?;
    let uri = found.metadata.jwks_uri.ok_or_else(|| Error::NoJwksUri { issuer: issuer.to_string() })?;
    Endpoint::parse(&uri).map_err(Error::JwksUri)
}

/// Every verdict on a token, for `oat verify`: its algorithm, the key, the signature, then each
/// claim `expect` asks about, and a warning for `iss` and `aud` when nothing was expected of them.
pub fn examine(jwt: &Jwt, token: &str, set: &KeySet, expect: &Expectations<'_>) -> Vec<Check> {
    let alg = jwt.algorithm();
    let fail = |check, detail: String| Check::new(check, Status::Fail, detail);
    let pass = |check, detail: String| Check::pass(check, detail);
    let unchecked = || fail("signature", "not checked: no key to check it with".to_string());
    let mut checks = match jwt::verify(token, &set.keys, &set.origin) {
        Ok(kid) => vec![
            pass("alg", format!("{alg}, a public-key algorithm")),
            pass("key", format!("key {kid} of {}", set.origin)),
            pass("signature", format!("verifies with key {kid}")),
        ],
        Err(jwt::VerifyError::Algorithm(why)) => {
            let detail = match alg {
                "" | "none" | "None" | "NONE" => "the token is not signed (alg none): refused".to_string(),
                hs if hs.starts_with("HS") => format!(
                    "{hs} is signed with a shared secret, which `oat verify` does not have: only public-key signatures (RS, PS, ES, EdDSA) can be checked"
                ),
                _ => why,
            };
            vec![fail("alg", detail), fail("key", "not looked for".to_string()), unchecked()]
        }
        Err(e @ jwt::VerifyError::NoKey { .. }) => {
            vec![pass("alg", alg.to_string()), fail("key", e.to_string()), unchecked()]
        }
        Err(e @ jwt::VerifyError::Invalid { .. }) => vec![
            pass("alg", alg.to_string()),
            pass("key", format!("a key of {} for {alg}", set.origin)),
            fail("signature", e.to_string()),
        ],
    };
    let shown = |claim: &str| jwt.claims.get(claim).map_or_else(|| "absent".to_string(), Value::to_string);
    if expect.issuer.is_none() {
        let detail = format!("{}: not pinned (pass --issuer URL to require it)", shown("iss"));
        checks.push(Check::new("iss", Status::Warn, detail));
    }
    if expect.audience.is_none() {
        let detail = format!("{}: not checked (pass --audience to say who must accept it)", shown("aud"));
        checks.push(Check::new("aud", Status::Warn, detail));
    }
    for (claim, verdict) in judge(jwt, expect) {
        checks.push(match verdict {
            Ok(()) => pass(claim, found(jwt, claim, expect.now)),
            Err(e) => fail(claim, e.to_string()),
        });
    }
    checks
}

/// What a claim that passed says, for the ✓ line.
fn found(jwt: &Jwt, claim: &'static str, now: Option<u64>) -> String {
    let when = |name: &str| match (jwt.time(name), now) {
        (Some(t), Some(now)) => crate::time::relative(t, now),
        _ => "absent".to_string(),
    };
    match claim {
        "iss" => format!("{} is the expected issuer", jwt.string("iss").unwrap_or_default()),
        "aud" => format!("{:?} contains the expected audience", jwt.audiences()),
        "exp" => format!("expires {}", when("exp")),
        "nbf" => format!("valid since {}", when("nbf")),
        "iat" => format!("issued {}", when("iat")),
        other => format!("{other} is as expected"),
    }
}

/// The claim checks of OpenID Connect Core §3.1.3.7, in its order, as far as `expect` asks,
/// stopping at the first failure.
fn check_claims(jwt: &Jwt, expect: &Expectations<'_>) -> Result<(), Error> {
    judge(jwt, expect).into_iter().try_for_each(|(_, verdict)| verdict)
}

/// Each claim `expect` asks about, in the order of OpenID Connect Core §3.1.3.7, and its verdict.
fn judge(jwt: &Jwt, expect: &Expectations<'_>) -> Vec<(&'static str, Result<(), Error>)> {
    let mut verdicts = Vec::new();
    if let Some(expected) = expect.issuer {
        let got = jwt.string("iss").unwrap_or_default();
        let verdict = match *expected == *got {
            true => Ok(()),
            false => Err(Error::Issuer { got: got.into(), expected: expected.to_string() }),
        };
        verdicts.push(("iss", verdict));
    }
    if let Some(expected) = expect.audience {
        let audiences = jwt.audiences();
        let verdict = match audiences.contains(&expected) {
            true => Ok(()),
            false => {
                let audiences = audiences.into_iter().map(str::to_string).collect();
                Err(Error::Audience { audiences, expected: expected.into() })
            }
        };
        verdicts.push(("aud", verdict));
    }
    if let (Some(expected), Some(got)) = (expect.authorized_party, jwt.string("azp")) {
        let verdict = match got == expected {
            true => Ok(()),
            false => Err(Error::AuthorizedParty { got: got.into(), expected: expected.into() }),
        };
        verdicts.push(("azp", verdict));
    }
    if let Some(now) = expect.now {
        let verdict = match jwt.time("exp") {
            Some(exp) if exp + SKEW < now => Err(Error::Expired { exp, now }),
            Some(_) => Ok(()),
            None => Err(Error::NoExpiry),
        };
        verdicts.push(("exp", verdict));
        if let Some(nbf) = jwt.time("nbf") {
            let verdict = if nbf > now + SKEW { Err(Error::NotYetValid { nbf, now }) } else { Ok(()) };
            verdicts.push(("nbf", verdict));
        }
        if let Some(iat) = jwt.time("iat") {
            let verdict = if iat > now + SKEW { Err(Error::IssuedInFuture { iat, now }) } else { Ok(()) };
            verdicts.push(("iat", verdict));
        }
    }
    if let Some(nonce) = expect.nonce {
        let verdict = if jwt.string("nonce") == Some(nonce) { Ok(()) } else { Err(Error::Nonce) };
        verdicts.push(("nonce", verdict));
    }
    verdicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    use serde_json::json;

    /// A token with these claims and a signature nobody checks.
    fn unsigned(header: &str, claims: &Value) -> String {
        format!("{}.{}.sig", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(claims.to_string()))
    }

    fn id_token(claims: Value) -> Jwt {
        jwt::decode(&unsigned(r#"{"alg":"RS256"}"#, &claims)).unwrap()
    }

    static AS: std::sync::LazyLock<Issuer> = std::sync::LazyLock::new(|| Issuer::parse("https://as.example").unwrap());

    fn login() -> Expectations<'static> {
        Expectations {
            issuer: Some(&AS),
            audience: Some("cli"),
            authorized_party: Some("cli"),
            nonce: Some("n1"),
            now: Some(1500),
        }
    }

    fn http() -> Http {
        Http::new(crate::http::Options {
            timeout: std::time::Duration::from_secs(5),
            cacert: None,
            identity: None,
            show_secrets: false,
            printer: crate::output::Printer::new(false, 0),
        })
    }

    fn es256(key: &EncodingKey, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.into());
        jsonwebtoken::encode(&header, claims, key).unwrap()
    }

    #[test]
    fn a_good_id_token_passes_every_claim_check() {
        let t = id_token(
            json!({"iss":"https://as.example/","aud":"cli","exp":2000,"iat":1000,"nonce":"n1","sub":"u1","name":"Alice"}),
        );
        assert!(check_claims(&t, &login()).is_ok());
        assert!(check_claims(&id_token(json!({})), &Expectations::default()).is_ok(), "nothing asked, nothing judged");
    }

    #[test]
    fn each_failed_claim_is_named() {
        let base = json!({"iss":"https://as.example","aud":"cli","exp":2000,"iat":1000,"nonce":"n1","sub":"u1"});
        let cases = [
            ("iss", json!("https://evil.example"), "iss"),
            ("aud", json!(["other"]), "aud"),
            ("azp", json!("other"), "azp"),
            ("exp", json!(100), "expired"),
            ("exp", Value::Null, "no exp"),
            ("iat", json!(999_999), "issued"),
            ("nbf", json!(999_999), "not valid before"),
            ("nonce", json!("n2"), "nonce"),
        ];
        for (claim, value, expect) in cases {
            let mut claims = base.clone();
            claims[claim] = value;
            let err = check_claims(&id_token(claims), &login()).unwrap_err().to_string();
            assert!(err.contains(expect), "{claim}: {err}");
        }
        let mut late = base.clone();
        late["exp"] = json!(1450);
        assert!(check_claims(&id_token(late), &login()).is_ok(), "a minute of clock skew is tolerated");
    }

    #[test]
    fn examine_gives_every_verdict_and_warns_of_what_was_not_asked() {
        use Status::{Fail, Pass, Warn};
        let (key, jwk) = jwt::test_key("k1");
        let set = KeySet { keys: json!({"keys": [jwk]}), origin: "keys.json".into() };
        let claims = json!({"iss": "https://as.example", "aud": "api", "exp": 2000, "nbf": 9999, "iat": 1000});
        let token = es256(&key, "k1", &claims);
        let jwt = jwt::decode(&token).unwrap();
        let verdicts = |set: &KeySet, expect: &Expectations<'_>| -> Vec<(&'static str, Status)> {
            examine(&jwt, &token, set, expect).iter().map(|c| (c.check, c.status)).collect()
        };
        let open = Expectations { now: Some(1500), ..Expectations::default() };
        let expected = [("alg", Pass), ("key", Pass), ("signature", Pass), ("iss", Warn), ("aud", Warn)];
        let times = [("exp", Pass), ("nbf", Fail), ("iat", Pass)];
        assert_eq!(verdicts(&set, &open), [&expected[..], &times[..]].concat());
        let pinned =
            Expectations { issuer: Some(&AS), audience: Some("other"), now: Some(1500), ..Expectations::default() };
        let got = verdicts(&set, &pinned);
        assert_eq!(got[3..5], [("iss", Pass), ("aud", Fail)]);

        let rsa = KeySet {
            keys: json!({"keys": [{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}]}),
            origin: "k".into(),
        };
        let checks = examine(&jwt, &token, &rsa, &open);
        assert_eq!((checks[0].check, checks[0].status), ("alg", Fail));
        assert!(checks[0].detail.contains("RSA key"), "a key of another type is refused: {}", checks[0].detail);
        assert_eq!((checks[2].check, checks[2].status), ("signature", Fail));

        // Without a kid, every key of the algorithm's type is tried, and only those.
        let (_, other) = jwt::test_key("k2");
        let bare = jsonwebtoken::encode(&Header::new(Algorithm::ES256), &claims, &key).unwrap();
        let both = KeySet {
            keys: json!({"keys": [other, jwk_of(&set), {"kty": "RSA", "n": "AQAB", "e": "AQAB"}]}),
            origin: "k".into(),
        };
        let checks = examine(&jwt::decode(&bare).unwrap(), &bare, &both, &open);
        assert_eq!((checks[1].status, checks[2].status), (Pass, Pass), "{checks:?}");
        assert!(checks[2].detail.contains("k1"), "{}", checks[2].detail);
    }

    fn jwk_of(set: &KeySet) -> Value {
        set.keys["keys"][0].clone()
    }

    #[test]
    fn a_shared_secret_verifies_hmac_tokens_only() {
        let claims = json!({"sub": "alice"});
        let hs = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(b"s3cret"))
            .unwrap();
        let (secret, wrong) = (Secret::new("s3cret".to_string()), Secret::new("other".to_string()));
        let ok = check(&http(), &hs, &KeySource::Secret(&secret), &Expectations::default()).unwrap();
        assert_eq!((ok.jwt.string("sub"), ok.kid), (Some("alice"), None));
        let err = check(&http(), &hs, &KeySource::Secret(&wrong), &Expectations::default()).unwrap_err();
        assert!(matches!(err, Error::Signature(jwt::VerifyError::Invalid { .. })), "{err}");
        let (key, _) = jwt::test_key("k1");
        let err = check(&http(), &es256(&key, "k1", &claims), &KeySource::Secret(&secret), &Expectations::default())
            .unwrap_err();
        assert!(matches!(err, Error::Signature(jwt::VerifyError::Algorithm(_))), "{err}");
    }

    #[test]
    fn a_key_set_verifies_by_kid_and_then_the_claims_are_judged() {
        let (key, jwk) = jwt::test_key("k1");
        let set = json!({"keys": [jwk]});
        let keys = KeySource::Jwks { keys: &set, origin: "keys.json" };
        let claims = json!({"iss": "https://as.example", "aud": "cli", "exp": 2000, "nonce": "n1"});
        let signed = es256(&key, "k1", &claims);
        assert_eq!(check(&http(), &signed, &keys, &login()).unwrap().kid.as_deref(), Some("k1"));
        let stale = Expectations { now: Some(9999), ..login() };
        assert!(matches!(check(&http(), &signed, &keys, &stale), Err(Error::Expired { .. })));

        let parts: Vec<&str> = signed.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(r#"{"sub":"mallory"}"#), parts[2]);
        let err = check(&http(), &forged, &keys, &Expectations::default()).unwrap_err();
        assert!(matches!(err, Error::Signature(jwt::VerifyError::Invalid { .. })), "{err}");
        let err = check(&http(), &es256(&key, "k2", &claims), &keys, &Expectations::default()).unwrap_err();
        assert!(err.to_string().contains("no key in keys.json"), "{err}");
        let none = unsigned(r#"{"alg":"none"}"#, &claims);
        let err = check(&http(), &none, &keys, &Expectations::default()).unwrap_err();
        assert!(matches!(err, Error::Signature(jwt::VerifyError::Algorithm(_))), "{err}");
    }

    #[test]
    fn from_the_token_endpoint_only_an_unsigned_token_is_refused() {
        let claims = json!({"aud": "cli"});
        let signed = unsigned(r#"{"alg":"RS256"}"#, &claims);
        let verified = check(&http(), &signed, &KeySource::TokenEndpoint, &Expectations::default()).unwrap();
        assert_eq!(verified.kid, None);
        for header in [r#"{"alg":"none"}"#, r#"{"alg":"NONE"}"#, r#"{"typ":"JWT"}"#] {
            let err = check(&http(), &unsigned(header, &claims), &KeySource::TokenEndpoint, &Expectations::default());
            assert!(matches!(err, Err(Error::Unsigned)), "{header}");
        }
        let other = Expectations { audience: Some("another"), ..Expectations::default() };
        assert!(matches!(check(&http(), &signed, &KeySource::TokenEndpoint, &other), Err(Error::Audience { .. })));
        let err = check(&http(), "opaque", &KeySource::TokenEndpoint, &Expectations::default()).unwrap_err();
        assert!(matches!(err, Error::Malformed(JwtError::Opaque)), "{err}");
    }

    #[test]
    fn an_id_token_picks_its_keys_by_alg() {
        let secret = Secret::new("s".to_string());
        let hs = unsigned(r#"{"alg":"HS256"}"#, &json!({}));
        let rs = unsigned(r#"{"alg":"RS256"}"#, &json!({}));
        let bare = Profile::default();
        let issuer = Profile { issuer: Some(AS.clone()), ..Profile::default() };
        let jwks = Profile { jwks_uri: Some(Endpoint::parse("https://as.example/jwks").unwrap()), ..issuer.clone() };
        assert!(matches!(id_token_keys(&hs, &issuer, Some(&secret)), Ok(KeySource::Secret(_))));
        assert!(matches!(id_token_keys(&hs, &issuer, None), Err(Error::NoSecret { alg }) if alg == "HS256"));
        assert!(matches!(id_token_keys(&rs, &jwks, Some(&secret)), Ok(KeySource::JwksUrl(_))));
        assert!(matches!(id_token_keys(&rs, &issuer, None), Ok(KeySource::Issuer(i)) if *i == *"https://as.example"));
        assert!(matches!(id_token_keys(&rs, &bare, None), Ok(KeySource::TokenEndpoint)));
        assert!(matches!(id_token_keys("a.b", &bare, None), Err(Error::Malformed(_))));
    }

    #[test]
    fn an_issuers_keys_are_found_through_its_metadata() {
        let demo = crate::demo::DemoServer::start(0, crate::demo::Settings::default()).unwrap();
        let (key, _) = jwt::test_key("k1");
        let token = es256(&key, "k1", &json!({}));
        let issuer = Issuer::parse(demo.issuer()).unwrap();
        let err = check(&http(), &token, &KeySource::Issuer(&issuer), &Expectations::default()).unwrap_err();
        let jwks = format!("no key in {}/jwks", demo.issuer());
        assert!(err.to_string().contains(&jwks), "the demo's keys were fetched and none fits: {err}");
        assert!(Issuer::parse("http://as.example").is_err(), "plain http is refused before any request");
    }
}
