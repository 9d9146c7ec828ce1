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
import { mkdirSync } from 'node:fs';
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

/** A console page; page errors and console errors other than the expected ones are collected. */
async function open(ctx, path = '/console/') {
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('dialog', (d) => d.accept());
  await page.goto(CONSOLE + path);
  return page;
}

async function signIn(page, login = 'demo', password = 'demo') {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A signed-in console at `path` (client-side navigation after the sign-in: the token lives in memory only). */
async function console_(ctx, path = '') {
  const page = await open(ctx);
  await signIn(page);
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
  test('a wrong password shows the error (role=alert); the right one shows the organizations; sign out; the token is never stored', async () => {
    const ctx = await context();
    const page = await open(ctx);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
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
    for (const name of ['Organizations', 'Operators', 'Chats', 'Reports', 'Canned responses']) await nav.getByRole('link', { name }).waitFor();
    await page.getByRole('link', { name: 'Sales' }).waitFor();
    await a11y(page, 'organizations');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.doesNotMatch(stored, /eyJ/, 'no token in storage or cookies');

    // client-side navigation: no reload (a marker set on the window survives)
    await page.evaluate(() => (window.__same = 1));
    await nav.getByRole('link', { name: 'Chats' }).click();
    await page.getByRole('heading', { name: 'Chats', level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => window.__same), 1);
    assert.equal(new URL(page.url()).pathname, '/console/chats');
    await page.goBack();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
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
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent), 'Allowed origins');
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
    await a11y(page, 'transcript');
    await shot(page, 'chat');

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
});

describe('the rest of the console', () => {
  test('pages whose API has not landed show an error state; loading and empty states; languages; dark; a 360 px phone; axe in each', async () => {
    const ctx = await context();
    const page = await console_(ctx);
    for (const [link, heading] of [['Reports', 'Reports'], ['Canned responses', 'Canned responses'], ['People', 'People'], ['Clients', 'Clients']]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForFunction(() => !document.querySelector('main [role=status] .spin'));
      await a11y(page, heading);
    }
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
