//! Stands in for GitHub Actions' ID-token service, because no real GitHub (and no real CI job)
//! is reachable from the tests: `GET <request URL>&audience=AUD` with `Authorization: Bearer
//! <request token>` answers `{"count": 1, "value": JWT}`, a JWT shaped like GitHub's (RS256;
//! iss = this server, sub `repo:octo-org/app:ref:refs/heads/main`, repository, ref,
//! environment, job_workflow_ref…; aud = the asked audience, else `https://github.com/octo-org`;
//! iat, nbf, exp 5 minutes apart), or already expired when told so. It serves its discovery
//! document and JWKS at GitHub's paths, where the real provider (OAT_TEST_FEDERATION_ISSUER)
//! fetches the key. The key is the provider's `client-rsa.pem` (written by
//! [`super::Provider::with_keys`]), as no RSA key can be made in Rust here: call
//! [`GithubActions::sign_with`] once the provider is up.

use super::{Env, Threaded};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The bearer token a job gets in `ACTIONS_ID_TOKEN_REQUEST_TOKEN`.
pub const REQUEST_TOKEN: &str = "gh-request-token-0123456789";
/// The audience GitHub gives a token when none is asked for.
pub const DEFAULT_AUDIENCE: &str = "https://github.com/octo-org";
/// The job's subject.
pub const SUBJECT: &str = "repo:octo-org/app:ref:refs/heads/main";

struct Shared {
    url: OnceLock<String>,
    key: OnceLock<(EncodingKey, Value)>,
    expired: AtomicBool,
    issued: Mutex<Vec<String>>,
    asked: Mutex<Vec<Option<String>>>,
}

/// The stand-in; stopped on drop.
pub struct GithubActions {
    /// `http://127.0.0.1:PORT`: its issuer.
    pub url: String,
    shared: Arc<Shared>,
    _server: Threaded,
}

impl GithubActions {
    /// Starts it; it issues tokens once [`GithubActions::sign_with`] gave it a key.
    pub fn start() -> GithubActions {
        let shared = Arc::new(Shared {
            url: OnceLock::new(),
            key: OnceLock::new(),
            expired: AtomicBool::new(false),
            issued: Mutex::new(Vec::new()),
            asked: Mutex::new(Vec::new()),
        });
        let server = Threaded::start("the GitHub Actions stand-in", shared.clone(), serve);
        let url = server.url();
        shared.url.set(url.clone()).expect("set once");
        GithubActions { url, shared, _server: server }
    }

    /// Signs with this RSA key (PKCS#8 PEM), published in its JWKS as kid `gh-1`.
    pub fn sign_with(&self, pem: &Path) {
        let text = std::fs::read_to_string(pem).expect("the RSA key");
        let der: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = STANDARD.decode(der).expect("PEM base64");
        let pair = ring::signature::RsaKeyPair::from_pkcs8(&der).expect("an RSA PKCS#8 key");
        let public: ring::rsa::PublicKeyComponents<Vec<u8>> = pair.public().into();
        let jwk = json!({"kty": "RSA", "kid": "gh-1", "alg": "RS256", "use": "sig",
            "n": URL_SAFE_NO_PAD.encode(&public.n), "e": URL_SAFE_NO_PAD.encode(&public.e)});
        let key = EncodingKey::from_rsa_pem(text.as_bytes()).expect("an RSA PEM key");
        assert!(self.shared.key.set((key, jwk)).is_ok(), "sign_with is called once");
    }

    /// What a job's `ACTIONS_ID_TOKEN_REQUEST_URL` is: a URL with a query already.
    pub fn request_url(&self) -> String {
        format!("{}/_apis/token?api-version=2.0", self.url)
    }

    /// Gives `env` a GitHub Actions job's two variables.
    pub fn attach(&self, env: &mut Env) {
        env.set("ACTIONS_ID_TOKEN_REQUEST_URL", &self.request_url());
        env.set("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN);
    }

    /// From now on, issue tokens that expired a minute ago (or fresh ones again).
    pub fn issue_expired(&self, expired: bool) {
        self.shared.expired.store(expired, Ordering::SeqCst);
    }

    /// A token for `audience`, as the service would issue it (for the env:, file: and gitlab:
    /// sources, which get theirs from elsewhere).
    pub fn token(&self, audience: &str) -> String {
        issue(&self.shared, audience)
    }

    /// Every token issued so far.
    pub fn issued(&self) -> Vec<String> {
        self.shared.issued.lock().unwrap().clone()
    }

    /// The audience of each token request (`None`: none asked for).
    pub fn asked(&self) -> Vec<Option<String>> {
        self.shared.asked.lock().unwrap().clone()
    }
}

fn issue(shared: &Shared, audience: &str) -> String {
    let (key, _) = shared.key.get().expect("GithubActions::sign_with first");
    let me = shared.url.get().expect("started");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let iat = if shared.expired.load(Ordering::SeqCst) { now - 360 } else { now };
    let claims = json!({
        "iss": me, "aud": audience, "sub": SUBJECT,
        "repository": "octo-org/app", "repository_owner": "octo-org", "ref": "refs/heads/main",
        "ref_type": "branch", "environment": "production", "event_name": "push",
        "job_workflow_ref": "octo-org/app/.github/workflows/deploy.yml@refs/heads/main",
        "run_id": "1234567890", "actor": "octocat",
        "jti": format!("jti-{now}-{}", shared.issued.lock().unwrap().len()),
        "iat": iat, "nbf": iat, "exp": iat + 300,
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("gh-1".into());
    let jwt = jsonwebtoken::encode(&header, &claims, key).expect("sign");
    shared.issued.lock().unwrap().push(jwt.clone());
    jwt
}

fn serve(request: tiny_http::Request, shared: &Shared) {
    let url = url::Url::parse(&format!("http://x{}", request.url())).expect("a request target");
    let me = shared.url.get().cloned().unwrap_or_default();
    let bearer = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("authorization"))
        .map(|h| h.value.as_str().to_string())
        .unwrap_or_default();
    let (status, body) = match url.path() {
        "/.well-known/openid-configuration" => (
            200,
            json!({"issuer": me, "jwks_uri": format!("{me}/.well-known/jwks"),
                   "subject_types_supported": ["public", "pairwise"], "response_types_supported": ["id_token"],
                   "id_token_signing_alg_values_supported": ["RS256"],
                   "claims_supported": ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository", "environment"]}),
        ),
        "/.well-known/jwks" => {
            (200, json!({"keys": shared.key.get().map(|(_, jwk)| vec![jwk.clone()]).unwrap_or_default()}))
        }
        "/_apis/token" if bearer != format!("Bearer {REQUEST_TOKEN}") => {
            (401, json!({"message": "the request token is not valid"}))
        }
        "/_apis/token" => {
            let audience = url.query_pairs().find(|(k, _)| k == "audience").map(|(_, v)| v.into_owned());
            shared.asked.lock().unwrap().push(audience.clone());
            let jwt = issue(shared, audience.as_deref().unwrap_or(DEFAULT_AUDIENCE));
            (200, json!({"count": 1, "value": jwt}))
        }
        _ => (404, json!({"message": "not found"})),
    };
    let header = tiny_http::Header::from_bytes("content-type", "application/json").expect("a header");
    let _ = request
        .respond(tiny_http::Response::from_string(body.to_string()).with_status_code(status).with_header(header));
}
