// A real OpenID Connect provider (panva/oidc-provider 9) on loopback, for oat's integration tests.
//
//   node tests/provider/server.mjs
//
// stdout: exactly one JSON line once listening, then nothing else:
//   {"issuer":"http://127.0.0.1:PORT","port":PORT}
// (issuer "https://127.0.0.1:PORT" when serving TLS, see OAT_TEST_TLS_* below). The client key
// files (OAT_TEST_KEY_DIR) are complete before this line is printed.
// Everything else (oidc-provider's notices and warnings, our logs) goes to stderr.
//
// Exits on SIGTERM, SIGINT and when stdin reaches EOF (the test harness holds stdin open as
// a pipe; if the harness dies, the pipe closes and so does the server). Set
// OAT_TEST_IGNORE_STDIN=1 to run it by hand with stdin closed or redirected from /dev/null.
//
// Environment:
//   PORT                   port to bind on 127.0.0.1 (default 0: an ephemeral port)
//   OAT_TEST_NO_ROTATION   if "1", refresh tokens are not rotated (for the benchmark, which
//                          compares oat's refresh with curl repeating one refresh POST)
//   OAT_TEST_ACCESS_TTL    lifetime in seconds of access tokens and client-credentials tokens
//                          (default 3600)
//   OAT_TEST_ID_TOKEN_TTL  lifetime in seconds of ID tokens (default 3600), for the tests of an
//                          ID token that expires before the access token (kubectl's plugin)
//   OAT_TEST_IGNORE_STDIN  if "1", do not exit when stdin reaches EOF
//   OAT_TEST_SLOW_DOWN     the first N POST requests to the token endpoint are answered
//                          400 {"error":"slow_down"} (RFC 8628 §3.5) without reaching
//                          oidc-provider or the request log (default 0): a device-flow
//                          client that polls after that waits 5 s longer, past Node's 5 s
//                          keep-alive timeout
//   OAT_TEST_KEY_DIR       an existing directory: the client private keys generated at start-up
//                          are written there as PKCS#8 PEM files (mode 0600):
//                            client-rsa.pem  RSA 2048, kid rsa-1 (RS256)
//                            client-ec.pem   EC P-256, kid ec-1  (ES256)
//                          Unset: the keys are generated all the same but not written.
//   OAT_TEST_REQUIRE_PAR   if "1", the metadata says require_pushed_authorization_requests and
//                          every authorization request must be pushed (RFC 9126 §5)
//   OAT_TEST_NO_PAR_JAR_JARM  if "1", PAR, request objects and JWT responses are all off (for
//                          the doctor's check of a profile asking for what a server lacks)
//   OAT_TEST_FEDERATION_ISSUER  a CI's token issuer to trust (workload identity federation;
//                          the tests' GitHub Actions stand-in): JWTs it signs are accepted as
//                          token-exchange subject tokens, JWT bearer assertions and the
//                          client assertions of client `federated` (below). Unset: none.
//   OAT_TEST_FEDERATION_JWKS  its JWKS URL (default <issuer>/.well-known/jwks, as GitHub's)
//   OAT_TEST_FEDERATION_AUDIENCE  the aud such a JWT must carry (default api://oat.test), as
//                          an Entra ID federated credential names api://AzureADTokenExchange
//   OAT_TEST_FEDERATION_SUBJECT  the sub client `federated` requires of its client assertion
//                          (default repo:octo-org/app:ref:refs/heads/main), as a federated
//                          credential's subject rule does
//   OAT_TEST_TLS_CERT      \  all three or none. Set: serve HTTPS with this PEM certificate (it
//   OAT_TEST_TLS_KEY        > must be valid for IP 127.0.0.1) and PEM private key, request (not
//   OAT_TEST_TLS_CA        /  require) a client certificate, verify it against this PEM CA, and
//                          enable RFC 8705 tls_client_auth (client cli-mtls). A client
//                          certificate must chain to that CA; if it has an extendedKeyUsage it
//                          must include clientAuth, if it has a keyUsage it must include
//                          digitalSignature (OpenSSL's client-purpose check); neither
//                          extension is needed. The client DN is compared in RFC 4514 form
//                          (last RDN first, comma-separated, e.g. "CN=oat-test-client,O=oat"),
//                          attribute names case-insensitive, spaces around "," and "="
//                          ignored. browser.mjs then needs NODE_EXTRA_CA_CERTS to trust the
//                          server certificate.
//                          Also certificate-bound access tokens (RFC 8705 §3) for the clients
//                          that ask for them (cli-mtls-bound), and mtls_endpoint_aliases
//                          (§5) in the metadata: <issuer>/mtls/{token,token/introspection,
//                          token/revocation,me,device/auth}, the same endpoints reached
//                          through the /mtls prefix, each use recorded (GET /_test/mtls).
//
// Clients (redirect URI http://127.0.0.1/callback accepts any port; RFC 8252 §7.3):
//   cli-public        none (PKCE S256 required); authorization_code, refresh_token
//   cli-confidential  client_secret_basic "cli-confidential-secret"; authorization_code,
//                     refresh_token
//   cli-post          client_secret_post "cli-post-secret"; authorization_code, refresh_token
//   cli-device        none; device_code, refresh_token
//   machine           client_secret_basic "machine-secret"; client_credentials
//   cli-jwt-secret    client_secret_jwt, HS256, secret
//                     "cli-jwt-secret-0123456789abcdef0123456789abcdef"
//   cli-key-rsa       private_key_jwt, RS256, public key of client-rsa.pem (kid rsa-1)
//   cli-key-ec        private_key_jwt, ES256, public key of client-ec.pem (kid ec-1)
//                     These three: authorization_code, refresh_token, client_credentials.
//                     Their client_assertion (client_assertion_type
//                     urn:ietf:params:oauth:client-assertion-type:jwt-bearer) must have
//                     iss = sub = the client_id, aud = the issuer or <issuer>/token (or the URL
//                     of the endpoint it is sent to; a string, or an array containing one),
//                     exp (required, in the future; no upper bound), jti (required, single
//                     use until exp), alg exactly the registered one; nbf and iat optional.
//                     client_id in the body is optional but must then equal sub.
//   cli-password      client_secret_basic "cli-password-secret"; password, refresh_token
//   exchanger         client_secret_basic "exchanger-secret"; token-exchange; may ask for
//                     payment_initiation authorization_details (RAR, below)
//   service@oat.test  none; jwt-bearer (the service account of the JWT bearer grant)
//   federated         only with OAT_TEST_FEDERATION_ISSUER: client_credentials, authenticated
//                     by a client_assertion (client_assertion_type
//                     urn:ietf:params:oauth:client-assertion-type:jwt-bearer, client_id
//                     federated in the body) that is a JWT of the federated issuer: signature
//                     (its JWKS), iss, aud (OAT_TEST_FEDERATION_AUDIENCE), exp (no clock
//                     tolerance) and sub (OAT_TEST_FEDERATION_SUBJECT) checked with jose. As
//                     oidc-provider has no such method, the federatedClientAuth middleware
//                     checks it before the provider sees the request, answers 401
//                     invalid_client saying what failed, or else replaces the assertion by
//                     the client's secret (client_secret_post, random, known to no one else)
//                     so that oidc-provider authenticates the client by a method it knows.
//                     Works at every endpoint that authenticates clients.
//   cli-mtls          tls_client_auth, tls_client_auth_subject_dn "CN=oat-test-client";
//                     client_credentials. Only registered when serving TLS.
//   cli-mtls-bound    as cli-mtls, with tls_client_certificate_bound_access_tokens: its
//                     access tokens carry cnf.x5t#S256 of the certificate it presented (a
//                     JWT with resource https://api.oat.test). Only when serving TLS.
//   PAR, JAR and JARM (RFC 9126, RFC 9101, JARM; the features are on for every client, see
//   below; a request or response mode that asks for none of them is served as before):
//   cli-par           none (PKCE S256 required); authorization_code, refresh_token;
//                     require_pushed_authorization_requests: a request not pushed to
//                     POST /request is refused
//   cli-jar           none (PKCE S256 required); authorization_code, refresh_token;
//                     require_signed_request_object, request_object_signing_alg RS256 with the
//                     public key of client-rsa.pem (kid rsa-1): a request without a request
//                     object signed by that key (by value, or pushed) is refused
//   cli-fapi          private_key_jwt (RS256, public key of client-rsa.pem, kid rsa-1);
//                     authorization_code, refresh_token; held to FAPI 2.0 (oidc-provider's
//                     fapi feature for this client alone: PKCE, a client assertion whose aud
//                     is the issuer); require_pushed_authorization_requests;
//                     dpop_bound_access_tokens
//                     None of the three is registered with OAT_TEST_NO_PAR_JAR_JARM=1.
//
// Rich authorization requests (RFC 9396), only for the clients below (oidc-provider refuses a
// type a client is not registered for): one type, payment_initiation, whose entries must have
// instructedAmount {currency: three capital letters, amount: a decimal string} and a string
// creditorName (else invalid_authorization_details saying what is wrong). A request with
// authorization_details and no resource gets resource https://api.oat.test (oidc-provider
// needs one with RAR), so its access token is a JWT for that API carrying the details. What is
// granted is what was asked, each entry with "status": "granted" added, so that a client
// shows the granted details rather than its own request; introspection shows them too.
//   cli-rar           none (PKCE); authorization_code, refresh_token; payment_initiation
//   machine-rar       client_secret_basic "machine-rar-secret"; client_credentials;
//                     payment_initiation
//
// DPoP (RFC 9449) is on for every client, with a fresh nonce secret per run and a nonce
// demanded in every proof (requireNonce): a token or userinfo request that carries a DPoP
// proof without the current nonce is answered use_dpop_nonce with a DPoP-Nonce header.
// Requests without a DPoP header are not affected (they get Bearer tokens as before), except
// for clients registered with dpop_bound_access_tokens, which must always send a proof.
// DPoP-bound tokens introspect with token_type DPoP and cnf.jkt.
//   cli-dpop          none (PKCE S256 required), dpop_bound_access_tokens; authorization_code,
//                     refresh_token (the refresh token of a public client is bound to the key)
//
// Accounts: any login name is an account (sub = the login name); alice is "Alice Example".
//
// Grants at POST /token besides oidc-provider's own (authorization_code, refresh_token with
// rotation, device_code, client_credentials). Error bodies of these three carry a precise
// error_description (oidc-provider's own are vague; the real reason goes to stderr):
//   password (RFC 6749 §4.3), client cli-password only: username=alice,
//     password=correct horse battery staple (anything else: invalid_grant), scope (optional,
//     default "openid"; each value must be a known scope, else invalid_scope). Answers
//     access_token (account alice, works at /me with openid), token_type, expires_in, scope,
//     id_token (sub only, like oidc-provider's own grants) when scope has openid, and
//     refresh_token when scope has offline_access (refreshed with rotation like any other).
//   urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693), client exchanger only:
//     subject_token (an unexpired access token of this provider for an account, i.e. not a
//     client_credentials token; else invalid_grant), subject_token_type
//     (must be urn:ietf:params:oauth:token-type:access_token, else invalid_request; or, with
//     OAT_TEST_FEDERATION_ISSUER, urn:ietf:params:oauth:token-type:jwt: a JWT of the
//     federated issuer checked as for client federated except sub, any failure invalid_grant
//     saying what failed, and the new token's account is its sub),
//     requested_token_type (optional, only that same type), scope (optional, a subset of the
//     subject token's scope, default all of it; else invalid_scope), audience (optional: the
//     new token's aud, shown by introspection; /me refuses tokens with an aud),
//     authorization_details (optional, RAR as below). Answers access_token (same account,
//     client exchanger), issued_token_type, token_type Bearer, expires_in, scope, and the
//     granted authorization_details when asked for.
//   urn:ietf:params:oauth:grant-type:jwt-bearer (RFC 7523 §2.1, Google service-account style):
//     client_id=service@oat.test (no client authentication, but oidc-provider needs to know the
//     client) and assertion: a JWT signed RS256 with client-rsa.pem (header kid rsa-1) or
//     ES256 with client-ec.pem (kid ec-1), claims iss=service@oat.test,
//     aud=<issuer>/token (a string, or an array containing it), iat (at most 60 s in the
//     future), exp (in the future, at most 3600 s after iat), optional scope (space-separated
//     known scopes, else invalid_scope; a scope form parameter is used only without it),
//     optional sub (the account; default iss), optional nbf. No jti, no replay check. Any
//     other failure: invalid_grant saying what is wrong. Answers access_token (no refresh
//     token), token_type Bearer, expires_in, scope.
//     With OAT_TEST_FEDERATION_ISSUER, an assertion whose iss is that issuer is checked as a
//     federated token-exchange subject token instead (any client allowed this grant), and
//     its sub is the account.
//
// Resource indicators (RFC 8707): client_credentials with resource=https://api.oat.test (or,
// instead of resource, audience=https://api.oat.test) answers a JWT access token with that
// aud (scope limited to api:read); any other resource or audience: invalid_target.
//
// Test-only routes on the same port (outside every oidc-provider route):
//   GET    /_test/requests  JSON array of every request received at the token, revocation and PAR
//                           endpoints, in arrival order:
//                           {"path","grant_type","client_id","basic_auth",
//                            "client_secret_in_body","client_assertion_type","status",
//                            "dpop","dpop_nonce"}
//                           client_id: from the form body, else from Basic auth, else the sub
//                           of a client_assertion, else null. client_assertion_type: the
//                           form parameter, or null (as sent, also for client federated). dpop: whether a DPoP proof came;
//                           dpop_nonce: the nonce in it (unverified), or null.
//   DELETE /_test/requests  clears that list (204)
// Only when serving TLS (mTLS-bound tokens, RFC 8705):
//   GET    /_test/mtls      JSON array of the requests that came through an mTLS alias:
//                           {"method","path"} (path without the /mtls prefix)
//   GET    /_test/resource  a resource server: a JWT access token of this provider
//                           (Authorization: Bearer; signature, exp checked) whose
//                           cnf.x5t#S256 must be the SHA-256 (base64url) of the client
//                           certificate presented on this connection. 200
//                           {"ok":true,"sub","x5t#S256"}; else 401 {"error":"invalid_token",
//                           "error_description"} with WWW-Authenticate: Bearer
//                           error="invalid_token"

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { promisify } from 'node:util';

// Fresh keys every run: the provider's signing key and the two client key pairs. Generating
// RSA keys takes a while; started here, they are made on the thread pool side by side while
// oidc-provider loads.
const generateKeyPair = promisify(crypto.generateKeyPair);
const keyPairs = Promise.all([
  generateKeyPair('rsa', { modulusLength: 2048 }), // signing key
  generateKeyPair('rsa', { modulusLength: 2048 }), // client-rsa.pem
  generateKeyPair('ec', { namedCurve: 'P-256' }), // client-ec.pem
]);

// oidc-provider writes its NOTICEs with console.info (stdout); stdout belongs to the single
// JSON line, so send every console method that would write to stdout to stderr instead.
// This must happen before oidc-provider is loaded, hence the dynamic import below.
for (const method of ['log', 'info', 'debug']) {
  console[method] = console.error.bind(console);
}

const { default: Provider, errors } = await import('oidc-provider');

const log = (...args) => console.error('[test-provider]', ...args);

function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    log(`invalid ${name}=${JSON.stringify(raw)}: expected a non-negative integer`);
    process.exit(2);
  }
  return value;
}

const requestedPort = intFromEnv('PORT', 0);
const accessTtl = intFromEnv('OAT_TEST_ACCESS_TTL', 3600);
const idTokenTtl = intFromEnv('OAT_TEST_ID_TOKEN_TTL', 3600);
let slowDowns = intFromEnv('OAT_TEST_SLOW_DOWN', 0);
if (accessTtl < 1 || idTokenTtl < 1) {
  log('OAT_TEST_ACCESS_TTL and OAT_TEST_ID_TOKEN_TTL must be at least 1');
  process.exit(2);
}

// The client key pairs serve private_key_jwt and the JWT bearer grant.
const [signingKeyPair, rsaClientKey, ecClientKey] = await keyPairs;
// kid -> { alg, key }: the public keys a JWT bearer assertion may be signed with.
const assertionKeys = new Map([
  ['rsa-1', { alg: 'RS256', key: rsaClientKey.publicKey }],
  ['ec-1', { alg: 'ES256', key: ecClientKey.publicKey }],
]);
const publicJwk = (kid) => ({
  ...assertionKeys.get(kid).key.export({ format: 'jwk' }),
  kid,
  alg: assertionKeys.get(kid).alg,
  use: 'sig',
});

const keyDir = process.env.OAT_TEST_KEY_DIR;
if (keyDir) {
  try {
    for (const [file, { privateKey }] of [['client-rsa.pem', rsaClientKey], ['client-ec.pem', ecClientKey]]) {
      const target = path.join(keyDir, file);
      fs.writeFileSync(target, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      fs.chmodSync(target, 0o600); // the mode above only applies to a new file
    }
  } catch (err) {
    log(`cannot write the client keys to OAT_TEST_KEY_DIR=${JSON.stringify(keyDir)}: ${err.message}`);
    process.exit(2);
  }
}

// TLS (and with it tls_client_auth) only when all three files are given.
const tlsEnv = ['OAT_TEST_TLS_CERT', 'OAT_TEST_TLS_KEY', 'OAT_TEST_TLS_CA'];
const tlsSet = tlsEnv.filter((name) => process.env[name]);
if (tlsSet.length !== 0 && tlsSet.length !== tlsEnv.length) {
  log(`set all of ${tlsEnv.join(', ')} or none (set: ${tlsSet.join(', ')})`);
  process.exit(2);
}
let tlsOptions;
if (tlsSet.length) {
  try {
    tlsOptions = {
      cert: fs.readFileSync(process.env.OAT_TEST_TLS_CERT),
      key: fs.readFileSync(process.env.OAT_TEST_TLS_KEY),
      ca: fs.readFileSync(process.env.OAT_TEST_TLS_CA),
      requestCert: true, // ask every client for a certificate ...
      rejectUnauthorized: false, // ... but let clients without one (or with a bad one) in
    };
  } catch (err) {
    log(`cannot read the TLS files: ${err.message}`);
    process.exit(2);
  }
}
const tls = tlsOptions !== undefined;

// Workload identity federation: a CI's token issuer whose JWTs are trusted (see the header).
const { createRemoteJWKSet, jwtVerify } = await import('jose');
const FEDERATED_CLIENT = 'federated';
const federation = process.env.OAT_TEST_FEDERATION_ISSUER ? (() => {
  const issuer = process.env.OAT_TEST_FEDERATION_ISSUER;
  const jwks = process.env.OAT_TEST_FEDERATION_JWKS || `${issuer}/.well-known/jwks`;
  return {
    issuer,
    keys: createRemoteJWKSet(new URL(jwks)),
    audience: process.env.OAT_TEST_FEDERATION_AUDIENCE || 'api://oat.test',
    subject: process.env.OAT_TEST_FEDERATION_SUBJECT || 'repo:octo-org/app:ref:refs/heads/main',
    secret: crypto.randomBytes(32).toString('base64url'),
  };
})() : undefined;

// The claims of a JWT of the federated issuer, checked: signature, iss, aud, exp (no clock
// tolerance, so an expired CI token is refused at once); jose's error says what failed.
async function verifyFederated(jwt) {
  const { payload } = await jwtVerify(jwt, federation.keys, {
    issuer: federation.issuer,
    audience: federation.audience,
    clockTolerance: 0,
    requiredClaims: ['exp', 'sub'],
  });
  return payload;
}

const SERVICE_ACCOUNT = 'service@oat.test';
const GRANT_PASSWORD = 'password';
const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const GRANT_JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const TOKEN_TYPE_JWT = 'urn:ietf:params:oauth:token-type:jwt';
const CLIENT_ASSERTION_JWT = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const routes = {
  authorization: '/auth',
  code_verification: '/device',
  device_authorization: '/device/auth',
  end_session: '/session/end',
  introspection: '/token/introspection',
  jwks: '/jwks',
  revocation: '/token/revocation',
  token: '/token',
  userinfo: '/me',
  pushed_authorization_request: '/request',
};

// Requests seen at these endpoints are recorded for GET /_test/requests.
const recordedPaths = new Set([routes.token, routes.revocation, routes.pushed_authorization_request]);
const recorded = [];

const CALLBACK = 'http://127.0.0.1/callback'; // any port is accepted (native client, RFC 8252 §7.3)
const AUTH_CODE_GRANTS = ['authorization_code', 'refresh_token'];
const JWT_AUTH_GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'];

const clients = [
  {
    client_id: 'cli-public',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: AUTH_CODE_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
  },
  {
    client_id: 'cli-confidential',
    client_secret: 'cli-confidential-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: AUTH_CODE_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
  },
  {
    client_id: 'cli-post',
    client_secret: 'cli-post-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: AUTH_CODE_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
  },
  {
    client_id: 'cli-device',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
    response_types: [],
    redirect_uris: [],
  },
  {
    client_id: 'machine',
    client_secret: 'machine-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  },
  // JWT client authentication (RFC 7523 §2.2 / OIDC Core §9).
  {
    client_id: 'cli-jwt-secret',
    client_secret: 'cli-jwt-secret-0123456789abcdef0123456789abcdef',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_jwt',
    token_endpoint_auth_signing_alg: 'HS256',
    grant_types: JWT_AUTH_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
  },
  {
    client_id: 'cli-key-rsa',
    application_type: 'native',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    jwks: { keys: [publicJwk('rsa-1')] },
    grant_types: JWT_AUTH_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
  },
  {
    client_id: 'cli-key-ec',
    application_type: 'native',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: { keys: [publicJwk('ec-1')] },
    grant_types: JWT_AUTH_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
  },
  // Custom grants (registered in registerCustomGrants below).
  {
    client_id: 'cli-password',
    client_secret: 'cli-password-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [GRANT_PASSWORD, 'refresh_token'],
    response_types: [],
    redirect_uris: [],
  },
  {
    client_id: 'exchanger',
    client_secret: 'exchanger-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [GRANT_TOKEN_EXCHANGE],
    authorization_details_types: ['payment_initiation'], // RAR (RFC 9396), see below
    response_types: [],
    redirect_uris: [],
  },
  {
    // Sends no secret, like a Google service account: the signed assertion is the proof.
    client_id: SERVICE_ACCOUNT,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: [GRANT_JWT_BEARER],
    response_types: [],
    redirect_uris: [],
  },
];
// PAR and JAR (RFC 9126, RFC 9101).
const noParJarJarm = process.env.OAT_TEST_NO_PAR_JAR_JARM === '1';
if (!noParJarJarm) clients.push(
  {
    client_id: 'cli-par',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: AUTH_CODE_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
    require_pushed_authorization_requests: true,
  },
  {
    client_id: 'cli-jar',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    jwks: { keys: [publicJwk('rsa-1')] },
    require_signed_request_object: true,
    request_object_signing_alg: 'RS256',
    grant_types: AUTH_CODE_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
  },
  // FAPI 2.0 (the fapi feature below applies to this client alone).
  {
    client_id: 'cli-fapi',
    application_type: 'native',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    jwks: { keys: [publicJwk('rsa-1')] },
    require_pushed_authorization_requests: true,
    dpop_bound_access_tokens: true,
    grant_types: AUTH_CODE_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
  },
);
// Rich authorization requests (RFC 9396).
const RAR_TYPES = ['payment_initiation'];
clients.push(
  {
    client_id: 'cli-rar',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: AUTH_CODE_GRANTS,
    response_types: ['code'],
    redirect_uris: [CALLBACK],
    authorization_details_types: RAR_TYPES,
  },
  {
    client_id: 'machine-rar',
    client_secret: 'machine-rar-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    authorization_details_types: RAR_TYPES,
  },
);
// Workload identity federation: authenticated by a CI's token (federatedClientAuth below).
if (federation) {
  clients.push({
    client_id: FEDERATED_CLIENT,
    client_secret: federation.secret,
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  });
}
// DPoP (RFC 9449).
clients.push({
  client_id: 'cli-dpop',
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  dpop_bound_access_tokens: true,
  grant_types: AUTH_CODE_GRANTS,
  response_types: ['code'],
  redirect_uris: [CALLBACK],
});
if (tls) {
  clients.push({
    client_id: 'cli-mtls',
    application_type: 'native',
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: 'CN=oat-test-client',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  });
  // Certificate-bound access tokens (RFC 8705 §3).
  clients.push({
    client_id: 'cli-mtls-bound',
    application_type: 'native',
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: 'CN=oat-test-client',
    tls_client_certificate_bound_access_tokens: true,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  });
}

// Any login name is an account: sub = the login name.
const displayNames = { alice: 'Alice Example' };
async function findAccount(_ctx, id) {
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        name: displayNames[id] ?? id,
        email: `${id}@example.test`,
        email_verified: true,
      };
    },
  };
}

// Fresh signing key per run (RS256 is the default ID Token algorithm).
const signingKey = {
  ...signingKeyPair.privateKey.export({ format: 'jwk' }),
  kid: `test-${crypto.randomBytes(6).toString('hex')}`,
  use: 'sig',
  alg: 'RS256',
};

// Same decisions as oidc-provider's defaults, given explicitly so it does not print a
// "you SHOULD change it" notice on first use.
async function introspectionAllowedPolicy(ctx, client, token) {
  return !(client.clientAuthMethod === 'none' && token.clientId !== ctx.oidc.client.clientId);
}
async function revocationAllowedPolicy(_ctx, client, token) {
  if (token.clientId !== client.clientId) {
    if (client.clientAuthMethod === 'none') return false;
    throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
  }
  return true;
}

// Resource indicators (RFC 8707): the one known resource server gets JWT access tokens.
const resourceServers = new Map([
  ['https://api.oat.test', {
    scope: 'api:read',
    audience: 'https://api.oat.test',
    accessTokenFormat: 'jwt',
    accessTokenTTL: accessTtl,
  }],
]);
async function getResourceServerInfo(_ctx, resourceIndicator, _client) {
  const info = resourceServers.get(resourceIndicator);
  if (!info) throw new errors.InvalidTarget(`unknown resource ${resourceIndicator}`);
  return info;
}
// Rich authorization requests (RFC 9396): the one type's schema, and what is granted.
function validatePaymentInitiation(_ctx, detail) {
  const bad = (why) => new errors.InvalidAuthorizationDetails(`payment_initiation: ${why}`);
  const amount = detail.instructedAmount;
  if (typeof amount !== 'object' || amount === null) throw bad('instructedAmount must be an object');
  if (typeof amount.currency !== 'string' || !/^[A-Z]{3}$/.test(amount.currency)) {
    throw bad('instructedAmount.currency must be three capital letters');
  }
  if (typeof amount.amount !== 'string' || !/^\d+(\.\d+)?$/.test(amount.amount)) {
    throw bad('instructedAmount.amount must be a decimal string');
  }
  if (typeof detail.creditorName !== 'string' || !detail.creditorName) throw bad('creditorName must be a string');
}
const requestedDetails = (ctx) => {
  const { authorization_details: details } = ctx.oidc.params;
  return details ? JSON.parse(details) : undefined;
};
const granted = (details) => details?.map((detail) => ({ ...detail, status: 'granted' }));
const richAuthorizationRequests = {
  enabled: true,
  types: { payment_initiation: { validate: validatePaymentInitiation } },
  authorizationDetailsForGrantSource: (ctx) => requestedDetails(ctx),
  authorizationDetailsForAccessToken: (ctx, _token, source) => granted(source?.rar ?? requestedDetails(ctx)),
  authorizationDetailsForIntrospection: (_ctx, token) => token.rar,
};

// Called when a request has no resource parameter. For client_credentials, an `audience`
// form parameter (Auth0 style) stands in for it; oidc-provider drops that parameter from
// ctx.oidc.params, but the form body it parsed is still in ctx.oidc.body.
async function defaultResource(ctx, _client, oneOf) {
  if (oneOf) return oneOf; // oidc-provider's default
  if (ctx.oidc.params.authorization_details) return 'https://api.oat.test'; // RAR needs one
  if (ctx.oidc.route === 'token' && ctx.oidc.params.grant_type === 'client_credentials') {
    return ctx.oidc.body?.audience;
  }
  return undefined;
}

// mTLS (RFC 8705 tls_client_auth), only used when serving TLS.
function getCertificate(ctx) {
  const peer = ctx.socket.getPeerCertificate?.();
  if (!peer?.raw) return undefined;
  return new crypto.X509Certificate(peer.raw).toString(); // PEM
}
function certificateAuthorized(ctx) {
  if (ctx.socket.authorized === true) return true; // verified against OAT_TEST_TLS_CA
  log(`tls_client_auth: client certificate not verified: ${ctx.socket.authorizationError}`);
  return false;
}
// RFC 4514 form of a DN, normalised for comparison: RDNs joined by ",", attribute types in
// upper case, no spaces around separators. Input with unescaped "," separators.
function normalizeDn(dn) {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) => {
      const i = rdn.indexOf('=');
      return i === -1 ? rdn.trim() : `${rdn.slice(0, i).trim().toUpperCase()}=${rdn.slice(i + 1).trim()}`;
    })
    .join(',');
}
function certificateSubjectMatches(ctx, property, expected) {
  if (property !== 'tls_client_auth_subject_dn') return false;
  const pem = getCertificate(ctx);
  if (!pem) return false;
  // Node lists the subject's RDNs one a line, most significant (e.g. C) first; RFC 4514
  // writes them in the reverse order.
  const subject = new crypto.X509Certificate(pem).subject.split('\n').reverse().join(',');
  const matches = normalizeDn(subject) === normalizeDn(expected);
  if (!matches) log(`tls_client_auth: certificate subject ${JSON.stringify(subject)} is not ${JSON.stringify(expected)}`);
  return matches;
}

// Errors of our own grants carry a precise error_description (oidc-provider's InvalidGrant
// always says "grant request is invalid").
const grantError = (error, description) => new errors.CustomOIDCProviderError(error, description);
function requireParam(ctx, name) {
  const value = ctx.oidc.params[name];
  if (typeof value !== 'string' || value === '') {
    throw new errors.InvalidRequest(`missing required parameter '${name}'`);
  }
  return value;
}
const knownScopes = new Set(['openid', 'offline_access', 'profile', 'email', 'api:read']);
function checkKnownScopes(scopes) {
  const unknown = scopes.filter((scope) => !knownScopes.has(scope));
  if (unknown.length) throw new errors.InvalidScope('requested scope is not supported', unknown.join(' '));
}
const splitScope = (scope) => (scope ? scope.split(' ').filter(Boolean) : []);

function tokenResponse(accessTokenValue, at, extra = {}) {
  return {
    access_token: accessTokenValue,
    ...extra,
    token_type: at.tokenType,
    expires_in: at.expiration,
    scope: at.scope || undefined,
  };
}

// A Grant (what /me and introspection look up) and an access token for account + client.
async function issueAccessToken(provider, ctx, { accountId, scope, gty, audience, rar }) {
  const { client } = ctx.oidc;
  const grant = new provider.Grant({ accountId, clientId: client.clientId });
  if (scope) grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const at = new provider.AccessToken({ accountId, client, grantId, gty, scope: scope || undefined });
  if (audience !== undefined) at.setAudience(audience);
  if (rar !== undefined) at.rar = rar;
  ctx.oidc.entity('Grant', grant);
  ctx.oidc.entity('AccessToken', at);
  return { grant, grantId, at, value: await at.save() };
}

// Resource owner password credentials (RFC 6749 §4.3).
async function passwordGrant(provider, ctx) {
  const username = requireParam(ctx, 'username');
  const password = requireParam(ctx, 'password');
  if (username !== 'alice' || password !== 'correct horse battery staple') {
    throw grantError('invalid_grant', 'invalid resource owner credentials');
  }
  const scopes = splitScope(ctx.oidc.params.scope || 'openid');
  checkKnownScopes(scopes);
  const scope = [...new Set(scopes)].join(' ');
  const accountId = username;
  const { grantId, at, value } = await issueAccessToken(provider, ctx, { accountId, scope, gty: GRANT_PASSWORD });
  const extra = {};
  const { client } = ctx.oidc;
  if (scopes.includes('offline_access') && client.grantTypeAllowed('refresh_token')) {
    const rt = new provider.RefreshToken({ accountId, client, grantId, gty: GRANT_PASSWORD, scope, rotations: 0 });
    ctx.oidc.entity('RefreshToken', rt);
    extra.refresh_token = await rt.save();
  }
  if (scopes.includes('openid')) {
    const account = await findAccount(ctx, accountId);
    const idToken = new provider.IdToken(await account.claims('id_token', scope, {}, []), { ctx });
    // Like oidc-provider's own grants (conformIdTokenClaims): an ID Token that comes with an
    // access token for /me carries only the openid scope's claims.
    idToken.scope = 'openid';
    extra.id_token = await idToken.issue({ use: 'idtoken' });
  }
  ctx.body = tokenResponse(value, at, extra);
}

// Token exchange (RFC 8693): a new access token for the subject token's account.
async function tokenExchangeGrant(provider, ctx) {
  const subjectToken = requireParam(ctx, 'subject_token');
  const subjectTokenType = requireParam(ctx, 'subject_token_type');
  if (subjectTokenType === TOKEN_TYPE_JWT && federation) {
    await federatedExchange(provider, ctx, subjectToken);
    return;
  }
  if (subjectTokenType !== TOKEN_TYPE_ACCESS_TOKEN) {
    throw new errors.InvalidRequest(`unsupported subject_token_type (only ${TOKEN_TYPE_ACCESS_TOKEN})`);
  }
  const { requested_token_type: requestedType, audience } = ctx.oidc.params;
  if (requestedType !== undefined && requestedType !== TOKEN_TYPE_ACCESS_TOKEN) {
    throw new errors.InvalidRequest(`unsupported requested_token_type (only ${TOKEN_TYPE_ACCESS_TOKEN})`);
  }
  const subject = await provider.AccessToken.find(subjectToken);
  if (!subject?.isValid || !subject.accountId) {
    throw grantError('invalid_grant', 'subject_token is not an active access token issued by this provider');
  }
  let scopes = splitScope(ctx.oidc.params.scope);
  if (scopes.length) {
    const missing = scopes.filter((scope) => !subject.scopes.has(scope));
    if (missing.length) throw new errors.InvalidScope('requested scope exceeds the subject token\'s scope', missing.join(' '));
  } else {
    scopes = [...subject.scopes];
  }
  const rar = granted(requestedDetails(ctx));
  const { at, value } = await issueAccessToken(provider, ctx, {
    accountId: subject.accountId,
    scope: [...new Set(scopes)].join(' '),
    gty: 'token_exchange',
    audience: audience || undefined,
    rar,
  });
  ctx.body = tokenResponse(value, at, { issued_token_type: TOKEN_TYPE_ACCESS_TOKEN, authorization_details: rar });
}

// Token exchange of a federated issuer's JWT (a CI job's ID token) for an access token of
// its subject.
async function federatedExchange(provider, ctx, subjectToken) {
  const claims = await federatedClaims(subjectToken, 'subject_token');
  const { requested_token_type: requestedType, audience } = ctx.oidc.params;
  if (requestedType !== undefined && requestedType !== TOKEN_TYPE_ACCESS_TOKEN) {
    throw new errors.InvalidRequest(`unsupported requested_token_type (only ${TOKEN_TYPE_ACCESS_TOKEN})`);
  }
  const { at, value } = await issueFederated(provider, ctx, claims, 'token_exchange', audience || undefined);
  ctx.body = tokenResponse(value, at, { issued_token_type: TOKEN_TYPE_ACCESS_TOKEN });
}

// A federated JWT's claims, or invalid_grant saying what failed.
async function federatedClaims(jwt, what) {
  try {
    return await verifyFederated(jwt);
  } catch (err) {
    throw grantError('invalid_grant', `${what} from ${federation.issuer}: ${err.message}`);
  }
}

// An access token for the subject of a federated JWT, with the scope asked for (known ones).
async function issueFederated(provider, ctx, claims, gty, audience) {
  const scopes = splitScope(ctx.oidc.params.scope);
  checkKnownScopes(scopes);
  return issueAccessToken(provider, ctx, { accountId: claims.sub, scope: [...new Set(scopes)].join(' '), gty, audience });
}

// JWT bearer (RFC 7523 §2.1), Google service-account style.
const b64urlJson = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
async function jwtBearerGrant(provider, ctx) {
  const assertion = requireParam(ctx, 'assertion');
  const parts = assertion.split('.');
  let header;
  let claims;
  try {
    if (parts.length !== 3) throw new Error('not three parts');
    header = b64urlJson(parts[0]);
    claims = b64urlJson(parts[1]);
    for (const object of [header, claims]) {
      if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new Error('not an object');
    }
  } catch {
    throw grantError('invalid_grant', 'assertion is not a JWS compact serialization with a JSON claims set');
  }
  const invalid = (why) => grantError('invalid_grant', `invalid assertion: ${why}`);
  if (federation && claims.iss === federation.issuer) {
    const federated = await federatedClaims(assertion, 'assertion');
    const { at, value } = await issueFederated(provider, ctx, federated, 'jwt_bearer', undefined);
    ctx.body = tokenResponse(value, at);
    return;
  }

  const known = assertionKeys.get(header.kid);
  if (!known) throw invalid(`unknown kid ${JSON.stringify(header.kid)} (expected rsa-1 or ec-1)`);
  if (header.alg !== known.alg) throw invalid(`alg ${JSON.stringify(header.alg)} does not match key ${header.kid} (${known.alg})`);
  const signature = Buffer.from(parts[2], 'base64url');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const verifyKey = known.alg === 'ES256' ? { key: known.key, dsaEncoding: 'ieee-p1363' } : known.key;
  let verified = false;
  try {
    verified = crypto.verify('sha256', signed, verifyKey, signature);
  } catch {
    // a malformed signature: same answer as a wrong one
  }
  if (!verified) throw invalid('bad signature');

  if (claims.iss !== SERVICE_ACCOUNT) throw invalid(`iss must be ${SERVICE_ACCOUNT}`);
  if (ctx.oidc.client.clientId !== claims.iss) throw invalid('iss does not match client_id');
  const tokenEndpoint = ctx.oidc.urlFor('token');
  const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!auds.includes(tokenEndpoint)) throw invalid(`aud must be ${tokenEndpoint}`);
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number') throw invalid('exp missing');
  if (typeof claims.iat !== 'number') throw invalid('iat missing');
  if (claims.exp <= now) throw invalid('expired (exp is not in the future)');
  if (claims.iat > now + 60) throw invalid('iat is in the future');
  if (claims.exp - claims.iat > 3600) throw invalid('exp is more than 3600 s after iat');
  if (typeof claims.nbf === 'number' && claims.nbf > now) throw invalid('not yet valid (nbf)');
  if (claims.sub !== undefined && (typeof claims.sub !== 'string' || claims.sub === '')) throw invalid('sub is not a string');
  if (claims.scope !== undefined && typeof claims.scope !== 'string') throw invalid('scope is not a string');

  const scopes = splitScope(claims.scope ?? ctx.oidc.params.scope);
  checkKnownScopes(scopes);
  const { at, value } = await issueAccessToken(provider, ctx, {
    accountId: claims.sub ?? claims.iss,
    scope: [...new Set(scopes)].join(' '),
    gty: 'jwt_bearer',
  });
  ctx.body = tokenResponse(value, at);
}

function registerCustomGrants(provider) {
  provider.registerGrantType(GRANT_PASSWORD, (ctx) => passwordGrant(provider, ctx), ['username', 'password', 'scope']);
  provider.registerGrantType(GRANT_TOKEN_EXCHANGE, (ctx) => tokenExchangeGrant(provider, ctx),
    ['subject_token', 'subject_token_type', 'requested_token_type', 'audience', 'scope', 'authorization_details']);
  provider.registerGrantType(GRANT_JWT_BEARER, (ctx) => jwtBearerGrant(provider, ctx), ['assertion', 'scope']);
}

// mTLS endpoint aliases (RFC 8705 §5): the same endpoints under /mtls, when serving TLS.
const MTLS_PREFIX = '/mtls';
const mtlsAliasHits = [];
function mtlsAliases(issuer) {
  const at = (route) => `${issuer}${MTLS_PREFIX}${route}`;
  return {
    token_endpoint: at(routes.token),
    introspection_endpoint: at(routes.introspection),
    revocation_endpoint: at(routes.revocation),
    userinfo_endpoint: at(routes.userinfo),
    device_authorization_endpoint: at(routes.device_authorization),
  };
}

// The test resource server of GET /_test/resource: checks a JWT access token's signature and
// expiry, and its cnf.x5t#S256 against the certificate presented on this connection.
function resourceAnswer(req) {
  const refuse = (why) => [401, { error: 'invalid_token', error_description: why }];
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) return refuse('no bearer token');
  const parts = token.split('.');
  if (parts.length !== 3) return refuse('not a JWT access token');
  let claims;
  try {
    claims = b64urlJson(parts[1]);
  } catch {
    return refuse('unreadable claims');
  }
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!crypto.verify('sha256', signed, signingKeyPair.publicKey, Buffer.from(parts[2], 'base64url'))) {
    return refuse('bad signature');
  }
  if (typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) return refuse('expired');
  const bound = claims.cnf?.['x5t#S256'];
  if (!bound) return refuse('the token is not bound to a certificate');
  const peer = req.socket.getPeerCertificate?.();
  if (!peer?.raw) return refuse('no client certificate presented');
  const presented = crypto.createHash('sha256').update(peer.raw).digest('base64url');
  if (presented !== bound) return refuse('the client certificate is not the one the token is bound to');
  return [200, { ok: true, sub: claims.sub, 'x5t#S256': presented }];
}

function configuration(issuer) {
  return {
    // mtls_endpoint_aliases (RFC 8705 §5), when serving TLS.
    ...(tls ? { discovery: { mtls_endpoint_aliases: mtlsAliases(issuer) } } : {}),
    clients,
    findAccount,
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    routes,
    scopes: [...knownScopes],
    claims: {
      openid: ['sub'],
      profile: ['name'],
      email: ['email', 'email_verified'],
    },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true, allowedPolicy: revocationAllowedPolicy },
      introspection: { enabled: true, allowedPolicy: introspectionAllowedPolicy },
      deviceFlow: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      // On by default in oidc-provider 9; a resource (or audience) must be a known one.
      resourceIndicators: { enabled: true, defaultResource, getResourceServerInfo },
      // PAR, JAR, JARM: used only by a request that asks for them (or by cli-par, cli-jar).
      pushedAuthorizationRequests: {
        enabled: !noParJarJarm,
        requirePushedAuthorizationRequests: process.env.OAT_TEST_REQUIRE_PAR === '1',
      },
      requestObjects: { enabled: !noParJarJarm },
      jwtResponseModes: { enabled: !noParJarJarm },
      richAuthorizationRequests,
      // DPoP (RFC 9449): only requests with a DPoP header (or of cli-dpop) are affected.
      // FAPI 2.0 for cli-fapi alone; every other client is served as before.
      fapi: { enabled: true, profile: (_ctx, client) => (client?.clientId === 'cli-fapi' ? '2.0' : undefined) },
      dPoP: { enabled: true, nonceSecret: crypto.randomBytes(32), requireNonce: () => true },
      ...(tls ? {
        mTLS: {
          enabled: true,
          tlsClientAuth: true,
          certificateBoundAccessTokens: true,
          getCertificate,
          certificateAuthorized,
          certificateSubjectMatches,
        },
      } : {}),
    },
    // oidc-provider's default list, plus tls_client_auth when serving TLS.
    clientAuthMethods: [
      'client_secret_basic',
      'client_secret_jwt',
      'client_secret_post',
      'private_key_jwt',
      'none',
      ...(tls ? ['tls_client_auth'] : []),
    ],
    // Public clients (token_endpoint_auth_method none) must use PKCE; oidc-provider 9 only
    // implements S256.
    pkce: { required: (ctx, client) => client.clientAuthMethod === 'none' || ctx.oidc.isFapi('2.0') },
    rotateRefreshToken: process.env.OAT_TEST_NO_ROTATION !== '1',
    clockTolerance: 0,
    ttl: {
      AccessToken: accessTtl,
      ClientCredentials: accessTtl,
      IdToken: idTokenTtl,
      RefreshToken: 86400,
      DeviceCode: 600,
      // Given only so that oidc-provider does not print "default ttl.X function called".
      Interaction: 3600,
      Session: 14 * 86400,
      Grant: 14 * 86400,
    },
  };
}

function basicClientId(header) {
  if (typeof header !== 'string') return undefined;
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i === -1) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, i).replace(/\+/g, '%20'));
  } catch {
    return decoded.slice(0, i);
  }
}

// The (unverified) sub of a client_assertion JWT, or null.
function assertionSubject(jwt) {
  try {
    const { sub } = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
    return typeof sub === 'string' ? sub : null;
  } catch {
    return null;
  }
}

// The (unverified) nonce of a DPoP proof, or null.
function dpopNonce(proof) {
  try {
    const { nonce } = JSON.parse(Buffer.from(proof.split('.')[1], 'base64url').toString('utf8'));
    return typeof nonce === 'string' ? nonce : null;
  } catch {
    return null;
  }
}

// Koa middleware inserted (by Provider#use) before oidc-provider's router. It records the
// request on arrival, lets the provider handle it, then reads the form body the provider
// itself parsed from the raw request (ctx.oidc.body) and the response status. Nothing here
// touches the request stream, so the provider's own body parsing is unaffected.
async function recordRequests(ctx, next) {
  if (ctx.method !== 'POST' || !recordedPaths.has(ctx.path)) {
    await next();
    return;
  }
  const basic = /^basic\s/i.test(ctx.get('authorization'));
  const entry = {
    path: ctx.path,
    grant_type: null,
    client_id: null,
    basic_auth: basic,
    client_secret_in_body: false,
    client_assertion_type: null,
    status: null,
    // DPoP (RFC 9449): the nonce in the request's proof (unverified; null without one), and
    // whether the request carried a proof at all.
    dpop: Boolean(ctx.get('dpop')),
    dpop_nonce: dpopNonce(ctx.get('dpop')),
  };
  recorded.push(entry);
  let thrown;
  try {
    await next();
  } catch (err) {
    thrown = err;
    throw err;
  } finally {
    let body = ctx.state.sentBody;
    try {
      body ??= ctx.oidc?.body;
    } catch {
      body = undefined;
    }
    const field = (name) => (typeof body?.[name] === 'string' ? body[name] : null);
    entry.grant_type = field('grant_type');
    entry.client_id = field('client_id')
      ?? (basic ? basicClientId(ctx.get('authorization')) ?? null : null)
      ?? assertionSubject(field('client_assertion'));
    entry.client_secret_in_body = body?.client_secret !== undefined;
    entry.client_assertion_type = field('client_assertion_type');
    entry.status = thrown ? (thrown.status ?? thrown.statusCode ?? 500) : ctx.status;
  }
}

// Koa middleware inserted after recordRequests: client authentication of client federated by
// a federated issuer's JWT (see the header). It reads the form body itself and hands it on as
// ctx.request.body, which oidc-provider takes when the stream has been read (it warns once);
// the body as sent is kept in ctx.state.sentBody for the request log.
async function federatedClientAuth(ctx, next) {
  if (!federation || ctx.method !== 'POST' || !ctx.is('application/x-www-form-urlencoded')) {
    await next();
    return;
  }
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const sent = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
  ctx.state.sentBody = sent;
  ctx.request.body = sent;
  if (sent.client_id !== FEDERATED_CLIENT || sent.client_assertion_type !== CLIENT_ASSERTION_JWT) {
    await next();
    return;
  }
  try {
    const claims = await verifyFederated(sent.client_assertion ?? '');
    if (claims.sub !== federation.subject) {
      throw new Error(`sub ${JSON.stringify(claims.sub)} does not match the federated credential's subject ${JSON.stringify(federation.subject)}`);
    }
  } catch (err) {
    log(`federated client authentication failed: ${err.message}`);
    ctx.status = 401;
    ctx.set('cache-control', 'no-store');
    ctx.body = { error: 'invalid_client', error_description: `client_assertion from ${federation.issuer}: ${err.message}` };
    return;
  }
  const { client_assertion: _a, client_assertion_type: _t, ...rest } = sent;
  ctx.request.body = { ...rest, client_secret: federation.secret };
  await next();
}

// Koa middleware inserted before recordRequests: answers slow_down to the first
// OAT_TEST_SLOW_DOWN token requests.
async function injectSlowDown(ctx, next) {
  if (slowDowns > 0 && ctx.method === 'POST' && ctx.path === routes.token) {
    slowDowns -= 1;
    log('answering slow_down (OAT_TEST_SLOW_DOWN)');
    ctx.status = 400;
    ctx.set('cache-control', 'no-store');
    ctx.body = { error: 'slow_down', error_description: 'polling too often (injected by the test server)' };
    return;
  }
  await next();
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function testRoute(req, res) {
  const { pathname } = new URL(req.url, 'http://127.0.0.1');
  if (pathname !== '/_test/requests' && !(tls && ['/_test/mtls', '/_test/resource'].includes(pathname))) {
    sendJson(res, 404, { error: 'not_found' });
    return;
  }
  if (tls && pathname === '/_test/mtls' && req.method === 'GET') {
    sendJson(res, 200, mtlsAliasHits);
    return;
  }
  if (tls && pathname === '/_test/resource' && req.method === 'GET') {
    const [status, body] = resourceAnswer(req);
    if (status === 401) res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
    sendJson(res, status, body);
    return;
  }
  if (req.method === 'GET') {
    sendJson(res, 200, recorded);
  } else if (req.method === 'DELETE') {
    recorded.length = 0;
    res.writeHead(204).end();
  } else {
    res.setHeader('allow', 'GET, DELETE');
    sendJson(res, 405, { error: 'method_not_allowed' });
  }
}

let handler = (_req, res) => {
  res.writeHead(503).end();
};

function route(req, res) {
  // An mTLS alias: the same endpoint, recorded (RFC 8705 §5).
  if (tls && req.url.startsWith(`${MTLS_PREFIX}/`)) {
    req.url = req.url.slice(MTLS_PREFIX.length);
    mtlsAliasHits.push({ method: req.method, path: new URL(req.url, 'http://127.0.0.1').pathname });
  }
  if (req.url === '/_test' || req.url.startsWith('/_test/')) {
    testRoute(req, res);
  } else {
    handler(req, res);
  }
}
const server = tls ? https.createServer(tlsOptions, route) : http.createServer(route);

let stopping = false;
function stop(reason) {
  if (stopping) return;
  stopping = true;
  log(`stopping (${reason})`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  // Do not hang on a stuck request.
  setTimeout(() => process.exit(0), 2000).unref();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (process.env.OAT_TEST_IGNORE_STDIN !== '1') {
  process.stdin.on('end', () => stop('stdin EOF'));
  process.stdin.on('close', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.on('data', () => {}); // discard anything written; keeps the stream flowing
  process.stdin.resume();
}

server.on('error', (err) => {
  log(`server error: ${err.message}`);
  process.exit(1);
});

server.listen(requestedPort, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration(issuer));
  registerCustomGrants(provider);
  provider.use(injectSlowDown);
  provider.use(recordRequests);
  provider.use(federatedClientAuth);
  provider.on('server_error', (_ctx, err) => log('server_error', err));
  // The JSON error bodies are deliberately vague (e.g. invalid_grant "grant request is
  // invalid"); log the real reason to stderr to make failing tests easier to read.
  for (const event of ['grant.error', 'revocation.error', 'introspection.error', 'userinfo.error',
    'authorization.error', 'device_authorization.error', 'pushed_authorization_request.error']) {
    provider.on(event, (_ctx, err) => log(`${event}: ${err.error}: ${err.error_detail ?? err.error_description ?? err.message}`));
  }
  handler = provider.callback();
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
  log(`listening at ${issuer}`);
});
