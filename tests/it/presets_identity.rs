//! The okta, auth0 and keycloak presets, tried as a new user would: what to register, the
//! option each needs, login, token, refresh, and what goes wrong without the preset. Okta,
//! Auth0 and Keycloak cannot be reached from CI, and their quirks live at paths of their own
//! that the real provider here (oidc-provider) does not serve, so each is played by a stand-in
//! (`Idp`, over `support::fixture`) that reproduces what the provider documents: its issuers,
//! discovery documents and signed ID tokens, and the quirk the preset handles.

use crate::support::dpop_api::{jwt_part, thumbprint};
use crate::support::fixture::{Fixture, Recorded, Reply};
use crate::support::keys::es256;
use crate::support::{Env, Output, run, write_private};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The provider a stand-in plays.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// An Okta org: its org authorization server (issuer = the domain, endpoints under
    /// /oauth2/v1) and two custom ones, `default` and `aus9s8`, each its own issuer
    /// (/oauth2/ID, endpoints under /oauth2/ID/v1) with its own signing key. Refresh tokens
    /// only with `offline_access`. With `dpop`, the app requires DPoP: a token request without
    /// a proof is refused (`invalid_dpop_proof`), one without Okta's nonce gets 400
    /// `use_dpop_nonce` and a `DPoP-Nonce` header, and the tokens are of type DPoP.
    Okta { dpop: bool },
    /// An Auth0 tenant: issuer `https://DOMAIN/` (with the slash), /authorize, /oauth/token,
    /// /.well-known/jwks.json. The access token is a JWT for the API the authorization request's
    /// `audience` names, else opaque (good for /userinfo only). Refresh tokens with
    /// `offline_access`, rotated on every use; an already used one revokes the whole family
    /// (reuse detection) and is answered 403 invalid_grant.
    Auth0,
    /// A Keycloak realm `dev`: issuer /realms/dev, endpoints under
    /// /realms/dev/protocol/openid-connect. A plain refresh token belongs to the SSO session and
    /// dies with it (`invalid_grant`, "Session not active"); with `offline_access` the refresh
    /// token is an offline token (`typ` Offline, `refresh_expires_in` 0) that outlives it.
    Keycloak,
}

/// One authorization server of a stand-in: its issuer's path below the stand-in's URL, its
/// endpoints' paths, and its signing key.
struct Server {
    issuer_path: &'static str,
    authorize: String,
    token: String,
    jwks: String,
    key: EncodingKey,
    jwk: Value,
}

impl Server {
    fn new(kid: &str, issuer_path: &'static str, endpoints: &str, [authorize, token, jwks]: [&str; 3]) -> Server {
        let (key, jwk) = es256(kid);
        let path = |p: &str| format!("{endpoints}{p}");
        Server { issuer_path, authorize: path(authorize), token: path(token), jwks: path(jwks), key, jwk }
    }

    fn discovery(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.issuer_path)
    }
}

/// What a refresh token was issued for.
#[derive(Clone)]
struct Grant {
    offline: bool,
    audience: Option<String>,
    scope: String,
    used: bool,
}

/// What the stand-in remembers between requests.
#[derive(Default)]
struct State {
    issued: usize,
    /// `expires_in` of the tokens the code exchange issues.
    login_expires_in: Option<u64>,
    refresh_tokens: HashMap<String, Grant>,
    /// Auth0: the family was revoked after a reuse.
    family_revoked: bool,
    /// Auth0: refresh tokens that came back after they had been used.
    reused: Vec<String>,
    /// Keycloak: the user logged out of the SSO session in the browser.
    session_ended: bool,
    /// Okta DPoP: the key the tokens are bound to.
    jkt: Option<String>,
}

/// A stand-in for an identity provider (see [`Kind`]); stopped on drop, with its fixture.
struct Idp {
    kind: Kind,
    url: OnceLock<String>,
    servers: Vec<Server>,
    state: Mutex<State>,
}

const OKTA_NONCE: &str = "okta-dpop-nonce-1";
const API: &str = "https://api.example.com";
const USER: &str = "Alice Example";
const M2M_SECRET: &str = "m2m-secret-0123456789";

impl Idp {
    fn start(kind: Kind) -> (Fixture, Arc<Idp>) {
        let servers = match kind {
            Kind::Okta { .. } => ["", "/oauth2/default", "/oauth2/aus9s8"]
                .iter()
                .map(|&issuer| {
                    let endpoints = if issuer.is_empty() { "/oauth2/v1".to_string() } else { format!("{issuer}/v1") };
                    Server::new(&format!("kid{issuer}"), issuer, &endpoints, ["/authorize", "/token", "/keys"])
                })
                .collect(),
            Kind::Auth0 => vec![Server::new("a0", "", "", ["/authorize", "/oauth/token", "/.well-known/jwks.json"])],
            Kind::Keycloak => vec![Server::new(
                "kc",
                "/realms/dev",
                "/realms/dev/protocol/openid-connect",
                ["/auth", "/token", "/certs"],
            )],
        };
        let idp = Arc::new(Idp { kind, url: OnceLock::new(), servers, state: Mutex::default() });
        let inner = idp.clone();
        let fixture = Fixture::start(move |r, before| inner.serve(r, before));
        idp.url.set(fixture.url.clone()).expect("set once");
        (fixture, idp)
    }

    fn url(&self) -> &str {
        self.url.get().map_or("", String::as_str)
    }

    fn issuer(&self, server: &Server) -> String {
        let slash = if self.kind == Kind::Auth0 { "/" } else { "" };
        format!("{}{}{slash}", self.url(), server.issuer_path)
    }

    fn serve(&self, r: &Recorded, before: &[Recorded]) -> Reply {
        if r.path == "/api/private" {
            return self.api(r);
        }
        for s in &self.servers {
            let url = |path: &str| format!("{}{path}", self.url());
            if r.path == s.discovery() {
                let mut metadata = json!({
                    "issuer": self.issuer(s), "authorization_endpoint": url(&s.authorize),
                    "token_endpoint": url(&s.token), "jwks_uri": url(&s.jwks),
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["ES256"],
                });
                if matches!(self.kind, Kind::Okta { .. }) {
                    metadata["dpop_signing_alg_values_supported"] = json!(["RS256", "ES256"]);
                }
                return Reply::json(200, metadata);
            }
            if r.path == s.jwks {
                return Reply::json(200, json!({"keys": [s.jwk]}));
            }
            if r.path == s.authorize {
                return Reply::approve(r, &format!("code-{}", before.len()));
            }
            if r.path == s.token {
                return self.token(s, r, before);
            }
        }
        Reply::not_found()
    }

    /// The token endpoint of server `s`.
    fn token(&self, s: &Server, r: &Recorded, before: &[Recorded]) -> Reply {
        let mut state = self.state.lock().unwrap();
        if let Kind::Okta { dpop: true } = self.kind
            && let Err(refused) = self.dpop(s, r, &mut state)
        {
            return refused;
        }
        let invalid_grant =
            |status, why: &str| Reply::json(status, json!({"error": "invalid_grant", "error_description": why}));
        let client_id = r.param("client_id").unwrap_or_default().to_string();
        match r.param("grant_type") {
            Some("authorization_code") => {
                let Some(authorize) = before.iter().rev().find(|b| b.path == s.authorize) else {
                    return invalid_grant(400, "no authorization request");
                };
                let grant = Grant {
                    offline: authorize.param("scope").unwrap_or_default().split(' ').any(|s| s == "offline_access"),
                    audience: authorize.param("audience").map(str::to_string),
                    scope: authorize.param("scope").unwrap_or_default().to_string(),
                    used: false,
                };
                let expires_in = state.login_expires_in.unwrap_or(3600);
                self.issue(s, &mut state, &grant, &client_id, authorize.param("nonce"), expires_in)
            }
            // Auth0's machine-to-machine grant: a token for an API, which must be named.
            Some("client_credentials") if self.kind == Kind::Auth0 => {
                if r.param("client_secret") != Some(M2M_SECRET) {
                    return Reply::json(401, json!({"error": "access_denied", "error_description": "Unauthorized"}));
                }
                let Some(audience) = r.param("audience") else {
                    return Reply::json(
                        403,
                        json!({"error": "access_denied", "error_description": "No audience parameter was provided, and no default audience has been configured"}),
                    );
                };
                let grant =
                    Grant { offline: false, audience: Some(audience.into()), scope: String::new(), used: false };
                self.issue(s, &mut state, &grant, &client_id, None, 86400)
            }
            Some("refresh_token") => {
                let presented = r.param("refresh_token").unwrap_or_default().to_string();
                let Some(grant) = state.refresh_tokens.get(&presented).cloned() else {
                    return invalid_grant(400, "Invalid refresh token");
                };
                match self.kind {
                    Kind::Auth0 if grant.used || state.family_revoked => {
                        if grant.used {
                            state.reused.push(presented);
                        }
                        state.family_revoked = true;
                        return invalid_grant(403, "Unknown or invalid refresh token.");
                    }
                    Kind::Keycloak if state.session_ended && !grant.offline => {
                        return invalid_grant(400, "Session not active");
                    }
                    _ => {}
                }
                if let Some(g) = state.refresh_tokens.get_mut(&presented) {
                    g.used = true;
                }
                self.issue(s, &mut state, &grant, &client_id, None, 3600)
            }
            _ => Reply::json(400, json!({"error": "unsupported_grant_type"})),
        }
    }

    /// Okta's DPoP checks at the token endpoint: a proof, for this request, with Okta's nonce,
    /// from the key the tokens are bound to.
    fn dpop(&self, s: &Server, r: &Recorded, state: &mut State) -> Result<(), Reply> {
        let invalid = |why: &str| Reply::json(400, json!({"error": "invalid_dpop_proof", "error_description": why}));
        let proof = r.header("dpop").ok_or_else(|| invalid("The DPoP proof JWT header is missing."))?;
        let (header, claims) = jwt_part(proof, 0).zip(jwt_part(proof, 1)).ok_or_else(|| invalid("unreadable"))?;
        if header["typ"] != "dpop+jwt"
            || claims["htm"] != "POST"
            || claims["htu"] != format!("{}{}", self.url(), s.token)
        {
            return Err(invalid(&format!("not a proof for this request: {header} {claims}")));
        }
        if claims["nonce"] != OKTA_NONCE {
            return Err(Reply::json(
                400,
                json!({"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof."}),
            )
            .with_header("DPoP-Nonce", OKTA_NONCE));
        }
        let jkt = thumbprint(&header["jwk"]);
        if r.param("grant_type") == Some("refresh_token") && state.jkt.as_deref() != Some(jkt.as_str()) {
            return Err(invalid("The DPoP proof key is not the one the refresh token is bound to."));
        }
        state.jkt = Some(jkt);
        Ok(())
    }

    /// A token answer for `grant`, as the provider words it.
    fn issue(
        &self,
        s: &Server,
        state: &mut State,
        grant: &Grant,
        client_id: &str,
        nonce: Option<&str>,
        expires_in: u64,
    ) -> Reply {
        state.issued += 1;
        let n = state.issued;
        let now = now();
        let issuer = self.issuer(s);
        let sign = |claims: Value| {
            let mut header = Header::new(Algorithm::ES256);
            header.kid = s.jwk["kid"].as_str().map(str::to_string);
            jsonwebtoken::encode(&header, &claims, &s.key).expect("sign")
        };
        let mut id_claims = json!({"iss": issuer, "sub": "00u1alice", "aud": client_id, "name": USER,
            "iat": now, "exp": now + 3600});
        if let Some(nonce) = nonce {
            id_claims["nonce"] = json!(nonce);
        }
        let access_token = match (&self.kind, &grant.audience) {
            (Kind::Auth0, Some(audience)) => sign(json!({"iss": issuer, "sub": "auth0|alice",
                "aud": [audience, format!("{}/userinfo", self.url())], "azp": client_id, "scope": grant.scope,
                "iat": now, "exp": now + expires_in})),
            (Kind::Auth0, None) => format!("a0-opaque-{n}"),
            (Kind::Okta { .. }, _) => format!("okta-at-{n}"),
            (Kind::Keycloak, _) => format!("kc-at-{n}"),
        };
        let token_type = if matches!(self.kind, Kind::Okta { dpop: true }) { "DPoP" } else { "Bearer" };
        let mut answer = json!({"access_token": access_token, "token_type": token_type, "expires_in": expires_in,
            "scope": grant.scope});
        if grant.scope.split(' ').any(|s| s == "openid") {
            answer["id_token"] = json!(sign(id_claims));
        }
        if grant.offline || self.kind == Kind::Keycloak {
            let refresh_token = match self.kind {
                // Keycloak's refresh tokens are JWTs whose `typ` says which kind they are.
                Kind::Keycloak => {
                    let typ = if grant.offline { "Offline" } else { "Refresh" };
                    let b64 = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
                    let claims =
                        json!({"iss": issuer, "typ": typ, "azp": client_id, "iat": now, "jti": format!("rt-{n}")});
                    format!("{}.{}.c2ln", b64(json!({"alg": "HS512", "typ": "JWT"})), b64(claims))
                }
                _ => format!("rt-{n}"),
            };
            state.refresh_tokens.insert(refresh_token.clone(), Grant { used: false, ..grant.clone() });
            answer["refresh_token"] = json!(refresh_token);
            if self.kind == Kind::Keycloak {
                answer["refresh_expires_in"] = json!(if grant.offline { 0 } else { 1800 });
                answer["session_state"] = json!("5e1a-session");
                answer["not-before-policy"] = json!(0);
            }
        }
        Reply::json(200, answer)
    }

    /// Auth0's API: a JWT access token for it (`aud`), signed by the tenant.
    fn api(&self, r: &Recorded) -> Reply {
        let token = r.header("authorization").and_then(|a| a.strip_prefix("Bearer ")).unwrap_or_default();
        let s = &self.servers[0];
        let key = jsonwebtoken::DecodingKey::from_ec_components(
            s.jwk["x"].as_str().unwrap_or_default(),
            s.jwk["y"].as_str().unwrap_or_default(),
        )
        .expect("the stand-in's key");
        let mut validation = jsonwebtoken::Validation::new(Algorithm::ES256);
        validation.set_audience(&[API]);
        validation.set_issuer(&[self.issuer(s)]);
        match jsonwebtoken::decode::<Value>(token, &key, &validation) {
            Ok(data) => Reply::json(200, json!({"sub": data.claims["sub"]})),
            Err(e) => Reply::json(401, json!({"message": format!("Bad access token: {e}")}))
                .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// A free loopback port. The presets fix a redirect port (the redirect URI registered at the
/// provider); tests run in parallel, so each login moves it with `--port`, which keeps the
/// preset's host and path.
fn free_port() -> String {
    #[allow(clippy::disallowed_types)]
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port().to_string()
}

/// `oat login NAME --port FREE`; returns its output and the port.
fn login(env: &Env, name: &str) -> (Output, String) {
    let port = free_port();
    (run(env.oat().args(["login", name, "--port", &port])), port)
}

fn logged_in(env: &Env, name: &str) {
    let (out, _) = login(env, name);
    assert_eq!(out.code, 0, "login {name}: {}", out.stderr);
    assert!(out.stderr.contains(&format!("Logged in to `{name}` as {USER}")), "{}", out.stderr);
}

/// `oat profile add NAME --client-id cli --auth-url AUTH --token-url TOKEN --scope S…` with
/// more arguments, which must succeed: a profile of the stand-in without the preset.
fn add_plain(env: &Env, name: &str, [auth, token]: &[String; 2], scopes: &[&str], more: &[&str]) {
    let mut add = env.oat();
    add.args(["profile", "add", name, "--client-id", "cli", "--auth-url", auth, "--token-url", token]).args(more);
    for scope in scopes {
        add.args(["--scope", scope]);
    }
    let out = run(&mut add);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

fn config(env: &Env) -> toml::Value {
    toml::from_str(&std::fs::read_to_string(env.config_path()).unwrap()).unwrap()
}

#[test]
fn each_preset_says_what_to_register_and_names_the_option_it_still_needs_or_got_wrong() {
    let env = Env::new();
    let rows: [(&[&str], &[&str]); 3] = [
        (
            &["--preset", "okta", "--domain", "dev-1.okta.com"],
            &["https://dev-1.okta.com/admin", "Native Application", "Refresh Token", "http://localhost:7898/callback"],
        ),
        (
            &["--preset", "auth0", "--domain", "acme.eu.auth0.com"],
            &["\"Native\"", "Allowed Callback URLs", "http://localhost:7899/callback", "Refresh Token Rotation"],
        ),
        (
            &["--preset", "keycloak", "--host", "https://sso.example.com", "--realm", "dev"],
            &[
                "https://sso.example.com/admin/master/console/#/dev/clients",
                "http://127.0.0.1:7900/callback",
                "offline_access",
            ],
        ),
    ];
    for (args, says) in rows {
        let out = run(env.oat().args(["profile", "add", "p"]).args(args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        for what in says {
            assert!(out.stderr.contains(what), "{args:?} should say {what}: {}", out.stderr);
        }
        assert!(out.stderr.contains("--client-id is required"), "{}", out.stderr);
    }
    for (args, says) in [
        (&["--preset", "okta"][..], "the okta preset needs --domain DOMAIN"),
        (&["--preset", "okta", "--authorization-server", "org"], "the okta preset needs --domain DOMAIN"),
        (&["--preset", "auth0", "--audience", API], "the auth0 preset needs --domain DOMAIN"),
        (&["--preset", "keycloak", "--host", "https://sso.example.com"], "the keycloak preset needs --realm REALM"),
        (&["--preset", "keycloak", "--realm", "dev"], "the keycloak preset needs --host HOST"),
        // An issuer pasted where the host goes.
        (
            &["--preset", "okta", "--domain", "dev-1.okta.com/oauth2/default"],
            "--domain DOMAIN --authorization-server ID",
        ),
        (
            &[
                "--preset",
                "okta",
                "--domain",
                "dev-1.okta.com",
                "--authorization-server",
                "https://dev-1.okta.com/oauth2/x",
            ],
            "is not an Okta authorization server: give org, default, or the server's ID",
        ),
        (
            &["--preset", "keycloak", "--host", "https://sso.example.com/realms/dev", "--realm", "dev"],
            "give the server's URL without /realms/REALM",
        ),
    ] {
        let out = run(env.oat().args(["profile", "add", "p"]).args(args).args(["--client-id", "c"]));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
    assert!(!env.config_path().exists(), "nothing was stored");
}

#[test]
fn okta_each_authorization_server_is_its_own_issuer() {
    let (okta, idp) = Idp::start(Kind::Okta { dpop: false });
    let env = Env::new();
    // `default` when --authorization-server is not given; `org` is the domain itself.
    for (name, server, issuer_path, endpoints) in [
        ("o", None, "/oauth2/default", "/oauth2/default/v1"),
        ("org", Some("org"), "", "/oauth2/v1"),
        ("aus", Some("aus9s8"), "/oauth2/aus9s8", "/oauth2/aus9s8/v1"),
    ] {
        let mut add = env.oat();
        add.args(["profile", "add", name, "--preset", "okta", "--domain", &okta.url, "--client-id", "0oa1cli"]);
        if let Some(server) = server {
            add.args(["--authorization-server", server]);
        }
        let out = run(&mut add);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let profile = &config(&env)["profiles"][name];
        assert_eq!(profile["issuer"].as_str(), Some(format!("{}{issuer_path}", okta.url).as_str()), "{profile}");
        assert_eq!(profile["token_endpoint"].as_str(), Some(format!("{}{endpoints}/token", okta.url).as_str()));
        assert_eq!(profile["redirect_uri"].as_str(), Some("http://localhost:7898/callback"));

        // The ID token is checked with the keys this server's discovery document names.
        let (out, port) = login(&env, name);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.contains(&format!("Logged in to `{name}` as {USER}")), "{}", out.stderr);
        let authorize = okta.requests_to(&format!("{endpoints}/authorize")).pop().unwrap();
        assert_eq!(authorize.param("redirect_uri"), Some(format!("http://localhost:{port}/callback").as_str()));
        assert_eq!(authorize.param("scope"), Some("openid profile email offline_access"));
        assert_eq!(okta.requests_to(&format!("{issuer_path}/.well-known/openid-configuration")).len(), 1);
        assert_eq!(okta.requests_to(&format!("{endpoints}/keys")).len(), 1);

        // offline_access brought a refresh token.
        let first = env.stored_token(name, "access_token");
        assert!(env.stored(name).unwrap()["tokens"]["refresh_token"].is_string());
        let out = run(env.oat().args(["refresh", name]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        let out = run(env.oat().args(["token", name]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.starts_with("okta-at-") && out.stdout.trim() != first, "{}", out.stdout);
        assert_eq!(okta.requests_to(&format!("{endpoints}/token")).len(), 2, "the code exchange and one refresh");
    }
    assert!(idp.state().issued == 6);
}

#[test]
fn okta_dpop_is_optional_and_answers_the_nonce_okta_asks_for() {
    let (okta, _idp) = Idp::start(Kind::Okta { dpop: true });
    let env = Env::new();
    let out = run(env
        .oat()
        .args(["profile", "add", "o", "--preset", "okta", "--domain", &okta.url, "--client-id", "0oa1"])
        .arg("--dpop"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.to_lowercase().contains("warning"), "nothing to warn about: {}", out.stderr);
    logged_in(&env, "o");
    assert_eq!(env.stored("o").unwrap()["tokens"]["token_type"], "DPoP");
    let out = run(env.oat().args(["refresh", "o"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(env.oat().args(["header", "o"]));
    assert!(out.stdout.starts_with("Authorization: DPoP okta-at-"), "{}", out.stdout);

    // Each grant: refused for want of Okta's nonce, then sent again with it, from one key.
    let tokens = okta.requests_to("/oauth2/default/v1/token");
    assert_eq!(tokens.len(), 4, "{tokens:?}");
    let proof = |i: usize| jwt_part(tokens[i].header("dpop").expect("a DPoP proof"), 1).unwrap();
    assert!(proof(0).get("nonce").is_none() && proof(2).get("nonce").is_none());
    assert_eq!((proof(1)["nonce"].as_str(), proof(3)["nonce"].as_str()), (Some(OKTA_NONCE), Some(OKTA_NONCE)));
    assert_eq!(tokens[3].param("grant_type"), Some("refresh_token"));

    // Okta wants a proof before it looks at the client: oat doctor's probe, sent without one,
    // is judged by what the profile does.
    let out = run(env.oat().args(["doctor", "o"]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("wants a DPoP proof with every token request (invalid_dpop_proof)"), "{}", out.stdout);

    // Without --dpop, such an app refuses the login and says why.
    let out = run(env.oat().args([
        "profile",
        "add",
        "bearer",
        "--preset",
        "okta",
        "--domain",
        &okta.url,
        "--client-id",
        "0oa1",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (out, _) = login(&env, "bearer");
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_dpop_proof: The DPoP proof JWT header is missing."), "{}", out.stderr);
    assert!(
        out.stderr.contains("if the client requires DPoP") && out.stderr.contains("--dpop --force"),
        "{}",
        out.stderr
    );
    assert!(env.stored("bearer").is_none());
    let out = run(env.oat().args(["doctor", "bearer"]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("✗ client: ") && out.stdout.contains("--dpop --force"), "{}", out.stdout);
}

#[test]
fn okta_without_the_preset_the_domain_is_not_the_issuer_of_its_default_server() {
    let (okta, _idp) = Idp::start(Kind::Okta { dpop: false });
    let env = Env::new();
    // The issuer as the org's own pages show it, with the endpoints of the app's (default)
    // authorization server: its ID tokens name another issuer and are signed with another key.
    let endpoint = |p: &str| format!("{}/oauth2/default/v1/{p}", okta.url);
    let endpoints = [endpoint("authorize"), endpoint("token")];
    add_plain(&env, "plain", &endpoints, &["openid", "offline_access"], &["--issuer", &okta.url]);
    let (out, _) = login(&env, "plain");
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("the ID token is not valid"), "{}", out.stderr);
    assert!(env.stored("plain").is_none(), "nothing stored");

    // And without offline_access, Okta gives no refresh token: a new login once it expires.
    add_plain(&env, "bare", &endpoints, &["openid"], &[]);
    let (out, _) = login(&env, "bare");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(env.stored("bare").unwrap()["tokens"].get("refresh_token").is_none());
    let out = run(env.oat().args(["refresh", "bare"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("oat login bare"), "{}", out.stderr);
}

/// `oat profile add a0 --preset auth0 --domain AUTH0 --client-id ID`, with more arguments.
fn add_auth0(env: &Env, auth0: &Fixture, more: &[&str]) -> Output {
    run(env
        .oat()
        .args(["profile", "add", "a0", "--preset", "auth0", "--domain", &auth0.url, "--client-id", "a0cli"])
        .args(more))
}

#[test]
fn auth0_gives_a_jwt_for_the_api_the_audience_names() {
    let (auth0, _idp) = Idp::start(Kind::Auth0);
    let env = Env::new();
    let out = add_auth0(&env, &auth0, &["--audience", API]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("--audience"), "no note with an audience: {}", out.stderr);
    let profile = &config(&env)["profiles"]["a0"];
    // Auth0's issuer ends with a slash, and its ID tokens say it so.
    assert_eq!(profile["issuer"].as_str(), Some(format!("{}/", auth0.url).as_str()));
    logged_in(&env, "a0");
    assert_eq!(auth0.requests_to("/authorize")[0].param("audience"), Some(API));
    let out = run(env.oat().args(["request", "a0", &format!("{}/api/private", auth0.url)]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("auth0|alice"), "{}", out.stdout);
    let out = run(env.oat().args(["inspect", "a0"]));
    assert!(out.stdout.contains(API), "a JWT for the API: {}", out.stdout);

    // Without an audience the preset says what that means.
    let out = add_auth0(&env, &auth0, &["--force"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Without --audience, Auth0 issues opaque access tokens"), "{}", out.stderr);
}

#[test]
fn auth0_machine_to_machine_tokens_are_for_the_audience() {
    let (auth0, _idp) = Idp::start(Kind::Auth0);
    let env = Env::new();
    for (name, audience) in [("m2m", Some(API)), ("no-api", None)] {
        let mut add = env.oat();
        add.args(["profile", "add", name, "--preset", "auth0", "--domain", &auth0.url, "--client-id", "m2mcli"]);
        add.args(["--flow", "client_credentials", "--client-secret-stdin"]).write_stdin(M2M_SECRET);
        if let Some(audience) = audience {
            add.args(["--audience", audience]);
        }
        let out = run(&mut add);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let note = "Auth0 gives machine-to-machine tokens only for an API: pass --audience";
        assert_eq!(out.stderr.contains(note), audience.is_none(), "{}", out.stderr);
    }
    let out = run(env.oat().args(["request", "m2m", &format!("{}/api/private", auth0.url)]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let asked = &auth0.requests_to("/oauth/token")[0];
    assert_eq!((asked.param("audience"), asked.param("grant_type")), (Some(API), Some("client_credentials")));
    let out = run(env.oat().args(["token", "no-api"]));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("No audience parameter was provided"), "{}", out.stderr);
}

#[test]
fn auth0_without_the_preset_the_audience_never_reaches_auth0_and_the_token_is_opaque() {
    let (auth0, _idp) = Idp::start(Kind::Auth0);
    let env = Env::new();
    let url = |p: &str| format!("{}{p}", auth0.url);
    let endpoints = [url("/authorize"), url("/oauth/token")];
    add_plain(&env, "plain", &endpoints, &["openid", "offline_access"], &["--audience", API]);
    let (out, _) = login(&env, "plain");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(auth0.requests_to("/authorize")[0].param("audience"), None);
    let out = run(env.oat().args(["inspect", "plain"]));
    assert!(out.stderr.contains("opaque"), "{}{}", out.stdout, out.stderr);
    let out = run(env.oat().args(["request", "plain", &url("/api/private")]));
    assert_eq!(out.code, 22, "the API refuses it: {}", out.stderr);

    // What the preset does, by hand: the audience as an authorization parameter.
    let audience = format!("audience={API}");
    add_plain(&env, "by-hand", &endpoints, &["openid", "offline_access"], &["--param", &audience]);
    let (out, _) = login(&env, "by-hand");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(env.oat().args(["request", "by-hand", &url("/api/private")]));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// Logs in to Auth0 with a token that expires in two seconds, waits until it has, and runs
/// `oat token a0` in N processes at once: one refresh must serve them all (a second one would
/// present a used refresh token, and the stand-in would revoke the family). Returns the token.
fn refresh_at_once(env: &Env, auth0: &Fixture, idp: &Idp) -> String {
    const N: usize = 5;
    assert_eq!(add_auth0(env, auth0, &["--audience", API]).code, 0);
    idp.state().login_expires_in = Some(2);
    logged_in(env, "a0");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let children: Vec<_> = (0..N)
        .map(|_| {
            env.command()
                .args(["token", "a0"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    for out in &outputs {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let tokens: Vec<String> = outputs.iter().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).collect();
    assert!(tokens.iter().all(|t| *t == tokens[0]), "every process prints the same token: {tokens:?}");
    let refreshes: Vec<_> = auth0
        .requests_to("/oauth/token")
        .into_iter()
        .filter(|r| r.param("grant_type") == Some("refresh_token"))
        .collect();
    assert_eq!(refreshes.len(), 1, "exactly one refresh");
    assert_eq!(refreshes[0].param("refresh_token"), Some("rt-1"));
    assert!(idp.state().reused.is_empty(), "no refresh token came back twice");
    tokens[0].clone()
}

#[test]
fn auth0_concurrent_token_calls_after_expiry_refresh_once() {
    let (auth0, idp) = Idp::start(Kind::Auth0);
    let env = Env::new();
    let entry = env.data_dir().join("a0.json");
    let token = refresh_at_once(&env, &auth0, &idp);
    assert_eq!(token, env.stored_token("a0", "access_token"), "the new token, stored");
    assert_eq!(env.stored_token("a0", "refresh_token"), "rt-2", "the rotated refresh token is kept");

    // What Auth0 does to a refresh token that comes back (here: the login's, put back by hand):
    // it revokes the whole family, the newest refresh token too.
    let newest = std::fs::read_to_string(&entry).unwrap();
    let mut at_login: Value = serde_json::from_str(&newest).unwrap();
    at_login["tokens"]["refresh_token"] = json!("rt-1");
    write_private(&entry, &at_login.to_string());
    let out = run(env.oat().args(["refresh", "a0"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("Unknown or invalid refresh token.") && out.stderr.contains("oat login a0"),
        "{}",
        out.stderr
    );
    write_private(&entry, &newest);
    assert_eq!(run(env.oat().args(["refresh", "a0"])).code, 3);
    assert_eq!(idp.state().reused, ["rt-1"]);
    assert_eq!(auth0.requests_to("/oauth/token").len(), 4, "the login, one refresh, and the two refused ones");
}

#[test]
fn auth0_concurrent_token_calls_refresh_once_with_the_keyring_too() {
    // The keyring store has the kernel-keyring cache in front of it: a process that found the
    // cached token expired must still see the one refresh another process made.
    let (auth0, idp) = Idp::start(Kind::Auth0);
    let keyring = crate::support::Keyring::start();
    let mut env = Env::new();
    keyring.attach(&mut env);
    let token = refresh_at_once(&env, &auth0, &idp);
    let stored: Value = serde_json::from_str(&keyring.lookup("a0").expect("tokens in the keyring")).unwrap();
    assert_eq!(stored["access_token"], token.as_str());
    assert_eq!(stored["refresh_token"], "rt-2");
}

#[test]
fn keycloak_offline_tokens_outlive_the_session_and_plain_refresh_tokens_do_not() {
    let (keycloak, idp) = Idp::start(Kind::Keycloak);
    let env = Env::new();
    let out = run(env.oat().args(["profile", "add", "kc", "--client-id", "cli", "--preset", "keycloak"]).args([
        "--host",
        &keycloak.url,
        "--realm",
        "dev",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let url = |p: &str| format!("{}/realms/dev/protocol/openid-connect/{p}", keycloak.url);
    add_plain(&env, "plain", &[url("auth"), url("token")], &["openid"], &[]);
    let profile = &config(&env)["profiles"]["kc"];
    assert_eq!(profile["issuer"].as_str(), Some(format!("{}/realms/dev", keycloak.url).as_str()));
    assert_eq!(profile["redirect_uri"].as_str(), Some("http://127.0.0.1:7900/callback"));
    // This one login keeps the preset's fixed port, 7900, which no other test uses: the
    // redirect URI to register is the one the authorization request carries.
    let out = run(env.oat().args(["login", "kc"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let authorize = &keycloak.requests_to("/realms/dev/protocol/openid-connect/auth")[0];
    assert_eq!(authorize.param("redirect_uri"), Some("http://127.0.0.1:7900/callback"));
    logged_in(&env, "plain");
    let typ = |name: &str| jwt_part(&env.stored_token(name, "refresh_token"), 1).unwrap()["typ"].clone();
    assert_eq!((typ("kc"), typ("plain")), (json!("Offline"), json!("Refresh")));
    // refresh_expires_in 0 means "does not expire", not "expired".
    let out = run(env.oat().args(["refresh", "kc"]));
    assert_eq!(out.code, 0, "{}", out.stderr);

    // The user logs out of Keycloak in the browser: the SSO session ends.
    idp.state().session_ended = true;
    let out = run(env.oat().args(["refresh", "kc"]));
    assert_eq!(out.code, 0, "the offline token survives: {}", out.stderr);
    let out = run(env.oat().args(["token", "kc"]));
    assert!(out.stdout.starts_with("kc-at-"), "{}", out.stdout);
    let out = run(env.oat().args(["refresh", "plain"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("invalid_grant: Session not active"), "{}", out.stderr);
    assert!(out.stderr.contains("oat login plain"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}
