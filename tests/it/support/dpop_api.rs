//! A resource server that checks DPoP (RFC 9449 §7) the way a real one must, for the DPoP
//! tests: `Authorization: DPoP <token>` with one `DPoP` proof whose signature checks out with
//! the `jwk` of its header (typ `dpop+jwt`, ES256), whose `htm` and `htu` are this request's,
//! whose `ath` is the token's hash, whose `iat` is recent and whose `jti` was not seen before;
//! the token must be active at the real provider (RFC 7662 introspection), of type DPoP, and
//! bound to that key (`cnf.jkt` = the key's RFC 7638 thumbprint). With [`DpopApi::demanding_nonce`]
//! it also wants its current nonce in the proof, answering `401` with `WWW-Authenticate: DPoP
//! error="use_dpop_nonce"` and a `DPoP-Nonce` header otherwise. No real API here checks DPoP
//! proofs against provider tokens, hence this server. Stopped on drop.

use super::{Provider, Threaded};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::Digest as _;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// One request the API answered.
#[derive(Clone, Debug)]
pub struct DpopRequest {
    pub method: String,
    pub path: String,
    /// The `Authorization` header as sent.
    pub authorization: Option<String>,
    /// The proof's claims, if it had a readable one.
    pub claims: Option<Value>,
    pub status: u16,
    /// Why it was refused, or the user it was let in as.
    pub outcome: String,
}

struct Shared {
    introspection: String,
    demand_nonce: AtomicBool,
    nonce: AtomicU32,
    seen: Mutex<HashSet<String>>,
    requests: Mutex<Vec<DpopRequest>>,
}

/// The API; stopped on drop.
pub struct DpopApi {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    shared: Arc<Shared>,
    _server: Threaded,
}

impl DpopApi {
    /// Starts the API in front of the provider's introspection.
    pub fn start(provider: &Provider) -> DpopApi {
        let shared = Arc::new(Shared {
            introspection: format!("{}/token/introspection", provider.issuer),
            demand_nonce: AtomicBool::new(false),
            nonce: AtomicU32::new(1),
            seen: Mutex::new(HashSet::new()),
            requests: Mutex::new(Vec::new()),
        });
        let server = Threaded::start("the DPoP test API", shared.clone(), serve);
        DpopApi { url: server.url(), shared, _server: server }
    }

    /// From now on, a proof must carry the current nonce.
    pub fn demanding_nonce(self) -> DpopApi {
        self.shared.demand_nonce.store(true, Ordering::SeqCst);
        self
    }

    /// The nonce the API wants now.
    pub fn nonce(&self) -> String {
        format!("api-nonce-{}", self.shared.nonce.load(Ordering::SeqCst))
    }

    /// Replaces the nonce (the old one is refused from now on).
    pub fn rotate_nonce(&self) {
        self.shared.nonce.fetch_add(1, Ordering::SeqCst);
    }

    /// The requests answered so far.
    pub fn requests(&self) -> Vec<DpopRequest> {
        self.shared.requests.lock().unwrap().clone()
    }
}

/// The RFC 7638 thumbprint of an EC public JWK.
pub fn thumbprint(jwk: &Value) -> String {
    let canonical = json!({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"], "y": jwk["y"]}).to_string();
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(canonical.as_bytes()))
}

/// A JWT's part `i` (0 header, 1 claims), decoded.
pub fn jwt_part(jwt: &str, i: usize) -> Option<Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').nth(i)?).ok()?).ok()
}

fn serve(mut request: tiny_http::Request, shared: &Shared) {
    let header = |name: &str| {
        let headers = request.headers().iter();
        headers
            .filter(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.to_string())
            .collect::<Vec<_>>()
    };
    let authorization = header("Authorization").into_iter().next();
    let proofs = header("DPoP");
    let host = header("Host").into_iter().next().unwrap_or_default();
    let target = request.url().to_string();
    let path = target.split(['?', '#']).next().unwrap_or_default().to_string();
    let method = request.method().to_string();
    let claims = proofs.first().and_then(|p| jwt_part(p, 1));
    let _ = std::io::copy(request.as_reader(), &mut std::io::sink());
    let htu = format!("http://{host}{path}");
    let outcome = check(shared, &method, &htu, authorization.as_deref(), &proofs);
    let nonce = format!("api-nonce-{}", shared.nonce.load(Ordering::SeqCst));
    let (status, body, challenge) = match &outcome {
        Ok(user) => (200, json!({"user": user, "method": method, "path": path}).to_string(), None),
        Err(Refusal::Nonce) => {
            (401, "a nonce is needed\n".into(), Some(r#"DPoP error="use_dpop_nonce", algs="ES256""#))
        }
        Err(Refusal::Invalid(why)) => (401, format!("{why}\n"), Some(r#"DPoP error="invalid_token", algs="ES256""#)),
    };
    shared.requests.lock().unwrap().push(DpopRequest {
        method,
        path,
        authorization,
        claims,
        status,
        outcome: match &outcome {
            Ok(user) => user.clone(),
            Err(Refusal::Nonce) => "use_dpop_nonce".into(),
            Err(Refusal::Invalid(why)) => why.clone(),
        },
    });
    let mut response = tiny_http::Response::from_string(body).with_status_code(status);
    if let Some(challenge) = challenge {
        response.add_header(tiny_http::Header::from_bytes("WWW-Authenticate", challenge).unwrap());
    }
    if shared.demand_nonce.load(Ordering::SeqCst) {
        response.add_header(tiny_http::Header::from_bytes("DPoP-Nonce", nonce.as_bytes()).unwrap());
    }
    let _ = request.respond(response);
}

enum Refusal {
    Nonce,
    Invalid(String),
}

fn check(
    shared: &Shared,
    method: &str,
    htu: &str,
    authorization: Option<&str>,
    proofs: &[String],
) -> Result<String, Refusal> {
    let invalid = |why: &str| Refusal::Invalid(why.to_string());
    let token = authorization.and_then(|a| a.strip_prefix("DPoP ")).ok_or_else(|| invalid("no DPoP token"))?;
    let [proof] = proofs else { return Err(invalid("not exactly one DPoP proof")) };
    let header = jwt_part(proof, 0).ok_or_else(|| invalid("unreadable proof header"))?;
    if header["typ"] != "dpop+jwt" || header["alg"] != "ES256" || header["jwk"].get("d").is_some() {
        return Err(invalid("proof header is not typ dpop+jwt, alg ES256 with a public jwk"));
    }
    let jwk = &header["jwk"];
    let key = jsonwebtoken::DecodingKey::from_ec_components(
        jwk["x"].as_str().unwrap_or_default(),
        jwk["y"].as_str().unwrap_or_default(),
    )
    .map_err(|e| invalid(&format!("bad jwk: {e}")))?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let claims = jsonwebtoken::decode::<Value>(proof, &key, &validation)
        .map_err(|e| invalid(&format!("proof signature: {e}")))?
        .claims;
    if claims["htm"] != method {
        return Err(invalid(&format!("htm {} is not {method}", claims["htm"])));
    }
    if claims["htu"] != htu {
        return Err(invalid(&format!("htu {} is not {htu}", claims["htu"])));
    }
    let ath = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(token.as_bytes()));
    if claims["ath"] != ath.as_str() {
        return Err(invalid("ath is not the token's hash"));
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    if (claims["iat"].as_i64().unwrap_or_default() - now).abs() > 60 {
        return Err(invalid("iat is not recent"));
    }
    let jti = claims["jti"].as_str().unwrap_or_default().to_string();
    if jti.is_empty() || !shared.seen.lock().unwrap().insert(jti) {
        return Err(invalid("jti missing or replayed"));
    }
    if shared.demand_nonce.load(Ordering::SeqCst)
        && claims["nonce"] != format!("api-nonce-{}", shared.nonce.load(Ordering::SeqCst)).as_str()
    {
        return Err(Refusal::Nonce);
    }
    let answer = super::introspect(&shared.introspection, token).map_err(|e| invalid(&e))?;
    if answer["active"] != true {
        return Err(invalid("the token is not active"));
    }
    if answer["token_type"] != "DPoP" {
        return Err(invalid(&format!("token_type {} is not DPoP", answer["token_type"])));
    }
    if answer["cnf"]["jkt"] != thumbprint(jwk).as_str() {
        return Err(invalid("cnf.jkt is not the proof key's thumbprint"));
    }
    Ok(answer["sub"].as_str().or(answer["client_id"].as_str()).unwrap_or_default().to_string())
}
