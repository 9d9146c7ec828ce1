// The company web console in Chromium (playwright-core, Debian's /usr/bin/chromium) against a real ChatHub server
// that is NOT in development mode (no loopback exception for origins), with the demo company. Run by
// ConsoleBrowserTest (the Java suite), which passes CHATHUB_URL, CHATHUB_CHROMIUM and CHATHUB_SCREENSHOTS (docs/img
// for the README's console-*.png).
// The console is opened as http://console.chathub.test:<port>/console/ (the suite maps *.chathub.test to
// 127.0.0.1): a page of the server itself, whose calls are same-origin. A company website is served by this suite as
// http://shop.chathub.test:<port>/ with whatever snippet the console's copy button put on the clipboard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { api as call, assertAccessible, CH, CHROMIUM, CHROMIUM_ARGS, companyToken, uid } from './helpers.mjs';

const SHOTS = process.env.CHATHUB_SCREENSHOTS;
const port = new URL(CH).port;
const CONSOLE = `http://console.chathub.test:${port}`;
let browser;
let company;
let site;

const api = (method, path, body) => call(method, path, body, company);

/** The company's website: /site.html is a page with the snippet last put there (the copied one). */
async function startSite() {
  let snippet = '';
  const server = http.createServer((req, res) => {
    if (!req.url.startsWith('/site.html')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><main><h1>Jackets &amp; Co.</h1><p>Ask us anything.</p></main>
${snippet}
</body></html>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const p = server.address().port;
  return {
    origin: `http://shop.chathub.test:${p}`,
    put: (s) => (snippet = s),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

async function context({ viewport = { width: 1280, height: 860 }, colorScheme = 'light', locale = 'en-US' } = {}) {
  const ctx = await browser.newContext({ viewport, colorScheme, locale });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE });
  return ctx;
}

/** A console page; page errors and console errors are collected (page.errors, page.consoleErrors). */
async function open(ctx, path = '/console/') {
  const page = await ctx.newPage();
  page.errors = [];
  page.consoleErrors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.consoleErrors.push(m.text()));
  page.on('dialog', (d) => d.accept());
  await page.goto(CONSOLE + path);
  return page;
}

async function signIn(page, login = 'demo', password = 'demo') {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A signed-in console at `path` (as `login`), reached by client-side navigation after the sign-in. */
async function console_(ctx, path = '', login = 'demo', password = 'demo') {
  const page = await open(ctx);
  await signIn(page, login, password);
  await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
  if (path) await go(page, path);
  return page;
}

/** Client-side navigation (history API), as a link click would: no reload. */
async function go(page, path) {
  await page.evaluate((p) => {
    history.pushState(null, '', '/console' + p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

const a11y = (page, label) => assertAccessible(page, { label });

async function shot(page, name, opts = {}) {
  if (!SHOTS) return;
  await page.screenshot({ path: `${SHOTS}/console-${name}.png`, ...opts });
}

async function newOrg(settings = {}) {
  return api('POST', '/api/company/organization', { name: uid('Org').slice(0, 40), ...settings });
}

/** A console administrator of the demo company (made by the owner's company token). */
async function newAdmin(role = 'admin', password = 'password-1') {
  const login = uid('ann').toLowerCase().replace(/[^a-z0-9._@+-]/g, '');
  const a = await api('POST', '/api/company/admins', { login, password, role });
  return { ...a, password };
}

/** What a download (a click on `button`) saved, as text, and its file name. */
async function downloaded(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

/** The console's way of showing seconds (pages/reports.tsx duration). */
function duration(s) {
  if (s == null) return '–';
  if (s < 60) return Math.round(s * 10) / 10 + ' s';
  const r = Math.round(s);
  const h = Math.floor(r / 3600);
  const m = Math.floor((r % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min ${r % 60} s`;
}

/** The browser's console errors other than the answers of failed calls (4xx the test provoked). */
const unexpected = (page) => page.consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));

before(async () => {
  company = await companyToken();
  site = await startSite();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, '--unsafely-treat-insecure-origin-as-secure=' + CONSOLE],
  });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

describe('serving', () => {
  test('/console/ and its client-side routes answer the HTML shell with a CSP without inline scripts; assets are immutable; /console/api/* is never the shell; first load within 60 KB gzipped', async () => {
    const shell = await fetch(CH + '/console/');
    assert.equal(shell.status, 200);
    assert.match(shell.headers.get('content-type'), /^text\/html/);
    assert.equal(shell.headers.get('cache-control'), 'no-cache');
    const csp = shell.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline'?[^;]*;?.*script|script-src[^;]*unsafe/);
    assert.match(csp, /frame-ancestors 'none'/);
    const html = await shell.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in the shell');
    assert.equal((await fetch(CH + '/console/', { headers: { 'If-None-Match': shell.headers.get('etag') } })).status, 304);
    for (const route of ['/console', '/console/organizations/5', '/console/chats?status=1', '/console/operators/new']) {
      const r = await fetch(CH + route);
      assert.equal(r.status, 200, route);
      assert.equal(await r.text(), html, route);
    }
    const api404 = await fetch(CH + '/console/api/nothing-here');
    assert.equal(api404.status, 404);
    assert.match(api404.headers.get('content-type'), /problem\+json/);
    assert.match((await fetch(CH + '/console/preview?guid=x')).headers.get('content-security-policy'), /frame-ancestors 'self'/);

    const files = [...html.matchAll(/(?:href|src)="(\/console\/assets\/[0-9a-f]{16}\/[\w.-]+)"/g)].map((m) => m[1]);
    assert.ok(files.some((f) => f.endsWith('/console.js')) && files.some((f) => f.endsWith('/console.css')), html);
    let gz = 0;
    for (const f of files) {
      const r = await fetch(CH + f, { headers: { 'Accept-Encoding': 'identity' } });
      assert.equal(r.status, 200, f);
      assert.match(r.headers.get('content-type'), f.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal((await fetch(CH + f, { headers: { 'If-None-Match': r.headers.get('etag') } })).status, 304);
      const br = await fetch(CH + f, { headers: { 'Accept-Encoding': 'br' }, decompress: false });
      assert.equal(br.headers.get('content-encoding'), 'br');
      gz += gzipSync(Buffer.from(await r.arrayBuffer()), { level: 9 }).length;
    }
    console.log(`# console first load: ${(gz / 1024).toFixed(1)} KB gzipped (${files.length} files)`);
    assert.ok(gz <= 60 * 1024, `first load ${gz} B gzipped is over 60 KB`);
    assert.equal((await fetch(CH + files[0].replace(/[0-9a-f]{16}/, '0000000000000000'))).status, 404);
  });
});

describe('signing in', () => {
  test('a fresh visit asks nothing (no console error); a wrong password is an alert; the session cookie is HttpOnly, survives a reload, needs the CSRF header; sign out ends it on the server', async () => {
    const ctx = await context();
    const page = await open(ctx);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(page.consoleErrors, [], 'no probe of the session on a fresh visit');
    await a11y(page, 'sign-in');
    await shot(page, 'signin');
    await signIn(page, 'demo', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /Invalid login or password/);
    await a11y(page, 'sign-in error');

    await signIn(page);
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Organizations', 'Operators', 'Chats', 'Reports', 'Canned responses', 'People', 'Clients']) await nav.getByRole('link', { name }).waitFor();
    await page.getByRole('link', { name: 'Sales' }).waitFor();
    await a11y(page, 'organizations');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.doesNotMatch(stored, /eyJ|chathub_console/, 'no token in storage; the cookie is not readable by scripts');
    const cookie = (await ctx.cookies()).find((c) => c.name === 'chathub_console');
    assert.ok(cookie, 'the session cookie');
    assert.deepEqual([cookie.httpOnly, cookie.sameSite, cookie.path], [true, 'Strict', '/']);

    // a state change without the CSRF header is refused; the console's own calls send it
    const bare = await page.evaluate(() => fetch('/api/company/organization', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"x"}' }).then((r) => r.status));
    assert.equal(bare, 403);

    // client-side navigation: no reload (a marker set on the window survives)
    await page.evaluate(() => (window.__same = 1));
    await nav.getByRole('link', { name: 'Chats' }).click();
    await page.getByRole('heading', { name: 'Chats', level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => window.__same), 1);
    assert.equal(new URL(page.url()).pathname, '/console/chats');
    await page.goBack();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();

    // a reload keeps the session (GET /console/api/session)
    await page.reload();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await page.getByRole('link', { name: /^demo/ }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => fetch('/console/api/session').then((r) => r.status)), 401, 'ended on the server');
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.deepEqual(page.errors, []);
    assert.deepEqual(unexpected(page), []);
    await ctx.close();
  });
  test('repeated wrong passwords: the throttle\'s 429 is an alert saying how long to wait; the right password from this browser is refused too while it lasts, for that login only (README, Login throttling)', async () => {
    const admin = await newAdmin('admin', 'right-password-1');
    const ctx = await context();
    const page = await open(ctx);
    const attempt = async (password) => {
      const [r] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/console/api/session') && r.request().method() === 'POST'),
        signIn(page, admin.login, password),
      ]);
      await page.getByRole('button', { name: 'Sign in' }).and(page.locator(':enabled')).waitFor();
      return r;
    };
    const alert = page.getByRole('alert');
    for (let i = 0; i < 5; i++) { // CHATHUB_LOGIN_MAX_FAILURES (5) per (login, address)
      assert.equal((await attempt('wrong-' + i)).status(), 401);
      assert.match(await alert.textContent(), /Invalid login or password/);
    }
    const refused = await attempt('wrong-again');
    assert.equal(refused.status(), 429);
    const wait = Number(refused.headers()['retry-after']);
    assert.ok(wait > 120 && wait <= 900, 'until the oldest failure leaves the 15 min window: ' + wait);
    assert.equal(await alert.textContent(), `Too many attempts. Try again in ${Math.ceil(wait / 60)} min.`);
    await a11y(page, 'sign-in throttled');
    await shot(page, 'signin-throttled');

    // the password is not even checked while throttled: the right one is refused the same way
    const right = await attempt(admin.password);
    assert.equal(right.status(), 429);
    assert.match(await alert.textContent(), /^Too many attempts\. Try again in \d+ min\.$/);
    assert.equal(await page.getByRole('heading', { name: 'Organizations', level: 1 }).count(), 0);
    assert.equal((await ctx.cookies()).some((c) => c.name === 'chathub_console'), false, 'no session');

    // only that pair is shut out: another login from this same browser signs in
    await signIn(page);
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
});

describe('organizations', () => {
  test('create an organization; its settings with inline API errors; the copied snippet loads the customer widget only once the site is in the allowed origins; the preview shows the widget', async () => {
    const ctx = await context();
    const page = await console_(ctx);
    await page.getByRole('link', { name: 'New organization' }).click();
    const name = uid('Shop');
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(id > 0, page.url());
    const org = await api('GET', '/api/company/organization/' + id);
    assert.equal(org.name, name);

    // a bad origin: the API's problem names the field; the field says so inline and gets the focus
    const origins = page.getByLabel('Allowed origins');
    await origins.fill('shop.example.com/path');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.field.bad').getByText(/is not an origin/).waitFor();
    assert.equal(await origins.getAttribute('aria-invalid'), 'true');
    // the focus moves once the form is enabled again, which may be a render after the error is shown
    await page.waitForFunction(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent === 'Allowed origins')
      .catch(async (e) => { throw new Error(e.message + '; the focus is on ' + await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200))); });
    await a11y(page, 'organization with an inline error');

    // copy the website snippet: what the browser's clipboard holds is the contract's tag with this guid
    await page.getByRole('button', { name: 'Copy snippet', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(snippet, `<script type="module" id="chat-widget-script" src="${CONSOLE}/chat-widget/widget-script.js" guid="${org.widgetGuid}"></script>`);
    await page.getByRole('button', { name: 'Copy panel snippet' }).click();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^<script type="module" id="operator-chat-panel-script" src="http:\/\/console\.chathub\.test:\d+\/operator-chat-panel\/widget-script\.js" token="OPERATOR_JWT"><\/script>$/);

    // the site is not allowed yet: the widget is refused by the API
    site.put(snippet);
    const shop = await ctx.newPage();
    await shop.goto(site.origin + '/site.html');
    await shop.waitForFunction(() => document.querySelector('chathub-chat-widget')?.getAttribute('state') === 'error', null, { timeout: 20000 });
    const refused = await fetch(`${CH}/api/widget/${org.widgetGuid}/session`, { method: 'POST', headers: { Origin: site.origin, 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 403);

    // allow it (and set more settings): the API keeps them, the widget loads
    await origins.fill(site.origin + '\nhttps://www.example.com');
    await page.getByLabel('Greeting').fill('Hello from the console!');
    await page.getByLabel('Colour', { exact: true }).fill('#0a7d55');
    await page.getByLabel('Offline contact').fill('support@example.com');
    await page.getByLabel('Default language').selectOption('nl');
    await page.getByLabel('Position').selectOption('left');
    await page.getByLabel('Always open (no business hours)').uncheck();
    await page.getByLabel('Time zone').fill('Europe/Amsterdam');
    await page.locator('[data-day=sat]').getByRole('checkbox').check();
    await page.getByLabel('Ask for Email').check();
    await page.getByLabel('Require Email').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const saved = await api('GET', '/api/company/organization/' + id);
    assert.deepEqual(saved.allowedOrigins, [site.origin, 'https://www.example.com']);
    assert.equal(saved.greeting, 'Hello from the console!');
    assert.equal(saved.themeColor, '#0a7d55');
    assert.equal(saved.defaultLanguage, 'nl');
    assert.equal(saved.position, 'left');
    assert.equal(saved.businessHours.timezone, 'Europe/Amsterdam');
    assert.deepEqual(saved.businessHours.days.mon, [['09:00', '18:00']]);
    assert.deepEqual(saved.businessHours.days.sat, [['09:00', '18:00']]);
    assert.equal(saved.businessHours.days.sun, undefined);
    assert.deepEqual(saved.preChat, { fields: ['email'], required: ['email'] });
    await shop.reload();
    await shop.waitForFunction(() => ['ready', 'offline'].includes(document.querySelector('chathub-chat-widget')?.getAttribute('state')), null, { timeout: 20000 });

    // business hours the API refuses: the error is shown at the weekly editor
    await page.locator('[data-day=mon]').getByLabel('Monday: opens at').fill('19:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('fieldset.hours.bad').getByText(/start before end/).waitFor();
    await page.locator('[data-day=mon]').getByLabel('Monday: opens at').fill('09:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    // the live preview: the organization's widget in a frame of the console
    const preview = page.frameLocator('iframe[title="Customer widget preview"]');
    await preview.locator('chathub-chat-widget[state]').waitFor({ state: 'attached' });
    await page.waitForFunction(() => {
      const w = document.querySelector('iframe.preview')?.contentDocument?.querySelector('chathub-chat-widget');
      return ['ready', 'offline'].includes(w?.getAttribute('state'));
    }, null, { timeout: 20000 });
    await a11y(page, 'organization saved');
    await shot(page, 'organization', { fullPage: true });

    // the identity secret is shown once; the guid can be rotated (the old one then answers 404)
    await page.getByRole('button', { name: 'Generate new secret' }).click();
    const secret = (await page.locator('code.secret').textContent()).trim();
    assert.ok(secret.length >= 32, secret);
    assert.equal((await api('GET', '/api/company/organization/' + id)).identitySecret, '…' + secret.slice(-4));
    await page.getByRole('button', { name: 'Rotate widget guid' }).click();
    await page.getByRole('status').filter({ hasText: 'New widget guid' }).waitFor();
    const rotated = await api('GET', '/api/company/organization/' + id);
    assert.notEqual(rotated.widgetGuid, org.widgetGuid);
    assert.equal((await page.locator('[data-widget-guid]').textContent()).trim(), rotated.widgetGuid);
    const old = await fetch(`${CH}/api/widget/${org.widgetGuid}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(old.status, 404);

    // deleting it
    await page.getByRole('button', { name: 'Delete organization' }).click();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await assert.rejects(api('GET', '/api/company/organization/' + id), /404/);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
});

describe('operators', () => {
  test('create an operator, see it listed with its status, edit it, open the operator panel as it in a new page, deactivate it', async () => {
    const org = await newOrg();
    const ctx = await context();
    const page = await console_(ctx, '/operators?organizationId=' + org.id);
    await page.getByText('No operators yet.').waitFor();
    await a11y(page, 'operators empty');
    await page.getByRole('link', { name: 'New operator' }).click();
    await page.getByLabel('Name').fill('Olena Kovalenko');
    await page.getByLabel('Email').fill('olena@example.com');
    await page.getByLabel('Max chats').fill('7');
    await page.getByRole('button', { name: 'Create' }).click();
    const row = page.locator('tr[data-operator-id]').filter({ hasText: 'Olena Kovalenko' });
    await row.waitFor();
    assert.match(await row.textContent(), /olena@example\.com.*Active.*7/);
    const [op] = await api('GET', '/api/operator?organizationId=' + org.id);
    assert.deepEqual([op.name, op.email, op.maxChats, op.status], ['Olena Kovalenko', 'olena@example.com', 7, 0]);
    await a11y(page, 'operators list');
    await shot(page, 'operators');

    // edit: the name changes on the same operator (not a new one)
    await row.getByRole('link', { name: 'Olena Kovalenko' }).click();
    await page.getByLabel('Name').fill('Olena K.');
    await page.getByLabel('External id').fill('crm-olena');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const ops = await api('GET', '/api/operator?organizationId=' + org.id);
    assert.deepEqual(ops.map((o) => [o.id, o.name, o.externalId]), [[op.id, 'Olena K.', 'crm-olena']]);
    await a11y(page, 'operator edit');

    // open the panel: a new page with the operator panel, signed in as this operator
    await go(page, '/operators?organizationId=' + org.id);
    const [panel] = await Promise.all([ctx.waitForEvent('page'), page.locator(`tr[data-operator-id="${op.id}"]`).getByRole('button', { name: 'Open panel' }).click()]);
    await panel.waitForURL(/\/console\/panel\?operator=/);
    await panel.locator('chathub-operator-panel[state=ready]').waitFor({ timeout: 20000 });
    assert.doesNotMatch(panel.url(), /token|eyJ/);
    const ready = await panel.evaluate(() => document.querySelector('script#operator-chat-panel-script') !== null);
    assert.ok(ready);
    await assertAccessible(panel, { include: 'chathub-operator-panel', label: 'full-page panel' });
    await shot(panel, 'panel');

    // deactivate: the open panel's token stops working
    await page.locator(`tr[data-operator-id="${op.id}"]`).getByRole('button', { name: 'Deactivate' }).click();
    await page.locator(`tr[data-operator-id="${op.id}"]`).getByText('Inactive').waitFor();
    await panel.locator('chathub-operator-panel[state=error]').waitFor({ timeout: 20000 });
    assert.equal((await api('GET', '/api/operator?organizationId=' + org.id))[0].status, 1);
    await api('DELETE', '/api/company/organization/' + org.id);
    await ctx.close();
  });
});

describe('chats', () => {
  test('the company-wide list with filters, a chat\'s full transcript, assign, delete', async () => {
    const org = await newOrg();
    const [op] = await api('POST', '/api/operator/synchronize', [{ organizationId: org.id, name: 'Anna Bondar', externalId: uid('op') }]);
    const client = { externalId: uid('c'), name: 'Mehmet Kaya', phone: '+905321234567' };
    const first = await api('POST', '/api/chat/incoming', { organizationId: org.id, source: 2, client, textMessage: 'Merhaba, iade süreci ne kadar sürüyor?' });
    const chatId = first.chatId;
    await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'Hello! Returns take up to 14 days.' });
    await api('POST', '/api/chat/incoming', { organizationId: org.id, source: 2, client, textMessage: '<b>not bold</b> & thanks' });
    const other = await api('POST', '/api/chat/incoming', { organizationId: org.id, source: 9, client: { externalId: uid('c'), name: 'Emma de Jong' }, textMessage: 'Kunt u mij terugbellen?' });

    const ctx = await context();
    const page = await console_(ctx, '/chats?organizationId=' + org.id);
    await page.locator(`tr[data-chat-id="${chatId}"]`).waitFor();
    await page.locator(`tr[data-chat-id="${other.chatId}"]`).waitFor();
    await a11y(page, 'chats');
    await shot(page, 'chats');

    // filters go to the API (and the URL): source Telegram, a search
    await page.getByLabel('Source').selectOption('2');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/source=2/);
    await page.locator(`tr[data-chat-id="${other.chatId}"]`).waitFor({ state: 'detached' });
    await page.locator(`tr[data-chat-id="${chatId}"]`).waitFor();
    await page.getByLabel('Search').fill('no such client anywhere');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No chats match.').waitFor();
    await a11y(page, 'chats empty');
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByLabel('Organization').selectOption(String(org.id));
    await page.getByRole('button', { name: 'Apply' }).click();

    // the transcript: every message in order, text as text
    await page.locator(`tr[data-chat-id="${chatId}"]`).getByRole('link').click();
    await page.getByRole('heading', { name: 'Mehmet Kaya', level: 1 }).waitFor();
    const texts = await page.locator('.transcript li .text').allTextContents();
    assert.deepEqual(texts, ['Merhaba, iade süreci ne kadar sürüyor?', 'Hello! Returns take up to 14 days.', '<b>not bold</b> & thanks']);
    assert.equal(await page.locator('.transcript b').count(), 0);

    // a private note, written here: shown apart from the conversation, for staff only
    await page.getByLabel('Note', { exact: true }).fill('Called back: wants a refund to the card');
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = page.locator('.transcript li.note');
    await note.waitFor();
    assert.match(await note.textContent(), /Private note.*Called back: wants a refund to the card/);
    const stored = await api('GET', `/api/chat/${chatId}/messages`);
    assert.deepEqual(stored.filter((m) => m.isNote).map((m) => m.message), ['Called back: wants a refund to the card']);
    assert.equal(await page.locator('.transcript li:not(.note)').count(), 3);
    await a11y(page, 'transcript with a note');
    await shot(page, 'chat', { fullPage: true });

    // assign to the operator
    await page.getByLabel('Assign to').selectOption(String(op.id));
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('status').filter({ hasText: 'Assigned' }).waitFor();
    assert.equal((await api('GET', '/api/chat/chats/' + chatId)).operator.id, op.id);

    // delete (confirmed): gone from the API, back to the list
    await page.getByRole('button', { name: 'Delete chat' }).click();
    await page.getByRole('heading', { name: 'Chats', level: 1 }).waitFor();
    await assert.rejects(api('GET', '/api/chat/chats/' + chatId), /404/);
    assert.deepEqual(page.errors, []);
    await api('DELETE', '/api/company/organization/' + org.id);
    await ctx.close();
  });
  test('a search by a message\'s words: the message under the chat\'s row, the words in <mark>, hostile text inert; opening it scrolls to that message in the transcript, marked', async () => {
    const org = await newOrg();
    const client = { externalId: uid('c'), name: 'Olha Melnyk' };
    const first = await api('POST', '/api/chat/incoming', { organizationId: org.id, source: 9, client, textMessage: 'Hi, a question about my order' });
    const chatId = first.chatId;
    await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'Tell me the voucher code, please.' });
    const found = await api('POST', '/api/chat/incoming', { organizationId: org.id, source: 9, client, textMessage: '<img src=x onerror="window.__xss=1"> My VOUCHER code X12 fails' });
    for (let i = 0; i < 40; i++) await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'Checking, one moment ' + i });
    const byName = await api('POST', '/api/chat/incoming', { organizationId: org.id, source: 9, client: { externalId: uid('c'), name: 'Voucher Hunter' }, textMessage: 'Hello' });
    await api('POST', '/api/chat/incoming', { organizationId: org.id, source: 9, client: { externalId: uid('c'), name: 'Someone Else' }, textMessage: 'Nothing to see' });

    const ctx = await context();
    const page = await console_(ctx, '/chats?organizationId=' + org.id);
    await page.getByLabel('Search').fill('voucher');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/search=voucher/);
    const match = page.locator(`tr[data-match-for="${chatId}"]`);
    await match.waitFor();
    await page.locator(`tr[data-chat-id="${byName.chatId}"]`).waitFor();
    assert.equal(await page.locator('tr[data-chat-id]').count(), 2);
    assert.equal(await page.locator(`tr[data-match-for="${byName.chatId}"]`).count(), 0, 'found by the client\'s name: no message');
    assert.deepEqual(await match.locator('mark').allTextContents(), ['VOUCHER'], 'the newest matching message, its word marked');
    assert.match(await match.textContent(), /Found in: <img src=x onerror="window.__xss=1"> My VOUCHER code X12 fails/);
    assert.equal(await page.locator('tbody img').count(), 0);
    await a11y(page, 'chats found by a message');
    await shot(page, 'chats-search');

    await match.getByRole('link').click();
    const li = page.locator('.transcript li.found');
    await li.waitFor();
    assert.equal(await li.getAttribute('data-message-id'), String(found.id));
    assert.deepEqual(await li.locator('mark').allTextContents(), ['VOUCHER']);
    assert.equal(await li.locator('.text').textContent(), '<img src=x onerror="window.__xss=1"> My VOUCHER code X12 fails');
    assert.equal(await page.locator('.transcript li.found').count(), 1);
    await page.waitForFunction(() => document.activeElement?.classList.contains('found'))
      .catch(async (e) => { throw new Error(e.message + '; the focus is on ' + await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200))); });
    assert.ok(await li.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }), 'scrolled into view');
    assert.equal(await page.locator('.transcript img').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await a11y(page, 'transcript at the found message');
    assert.deepEqual(page.errors, []);
    await api('DELETE', '/api/company/organization/' + org.id);
    await ctx.close();
  });
});

describe('the rest of the console', () => {
  test('every page loads without an error state; languages; dark; a 360 px phone; axe in each', async () => {
    const ctx = await context();
    const page = await console_(ctx);
    for (const [link, heading] of [['Reports', 'Reports'], ['Canned responses', 'Canned responses'], ['People', 'People'], ['Clients', 'Clients']]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForFunction(() => !document.querySelector('main [role=status] .spin'));
      assert.equal(await page.locator('main .error').count(), 0, heading);
      await a11y(page, heading);
    }
    assert.deepEqual(unexpected(page), []);
    await page.getByLabel('Language').selectOption('uk');
    await page.getByRole('navigation', { name: 'Головне меню' }).getByRole('link', { name: 'Організації' }).click();
    await page.getByRole('heading', { name: 'Організації', level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'uk');
    await a11y(page, 'Ukrainian');
    for (const [code, word] of [['nl', 'Organisaties'], ['tr', 'Kuruluşlar'], ['en', 'Organizations']]) {
      await page.locator('#lang').selectOption(code);
      await page.getByRole('heading', { name: word, level: 1 }).waitFor();
    }
    await ctx.close();

    const dark = await context({ colorScheme: 'dark' });
    const d = await console_(dark);
    await d.getByRole('link', { name: 'Sales' }).click();
    await d.getByLabel('Allowed origins').waitFor();
    await a11y(d, 'dark organization');
    await shot(d, 'dark');
    await dark.close();

    const phone = await context({ viewport: { width: 360, height: 740 } });
    const p = await console_(phone);
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scrolling at 360 px');
    await p.getByRole('button', { name: 'Menu' }).click();
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chats' }).click();
    await p.getByRole('heading', { name: 'Chats', level: 1 }).waitFor();
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scrolling at 360 px (chats)');
    await a11y(p, 'phone chats');
    await shot(p, 'phone');
    await phone.close();
  });
});

describe('operator sign-in', () => {
  test('an admin sets an operator\'s sign-in email and password on its page; the operator signs in at /console/ and gets the full-page panel, whose short token is renewed from the session; sign out', async () => {
    const org = await newOrg({ allowedOrigins: ['https://crm.example.com'] });
    const [op] = await api('POST', '/api/operator/synchronize', [{ organizationId: org.id, name: 'Iryna Melnyk', externalId: uid('op') }]);
    const email = uid('iryna').toLowerCase() + '@example.com';
    const chatId = (await api('POST', '/api/chat/incoming', { organizationId: org.id, client: { externalId: uid('c'), name: 'Pieter Visser' }, textMessage: 'Goedemiddag!' })).chatId;

    const ctx = await context();
    const page = await console_(ctx, `/operators/${op.id}?organizationId=${org.id}`);
    await page.getByRole('heading', { name: 'Console sign-in' }).waitFor();
    await page.getByLabel('Sign-in email').fill('not-an-email');
    await page.getByLabel('Sign-in password').fill('operator-pass-1');
    await page.getByRole('button', { name: 'Set sign-in' }).click();
    await page.locator('.field.bad small.err').getByText(/email/).waitFor();
    await page.getByLabel('Sign-in email').fill(email);
    await page.getByRole('button', { name: 'Set sign-in' }).click();
    await page.getByRole('status').filter({ hasText: `${email} can sign in now` }).waitFor();
    await a11y(page, 'operator with its sign-in');
    await ctx.close();

    const octx = await context();
    const o = await open(octx);
    await signIn(o, email, 'operator-pass-1');
    await o.waitForURL(/\/console\/panel$/);
    const panel = o.locator('chathub-operator-panel[state=ready]');
    await panel.waitFor({ timeout: 20000 });
    await o.locator(`chathub-operator-panel [data-chat-id="${chatId}"]`).waitFor();
    await o.getByText(email).waitFor();
    assert.doesNotMatch(o.url(), /token|eyJ/);
    const tokenOf = () => o.evaluate(() => document.querySelector('script#operator-chat-panel-script')?.getAttribute('token'));
    const first = await tokenOf();
    assert.match(first, /^eyJ/);
    assert.doesNotMatch(await o.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })), /eyJ/);
    await assertAccessible(o, { label: 'operator\'s own panel page' });
    await shot(o, 'operator-panel');

    // the token is refused (revoked) while the session lives: the page mints a new one and the panel goes on
    await api('POST', '/api/operator/revoke-token', { token: first });
    await o.waitForFunction((t) => {
      const s = document.querySelector('script#operator-chat-panel-script');
      return s && s.getAttribute('token') !== t && document.querySelector('chathub-operator-panel')?.getAttribute('state') === 'ready';
    }, first, { timeout: 30000 });
    assert.notEqual(await tokenOf(), first);
    await o.locator(`chathub-operator-panel [data-chat-id="${chatId}"]`).waitFor();

    // a reload keeps the session; signing out ends it and shows the sign-in page
    await o.reload();
    await panel.waitFor({ timeout: 20000 });
    await o.getByRole('button', { name: 'Sign out' }).click();
    await o.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await o.evaluate(() => fetch('/console/api/session').then((r) => r.status)), 401);
    assert.deepEqual(o.errors, []);
    await octx.close();
    await api('DELETE', '/api/company/organization/' + org.id);
  });
});

describe('reports', () => {
  test('a seeded organization\'s summary shown exactly, the time series as an inline SVG chart (no canvas), the operators table; each table downloads as CSV', async () => {
    const org = await newOrg();
    const [anna, bohdan] = await api('POST', '/api/operator/synchronize', [
      { organizationId: org.id, name: 'Anna Report', externalId: uid('op') }, { organizationId: org.id, name: 'Bohdan Report', externalId: uid('op') }]);
    const chats = [];
    for (const name of ['Alice', 'Bob', 'Carol', 'Dan']) {
      chats.push((await api('POST', '/api/chat/incoming', { organizationId: org.id, client: { externalId: uid('c'), name }, textMessage: 'Hello' })).chatId);
    }
    await api('POST', `/api/chat/${chats[0]}/assign`, { operatorId: anna.id });
    await api('POST', `/api/chat/${chats[1]}/assign`, { operatorId: anna.id });
    await api('POST', `/api/chat/${chats[2]}/assign`, { operatorId: bohdan.id });
    for (const c of chats.slice(0, 3)) await api('POST', `/api/chat/${c}/message`, { textMessage: 'Hi, how can I help?', author: 0 });
    await api('POST', `/api/chat/${chats[0]}/note`, { text: 'a note is no reply' });
    await api('POST', `/api/chat/${chats[3]}/note`, { text: 'nor here' });
    for (const c of chats.slice(0, 2)) await api('PUT', '/api/chat/status', { id: c, status: 4 });

    const ctx = await context();
    const page = await console_(ctx, '/reports');
    await page.getByLabel('Organization').selectOption(String(org.id));
    await page.getByRole('button', { name: 'Apply' }).click();
    const period = `from=${await page.getByLabel('From').inputValue()}&to=${await page.getByLabel('To', { exact: true }).inputValue()}`;
    const summary = await api('GET', `/api/company/reports/summary?organizationId=${org.id}&${period}`);
    assert.deepEqual(summary.chats, { started: 4, answered: 3, missed: 1, offline: 0 });
    const stat = (k) => page.locator(`[data-stat=${k}] dd`);
    await page.waitForFunction(() => document.querySelector('[data-stat=started] dd')?.textContent === '4');
    const want = {
      started: '4', answered: '3', missed: '1', offline: '0',
      firstResponseP50: duration(summary.firstResponse.p50), firstResponseP90: duration(summary.firstResponse.p90),
      resolutionP50: duration(summary.resolution.p50), resolutionP90: duration(summary.resolution.p90), rating: '–',
    };
    for (const [k, v] of Object.entries(want)) assert.equal(await stat(k).textContent(), v, k);
    assert.notEqual(want.firstResponseP50, '–');

    // the time series: one bar per day of the period, an SVG with a name; no canvas anywhere
    const chart = page.locator('figure.chart svg[role=img]');
    await chart.waitFor();
    const series = await api('GET', `/api/company/reports/timeseries?organizationId=${org.id}&${period}`);
    assert.equal(await chart.locator('rect').count(), series.points.length);
    assert.match(await chart.getAttribute('aria-label'), /Chats started; the highest is 4/);
    assert.equal(await page.locator('canvas').count(), 0);
    const ts = await downloaded(page, page.getByRole('button', { name: 'Download CSV Over time' }));
    const lines = ts.text.trim().split('\r\n');
    assert.equal(lines[0], 'start,chats,count');
    assert.equal(lines.length, series.points.length + 1);
    assert.ok(lines.some((l) => /,4,4$/.test(l)), ts.text);
    assert.match(ts.name, /^chathub-chats-day-.*\.csv$/);

    // per operator: Anna held 2, Bohdan 1
    const rows = page.locator('table[data-table=operators] tbody tr');
    await rows.first().waitFor();
    assert.deepEqual((await rows.allInnerTexts()).map((r) => r.split('\t').slice(0, 3)), [['Anna Report', '2', '2'], ['Bohdan Report', '1', '1']]);
    const op = await downloaded(page, page.getByRole('button', { name: 'Download CSV By operator' }));
    const ol = op.text.trim().split('\r\n');
    assert.equal(ol[0], 'operatorId,operator,chats,answered,firstResponseP50,firstResponseP90,resolutionP50,resolutionP90,ratings,ratingAverage');
    assert.match(ol[1], new RegExp(`^${anna.id},Anna Report,2,2,`));
    assert.match(ol[2], new RegExp(`^${bohdan.id},Bohdan Report,1,1,`));

    await shot(page, 'reports', { fullPage: true });

    // another metric and interval
    await page.getByLabel('Metric').selectOption('firstResponse');
    await page.getByLabel('Interval').selectOption('week');
    await page.waitForFunction(() => /First response/.test(document.querySelector('figure.chart svg')?.getAttribute('aria-label') || ''));
    await a11y(page, 'reports');
    assert.deepEqual(page.errors, []);
    await ctx.close();
    await api('DELETE', '/api/company/organization/' + org.id);
  });
});

describe('canned responses', () => {
  test('list, create, edit, delete; the API\'s errors inline: a bad shortcut (400) and a taken one (409)', async () => {
    const org = await newOrg();
    const ctx = await context();
    const page = await console_(ctx, '/canned?organizationId=' + org.id);
    await page.getByText('No canned responses yet.').waitFor();
    const form = page.getByRole('form', { name: 'New canned response' });
    await form.getByLabel('Shortcut').fill('hello');
    await form.getByLabel('Text').fill('Hi! How can I help?');
    await form.getByRole('button', { name: 'Add' }).click();
    const item = page.locator('li[data-canned-id]').filter({ hasText: '/hello' });
    await item.waitFor();
    assert.match(await item.textContent(), /Hi! How can I help\?/);

    await form.getByLabel('Shortcut').fill('hello');
    await form.getByLabel('Text').fill('Another hello');
    await form.getByRole('button', { name: 'Add' }).click();
    await form.locator('.field.bad').getByText(/already/).waitFor();
    assert.equal(await form.getByLabel('Shortcut').getAttribute('aria-invalid'), 'true');
    await a11y(page, 'canned with a 409 inline');
    await form.getByLabel('Shortcut').fill('Hello World');
    await form.getByRole('button', { name: 'Add' }).click();
    await form.locator('.field.bad').getByText(/a-z, 0-9/).waitFor();
    await form.getByLabel('Shortcut').fill('/thanks');
    await form.getByLabel('Text').fill('Thank you for waiting!');
    await form.getByRole('button', { name: 'Add' }).click();
    await page.locator('li[data-canned-id]').filter({ hasText: '/thanks' }).waitFor();
    assert.deepEqual((await api('GET', `/api/company/organization/${org.id}/canned-responses`)).map((c) => [c.shortcut, c.text]),
      [['hello', 'Hi! How can I help?'], ['thanks', 'Thank you for waiting!']]);

    // edit: a taken shortcut is refused inline, then the text changes
    await item.getByRole('button', { name: 'Edit /hello' }).click();
    const edit = page.getByRole('form', { name: 'Edit /hello' });
    await edit.getByLabel('Shortcut').fill('thanks');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.locator('.field.bad').getByText(/already/).waitFor();
    await edit.getByLabel('Shortcut').fill('hello');
    await edit.getByLabel('Text').fill('Hello! What can I do for you?');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator('li[data-canned-id]').filter({ hasText: 'Hello! What can I do for you?' }).waitFor();
    await a11y(page, 'canned list');
    await shot(page, 'canned');

    await page.getByRole('button', { name: 'Delete /thanks' }).click();
    await page.locator('li[data-canned-id]').filter({ hasText: '/thanks' }).waitFor({ state: 'detached' });
    assert.deepEqual((await api('GET', `/api/company/organization/${org.id}/canned-responses`)).map((c) => c.shortcut), ['hello']);
    assert.deepEqual(page.errors, []);
    await ctx.close();
    await api('DELETE', '/api/company/organization/' + org.id);
  });
});

describe('people', () => {
  test('the owner invites an admin (a taken login inline), changes its role, resets its password, deletes it; the audit log shows it all', async () => {
    const ctx = await context();
    const page = await console_(ctx, '/people');
    const login = uid('olga').toLowerCase() + '@acme.example';
    const form = page.getByRole('form', { name: 'New console user' });
    await form.getByLabel('Login').fill(login);
    await form.getByLabel('Password').fill('first-pass-1');
    await form.getByLabel('Role').selectOption('admin');
    await form.getByRole('button', { name: 'Invite' }).click();
    const row = page.locator('tr[data-admin-id]').filter({ hasText: login });
    await row.waitFor();
    await form.getByLabel('Login').fill(login);
    await form.getByLabel('Password').fill('first-pass-1');
    await form.getByRole('button', { name: 'Invite' }).click();
    await form.locator('.field.bad').getByText(/taken/).waitFor();
    await a11y(page, 'people with an inline error');
    await shot(page, 'people');
    const [admin] = (await api('GET', '/api/company/admins')).filter((a) => a.login === login);
    assert.equal(admin.role, 'admin');

    await row.getByLabel('Role of ' + login).selectOption('viewer');
    await row.getByRole('status').filter({ hasText: 'Role changed' }).waitFor();
    assert.equal((await api('GET', '/api/company/admins')).find((a) => a.id === admin.id).role, 'viewer');

    await row.getByRole('button', { name: 'Reset password ' + login }).click();
    await row.getByLabel('New password for ' + login).fill('short');
    await row.getByRole('button', { name: 'Reset password' }).click();
    await row.locator('.field.bad small.err').getByText(/8/).waitFor();
    await row.getByLabel('New password for ' + login).fill('second-pass-2');
    await row.getByRole('button', { name: 'Reset password' }).click();
    await row.getByRole('status').filter({ hasText: 'Password reset' }).waitFor();
    const signin = await fetch(CH + '/console/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: 'second-pass-2' }) });
    assert.equal(signin.status, 200);
    assert.equal((await signin.json()).role, 'viewer');

    await row.getByRole('button', { name: 'Delete ' + login }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await api('GET', '/api/company/admins')).some((a) => a.id === admin.id), false);

    // the audit log: newest first, who did it and from where
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const entries = page.locator('table[data-table=audit] tbody tr');
    await entries.first().waitFor();
    const texts = await entries.allInnerTexts();
    const mine = texts.filter((t) => t.includes('admin.'));
    assert.match(mine[0], /Owner: demo\s+admin\.delete\s+admin \d+/);
    assert.ok(mine.some((t) => /admin\.create/.test(t) && t.includes(login + ' as admin')), mine.join('\n'));
    assert.match(texts[0], /127\.0\.0\.1|::1/);
    await a11y(page, 'audit log');
    await shot(page, 'audit');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  test('an admin changes its own password (a wrong current one is inline); an admin sees people but cannot invite', async () => {
    const admin = await newAdmin('admin', 'admin-pass-1');
    const ctx = await context();
    const page = await console_(ctx, '', admin.login, 'admin-pass-1');
    await page.getByRole('link', { name: admin.login }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByLabel('Current password').fill('not-it-at-all');
    await page.getByLabel('New password', { exact: true }).fill('admin-pass-2');
    await page.getByLabel('New password again').fill('admin-pass-2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('.field.bad').getByText(/current password is wrong/).waitFor();
    await a11y(page, 'account with an inline error');
    await page.getByLabel('Current password').fill('admin-pass-1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByText('Only the company\'s owner invites people').waitFor();
    assert.equal(await page.getByRole('form', { name: 'New console user' }).count(), 0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, admin.login, 'admin-pass-2');
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    await ctx.close();
  });
});

describe('the viewer role', () => {
  test('a viewer sees the pages without ways to change them; a change the server gets from a viewer is refused (403) and shown as an alert', async () => {
    const org = await newOrg();
    await api('POST', `/api/company/organization/${org.id}/canned-responses`, { shortcut: 'hi', text: 'Hi there' });
    const [op] = await api('POST', '/api/operator/synchronize', [{ organizationId: org.id, name: 'Viewer Seen', externalId: uid('op') }]);
    const chatId = (await api('POST', '/api/chat/incoming', { organizationId: org.id, client: { externalId: uid('c'), name: 'Seen Client' }, textMessage: 'Hi' })).chatId;
    const viewer = await newAdmin('viewer', 'viewer-pass-1');
    const ctx = await context();
    const page = await console_(ctx, '', viewer.login, 'viewer-pass-1');
    await page.locator('[data-read-only]').waitFor();
    assert.equal(await page.getByRole('link', { name: 'New organization' }).count(), 0);
    await go(page, '/organizations/' + org.id);
    await page.getByLabel('Name', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Name', { exact: true }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Delete organization' }).isDisabled(), true);
    await a11y(page, 'viewer: organization');
    await go(page, '/operators?organizationId=' + org.id);
    await page.locator(`tr[data-operator-id="${op.id}"]`).waitFor();
    assert.equal(await page.getByRole('link', { name: 'New operator' }).count(), 0);
    assert.equal(await page.locator(`tr[data-operator-id="${op.id}"] button`).count(), 0);
    await go(page, '/canned?organizationId=' + org.id);
    await page.locator('li[data-canned-id]').filter({ hasText: '/hi' }).waitFor();
    assert.equal(await page.getByRole('form', { name: 'New canned response' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /Edit|Delete/ }).count(), 0);
    await go(page, '/chats/' + chatId);
    await page.getByRole('heading', { name: 'Seen Client', level: 1 }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Assign|Delete chat|Add note/ }).count(), 0);
    await a11y(page, 'viewer: chat');
    await shot(page, 'viewer');

    // the server refuses what a viewer sends, whatever the page shows: a control forced on is answered 403
    await go(page, '/organizations/' + org.id);
    await page.getByLabel('Name', { exact: true }).waitFor();
    await page.evaluate(() => document.querySelectorAll('fieldset[disabled]').forEach((f) => f.removeAttribute('disabled')));
    await page.getByLabel('Name', { exact: true }).fill('Renamed by a viewer');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'A viewer changes nothing' }).waitFor();
    assert.equal((await api('GET', '/api/company/organization/' + org.id)).name, org.name);
    await a11y(page, 'viewer: refused');
    await ctx.close();

    // an admin made a viewer while signed in: its next change is refused and shown
    const admin = await newAdmin('admin', 'admin-pass-9');
    const actx = await context();
    const a = await console_(actx, '/canned?organizationId=' + org.id, admin.login, 'admin-pass-9');
    const form = a.getByRole('form', { name: 'New canned response' });
    await form.waitFor();
    await api('PUT', '/api/company/admins/' + admin.id, { role: 'viewer' });
    await form.getByLabel('Shortcut').fill('late');
    await form.getByLabel('Text').fill('Too late');
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByRole('alert').filter({ hasText: 'A viewer changes nothing' }).waitFor();
    assert.deepEqual((await api('GET', `/api/company/organization/${org.id}/canned-responses`)).map((c) => c.shortcut), ['hi']);
    await actx.close();
    await api('DELETE', '/api/company/organization/' + org.id);
  });
});

describe('clients', () => {
  test('search, a client\'s page, the export download, the erasure (confirmed): afterwards nothing of theirs is shown', async () => {
    const org = await newOrg();
    const name = 'Ivanna ' + uid('Erase');
    const client = { externalId: uid('crm'), name, phone: '+380671112233', email: uid('ivanna').toLowerCase() + '@example.com' };
    const m = await api('POST', '/api/chat/incoming', { organizationId: org.id, client, textMessage: 'Please delete my data' });
    await api('POST', `/api/chat/${m.chatId}/message`, { textMessage: 'We will, Ivanna.', author: 0 });
    await api('POST', `/api/chat/${m.chatId}/note`, { text: 'GDPR request' });

    const ctx = await context();
    const page = await console_(ctx, '/clients');
    await page.getByLabel('Search').fill(name);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: '1 clients' }).waitFor();
    const row = page.locator('tr[data-client-id]');
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), new RegExp(`${name}.*\\+380671112233.*${client.email}`));
    await a11y(page, 'clients');
    await shot(page, 'clients');
    await row.getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByText(client.externalId).waitFor();

    const exp = await downloaded(page, page.getByRole('button', { name: 'Export data (JSON)' }));
    const data = JSON.parse(exp.text);
    assert.equal(data.client.name, name);
    assert.deepEqual(data.chats[0].messages.map((x) => x.message), ['Please delete my data', 'We will, Ivanna.', 'GDPR request']);
    assert.match(exp.name, /^chathub-client-\d+\.json$/);
    await a11y(page, 'client');

    await page.getByRole('button', { name: 'Erase client data' }).click();
    await page.getByRole('heading', { name: 'Erased client', level: 1 }).waitFor();
    await page.locator('[data-erased]').waitFor();
    const text = await page.locator('main').textContent();
    for (const x of [name, client.phone, client.email, client.externalId]) assert.ok(!text.includes(x), x);
    assert.equal(await page.getByRole('button', { name: 'Erase client data' }).count(), 0);
    await a11y(page, 'erased client');

    await go(page, '/clients?search=' + encodeURIComponent(name));
    await page.getByText('No clients match.').waitFor();
    await go(page, '/chats/' + m.chatId);
    await page.getByText('No messages.').waitFor();
    assert.ok(!(await page.locator('main').textContent()).includes(name));
    assert.deepEqual(page.errors, []);
    await ctx.close();
    await api('DELETE', '/api/company/organization/' + org.id);
  });
});
