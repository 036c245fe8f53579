// A real OpenID Connect provider (panva/oidc-provider 9) on loopback, for oat's integration tests.
//
//   node tests/provider/server.mjs
//
// stdout: exactly one JSON line once listening, then nothing else:
//   {"issuer":"http://127.0.0.1:PORT","port":PORT}
// Everything else (oidc-provider's notices and warnings, our logs) goes to stderr.
//
// Exits on SIGTERM, SIGINT and when stdin reaches EOF (the test harness holds stdin open as
// a pipe; if the harness dies, the pipe closes and so does the server). Set
// OAT_TEST_IGNORE_STDIN=1 to run it by hand with stdin closed or redirected from /dev/null.
//
// Environment:
//   PORT                   port to bind on 127.0.0.1 (default 0: an ephemeral port)
//   OAT_TEST_ACCESS_TTL    lifetime in seconds of access tokens and client-credentials tokens
//                          (default 3600)
//   OAT_TEST_IGNORE_STDIN  if "1", do not exit when stdin reaches EOF
//
// Test-only routes on the same port (outside every oidc-provider route):
//   GET    /_test/requests  JSON array of every request received at the token and revocation
//                           endpoints, in arrival order:
//                           {"path","grant_type","client_id","basic_auth","client_secret_in_body","status"}
//   DELETE /_test/requests  clears that list (204)

import * as crypto from 'node:crypto';
import * as http from 'node:http';

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
if (accessTtl < 1) {
  log('OAT_TEST_ACCESS_TTL must be at least 1');
  process.exit(2);
}

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
};

// Requests seen at these endpoints are recorded for GET /_test/requests.
const recordedPaths = new Set([routes.token, routes.revocation]);
const recorded = [];

const CALLBACK = 'http://127.0.0.1/callback'; // any port is accepted (native client, RFC 8252 §7.3)
const AUTH_CODE_GRANTS = ['authorization_code', 'refresh_token'];

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
];

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
  ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
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

function configuration() {
  return {
    clients,
    findAccount,
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    routes,
    scopes: ['openid', 'offline_access', 'profile', 'email', 'api:read'],
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
    },
    // Public clients (token_endpoint_auth_method none) must use PKCE; oidc-provider 9 only
    // implements S256.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    rotateRefreshToken: true,
    clockTolerance: 0,
    ttl: {
      AccessToken: accessTtl,
      ClientCredentials: accessTtl,
      IdToken: 3600,
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
    status: null,
  };
  recorded.push(entry);
  let thrown;
  try {
    await next();
  } catch (err) {
    thrown = err;
    throw err;
  } finally {
    let body;
    try {
      body = ctx.oidc?.body;
    } catch {
      body = undefined;
    }
    const field = (name) => (typeof body?.[name] === 'string' ? body[name] : null);
    entry.grant_type = field('grant_type');
    entry.client_id = field('client_id') ?? (basic ? basicClientId(ctx.get('authorization')) ?? null : null);
    entry.client_secret_in_body = body?.client_secret !== undefined;
    entry.status = thrown ? (thrown.status ?? thrown.statusCode ?? 500) : ctx.status;
  }
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
  if (pathname !== '/_test/requests') {
    sendJson(res, 404, { error: 'not_found' });
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

const server = http.createServer((req, res) => {
  if (req.url === '/_test' || req.url.startsWith('/_test/')) {
    testRoute(req, res);
  } else {
    handler(req, res);
  }
});

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
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration());
  provider.use(recordRequests);
  provider.on('server_error', (_ctx, err) => log('server_error', err));
  // The JSON error bodies are deliberately vague (e.g. invalid_grant "grant request is
  // invalid"); log the real reason to stderr to make failing tests easier to read.
  for (const event of ['grant.error', 'revocation.error', 'introspection.error', 'userinfo.error',
    'authorization.error', 'device_authorization.error']) {
    provider.on(event, (_ctx, err) => log(`${event}: ${err.error}: ${err.error_detail ?? err.error_description ?? err.message}`));
  }
  handler = provider.callback();
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
  log(`listening at ${issuer}`);
});
