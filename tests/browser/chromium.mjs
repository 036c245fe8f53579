#!/usr/bin/env node
// A real browser for oat's end-to-end login test, set as $BROWSER:
//
//   chromium.mjs <authorization URL>
//
// Starts Debian's headless Chromium (/usr/bin/chromium, driven by npm's playwright-core; no
// browser is ever downloaded) with a fresh temporary profile, opens the URL and plays the person
// at the keyboard: on each page it recognises one of KNOWN_PAGES and does what that page asks
// (log in, consent, ...), until the browser lands on the loopback callback, the redirect_uri
// of the authorization URL, served by oat. That final page is written to OAT_TEST_PAGE_FILE as
// JSON {"url_path", "title", "text"} (the path only: the query carries the code, a secret).
// Only loopback addresses are reached: every other request (e.g. a web font) is blocked.
//
// Environment:
//   OAT_TEST_PAGE_FILE            where the final page goes (written once the browser is closed,
//                                 by a rename, so a reader never sees half a file)
//   OAT_TEST_BROWSER_LOG          if set, the URL is appended to this file (one line) first
//   OAT_TEST_USER                 login name (default alice); the password is anything
//   OAT_TEST_BROWSER_TIMEOUT_MS   limit for each step: start, page load, action (default 20000)
//   CHROMIUM                      the browser (default /usr/bin/chromium)
//
// Exit status 0 when the callback page was reached and recorded; non-zero with the reason, and
// the title and text of the page it was on, on stderr: a page it does not know, a step that
// timed out, a browser that did not start. The browser is closed and its profile removed in
// every case.
//
// Adding a page (e.g. another provider's login form): add an entry to KNOWN_PAGES with
//   name    what the page is, for messages
//   detect  async (page) => true when the current document is this page
//   act     async (page) => does what a person would; it must lead to another page
//   final   true for the page where the walk ends (no act)

import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const STEP_MS = Number(process.env.OAT_TEST_BROWSER_TIMEOUT_MS || 20000);
const MAX_PAGES = 10;
// A fully loaded document that no detector recognises for this long is an unknown page.
const UNKNOWN_AFTER_MS = 1000;
const USER = process.env.OAT_TEST_USER || 'alice';
const PASSWORD = 'any-password';

const say = (msg) => process.stderr.write(`chromium.mjs: ${msg}\n`);

class Failure extends Error {}

const startUrl = process.argv[2];
if (process.env.OAT_TEST_BROWSER_LOG) {
  appendFileSync(process.env.OAT_TEST_BROWSER_LOG, `${startUrl ?? ''}\n`);
}

let start;
let redirectUri;
try {
  if (process.argv.length !== 3) throw new Failure('usage: chromium.mjs <url>');
  start = new URL(startUrl);
  redirectUri = new URL(start.searchParams.get('redirect_uri') ?? '');
} catch (err) {
  say(`error: ${err instanceof Failure ? err.message : `not an authorization URL with a redirect_uri: ${startUrl}`}`);
  process.exit(2);
}
const pageFile = process.env.OAT_TEST_PAGE_FILE;
if (!pageFile) {
  say('error: OAT_TEST_PAGE_FILE is not set');
  process.exit(2);
}

// The origin and path of a URL, never its query (the callback's carries the code).
const where = (url) => {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}${u.pathname}` : u.protocol;
  } catch {
    return String(url);
  }
};
const isCallback = (url) => {
  try {
    const u = new URL(url);
    return u.origin === redirectUri.origin && u.pathname === redirectUri.pathname;
  } catch {
    return false;
  }
};
const isLoopback = (url) => {
  try {
    const { protocol, hostname } = new URL(url);
    if (protocol === 'data:' || protocol === 'about:') return true;
    return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
};

// The form of the page that carries an input matching `has`, if exactly one does.
async function formWith(page, has) {
  const form = page.locator('form', { has: page.locator(has) });
  return (await form.count()) === 1 ? form : undefined;
}

async function submit(form) {
  await form.locator('button[type="submit"], input[type="submit"], button:not([type])').first().click({ timeout: STEP_MS });
}

// ---- the pages this browser knows -----------------------------------------------------------
const KNOWN_PAGES = [
  {
    // oat's own page on its loopback listener: where the walk ends.
    name: 'oat callback',
    detect: async (page) => isCallback(page.url()),
    final: true,
  },
  {
    // oidc-provider's stock devInteractions login page (lib/views/login.js): a form with a
    // hidden prompt=login, a text input "login" and a password input.
    name: 'oidc-provider login',
    detect: async (page) => {
      const form = await formWith(page, 'input[name="prompt"][value="login"]');
      return !!form && (await form.locator('input[name="login"]').count()) === 1
        && (await form.locator('input[type="password"]').count()) === 1;
    },
    act: async (page) => {
      const form = await formWith(page, 'input[name="prompt"][value="login"]');
      say(`login as ${USER}`);
      await form.locator('input[name="login"]').fill(USER, { timeout: STEP_MS });
      await form.locator('input[type="password"]').fill(PASSWORD, { timeout: STEP_MS });
      await submit(form);
    },
  },
  {
    // oidc-provider's stock devInteractions consent page (lib/views/interaction.js): a form
    // with a hidden prompt=consent and a "Continue" submit button.
    name: 'oidc-provider consent',
    detect: async (page) => !!(await formWith(page, 'input[name="prompt"][value="consent"]')),
    act: async (page) => {
      say('consent: continue');
      await submit(await formWith(page, 'input[name="prompt"][value="consent"]'));
    },
  },
  {
    // The sign-in page of oat's own demo server (src/demo/pages.rs): user name, password and
    // an explicit Approve button (the first submit button would do, but say what is meant).
    name: 'oat demo sign-in',
    detect: async (page) => !!(await formWith(page, 'button[name="decision"][value="approve"]')),
    act: async (page) => {
      const form = await formWith(page, 'button[name="decision"][value="approve"]');
      say('demo sign-in: approve');
      await form.locator('input[name="username"]').fill(USER, { timeout: STEP_MS });
      await form.locator('input[type="password"]').fill(PASSWORD, { timeout: STEP_MS });
      await form.locator('button[name="decision"][value="approve"]').click({ timeout: STEP_MS });
    },
  },
];

// ---- the walk -------------------------------------------------------------------------------
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// Errors from looking at a page while it navigates away: look again.
const inTransit = (err) => /context was destroyed|navigat|Cannot find context|Frame was detached/i.test(err.message);

// Marks the current document and tells its readiness. A new document (after a navigation) has
// no mark yet, so the walk can tell "still the page I acted on" from "the next page".
const markDocument = (page) => withTimeout(page.evaluate(() => {
  if (!window.__oatTestDocument) window.__oatTestDocument = `${Date.now()}-${Math.random()}`;
  return { id: window.__oatTestDocument, ready: document.readyState };
}), STEP_MS, 'the page');

async function describe(page) {
  try {
    const title = await withTimeout(page.title(), 5000, 'title');
    const text = await withTimeout(page.evaluate(() => document.body?.innerText ?? ''), 5000, 'text');
    return `at ${where(page.url())}\n  title: ${JSON.stringify(title)}\n  text: ${text.trim().slice(0, 2000)}`;
  } catch (err) {
    return `at ${where(page.url())} (page unreadable: ${err.message})`;
  }
}

// Waits for a document other than `previous` that a known page's detector accepts.
async function nextPage(page, previous, after) {
  const deadline = Date.now() + STEP_MS;
  let unknown; // { id, since }: a loaded document nothing recognised
  while (Date.now() < deadline) {
    try {
      const doc = await markDocument(page);
      if (doc.id !== previous && doc.ready !== 'loading') {
        for (const known of KNOWN_PAGES) {
          if (await known.detect(page)) return { known, id: doc.id };
        }
        if (doc.ready === 'complete') {
          if (unknown?.id !== doc.id) unknown = { id: doc.id, since: Date.now() };
          if (Date.now() - unknown.since >= UNKNOWN_AFTER_MS) {
            throw new Failure(`a page this browser does not know, after ${after}, ${await describe(page)}`);
          }
        }
      }
    } catch (err) {
      if (err instanceof Failure || !inTransit(err)) throw err;
    }
    await sleep(100);
  }
  throw new Failure(`no known page within ${STEP_MS} ms after ${after}, ${await describe(page)}`);
}

async function walk(page) {
  await page.goto(start.href, { waitUntil: 'commit', timeout: STEP_MS });
  let previous;
  let after = `opening ${where(start.href)}`;
  let last;
  for (let n = 0; n < MAX_PAGES; n += 1) {
    const { known, id } = await nextPage(page, previous, after);
    if (known.final) return;
    if (known === last) throw new Failure(`${known.name} again after ${after}, ${await describe(page)}`);
    await withTimeout(known.act(page), STEP_MS, known.name);
    previous = id;
    last = known;
    after = `acting on the ${known.name} page`;
  }
  throw new Failure(`no callback after ${MAX_PAGES} pages`);
}

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'oat-chromium-'));
  // Retries while a browser that is going away still writes to it; what is left then is tried
  // once more at exit, after playwright-core's own exit handler has killed the browser.
  const removeProfile = (last) => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (err) {
      if (last) say(`warning: cannot remove the browser profile ${profile}: ${err.message}`);
    }
  };
  process.on('exit', () => removeProfile(true));
  let context;
  let failure;
  let result;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      timeout: STEP_MS,
    });
    context.setDefaultTimeout(STEP_MS);
    context.setDefaultNavigationTimeout(STEP_MS);
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLoopback(url)) return route.continue();
      say(`blocked ${where(url)}`);
      return route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.on('response', (res) => {
      if (res.request().isNavigationRequest() && res.request().frame() === page.mainFrame()) {
        say(`${res.status()} ${where(res.url())}`);
      }
    });
    await walk(page);
    result = {
      url_path: new URL(page.url()).pathname,
      title: await page.title(),
      text: await page.evaluate(() => document.body?.innerText ?? ''),
    };
  } catch (err) {
    failure = err;
  } finally {
    if (context) {
      await withTimeout(context.close(), STEP_MS, 'closing the browser').catch((err) => {
        say(`error: ${err.message}`);
        failure ??= err;
      });
    }
    removeProfile(false);
  }
  if (failure) {
    say(`error: ${failure instanceof Failure ? failure.message : failure.stack || failure}`);
    process.exit(1);
  }
  const partial = `${pageFile}.partial`;
  writeFileSync(partial, `${JSON.stringify(result)}\n`);
  renameSync(partial, pageFile);
  say(`done at ${result.url_path}: ${JSON.stringify(result.title)}`);
}

// A last resort: the steps have their own limits.
setTimeout(() => {
  say('error: gave up after 120 s');
  process.exit(1); // playwright-core kills the browser on exit
}, 120000).unref();

main().catch((err) => {
  say(`error: ${err.stack || err}`);
  process.exit(1);
});
