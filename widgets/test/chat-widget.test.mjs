// The customer chat widget in Chromium (playwright-core, Debian's /usr/bin/chromium) against real ChatHub servers
// in development mode with the demo company. Run by ChatWidgetBrowserTest (the Java suite), which passes:
//   CHATHUB_URL          the server (dev mode, demo data, the widget's abuse limits out of the way)
//   CHATHUB_LIMITED_URL  a second server with small widget limits (2 messages a minute, 300 characters) and visitor
//                        tokens of 15 s (CHATHUB_VISITOR_TOKEN_TTL=15s)
//   CHATHUB_CHROMIUM     the browser; CHATHUB_SCREENSHOTS where to write the screenshots (docs/img for the README)
// The company's website (test/shop.mjs) is served on one port as http://shop.chathub.test (in the organizations'
// allowed origins: the customer's pages), http://crm.chathub.test (the operator panel: another origin) and
// http://evil.chathub.test (allowed nowhere). Every test makes its own organization, so their settings, operators
// and visitors never meet. Timings (script tag to launcher, open to chat, long tasks) are measured and printed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startShop } from './shop.mjs';
import {
  api as call, assertAccessible, CH, CHROMIUM, CHROMIUM_ARGS, companyToken, cuttableProxy, hubClient, png, servedEntry, servedFile, sleep, uid,
} from './helpers.mjs';

const LIMITED = process.env.CHATHUB_LIMITED_URL;
const W = 'chathub-chat-widget';
const PANEL = 'chathub-operator-panel';
const SHOTS = process.env.CHATHUB_SCREENSHOTS;
let browser;
let site;
const company = {};
const timings = { launcher: [], open: [], longtask: [] };

// ---- the ChatHub API, as the company's backend ----

const api = (method, path, body, token = company[CH], base = CH) => call(method, path, body, token, base);

const origin = (host) => `http://${host}.chathub.test:${site.port}`;

/**
 * A new organization of the demo company whose widget the shop embeds; the crm origin is allowed too (the operator
 * panel). `settings` go to the organization API (greeting, preChat, businessHours, offlineContact, …).
 */
async function newOrg(settings = {}, base = CH) {
  const org = await api('POST', '/api/company/organization', { name: uid('Shop').slice(0, 40), ...settings }, company[base], base);
  const full = await api('PUT', '/api/company/organization/' + org.id, { allowedOrigins: [origin('shop'), origin('crm')], ...settings }, company[base], base);
  return { ...full, base };
}

/** An operator of the organization with a token (8 h). */
async function operator(org, name = 'Olga Shevchenko', extra = {}) {
  const [op] = await api('POST', '/api/operator/synchronize', [{ organizationId: org.id, name, externalId: uid('op'), ...extra }], company[org.base], org.base);
  const token = await api('POST', '/api/operator/get-token', { id: op.id, expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString() }, company[org.base], org.base);
  return { ...op, token };
}

/** An operator who is online (connected to the hub): the widget is not offline. */
async function online(org, name, extra) {
  const op = await operator(org, name, extra);
  op.hub = await hubClient(op.token, org.base);
  return op;
}

const reply = (op, chatId, textMessage, base = CH) => api('POST', `/api/chat/${chatId}/message`, { textMessage }, op.token, base);
const chatOf = (chatId, base = CH) => api('GET', '/api/chat/chats/' + chatId, undefined, company[base], base);
const history = (chatId, base = CH) => api('GET', `/api/chat/${chatId}/messages?after=0&limit=1000`, undefined, company[base], base);

async function until(what, f, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(50);
  }
}

/** The operator's hub client heard the customer's message with this text: the message. */
const heard = (op, text) => until(`the operator to hear "${text}"`, () =>
  op.hub.events.find((e) => e.target === 'ReceiveMessage' && e.args[0].message === text)?.args[0]);

// ---- browser pages ----

async function context({ viewport = { width: 1100, height: 760 }, colorScheme = 'light', locale = 'en-US' } = {}) {
  return browser.newContext({ viewport, colorScheme, locale });
}

/** Opens the shop page (or `path`) in `ctx`; console errors and page errors are collected. */
async function openPage(ctx, query, { host = 'shop', path = '/shop.html' } = {}) {
  const page = await ctx.newPage();
  page.errors = [];
  page.consoleErrors = [];
  page.sockets = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.consoleErrors.push(m.text()));
  page.on('websocket', (ws) => page.sockets.push(ws));
  page.readyReported = new Promise((resolve) => page.on('console', (m) => m.text() === 'chathub-widget-ready' && resolve()));
  await page.goto(origin(host) + path + '?' + new URLSearchParams(query));
  return page;
}

const shopQuery = (org, extra = {}) => ({ guid: org.widgetGuid, src: org.base, ...extra });

async function shop(ctx, org, extra, opts) {
  const page = await openPage(ctx, shopQuery(org, extra), opts);
  return page;
}

const stateOf = (page) => page.evaluate((w) => document.querySelector(w)?.getAttribute('state') ?? null, W);

async function waitState(page, ...want) {
  await page.waitForFunction(([w, want]) => want.includes(document.querySelector(w)?.getAttribute('state')), [W, want], { timeout: 20000 })
    .catch(async (e) => { throw new Error(`widget never became ${want} (is ${await stateOf(page)}): ${e.message}`); });
}

const inW = (sel) => `${W} ${sel}`;

/** A new organization (its settings, on `base`) with an operator online, and a visitor with the chat open. */
async function chatting(settings = {}, base = CH) {
  const org = await newOrg(settings, base);
  const op = await online(org);
  const ctx = await context();
  const page = await shop(ctx, org);
  await waitState(page, 'ready');
  await openChat(page);
  return { org, op, ctx, page };
}

async function openChat(page) {
  await page.locator(inW('button[data-launcher]')).click();
  await page.locator(inW('.win')).waitFor();
}

/** Types into the composer and sends with Enter. */
async function say(page, text) {
  const box = page.locator(inW('.comp textarea'));
  await box.fill(text);
  await box.press('Enter');
}

const shownTexts = (page, author) => page.$$eval(inW(author == null ? '[data-message-id]' : `[data-author="${author}"]`),
  (els) => els.map((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('')));

const shownIds = (page) => page.$$eval(inW('[data-message-id]'), (els) => els.map((e) => +e.dataset.messageId));

/** axe-core on the widget, inside its shadow root: no violation in this state. */
const a11y = (page, label) => assertAccessible(page, { include: W, label });

const events = (page, name) => page.evaluate((n) => window.__events.filter((e) => !n || e[0] === n), name);

const widgetErrors = (page) => page.consoleErrors.filter((t) => t.includes('ChatHub chat widget'));

before(async () => {
  company[CH] = await companyToken();
  if (LIMITED) company[LIMITED] = await companyToken(LIMITED);
  site = await startShop({ chathub: CH });
  // Web Locks and the other APIs of secure contexts, for the test's http:// shop origins (real sites are https)
  const secure = ['shop', 'evil'].map(origin).join(',');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--unsafely-treat-insecure-origin-as-secure=' + secure] });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await site?.close();
  const fmt = (a) => a.length ? `median ${median(a).toFixed(1)} ms, max ${Math.max(...a).toFixed(1)} ms (n=${a.length})` : 'not measured';
  console.log(`# timings: script tag -> interactive launcher ${fmt(timings.launcher)}; open -> chat shown ${fmt(timings.open)}; `
    + `longest task on the host page ${timings.longtask.length ? Math.max(...timings.longtask).toFixed(0) + ' ms' : 'none over 50 ms'}`);
});

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** Script tag -> interactive launcher, as the page measured it. */
async function recordLauncher(page) {
  const t = await page.evaluate(() => window.__tReady - window.__tTag);
  if (Number.isFinite(t)) timings.launcher.push(t);
  return t;
}

/** Clicks the launcher and measures until the chat window is shown and painted (two frames). */
async function timedOpen(page) {
  const t = await page.evaluate(async (w) => {
    const host = document.querySelector(w);
    const t0 = performance.now();
    host.shadowRoot.querySelector('button[data-launcher]').click();
    const win = host.shadowRoot.querySelector('.win');
    if (!win || win.hidden) throw new Error('the window did not open in the click');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  }, W);
  timings.open.push(t);
  return t;
}

/** A README screenshot (CHATHUB_SCREENSHOTS): the page's right part with the open window, its corner, or all. */
async function shot(page, name, part) {
  if (!SHOTS) return;
  const { width, height } = page.viewportSize();
  const clip = part === 'window' ? { x: width - 460, y: 0, width: 460, height }
    : part === 'corner' ? { x: width - 460, y: height - 230, width: 460, height: 230 } : undefined;
  await page.screenshot({ path: `${SHOTS}/${name}.png`, clip });
}

/**
 * The host page's long tasks (ms) while the widget loads: from the start to `after` ms past ready. Wait for
 * page.readyReported (not waitState) first: Playwright's own injected script, installed by the first script it runs
 * in a page, is a long task too.
 */
async function recordLongTasks(page, after = 500) {
  await sleep(after);
  const l = await page.evaluate((after) => window.__longtasks.filter(([t]) => t < window.__tReady + after).map(([, d]) => d), after);
  timings.longtask.push(...l);
  return l;
}

describe('serving and embedding', () => {
  test('entry module: no-cache with an ETag, ≤ 1 KB gzipped; the versioned bundle is immutable, compressed, ≤ 15 KB gzipped in all', async () => {
    const { body, files } = await servedEntry('chat-widget');
    const entryGz = gzipSync(Buffer.from(body), { level: 9 }).length;
    assert.ok(entryGz <= 1024, `entry is ${entryGz} bytes gzipped`);
    assert.ok(files.some((f) => f[1] === 'widget.js'), body);
    const version = files[0][0];
    let total = 0;
    for (const [, file] of files) total += gzipSync(await servedFile(`${CH}/chat-widget/${version}/${file}`), { level: 9 }).length;
    console.log(`# chat widget: entry ${entryGz} B gzipped, widget ${total} B gzipped (${files.length} file(s))`);
    assert.ok(total <= 15 * 1024, `widget is ${total} bytes gzipped`);
    assert.equal((await fetch(`${CH}/chat-widget/0000000000000000/widget.js`)).status, 404);
    assert.equal((await fetch(`${CH}/chat-widget/${version}/nothing.js`)).status, 404);
  });

  test('the contract\'s tag: loading, then a launcher and greeting bubble, no layout shift; long tasks measured; axe on the closed launcher', async () => {
    const org = await newOrg({ name: 'Jackets & Co.', greeting: 'Hi! Ask us about sizes and delivery.' });
    const op = await online(org);
    const ctx = await context();
    const sessions = [];
    ctx.on('request', (r) => r.method() === 'POST' && /\/api\/widget\/[^/]+\/session$/.test(r.url()) && sessions.push(r.url()));
    const page = await shop(ctx, org);
    await page.readyReported;
    const long = await recordLongTasks(page);
    assert.equal(sessions.length, 1, 'one session request: the entry module\'s, which the widget took');
    assert.equal(await stateOf(page), 'ready');
    const t = await recordLauncher(page);
    console.log(`# script tag -> interactive launcher: ${t.toFixed(1)} ms (target 150)`);
    assert.equal((await page.evaluate(() => window.__states))[0], 'loading');
    const launcher = page.locator(inW('button[data-launcher]'));
    assert.ok(await launcher.isVisible());
    assert.match(await launcher.getAttribute('aria-label'), /^Open chat/);
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator(inW('.b p')).innerText(), 'Hi! Ask us about sizes and delivery.');
    assert.deepEqual(await events(page, 'ready'), [['ready', { state: 'ready' }]]);
    const open = await page.evaluate((w) => document.querySelector(w).shadowRoot.mode, W);
    assert.equal(open, 'open');
    await a11y(page, 'closed launcher with greeting');
    if (SHOTS) await shot(page, 'widget-closed', 'corner');
    const shifts = await page.evaluate(() => window.__shifts);
    assert.equal(shifts.reduce((a, b) => a + b, 0), 0, 'layout shifts: ' + shifts);
    console.log(`# long tasks on the host page during load: ${JSON.stringify(long)}`);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(widgetErrors(page), []);
    await ctx.close();
    op.hub.close();
  });

  test('the hosted service\'s tag form (src first, loadPoint="1", unknown attributes) works unchanged; lang, position, color and open attributes', async () => {
    const org = await newOrg({ themeColor: '#0a7d55' });
    const op = await online(org);
    const ctx = await context();
    const page = await shop(ctx, org, { form: 'hosted' });
    await waitState(page, 'ready');
    assert.equal(await page.locator('#chat-widget-script').getAttribute('loadPoint'), '1');
    const acc = await page.locator(inW('button[data-launcher]')).evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(acc, 'rgb(10, 125, 85)', 'the organization\'s themeColor');
    const box = await page.locator(inW('button[data-launcher]')).boundingBox();
    assert.ok(box.x > 1000, 'right by default');
    const page2 = await shop(ctx, org, { lang: 'nl', position: 'left', color: '#ffcc00', open: '' });
    await waitState(page2, 'ready');
    await page2.locator(inW('.win')).waitFor();
    assert.notEqual(await page2.evaluate(() => document.activeElement?.localName), 'chathub-chat-widget', 'open at start: the page keeps its focus');
    const box2 = await page2.locator(inW('button[data-launcher]')).boundingBox();
    assert.ok(box2.x < 100, 'left');
    const l2 = page2.locator(inW('button[data-launcher]'));
    assert.equal(await l2.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(255, 204, 0)');
    assert.equal(await l2.evaluate((b) => getComputedStyle(b).color), 'rgb(0, 0, 0)', 'dark text on a light colour');
    assert.match(await l2.getAttribute('aria-label'), /^Chat sluiten/);
    assert.equal(await page2.locator(inW('.comp textarea')).getAttribute('aria-label'), 'Bericht');
    await a11y(page2, 'open at start, left, yellow, Dutch');
    await ctx.close();
    op.hub.close();
  });

  test('SPA: a tag injected later mounts the widget, removing it unmounts (connection closed), injecting again mounts it again; the module runs once', async () => {
    const org = await newOrg();
    const op = await online(org);
    const ctx = await context();
    const page = await shop(ctx, org, { spa: '' });
    await sleep(300);
    assert.equal(await page.locator(W).count(), 0);
    for (let round = 0; round < 2; round++) {
      await page.evaluate(() => window.injectWidget());
      await waitState(page, 'ready');
      await page.waitForFunction(() => true);
      await until('a hub connection', () => page.sockets.some((s) => !s.isClosed()));
      assert.equal(await page.evaluate(() => typeof window.ChatHub.open), 'function');
      await page.evaluate(() => window.removeWidget());
      await page.waitForFunction((w) => !document.querySelector(w), W);
      await until('the connection to close', () => page.sockets.every((s) => s.isClosed()));
    }
    const loads = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /\/chat-widget\/[0-9a-f]{16}\/widget\.js/.test(e.name)).length);
    assert.equal(loads, 1, 'the bundle is fetched (and run) once');
    await page.evaluate(() => window.injectWidget());
    await waitState(page, 'ready');
    assert.equal(await page.locator(W).count(), 1);
    assert.deepEqual(page.errors, []);
    await ctx.close();
    op.hub.close();
  });

  test('a tag without guid: one console error and an error event; nothing is shown', async () => {
    const org = await newOrg();
    const ctx = await context();
    const page = await shop(ctx, org, { guid: '' });
    await until('the error event', async () => (await events(page, 'error')).length);
    await sleep(300);
    assert.equal(await page.locator(W).count(), 0);
    assert.equal(widgetErrors(page).length, 1, JSON.stringify(page.consoleErrors));
    assert.match(widgetErrors(page)[0], /missing guid/);
    await ctx.close();
  });
});

describe('a conversation', () => {
  test('the customer on the shop and the operator in the panel (another origin): live both ways, typing, read state, images and files; axe in the open chat', async () => {
    const org = await newOrg({ name: 'Jackets & Co.', greeting: 'Hello! We answer within minutes.', themeColor: '#1860d0' });
    const op = await operator(org, 'Olga Shevchenko', { photo: origin('shop') + '/avatar.png' });
    const opCtx = await context({ viewport: { width: 1100, height: 800 } });
    const panel = await openPage(opCtx, { token: op.token, src: CH }, { host: 'crm', path: '/panel.html' });
    await panel.waitForFunction((p) => document.querySelector(p)?.getAttribute('state') === 'ready', PANEL);

    const ctx = await context();
    const page = await shop(ctx, org);
    await waitState(page, 'ready');
    await recordLauncher(page);
    const t = await timedOpen(page);
    console.log(`# open -> chat shown: ${t.toFixed(1)} ms (target 100)`);
    assert.equal(await page.locator(inW('.win')).getAttribute('role'), 'dialog');
    assert.equal(await page.locator(inW('[role=log]')).count(), 1);
    assert.ok(await page.locator(inW('.comp textarea')).evaluate((e) => e === e.getRootNode().activeElement), 'the composer has the focus');
    await a11y(page, 'open chat, no messages yet');

    await say(page, 'Hello! Is the blue jacket available in M?');
    await page.locator(inW('[data-author="1"]')).waitFor();
    const item = panel.locator(`${PANEL} [data-chat-id]`).first();
    await item.waitFor();
    assert.match(await item.innerText(), /Widget/);
    await item.click();
    await panel.locator(`${PANEL} [data-message-id]`, { hasText: 'blue jacket' }).waitFor();
    // the operator sees where the visitor came from: the page (a link) and the browser's language
    const info = panel.locator(`${PANEL} .chat .info`);
    assert.match(await info.innerText(), /Page: https?:\/\/\S+ · Language: \S+/);
    assert.match(await info.locator('a').getAttribute('href'), /^https?:\/\//);
    assert.equal(await info.locator('a').getAttribute('rel'), 'noopener noreferrer nofollow');
    // the operator read it: ✓✓ on the customer's side
    await page.locator(inW('[data-author="1"] small span[aria-label="Read"]')).waitFor();

    // typing, both ways
    await page.locator(inW('.comp textarea')).fill('And in');
    await panel.locator(`${PANEL} .typing`, { hasText: 'typing' }).waitFor();
    await page.locator(inW('.comp textarea')).fill('');
    await panel.locator(`${PANEL} textarea`).fill('Let me check');
    // named once the chat's assignment reached the widget (ChatAssigned), which may come after the typing
    await page.locator(inW('.typing'), { hasText: /^(Olga Shevchenko|Operator) is typing…$/ }).waitFor();

    await panel.locator(`${PANEL} textarea`).fill('Yes, two left in M. Shall I reserve one?');
    await panel.locator(`${PANEL} textarea`).press('Enter');
    const answer = page.locator(inW('[data-author="0"]'), { hasText: 'two left in M' });
    await answer.waitFor();
    // the photo replaces the initial once the chat's assignment (ChatAssigned) reached the widget, which may come after the message
    await page.waitForFunction((w) => {
      const img = document.querySelector(w).shadowRoot.querySelector('[data-author="0"] .who img');
      return img && img.complete && img.naturalWidth === 64;
    }, W);
    assert.equal(await answer.locator('.who').innerText(), 'Olga Shevchenko');
    assert.equal(await page.locator(inW('.typing')).innerText(), '');
    assert.equal(await page.locator(inW('.hd h2 small')).innerText(), 'Olga Shevchenko');
    // the customer sees it (open, visible): ✓✓ in the panel
    await panel.locator(`${PANEL} .msg.me span[aria-label="Read"]`).waitFor();

    // an image from the customer, shown in the panel; an image and a file from the operator, shown to the customer
    await page.locator(inW('input[type=file]')).setInputFiles({ name: 'jacket.png', mimeType: 'image/png', buffer: png(120, 80, [40, 90, 200]) });
    await page.locator(inW('[data-author="1"] img')).waitFor();
    await panel.waitForFunction((p) => [...document.querySelector(p).shadowRoot.querySelectorAll('.log img')].some((i) => i.complete && i.naturalWidth === 120), PANEL);
    const chatId = +(await panel.locator(`${PANEL} [data-chat-id]`).first().getAttribute('data-chat-id'));
    await api('POST', `/api/chat/${chatId}/message`, { media: { name: 'size-chart.png', format: 'image/png', type: 1, dataBase64: png(200, 100, [200, 60, 40]).toString('base64') } }, op.token);
    await page.waitForFunction((w) => [...document.querySelector(w).shadowRoot.querySelectorAll('[data-author="0"] img:not(.av)')].some((i) => i.complete && i.naturalWidth === 200), W);
    await api('POST', `/api/chat/${chatId}/message`, { media: { name: 'returns.txt', format: 'text/plain', type: 0, dataBase64: Buffer.from('Returns within 30 days.').toString('base64') } }, op.token);
    const link = page.locator(inW('[data-author="0"] a'), { hasText: 'returns.txt' });
    await link.waitFor();
    const href = await link.getAttribute('href');
    assert.match(href, /\/api\/media\/[0-9a-f]{64}\?access_token=/);
    const file = await fetch(href);
    assert.equal(await file.text(), 'Returns within 30 days.');
    await a11y(page, 'open chat with text, images and a file');
    if (SHOTS) {
      await page.locator(inW('.log')).evaluate((l) => (l.scrollTop = 0));
      await shot(page, 'widget-open', 'window');
    }
    // the visitor ends the chat: Closed for the operator too; the rating reaches the panel live
    await page.locator(inW('.hd button[aria-label="End chat"]')).click();
    await page.locator(inW('[data-rating]')).waitFor();
    await until('the chat to be Closed', async () => (await chatOf(chatId)).chatStatus === 4);
    await page.locator(inW('[data-rating] [data-score="5"]')).click();
    await page.locator(inW('[data-rating] textarea[name=comment]')).fill('Very helpful');
    await page.locator(inW('[data-rating] button.btn')).click();
    await panel.locator(`${PANEL} .chat .info`, { hasText: 'Rated 5/5: “Very helpful”' }).waitFor();
    // in the list too (the Closed chat's item may be scrolled or filtered out of view: present is enough)
    await panel.locator(`${PANEL} [data-chat-id="${chatId}"] .chip`, { hasText: '★ 5' }).waitFor({ state: 'attached' });
    await assertAccessible(panel, { include: PANEL, label: 'the panel with a website chat: page, language, rating' });
    assert.deepEqual(page.errors, []);
    assert.deepEqual(panel.errors, []);
    await ctx.close();
    await opCtx.close();
  });

  test('two tabs: one WebSocket between them, the same conversation and unread count; the leader tab closes and the other takes over without losing a message; a reload keeps the history', async () => {
    const org = await newOrg();
    const op = await online(org);
    const ctx = await context();
    const a = await shop(ctx, org);
    await waitState(a, 'ready');
    const b = await shop(ctx, org);
    await waitState(b, 'ready');
    await openChat(a);
    await say(a, 'Written in tab A');
    const first = await heard(op, 'Written in tab A');
    const chatId = first.chatId;
    await b.waitForFunction((w) => document.querySelector(w).shadowRoot.querySelector('[data-author="1"]'), W);
    assert.deepEqual(await shownTexts(b, 1), ['Written in tab A']);
    assert.equal(a.sockets.length + b.sockets.length, 1, 'one hub connection for both tabs');
    assert.equal(a.sockets.length, 1, 'the first tab leads');

    // unread: the same count in both tabs while neither shows the chat; reading in one clears both
    await a.locator(inW('.hd button[aria-label="Close chat"]')).click();
    await reply(op, chatId, 'First answer');
    await reply(op, chatId, 'Second answer');
    for (const p of [a, b]) {
      await p.locator(inW('.badge'), { hasText: '2' }).waitFor();
      assert.equal(await p.evaluate(() => window.ChatHub.unreadCount), 2);
      assert.match(await p.locator(inW('button[data-launcher]')).getAttribute('aria-label'), /2 unread/);
    }
    assert.deepEqual((await events(b, 'unread')).map((e) => e[1]).slice(-1), [2]);
    await a11y(b, 'closed launcher with an unread badge');
    await openChat(b);
    for (const p of [a, b]) await p.waitForFunction((w) => document.querySelector(w).shadowRoot.querySelector('.badge').hidden, W);
    assert.equal(await a.evaluate(() => window.ChatHub.unreadCount), 0);
    await until('the operator to see them read', async () => (await history(chatId)).filter((m) => m.author === 0).every((m) => m.status === 3));
    await b.locator(inW('.hd button[aria-label="Close chat"]')).click();

    // the leader goes; messages written meanwhile reach the other tab, which connects and catches up (after=)
    await reply(op, chatId, 'Before the tab closes');
    await b.locator(inW('[data-author="0"]'), { hasText: 'Before the tab closes' }).waitFor({ state: 'attached' });
    await a.close();
    await reply(op, chatId, 'While nobody listens 1');
    await reply(op, chatId, 'While nobody listens 2');
    await until('tab B to connect', () => b.sockets.length === 1);
    await reply(op, chatId, 'After the takeover');
    await b.locator(inW('[data-author="0"]'), { hasText: 'After the takeover' }).waitFor({ state: 'attached' });
    // the catch-up's answer may come after the live message: every message, once, in order, soon
    const want = (await history(chatId)).map((m) => m.id);
    await until('every message in tab B', async () => JSON.stringify(await shownIds(b)) === JSON.stringify(want)).catch(() => {});
    assert.deepEqual(await shownIds(b), want, 'every message once, in order');
    assert.equal(await b.evaluate(() => window.ChatHub.unreadCount), 4);

    // a reload: the same visitor, the same history
    const visitor = await b.evaluate((g) => JSON.parse(localStorage.getItem('chathub:' + g)).v, org.widgetGuid);
    await b.reload();
    await waitState(b, 'ready');
    // opened, the window is built at once (closed, it is built when the browser is idle, which a busy machine delays)
    await openChat(b);
    await until('the history after the reload', async () => JSON.stringify(await shownIds(b)) === JSON.stringify(want)).catch(() => {});
    assert.deepEqual(await shownIds(b), want, 'the same history after the reload');
    assert.equal(await b.evaluate((g) => JSON.parse(localStorage.getItem('chathub:' + g)).v, org.widgetGuid), visitor);
    assert.deepEqual(b.errors, []);
    await ctx.close();
    op.hub.close();
  });

  test('network loss: reconnecting, missed messages fetched with after=, a message typed while offline sent once when back', async () => {
    const org = await newOrg();
    const op = await online(org);
    const proxy = await cuttableProxy(Number(new URL(CH).port));
    const ctx = await context();
    const page = await shop(ctx, org, { src: proxy.url });
    await waitState(page, 'ready');
    await openChat(page);
    await say(page, 'Before the network goes');
    const { chatId } = await heard(op, 'Before the network goes');
    proxy.cut();
    await page.locator(inW('.banner'), { hasText: 'Reconnecting…' }).waitFor();
    await a11y(page, 'reconnecting');
    await say(page, 'Typed while offline');
    await page.locator(inW('.pending'), { hasText: 'Typed while offline' }).waitFor();
    await reply(op, chatId, 'Sent while you were away');
    await sleep(500);
    proxy.restore();
    await page.locator(inW('[data-author="0"]'), { hasText: 'Sent while you were away' }).waitFor({ timeout: 40000 });
    await page.locator(inW('[data-author="1"]'), { hasText: 'Typed while offline' }).waitFor({ timeout: 40000 });
    await page.waitForFunction((w) => !document.querySelector(w).shadowRoot.querySelector('.pending'), W);
    await page.locator(inW('.banner')).waitFor({ state: 'hidden' });
    await sleep(500);
    const stored = (await history(chatId)).map((m) => m.message);
    assert.deepEqual(stored.filter((m) => m === 'Typed while offline'), ['Typed while offline'], 'stored once');
    const all = (await history(chatId)).map((m) => m.id);
    await until('every message shown', async () => JSON.stringify(await shownIds(page)) === JSON.stringify(all)).catch(() => {});
    assert.deepEqual(await shownIds(page), all, 'nothing lost, nothing twice');
    await ctx.close();
    await proxy.close();
    op.hub.close();
  });
});

describe('forms and settings', () => {
  test('pre-chat form: shown when the organization asks, required fields and email/phone checked in the visitor\'s language, then the chat; the operator sees the details', async () => {
    const org = await newOrg({ name: 'Jackets & Co.', greeting: 'Hi! Tell us who you are and we will be right with you.', preChat: { fields: ['name', 'email', 'phone'], required: ['name', 'email'] } });
    const op = await online(org);
    const ctx = await context();
    const page = await shop(ctx, org);
    await waitState(page, 'ready');
    await openChat(page);
    const form = page.locator(inW('form[data-prechat]'));
    await form.waitFor();
    assert.equal(await page.locator(inW('.comp')).count(), 0, 'no composer before the form');
    assert.ok(await form.locator('input[name=name]').evaluate((e) => e === e.getRootNode().activeElement), 'the first field has the focus');
    await a11y(page, 'pre-chat form');
    if (SHOTS) await shot(page, 'widget-prechat', 'window');
    await form.locator('button[type=submit]').click();
    assert.equal(await form.locator('input[name=name]').getAttribute('aria-invalid'), 'true');
    assert.equal(await form.locator('input[name=email]').getAttribute('aria-invalid'), 'true');
    assert.equal(await form.locator('input[name=phone]').getAttribute('aria-invalid'), 'false', 'phone is optional');
    assert.match(await form.innerText(), /Required/);
    await form.locator('input[name=name]').fill('Olena Petrenko');
    await form.locator('input[name=email]').fill('olena@');
    await form.locator('input[name=phone]').fill('call me');
    await form.locator('button[type=submit]').click();
    assert.match(await form.innerText(), /Not a valid email address/);
    assert.match(await form.innerText(), /Not a valid phone number/);
    assert.ok(await form.locator('input[name=email]').evaluate((e) => e === e.getRootNode().activeElement), 'the first wrong field has the focus');
    await a11y(page, 'pre-chat form with errors');
    await form.locator('input[name=email]').fill('olena@example.com');
    await form.locator('input[name=phone]').fill('+380 50 111 22 33');
    await form.locator('button[type=submit]').click();
    await page.locator(inW('.comp textarea')).waitFor();
    await say(page, 'Hi, it is Olena');
    const m = await heard(op, 'Hi, it is Olena');
    const c = await chatOf(m.chatId);
    assert.deepEqual([c.client.name, c.client.email, c.client.phone], ['Olena Petrenko', 'olena@example.com', '+380 50 111 22 33']);
    // the details are given: no form again after a reload
    await page.reload();
    await waitState(page, 'ready');
    await openChat(page);
    assert.equal(await page.locator(inW('form[data-prechat]')).count(), 0);
    await ctx.close();
    op.hub.close();
  });

  test('offline: nobody online, or outside business hours: state="offline", the offline form with the offline contact; the message reaches the operators as an offline chat', async () => {
    const org = await newOrg({ name: 'Jackets & Co.', offlineContact: 'support@jackets.example, +31 20 123 4567' });
    const ctx = await context();
    const page = await shop(ctx, org);
    await waitState(page, 'offline');
    assert.deepEqual(await events(page, 'ready'), [['ready', { state: 'offline' }]]);
    await openChat(page);
    const form = page.locator(inW('form[data-offline]'));
    await form.waitFor();
    assert.match(await form.innerText(), /support@jackets\.example, \+31 20 123 4567/);
    await a11y(page, 'offline form');
    if (SHOTS) await shot(page, 'widget-offline', 'window');
    await form.locator('input[name=name]').fill('Emma de Jong');
    await form.locator('textarea[name=textMessage]').fill('Please call me back about my order');
    await form.locator('button[type=submit]').click();
    assert.match(await form.innerText(), /Give an email or a phone/);
    await a11y(page, 'offline form with an error');
    await form.locator('input[name=email]').fill('emma@example.nl');
    await form.locator('button[type=submit]').click();
    await page.locator(inW('.pane [role=status]'), { hasText: 'Thank you! We will get back to you soon.' }).waitFor();
    assert.equal(await stateOf(page), 'offline');
    await a11y(page, 'offline message sent');
    const chats = await api('GET', `/api/chat/chats?organizationId=${org.id}`, undefined, company[CH]);
    const offline = chats.items.find((c) => c.offline);
    assert.ok(offline, JSON.stringify(chats.items));
    assert.equal(offline.client.name, 'Emma de Jong');
    assert.equal(offline.client.email, 'emma@example.nl');
    assert.equal(offline.lastMessage.message, 'Please call me back about my order');

    // an operator online, but outside the business hours (no day open): still offline
    const closed = await newOrg({ businessHours: { timezone: 'Europe/Kyiv', days: {} } });
    const op = await online(closed);
    const page2 = await shop(ctx, closed);
    await waitState(page2, 'offline');
    await openChat(page2);
    await page2.locator(inW('form[data-offline]')).waitFor();
    // the same organization inside its hours: ready
    const always = {};
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) always[d] = [['00:00', '23:59']];
    await api('PUT', '/api/company/organization/' + closed.id, { businessHours: { timezone: 'UTC', days: always } });
    const ctx2 = await context();
    const page3 = await shop(ctx2, closed);
    await waitState(page3, 'ready');
    await ctx.close();
    await ctx2.close();
    op.hub.close();
  });

  test('after the chat is Closed: the rating (1–5 and a comment) once, and the transcript; the next message opens a new chat', async () => {
    const org = await newOrg({ name: 'Jackets & Co.' });
    const op = await online(org, 'Bram de Vries');
    const ctx = await context();
    const page = await shop(ctx, org);
    await waitState(page, 'ready');
    await openChat(page);
    await say(page, 'Where is order 17?');
    const { chatId } = await heard(op, 'Where is order 17?');
    await reply(op, chatId, 'On its way, it arrives tomorrow.');
    await page.locator(inW('[data-author="0"]')).waitFor();
    await api('PUT', '/api/chat/status', { id: chatId, status: 4 }, op.token);
    const rating = page.locator(inW('[data-rating]'));
    await rating.waitFor();
    assert.equal(await rating.locator('[data-score]').count(), 5);
    assert.equal(await page.locator(inW('.hd button[aria-label="End chat"]')).isVisible(), false);
    await a11y(page, 'rating');
    await rating.locator('[data-score="4"]').click();
    assert.equal(await rating.locator('[data-score="4"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await rating.locator('[data-score="5"]').getAttribute('aria-pressed'), 'false');
    await rating.locator('textarea[name=comment]').fill('Quick and kind');
    if (SHOTS) await shot(page, 'widget-rating', 'window');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(inW('[data-transcript]')).click()]);
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(await download.path(), 'utf8');
    assert.match(text, /You: Where is order 17\?/);
    assert.match(text, /Bram de Vries: On its way, it arrives tomorrow\./);
    assert.equal(download.suggestedFilename(), `chat-${chatId}.txt`);
    await rating.locator('button.btn').click();
    await page.locator(inW('.note[role=status]'), { hasText: 'Thank you for your feedback!' }).waitFor();
    await a11y(page, 'rated');
    const c = await chatOf(chatId);
    assert.deepEqual([c.rating.score, c.rating.comment], [4, 'Quick and kind']);
    // the next message: a new chat, the old one's messages make way
    await say(page, 'One more question');
    const next = await heard(op, 'One more question');
    assert.notEqual(next.chatId, chatId);
    await page.waitForFunction((w) => document.querySelector(w).shadowRoot.querySelectorAll('[data-message-id]').length === 1, W);
    assert.equal(await page.locator(inW('[data-rating]')).count(), 0);
    await ctx.close();
    op.hub.close();
  });

  test('identity verification: setUser with the company\'s HMAC brings the customer\'s history to another device; a wrong hash is refused with an error event', async () => {
    const org0 = await newOrg();
    const { identitySecret } = await api('PUT', '/api/company/organization/' + org0.id, { rotateIdentitySecret: true });
    const org = { ...org0 };
    const op = await online(org);
    const externalId = uid('customer');
    const hash = createHmac('sha256', identitySecret).update(externalId).digest('hex');
    const user = JSON.stringify({ externalId, name: 'Taras Bondar', email: 'taras@example.com', hash });
    const laptop = await context();
    const a = await shop(laptop, org, { user });
    await waitState(a, 'ready');
    assert.equal(await a.evaluate(() => window.__user), true);
    await openChat(a);
    assert.equal(await a.locator(inW('form[data-prechat]')).count(), 0);
    await say(a, 'Order 1042, please');
    const m = await heard(op, 'Order 1042, please');
    assert.equal((await chatOf(m.chatId)).client.name, 'Taras Bondar');

    const phone = await context({ viewport: { width: 390, height: 800 } });
    const b = await shop(phone, org);
    await waitState(b, 'ready');
    await openChat(b);
    assert.equal(await b.locator(inW('[data-message-id]')).count(), 0, 'an unverified visitor sees nothing of the customer');
    assert.equal(await b.evaluate((u) => window.ChatHub.setUser(JSON.parse(u)), user), true);
    await b.locator(inW('[data-author="1"]'), { hasText: 'Order 1042, please' }).waitFor();
    await reply(op, m.chatId, 'Found it');
    for (const p of [a, b]) await p.locator(inW('[data-author="0"]'), { hasText: 'Found it' }).waitFor();

    const other = await context();
    const c = await shop(other, org);
    await waitState(c, 'ready');
    const ok = await c.evaluate((id) => window.ChatHub.setUser({ externalId: id, hash: '00'.repeat(32) }), externalId);
    assert.equal(ok, false);
    const errs = await events(c, 'error');
    assert.equal(errs.length, 1);
    assert.match(errs[0][1].message, /Identity verification failed/);
    await openChat(c);
    assert.equal(await c.locator(inW('[data-message-id]')).count(), 0, 'nothing of the customer');
    await laptop.close();
    await phone.close();
    await other.close();
    op.hub.close();
  });
});

describe('security and limits', () => {
  test('a page outside the allowed origins: nothing visible, state="error", one console error naming the origin, an error event; no data, no socket', async () => {
    const org = await newOrg();
    const op = await online(org);
    const ctx = await context();
    const page = await shop(ctx, org, {}, { host: 'evil' });
    await waitState(page, 'error');
    await sleep(500);
    const mine = widgetErrors(page);
    assert.equal(mine.length, 1, JSON.stringify(page.consoleErrors));
    assert.ok(mine[0].includes(origin('evil')), mine[0]);
    assert.match(mine[0], /not allowed to use this chat widget, or the server cannot be reached/);
    const errs = await events(page, 'error');
    assert.equal(errs.length, 1);
    assert.equal(errs[0][1].message, mine[0]);
    const visible = await page.evaluate((w) => {
      const host = document.querySelector(w);
      return [...host.shadowRoot.querySelectorAll('*')].filter((e) => e.localName !== 'style' && e.checkVisibility?.()).map((e) => e.localName);
    }, W);
    assert.deepEqual(visible, []);
    assert.equal(page.sockets.length, 0);
    assert.equal(await page.evaluate(() => window.ChatHub.unreadCount), 0);
    await a11y(page, 'error state (origin refused)');
    await ctx.close();
    op.hub.close();
  });

  test('XSS payloads stay inert text both ways (with emoji): messages, greeting, organization and operator names', async () => {
    const x = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const org = await newOrg({ name: ('Org ' + x).slice(0, 100), greeting: 'Hi ' + x });
    const op = await operator(org, 'Op <b onmouseover="window.__xss=3">bold</b>');
    const opCtx = await context();
    const panel = await openPage(opCtx, { token: op.token, src: CH }, { host: 'crm', path: '/panel.html' });
    await panel.waitForFunction((p) => document.querySelector(p)?.getAttribute('state') === 'ready', PANEL);
    const ctx = await context();
    const page = await shop(ctx, org);
    await waitState(page, 'ready');
    await openChat(page);
    await say(page, 'Customer 🧥👍 ' + x);
    await panel.locator(`${PANEL} [data-chat-id]`).first().click();
    await panel.locator(`${PANEL} [data-message-id]`, { hasText: 'Customer 🧥👍 <img' }).waitFor();
    await panel.locator(`${PANEL} textarea`).fill('Operator ' + x);
    await panel.locator(`${PANEL} textarea`).press('Enter');
    await page.locator(inW('[data-author="0"]'), { hasText: 'Operator <img' }).waitFor();
    assert.deepEqual(await shownTexts(page), ['Customer 🧥👍 ' + x, 'Operator ' + x]);
    assert.equal(await page.locator(inW('.greet')).innerText(), 'Hi ' + x);
    assert.match(await page.locator(inW('.hd h2')).innerText(), /Org <img/);
    assert.match(await page.locator(inW('.who')).innerText(), /Op <b onmouseover/);
    for (const p of [page, panel]) {
      assert.equal(await p.evaluate(() => window.__xss), undefined);
      assert.equal(await p.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.log img:not(.av), .log script, .log b').length, p === page ? W : PANEL), 0);
    }
    await ctx.close();
    await opCtx.close();
  });

  test('limits: a 429 (messages per visitor) and a 413 (too long) are shown as readable messages and store nothing', { skip: !LIMITED && 'no CHATHUB_LIMITED_URL' }, async () => {
    const { op, ctx, page } = await chatting({}, LIMITED);
    await say(page, 'one');
    await say(page, 'two');
    await page.waitForFunction((w) => document.querySelector(w).shadowRoot.querySelectorAll('[data-author="1"]').length === 2, W);
    await say(page, 'three');
    const err = page.locator(inW('.pending .err'));
    await err.waitFor();
    assert.match(await err.innerText(), /^Too many messages\. Try again in \d+ s\./);
    await a11y(page, 'a message refused with 429');
    await say(page, 'x'.repeat(301));
    await page.locator(inW('.pending .err'), { hasText: 'Too large to send.' }).waitFor();
    const { chatId } = await heard(op, 'one');
    assert.deepEqual((await history(chatId, LIMITED)).map((m) => m.message), ['one', 'two'], 'nothing stored on refusal');
    await ctx.close();
    op.hub.close();
  });
});

describe('sessions', () => {
  test('the visitor token (15 s on the limited server) is renewed before it expires: the hub stays live, REST calls go on', { skip: !LIMITED && 'no CHATHUB_LIMITED_URL' }, async () => {
    const { op, ctx, page } = await chatting({}, LIMITED);
    await say(page, 'Before the renewal');
    const { chatId } = await heard(op, 'Before the renewal');
    const expires = await page.evaluate(() => Date.now()) + 15000;
    await sleep(expires - Date.now() + 3000);
    assert.ok(page.sockets.length >= 2, 'a new hub connection with the new token');
    assert.equal(page.sockets.filter((s) => !s.isClosed()).length, 1, 'one at a time');
    await reply(op, chatId, 'After the first token expired', LIMITED);
    await page.locator(inW('[data-author="0"]'), { hasText: 'After the first token expired' }).waitFor();
    await say(page, 'After the renewal');
    await heard(op, 'After the renewal');
    // the operator may hear the message before the widget has the hub's answer that takes it off the pending list
    await page.waitForFunction((w) => !document.querySelector(w).shadowRoot.querySelector('.pending'), W);
    assert.deepEqual(widgetErrors(page), []);
    await ctx.close();
    op.hub.close();
  });
});

describe('page API and events', () => {
  test('window.ChatHub: calls before ready are queued; open, close, toggle, unreadCount; on/off and the window events; reset forgets the visitor', async () => {
    const org = await newOrg();
    const op = await online(org);
    const ctx = await context();
    const page = await ctx.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    // the page calls the API right after the module ran, before the widget is ready
    await page.addInitScript(() => {
      window.__api = [];
      document.addEventListener('DOMContentLoaded', () => {
        const s = document.createElement('script');
        s.type = 'module';
        s.textContent = `
          const calls = window.__api;
          calls.push(['defined', typeof window.ChatHub, typeof window.ChatHub.on]);
          const fn = (d) => calls.push(['open-listener', d ?? null]);
          window.ChatHub.on('open', fn);
          window.ChatHub.on('ready', (d) => calls.push(['ready-listener', d]));
          window.ChatHub.on('message', (m) => calls.push(['message-listener', m.message]));
          window.ChatHub.on('unread', (n) => calls.push(['unread-listener', n]));
          window.ChatHub.open();
          window.__fn = fn;`;
        document.body.appendChild(s);
      });
    });
    await page.goto(origin('shop') + '/shop.html?' + new URLSearchParams(shopQuery(org)));
    await waitState(page, 'ready');
    await page.locator(inW('.win')).waitFor();
    let calls = await page.evaluate(() => window.__api);
    assert.deepEqual(calls[0], ['defined', 'object', 'function']);
    assert.deepEqual(calls.filter((c) => c[0] === 'ready-listener'), [['ready-listener', { state: 'ready' }]]);
    assert.equal(calls.filter((c) => c[0] === 'open-listener').length, 1, 'the queued open() ran once ready');
    assert.deepEqual((await events(page)).map((e) => e[0]).slice(0, 2), ['ready', 'open']);
    await page.evaluate(() => window.ChatHub.close());
    await page.locator(inW('.win')).waitFor({ state: 'hidden' });
    await page.evaluate(() => window.ChatHub.toggle());
    await page.locator(inW('.win')).waitFor();
    await page.evaluate(() => { window.ChatHub.off('open', window.__fn); window.ChatHub.toggle(); window.ChatHub.toggle(); });
    calls = await page.evaluate(() => window.__api);
    assert.equal(calls.filter((c) => c[0] === 'open-listener').length, 2, 'off() removed the listener');
    await say(page, 'Hello from the API test');
    const { chatId } = await heard(op, 'Hello from the API test');
    await page.evaluate(() => window.ChatHub.close());
    await reply(op, chatId, 'An answer');
    await until('unreadCount 1', () => page.evaluate(() => window.ChatHub.unreadCount === 1));
    calls = await page.evaluate(() => window.__api);
    assert.deepEqual(calls.filter((c) => c[0] === 'message-listener').map((c) => c[1]), ['Hello from the API test', 'An answer']);
    assert.deepEqual(calls.filter((c) => c[0] === 'unread-listener').map((c) => c[1]), [1]);
    const winEvents = (await events(page)).map((e) => e[0]);
    for (const e of ['ready', 'open', 'close', 'message', 'unread']) assert.ok(winEvents.includes(e), `chathub-widget:${e} in ${winEvents}`);
    const before = await page.evaluate((g) => JSON.parse(localStorage.getItem('chathub:' + g)).v, org.widgetGuid);
    await page.evaluate(() => window.ChatHub.reset());
    const afterReset = await page.evaluate((g) => JSON.parse(localStorage.getItem('chathub:' + g)).v, org.widgetGuid);
    assert.notEqual(afterReset, before, 'a new visitor');
    await page.evaluate(() => window.ChatHub.open());
    await page.waitForFunction((w) => !document.querySelector(w).shadowRoot.querySelector('[data-message-id]'), W);
    assert.equal(await page.evaluate(() => window.ChatHub.unreadCount), 0);
    assert.deepEqual(page.errors, []);
    await ctx.close();
    op.hub.close();
  });
});

describe('look and feel', () => {
  test('languages: the lang attribute (uk, nl, tr), else the organization\'s default language, else the browser\'s', async () => {
    const org = await newOrg();
    const op = await online(org);
    const want = { uk: ['Відкрити чат', 'Повідомлення'], nl: ['Chat openen', 'Bericht'], tr: ['Sohbeti aç', 'Mesaj'], en: ['Open chat', 'Message'] };
    const ctx = await context();
    for (const lang of ['uk', 'nl', 'tr']) {
      const page = await shop(ctx, org, { lang });
      await waitState(page, 'ready');
      assert.ok((await page.locator(inW('button[data-launcher]')).getAttribute('aria-label')).startsWith(want[lang][0]), lang);
      await openChat(page);
      assert.equal(await page.locator(inW('.comp textarea')).getAttribute('aria-label'), want[lang][1]);
      await a11y(page, 'open chat, ' + lang);
      await page.close();
    }
    await ctx.close();
    const nlOrg = await newOrg({ defaultLanguage: 'nl' });
    await online(nlOrg).then((o) => (nlOrg.op = o));
    const trBrowser = await context({ locale: 'tr-TR' });
    const p1 = await shop(trBrowser, nlOrg);
    await waitState(p1, 'ready');
    assert.ok((await p1.locator(inW('button[data-launcher]')).getAttribute('aria-label')).startsWith('Chat openen'), 'the organization\'s language before the browser\'s');
    const p2 = await shop(trBrowser, org);
    await waitState(p2, 'ready');
    const demoLanguage = (await api('GET', '/api/company/organization/' + org.id)).defaultLanguage;
    const expected = demoLanguage ? want[demoLanguage][0] : 'Sohbeti aç';
    assert.ok((await p2.locator(inW('button[data-launcher]')).getAttribute('aria-label')).startsWith(expected), `browser tr, organization ${demoLanguage}`);
    await trBrowser.close();
    nlOrg.op.hub.close();
    op.hub.close();
  });

  test('dark scheme, 360 px phones (full screen), a hostile page stylesheet: nothing leaks in or out; keyboard: Enter sends, Shift+Enter is a new line, Escape closes', async () => {
    const org = await newOrg({ name: 'Jackets & Co.', greeting: 'Hi! Ask us anything.' });
    const op = await online(org, 'Mehmet Kaya');
    const dark = await context({ colorScheme: 'dark' });
    const d = await shop(dark, org);
    await waitState(d, 'ready');
    await openChat(d);
    await say(d, 'Merhaba! Do you ship to Izmir?');
    const { chatId } = await heard(op, 'Merhaba! Do you ship to Izmir?');
    await reply(op, chatId, 'Yes, in 3–5 days.');
    await d.locator(inW('[data-author="0"]')).waitFor();
    assert.equal(await d.locator(inW('.win')).evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(22, 25, 29)');
    await a11y(d, 'open chat, dark');
    if (SHOTS) await shot(d, 'widget-dark', 'window');
    await dark.close();

    const phone = await context({ viewport: { width: 360, height: 740 } });
    const p = await shop(phone, org);
    await waitState(p, 'ready');
    await openChat(p);
    await say(p, 'Can I pay on delivery?');
    const second = await heard(op, 'Can I pay on delivery?');
    await reply(op, second.chatId, 'Yes, by card or cash.');
    await p.locator(inW('[data-author="0"]')).waitFor();
    const box = await p.locator(inW('.win')).boundingBox();
    assert.deepEqual([box.x, box.y, box.width, box.height].map(Math.round), [0, 0, 360, 740], 'full screen');
    assert.equal(await p.locator(inW('button[data-launcher]')).isVisible(), false, 'the window covers the launcher');
    const wide = await p.locator(W).evaluate((el) => [...el.shadowRoot.querySelectorAll('.win *')].filter((e) => e.getBoundingClientRect().right > 361).map((e) => e.className || e.localName));
    assert.deepEqual(wide, [], 'nothing wider than the phone');
    await a11y(p, 'open chat, phone');
    if (SHOTS) await shot(p, 'widget-phone');
    await p.keyboard.press('Escape');
    await p.locator(inW('.win')).waitFor({ state: 'hidden' });
    assert.ok(await p.locator(inW('button[data-launcher]')).evaluate((e) => e === e.getRootNode().activeElement), 'the focus goes back to the launcher');
    await phone.close();

    const ctx = await context();
    const h = await shop(ctx, org, { hostile: '', tall: '' });
    await waitState(h, 'ready');
    const pageFont = await h.locator('h1').evaluate((e) => getComputedStyle(e).fontSize);
    assert.equal(pageFont, '31px', 'the hostile stylesheet applies to the page');
    const l = h.locator(inW('button[data-launcher]'));
    const style = await l.evaluate((e) => { const s = getComputedStyle(e); return [s.display, s.backgroundColor, s.width]; });
    assert.deepEqual(style, ['grid', 'rgb(24, 96, 208)', '56px'], 'the page\'s styles do not reach in');
    await l.click();
    const box2 = h.locator(inW('.comp textarea'));
    await box2.waitFor();
    assert.equal(await box2.evaluate((e) => getComputedStyle(e).fontSize), '15px');
    // keys typed in the widget stay in the widget
    await h.evaluate(() => (window.__keys.length = 0));
    await box2.pressSequentially('Line one');
    await box2.press('Shift+Enter');
    await box2.pressSequentially('line two');
    assert.equal(await box2.inputValue(), 'Line one\nline two');
    assert.deepEqual(await h.evaluate(() => window.__keys), [], 'the page\'s key listeners hear nothing');
    await box2.press('Enter');
    await h.locator(inW('[data-author="1"]'), { hasText: 'line two' }).waitFor();
    assert.equal(await box2.inputValue(), '');
    // nothing leaks out: the page's own elements are untouched, the widget adds one element and no styles
    assert.equal(await h.evaluate(() => document.querySelectorAll('style').length), 1);
    assert.equal(await h.evaluate((w) => [...document.body.children].filter((e) => e.localName === w).length, W), 1);
    assert.equal(await h.locator('#page-button').evaluate((e) => getComputedStyle(e).fontSize), '31px');
    const shifts = await h.evaluate(() => window.__shifts);
    assert.equal(shifts.reduce((a, b) => a + b, 0), 0, 'no layout shift on the host page');
    await h.keyboard.press('Escape');
    await h.locator(inW('.win')).waitFor({ state: 'hidden' });
    await ctx.close();
    op.hub.close();
  });
});
