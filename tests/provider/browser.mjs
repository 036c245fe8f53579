#!/usr/bin/env node
// A scripted "person with a browser" for oat's integration tests, set as $BROWSER.
//
//   browser.mjs <authorization URL>
//
// Plays a browser over plain HTTP with a cookie jar (no real browser): GETs the URL, follows
// redirects by hand, completes oidc-provider's stock devInteractions login and consent forms,
// and finally GETs the redirect to the client's loopback callback
// (http://127.0.0.1:PORT/callback?...). The callback response's status goes to stderr.
//
// Also completes a device-flow verification URL that carries the user code
// (verification_uri_complete, .../device?user_code=XXXX-XXXX), ending at the success page.
//
// Environment:
//   OAT_TEST_BROWSER      approve (default) | deny | tamper-state | hand-over | ignore
//     approve       log in and consent; GET the callback
//     deny          log in, then press the consent page's [ Cancel ] link: the provider
//                   redirects to the callback with error=access_denied; GET that callback
//     tamper-state  like approve, but replace the callback URL's state before GETting it
//     tamper-response  like approve, but change the signature of the callback URL's JARM
//                   `response` JWT (its third part's first character is replaced by another
//                   base64url character) before GETting it; header and claims stay as issued
//     hand-over     like approve, but instead of GETting the callback URL, write it to the
//                   file OAT_TEST_CALLBACK_FILE (a person copying the address bar of a browser
//                   on another machine, to paste it into oat)
//     ignore        do nothing, exit 0 (for the listener-timeout test)
//   OAT_TEST_BROWSER_LOG  if set, the received URL is appended to this file (one line) first,
//                         in every mode
//   OAT_TEST_CALLBACK_LOG if set, the callback URL is appended to this file (one line) before
//                         it is GET (after any tampering), in every mode that reaches it
//   OAT_TEST_USER         login name (default alice)
//   OAT_TEST_BROWSER_TIMEOUT_MS  per-request timeout (default 10000)
//
// Exit status: 0 when the callback (or device success page) was reached and answered,
// non-zero with a message on stderr on any unexpected page, status or network error.

import { appendFileSync, writeFileSync } from 'node:fs';

const MODES = new Set(['approve', 'deny', 'tamper-state', 'tamper-response', 'hand-over', 'ignore']);
const MAX_STEPS = 30;

const say = (msg) => process.stderr.write(`browser.mjs: ${msg}\n`);
function fail(msg) {
  say(`error: ${msg}`);
  process.exit(1);
}

const mode = process.env.OAT_TEST_BROWSER || 'approve';
const user = process.env.OAT_TEST_USER || 'alice';
const timeoutMs = Number(process.env.OAT_TEST_BROWSER_TIMEOUT_MS || 10000);
const startUrl = process.argv[2];

if (process.env.OAT_TEST_BROWSER_LOG) {
  appendFileSync(process.env.OAT_TEST_BROWSER_LOG, `${startUrl ?? ''}\n`);
}
if (!MODES.has(mode)) fail(`unknown OAT_TEST_BROWSER=${JSON.stringify(mode)} (expected ${[...MODES].join(', ')})`);
if (mode === 'ignore') process.exit(0);
if (process.argv.length !== 3 || !startUrl) fail('usage: browser.mjs <url>');

let start;
try {
  start = new URL(startUrl);
} catch {
  fail(`not a URL: ${startUrl}`);
}
const providerOrigin = start.origin;

// Where the flow is supposed to end: the redirect_uri of the authorization request.
let redirectUri;
if (start.searchParams.get('redirect_uri')) {
  try {
    redirectUri = new URL(start.searchParams.get('redirect_uri'));
  } catch {
    fail(`redirect_uri is not a URL: ${start.searchParams.get('redirect_uri')}`);
  }
}

function isCallback(url) {
  if (redirectUri) {
    return url.origin === redirectUri.origin && url.pathname === redirectUri.pathname;
  }
  return url.origin !== providerOrigin;
}

// ---- cookie jar: like a browser, cookies are per host (not per port) and per path ----------
const jar = new Map(); // `${host}\t${path}\t${name}` -> { host, path, name, value }

function storeCookies(url, res) {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
    let expired = false;
    for (const attr of attrs) {
      const [k, ...v] = attr.split('=');
      const key = k.trim().toLowerCase();
      const val = v.join('=').trim();
      if (key === 'path' && val.startsWith('/')) path = val;
      if (key === 'max-age' && Number(val) <= 0) expired = true;
      if (key === 'expires' && Date.parse(val) <= Date.now()) expired = true;
    }
    const id = `${url.hostname}\t${path}\t${name}`;
    if (expired || value === '') jar.delete(id);
    else jar.set(id, { host: url.hostname, path, name, value });
  }
}

function cookieHeader(url) {
  const matches = [...jar.values()].filter((c) => c.host === url.hostname
    && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)));
  // Longer paths first, as browsers do.
  matches.sort((a, b) => b.path.length - a.path.length);
  return matches.map((c) => `${c.name}=${c.value}`).join('; ');
}

async function request(method, url, form) {
  const headers = { 'user-agent': 'oat-test-browser/1', accept: 'text/html,*/*' };
  const cookie = cookieHeader(url);
  if (cookie) headers.cookie = cookie;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  let res;
  try {
    res = await fetch(url, {
      method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    fail(`${method} ${url} failed: ${err.cause?.message ?? err.message}`);
  }
  storeCookies(url, res);
  let text;
  try {
    text = await res.text();
  } catch (err) {
    fail(`${method} ${url}: reading the response failed: ${err.message}`);
  }
  return { status: res.status, headers: res.headers, text };
}

// ---- tiny HTML helpers ----------------------------------------------------------------------
function unescapeHtml(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attr(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
  return m ? unescapeHtml(m[1] ?? m[2] ?? m[3]) : undefined;
}

function forms(html) {
  const out = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const tag = `<form ${m[1]}>`;
    const inputs = [];
    for (const i of m[2].matchAll(/<input\b[^>]*>/gi)) {
      inputs.push({ name: attr(i[0], 'name'), type: (attr(i[0], 'type') || 'text').toLowerCase(), value: attr(i[0], 'value') });
    }
    out.push({
      id: attr(tag, 'id'),
      action: attr(tag, 'action'),
      method: (attr(tag, 'method') || 'get').toLowerCase(),
      inputs,
    });
  }
  return out;
}

function hiddenFields(form) {
  const fields = {};
  for (const i of form.inputs) if (i.type === 'hidden' && i.name) fields[i.name] = i.value ?? '';
  return fields;
}

const title = (html) => unescapeHtml(html.match(/<title>([\s\S]*?)<\/title>/i)?.[1]?.trim() ?? '');
const snippet = (html) => html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ')
  .replace(/\s+/g, ' ')
  .trim()
  .slice(0, 400);

// ---- the walk -------------------------------------------------------------------------------
async function finishAtCallback(url) {
  if (mode === 'tamper-state') {
    const original = url.searchParams.get('state');
    url.searchParams.set('state', `tampered-${original ?? 'none'}`);
    say(`tampered state ${JSON.stringify(original)} -> ${JSON.stringify(url.searchParams.get('state'))}`);
  }
  if (mode === 'tamper-response') {
    const original = url.searchParams.get('response');
    const parts = (original ?? '').split('.');
    if (parts.length !== 3 || !parts[2]) fail('tamper-response: the callback carries no response JWT');
    parts[2] = `${parts[2][0] === 'A' ? 'B' : 'A'}${parts[2].slice(1)}`;
    url.searchParams.set('response', parts.join('.'));
    say('tampered the signature of the response JWT');
  }
  if (process.env.OAT_TEST_CALLBACK_LOG) {
    appendFileSync(process.env.OAT_TEST_CALLBACK_LOG, `${url}\n`);
  }
  if (mode === 'hand-over') {
    const file = process.env.OAT_TEST_CALLBACK_FILE;
    if (!file) fail('hand-over needs OAT_TEST_CALLBACK_FILE');
    writeFileSync(file, `${url}\n`);
    say('handed the callback URL over');
    process.exit(0);
  }
  // Only the parameter names: the code is a secret that tests look for in oat's output.
  say(`GET callback ${url.origin}${url.pathname} (${[...url.searchParams.keys()].join(', ')})`);
  const res = await request('GET', url);
  say(`callback status ${res.status}`);
  process.exit(0);
}

async function main() {
  let method = 'GET';
  let url = start;
  let form;
  let loggedIn = false;

  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (isCallback(url)) {
      await finishAtCallback(url);
      return;
    }

    const res = await request(method, url, form);
    const where = `${method} ${url.pathname}`;

    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      if (!location) fail(`${where}: ${res.status} without a Location header`);
      url = new URL(location, url);
      method = 'GET';
      form = undefined;
      continue;
    }

    const html = res.text;
    const pageTitle = title(html);

    // Device flow end pages (oidc-provider's stock successSource / userCodeInputSource).
    if (url.origin === providerOrigin && res.status === 200) {
      if (pageTitle === 'Sign-in Success') {
        say(`device flow finished: ${snippet(html)}`);
        process.exit(0);
      }
      if (mode === 'deny' && html.includes('The Sign-in request was interrupted')) {
        say(`device flow finished (denied): ${snippet(html)}`);
        process.exit(0);
      }
    }

    if (res.status !== 200) {
      fail(`${where}: unexpected status ${res.status} (${pageTitle}): ${snippet(html)}`);
    }

    const found = forms(html);
    const login = found.find((f) => f.inputs.some((i) => i.name === 'login'));
    const consent = found.find((f) => f.inputs.some((i) => i.name === 'prompt' && i.value === 'consent'));
    const deviceConfirm = found.find((f) => f.id === 'op.deviceConfirmForm');
    const autoSubmit = found.length === 1 && /document\.forms\[0\]\.submit\(\)/.test(html)
      && found[0].inputs.every((i) => i.type === 'hidden') ? found[0] : undefined;

    const post = (f, fields) => {
      if (f.method !== 'post' || !f.action) fail(`${where}: form without method=post/action`);
      method = 'POST';
      url = new URL(f.action, url);
      form = fields;
    };

    if (login) {
      if (loggedIn) fail(`${where}: login form shown again after logging in: ${snippet(html)}`);
      loggedIn = true;
      say(`login as ${user}`);
      post(login, { ...hiddenFields(login), login: user, password: 'any-password' });
    } else if (consent) {
      if (mode === 'deny') {
        const cancel = [...html.matchAll(/<a\b[^>]*>[\s\S]*?<\/a>/gi)]
          .find((a) => /cancel|abort/i.test(a[0]));
        const href = cancel && attr(cancel[0], 'href');
        if (!href) fail(`${where}: consent page has no cancel link`);
        say('consent: cancel');
        method = 'GET';
        url = new URL(href, url);
        form = undefined;
      } else {
        say('consent: continue');
        post(consent, hiddenFields(consent));
      }
    } else if (deviceConfirm) {
      say('device code: confirm');
      post(deviceConfirm, hiddenFields(deviceConfirm));
    } else if (autoSubmit) {
      post(autoSubmit, hiddenFields(autoSubmit));
    } else {
      fail(`${where}: unexpected page (${pageTitle || 'no title'}): ${snippet(html)}`);
    }
  }
  fail(`gave up after ${MAX_STEPS} requests`);
}

main().catch((err) => fail(err.stack || String(err)));
