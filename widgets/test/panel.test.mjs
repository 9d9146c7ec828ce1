// The operator chat panel in Chromium (playwright-core, Debian's /usr/bin/chromium), against a ChatHub in
// development mode with the demo company. Run by OperatorPanelBrowserTest (the Java suite), which passes:
//   CHATHUB_URL       the server (dev mode, demo data)
//   CHATHUB_CONTROL   POST /stop and /start restart that server on the same port and database
//   CHATHUB_CHROMIUM  the browser; CHATHUB_SCREENSHOTS where to write the screenshots
// Pages are served by test/integrator.mjs from http://crm.chathub.test:<port> (an origin that the test puts in the
// organizations' allowed origins) and http://evil.chathub.test:<port> (one it does not).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startIntegrator } from './integrator.mjs';
import {
  api, assertAccessible, CH, CHROMIUM, CHROMIUM_ARGS, companyToken, CONTROL, cuttableProxy, hubClient, pageHooks, png, servedEntry,
  servedFile, sleep, uid,
} from './helpers.mjs';

const PANEL = 'chathub-operator-panel';
const SHOTS = process.env.CHATHUB_SCREENSHOTS;
let browser;
let site;
let company;
const orgs = {};
let nextTtl = 0;
let anna; // the first Sales operator (also the development token's operator)
let bram;

async function issue(org, ttlSeconds = 3600) {
  const ttl = nextTtl || ttlSeconds;
  nextTtl = 0;
  const o = orgs[org] || orgs.sales;
  const expiresAt = new Date(Date.now() + ttl * 1000).toISOString();
  const token = await api('POST', '/api/operator/get-token', { id: o.operators[0].id, expiresAt }, company);
  return { token, expiresAt };
}

const origin = (host = 'crm') => `http://${host}.chathub.test:${site.port}`;

async function open(path, { host = 'crm', viewport = { width: 1280, height: 800 }, colorScheme = 'light', locale = 'en-US', before } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, locale });
  const page = await context.newPage();
  page.errors = [];
  page.consoleErrors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.consoleErrors.push(m.text()));
  await page.addInitScript(pageHooks);
  if (before) await before(page);
  await page.goto((host === 'localhost' ? `http://localhost:${site.port}` : origin(host)) + path);
  return { page, context };
}

const state = (page, i = 0) => page.evaluate(([sel, i]) => document.querySelectorAll(sel)[i]?.getAttribute('state') ?? null, [PANEL, i]);

async function waitState(page, want, { i = 0, timeout = 20000 } = {}) {
  await page.waitForFunction(([sel, i, want]) => document.querySelectorAll(sel)[i]?.getAttribute('state') === want, [PANEL, i, want], { timeout })
    .catch(async (e) => { throw new Error(`panel ${i} never became ${want} (is ${await state(page, i)}): ${e.message}`); });
}

/** A customer's message through the inbound API (opens or continues the client's chat). */
async function incoming(org, client, textMessage, media) {
  return api('POST', '/api/chat/incoming', { organizationId: orgs[org].id, source: 2, client, textMessage, media }, company);
}

async function newChat(org, name, text = 'Hello', phone = '+380501234567') {
  const m = await incoming(org, { externalId: uid('c'), name, phone }, text);
  return m.chatId;
}

const messages = (chatId) => api('GET', `/api/chat/${chatId}/messages?after=0&limit=1000`, undefined, company);
const chat = (chatId) => api('GET', '/api/chat/chats/' + chatId, undefined, company);

async function openPanel(page) {
  const launcher = page.locator(`${PANEL} .launcher`);
  if (await launcher.count() && (await launcher.getAttribute('aria-expanded')) === 'false') await launcher.click();
}

/** axe-core on every panel of the page (inside their shadow roots): no violation in this UI state. */
const a11y = (page, label) => assertAccessible(page, { include: PANEL, label });

const shownIds = (page) => page.$$eval(`${PANEL} [data-message-id]`, (els) => els.map((e) => +e.getAttribute('data-message-id')));

before(async () => {
  company = await companyToken();
  for (const o of await api('GET', '/api/company/organization', undefined, company)) {
    const operators = await api('GET', '/api/operator?organizationId=' + o.id, undefined, company);
    orgs[o.name.toLowerCase()] = { ...o, operators };
  }
  anna = orgs.sales.operators[0];
  bram = orgs.sales.operators[1];
  site = await startIntegrator({ chathub: CH, issue });
  for (const o of Object.values(orgs)) {
    await api('PUT', '/api/company/organization/' + o.id, { allowedOrigins: [origin('crm')] }, company);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

describe('look: themes, phone width, screenshots', () => {
  test('light and dark themes, 360 px wide phones; screenshots', async () => {
    // realistic data in Support (the other tests fill Sales with their own chats)
    const chris = orgs.support.operators[0];
    const mehmet = await incoming('support', { externalId: uid('shot'), name: 'Mehmet Kaya', phone: '+905321234567' }, 'Merhaba, iade süreci ne kadar sürüyor?');
    await api('POST', `/api/chat/${mehmet.chatId}/message`, { textMessage: 'Usually 3–5 working days after we receive the parcel.', author: 0 }, company);
    const emma = await incoming('support', { externalId: uid('shot'), name: 'Emma de Jong', phone: '+31612345678' }, 'Kunt u mij terugbellen?');
    await api('PUT', '/api/chat/status', { id: emma.chatId, status: 2 }, company);
    await incoming('support', { externalId: uid('shot'), name: 'Taras Bondar', phone: '+380671234567' }, 'Where is my order #1042?');
    const first = await incoming('support', { externalId: uid('shot'), name: 'Olena Petrenko', phone: '+380501112233' }, 'Hello! Is the blue jacket still available in size M?');
    const chatId = first.chatId;
    await api('POST', `/api/chat/${chatId}/assign`, { operatorId: chris.id }, company);
    await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'Hi Olena! Yes, we have two left in M. Shall I reserve one for you?', author: 0 }, company);
    await api('POST', `/api/chat/${chatId}/message`, { author: 1, media: { name: 'jacket.png', format: 'image/png', dataBase64: png(240, 150, [31, 111, 235]).toString('base64'), type: 1 } }, company);
    await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'This one, please. Can you send it to Kyiv?', author: 1 }, company);

    const shots = [
      ['panel-light.png', { colorScheme: 'light', viewport: { width: 1100, height: 760 } }],
      ['panel-dark.png', { colorScheme: 'dark', viewport: { width: 1100, height: 760 } }],
      ['panel-phone.png', { colorScheme: 'light', viewport: { width: 360, height: 740 } }],
    ];
    for (const [file, opts] of shots) {
      const { page, context } = await open('/static.html?org=support', opts);
      await waitState(page, 'ready');
      await openPanel(page);
      await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).waitFor();
      await a11y(page, `chat list, ${file}`);
      await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
      await page.waitForFunction((sel) => {
        const imgs = [...document.querySelector(sel).shadowRoot.querySelectorAll('.log img')];
        return imgs.length === 1 && imgs.every((i) => i.complete && i.naturalWidth > 0);
      }, PANEL);
      await a11y(page, `chat open, ${file}`);
      const win = await page.locator(`${PANEL} .win`).boundingBox();
      const bg = await page.locator(PANEL).evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('.win')).backgroundColor);
      if (opts.viewport.width === 360) {
        assert.equal(Math.round(win.width), 360, 'full width on a phone');
        const overflow = await page.locator(PANEL).evaluate((el) => [...el.shadowRoot.querySelectorAll('.win *')].filter((e) => e.getBoundingClientRect().right > 361).map((e) => e.className || e.localName));
        assert.deepEqual(overflow, [], 'nothing wider than the phone');
      }
      if (opts.colorScheme === 'dark') assert.equal(bg, 'rgb(22, 25, 29)');
      else assert.equal(bg, 'rgb(255, 255, 255)');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${file}` });
      await context.close();
    }
    const { page, context } = await open('/inline.html?org=support', { viewport: { width: 1100, height: 700 } });
    await waitState(page, 'ready');
    await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
    await page.waitForFunction((sel) => {
      const imgs = [...document.querySelector(sel).shadowRoot.querySelectorAll('.log img')];
      return imgs.length === 1 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    }, PANEL);
    assert.ok(await page.locator(`${PANEL} .list`).isVisible(), 'two panes side by side when inline and wide');
    await a11y(page, 'inline, two panes');
    if (SHOTS) await page.locator(PANEL).screenshot({ path: `${SHOTS}/panel-inline.png` });
    await context.close();
  });
});

describe('loading (seed: Widget insluiten)', () => {
  test('the script is an ES module with an ETag, a no-cache entry, an immutable versioned bundle, and compression', async () => {
    const { body, files } = await servedEntry('operator-chat-panel');
    const version = body.match(/import "\.\/([0-9a-f]{16})\/panel\.js"/)?.[1];
    assert.ok(version, body);
    assert.deepEqual(files, [[version, 'panel.js']]);
    const js = await servedFile(`${CH}/operator-chat-panel/${version}/panel.js`);
    const gz = gzipSync(js, { level: 9 }).length;
    assert.ok(gz <= 20 * 1024, `bundle is ${gz} bytes gzipped, over the 20 KB budget`);
    console.log(`# bundle: ${js.length} bytes minified, ${gz} bytes gzipped`);
    assert.equal((await fetch(`${CH}/operator-chat-panel/0000000000000000/panel.js`)).status, 404);
  });

  test('static HTML snippet: loading state, then ready with the operator\'s chats; the script\'s load event fires', async () => {
    const name = uid('Static');
    const chatId = await newChat('sales', name, 'Hi from the static page');
    const { page, context } = await open('/static.html');
    await waitState(page, 'ready');
    const s = await page.evaluate(() => ({ states: window.__states, events: window.__events, loads: window.__loads }));
    assert.equal(s.states[0], 'loading');
    assert.deepEqual(s.events.filter((e) => e[0] === 'ready'), [['ready', 'operator-chat-panel-script']]);
    assert.ok(s.loads.includes('operator-chat-panel-script'), 'script load event: ' + JSON.stringify(s.loads));
    await openPanel(page);
    const item = page.locator(`${PANEL} [data-chat-id="${chatId}"]`);
    await item.waitFor();
    const text = await item.innerText();
    for (const part of [name, '+380501234567', 'Telegram', 'New', 'Hi from the static page']) assert.ok(text.includes(part), `${part} in ${text}`);
    assert.equal(await item.locator('.n').innerText(), '1');
    // the header's button closes the panel (not chats: Closed is a chat status)
    assert.equal(await page.locator(`${PANEL} .win > .hd button:last-child`).getAttribute('aria-label'), 'Close panel');
    await a11y(page, 'chat list, floating');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a tag without a token attribute: one console error and chathub:error "missing token attribute"; a token added later mounts the panel', async () => {
    const { page, context } = await open('/orgs.html');
    const detail = await page.evaluate((src) => new Promise((resolve) => {
      setTimeout(() => resolve(null), 5000);
      addEventListener('chathub:error', (e) => resolve({ message: e.detail.message, script: e.detail.script?.id, element: e.detail.element }), { once: true });
      const s = document.createElement('script');
      s.type = 'module';
      s.id = 'operator-chat-panel-script';
      s.src = src;
      document.body.appendChild(s);
    }), CH + '/operator-chat-panel/widget-script.js');
    assert.ok(detail, 'no chathub:error event');
    assert.match(detail.message, /missing token attribute/);
    assert.deepEqual(detail, { message: detail.message, script: 'operator-chat-panel-script', element: null });
    // later changes of the document do not repeat it
    await page.evaluate(() => document.body.append(document.createElement('div')));
    await sleep(300);
    assert.equal(page.consoleErrors.filter((t) => t.includes('missing token attribute')).length, 1, JSON.stringify(page.consoleErrors));
    assert.equal(await page.locator(PANEL).count(), 0);
    await page.evaluate((t) => document.getElementById('operator-chat-panel-script').setAttribute('token', t), (await issue('sales')).token);
    await waitState(page, 'ready');
    assert.equal((await page.evaluate(() => window.__events)).filter((e) => e[0] === 'error').length, 1);
    await context.close();
  });

  test('development token on a localhost page (seed: Lokale ontwikkeling)', async () => {
    const { page, context } = await open('/dev.html', { host: 'localhost' });
    await waitState(page, 'ready');
    await openPanel(page);
    assert.match(await page.locator(`${PANEL} h2 small`).first().innerText(), /Sales · /);
    await a11y(page, 'chat list, development token');
    await context.close();
  });

  test('a script that cannot load fires its error event', async () => {
    const { page, context } = await open('/orgs.html');
    const result = await page.evaluate(() => new Promise((resolve) => {
      const s = document.createElement('script');
      s.type = 'module';
      s.id = 'operator-chat-panel-script-broken';
      s.src = location.origin.replace(/:\/\/[^:]+/, '://127.0.0.1') + '/missing/widget-script.js';
      s.setAttribute('token', 'x');
      s.onload = () => resolve('load');
      s.onerror = () => resolve('error');
      document.body.appendChild(s);
    }));
    assert.equal(result, 'error');
    await context.close();
  });
});

describe('integration methods (seed: Integratiemethoden)', () => {
  test('dynamic injection: a second call replaces the tag and keeps one panel; removing the tag removes the panel and closes its connection', async () => {
    const { page, context } = await open('/dynamic.html');
    await waitState(page, 'ready');
    const first = await page.evaluateHandle((sel) => document.querySelector(sel), PANEL);
    const token = (await issue('sales')).token;
    await page.evaluate((t) => loadChatHubWidget(t), token);
    await page.waitForFunction((t) => window.__sockets.some((s) => s.url.includes(encodeURIComponent(t)) && s.readyState === 1), token);
    await waitState(page, 'ready');
    assert.equal(await page.locator(PANEL).count(), 1);
    assert.ok(await page.evaluate(([a, sel]) => a === document.querySelector(sel), [first, PANEL]), 'the same panel element');
    await page.evaluate(() => document.getElementById('operator-chat-panel-script').remove());
    await page.waitForFunction((sel) => !document.querySelector(sel), PANEL);
    await page.waitForFunction(() => window.__sockets.every((s) => s.readyState === 3));
    await context.close();
  });

  test('React: the seed\'s ChatHubWidget mounts, follows a token change, and unmounts', async () => {
    const { page, context } = await open('/react.html');
    await waitState(page, 'ready');
    const token = (await issue('sales')).token;
    await page.evaluate((t) => window.__setToken(t), token);
    await page.waitForFunction((t) => window.__sockets.some((s) => s.url.includes(encodeURIComponent(t)) && s.readyState === 1), token);
    await waitState(page, 'ready');
    assert.equal(await page.locator(PANEL).count(), 1);
    assert.equal(await page.evaluate(() => window.__sockets.filter((s) => s.readyState !== 3).length), 1);
    await page.evaluate(() => window.__unmount());
    await page.waitForFunction((sel) => !document.querySelector(sel) && window.__sockets.every((s) => s.readyState === 3), PANEL);
    assert.equal(await page.locator('#operator-chat-panel-script').count(), 0);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('Vue: mounted() loads the panel (token read with .text()), beforeUnmount removes it', async () => {
    const { page, context } = await open('/vue.html');
    await waitState(page, 'ready');
    await page.evaluate(() => window.__app.unmount());
    await page.waitForFunction((sel) => !document.querySelector(sel) && window.__sockets.every((s) => s.readyState === 3), PANEL);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('Angular: ngOnInit loads the panel, ngOnDestroy removes it', async () => {
    const { page, context } = await open('/angular.html');
    await waitState(page, 'ready');
    await page.evaluate(() => window.__cmp.ngOnDestroy());
    await page.waitForFunction((sel) => !document.querySelector(sel) && window.__sockets.every((s) => s.readyState === 3), PANEL);
    await context.close();
  });

  test('two organizations (loadWidgetForOrganization), then loadWidgetOnce leaves one panel', async () => {
    const salesChat = await newChat('sales', uid('SalesClient'));
    const supportChat = await newChat('support', uid('SupportClient'));
    const { page, context } = await open('/orgs.html');
    await page.evaluate(async () => {
      await loadWidgetForOrganization('sales');
      await loadWidgetForOrganization('support');
    });
    await waitState(page, 'ready', { i: 0 });
    await waitState(page, 'ready', { i: 1 });
    const panels = page.locator(PANEL);
    assert.equal(await panels.count(), 2);
    await panels.nth(0).locator('.launcher').click();
    await panels.nth(1).locator('.launcher').click();
    await panels.nth(0).locator(`[data-chat-id="${salesChat}"]`).waitFor();
    await panels.nth(1).locator(`[data-chat-id="${supportChat}"]`).waitFor();
    assert.equal(await panels.nth(0).locator(`[data-chat-id="${supportChat}"]`).count(), 0);
    assert.equal(await panels.nth(1).locator(`[data-chat-id="${salesChat}"]`).count(), 0);
    const boxes = [await panels.nth(0).locator('.launcher').boundingBox(), await panels.nth(1).locator('.launcher').boundingBox()];
    assert.ok(Math.abs(boxes[0].x - boxes[1].x) >= 56, 'the two launchers do not overlap');
    await a11y(page, 'two panels open');

    const token = (await issue('support')).token;
    await page.evaluate((t) => loadWidgetOnce(t), token);
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 1, PANEL);
    await waitState(page, 'ready');
    await page.waitForFunction(() => window.__sockets.filter((s) => s.readyState !== 3).length === 1);
    await context.close();
  });
});

describe('token management and errors (seed: Tokenbeheer, Foutafhandeling)', () => {
  test('WidgetTokenManager.reloadWidget(): the panel reconnects with the fresh token without losing its state', async () => {
    const chatId = await newChat('sales', uid('Refresh'), 'before refresh');
    const { page, context } = await open('/refresh.html');
    await waitState(page, 'ready');
    await openPanel(page);
    await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
    await page.locator(`${PANEL} [data-message-id]`).first().waitFor();
    await page.locator(`${PANEL} textarea`).fill('a draft that must survive');
    const oldToken = await page.evaluate(() => window.widgetManager.token);
    const panel = await page.evaluateHandle((sel) => document.querySelector(sel), PANEL);

    await page.evaluate(() => window.widgetManager.refreshToken());
    const newToken = await page.evaluate(() => window.widgetManager.token);
    assert.notEqual(newToken, oldToken);
    await page.waitForFunction((t) => window.__sockets.some((s) => s.url.includes(encodeURIComponent(t)) && s.readyState === 1), newToken);
    await waitState(page, 'ready');
    assert.ok(await page.evaluate(([p, sel]) => p === document.querySelector(sel), [panel, PANEL]), 'same panel element');
    assert.equal(await page.locator(`${PANEL} textarea`).inputValue(), 'a draft that must survive');
    assert.equal(await page.locator(`${PANEL} .chat h2`).innerText().then((t) => t.includes('Refresh')), true);

    // the old token is revoked: the panel no longer uses it, so nothing happens to it
    await api('POST', '/api/operator/revoke-token', { token: oldToken }, company);
    await incoming('sales', { externalId: 'x' + chatId }, 'ignored'); // another client: just traffic
    const m = await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'after refresh', author: 1 }, company);
    await page.locator(`${PANEL} [data-message-id="${m.id}"]`).waitFor();
    assert.equal(await state(page), 'ready');
    assert.deepEqual(await page.evaluate(() => window.__errors), []);
    await context.close();
  });

  test('invalid token: error state with a readable message, window error "Invalid token"; loadWidgetSafely falls back', async () => {
    const { page, context } = await open('/safely.html');
    await page.evaluate(() => loadWidgetSafely('invalid-token'));
    await page.locator('.chat-fallback').waitFor();
    assert.equal(await page.locator(PANEL).count(), 0, 'loadWidgetSafely validated first and loaded nothing');

    // the seed's integration test: loading with an invalid token fails with "Invalid token"
    const message = await page.evaluate(() => loadWidget('invalid-token').then(() => 'loaded', (e) => e.message));
    assert.match(message, /Invalid token/);
    await waitState(page, 'error');
    await openPanel(page);
    assert.match(await page.locator(`${PANEL} [role=alert]`).innerText(), /Invalid token/);
    const errors = await page.evaluate(() => window.__errors);
    assert.ok(errors.some((e) => e.includes('Invalid token')), JSON.stringify(errors));
    await a11y(page, 'error: invalid token');
    await context.close();
  });

  test('a company token: refused, and the panel says it needs an operator token made with POST /api/operator/get-token; window error "Invalid token"', async () => {
    const { page, context } = await open('/static.html?token=' + encodeURIComponent(company));
    await waitState(page, 'error');
    await openPanel(page);
    const alert = await page.locator(`${PANEL} [role=alert]`).innerText();
    assert.match(alert, /operator token/);
    assert.match(alert, /POST \/api\/operator\/get-token/);
    const s = await page.evaluate(() => ({ errors: window.__errors, events: window.__events, sockets: window.__sockets.length }));
    assert.ok(s.errors.some((e) => e.includes('Invalid token')), JSON.stringify(s.errors));
    assert.ok(s.events.some((e) => e[0] === 'error' && /Invalid token.*operator token/.test(e[1])), JSON.stringify(s.events));
    assert.equal(s.sockets, 0, 'the panel never opens the hub with a company token (the hub would accept it)');
    assert.equal(await page.locator(`${PANEL} [data-chat-id]`).count(), 0);
    await a11y(page, 'error: company token');
    await context.close();
  });

  test('token expired with no listener to renew it: the chat stays on screen under a "token expired" banner (dark theme)', async () => {
    const chatId = await newChat('sales', uid('Lapsed'), 'still shown after expiry');
    nextTtl = 3;
    const { page, context } = await open('/static.html', { colorScheme: 'dark' });
    await waitState(page, 'ready');
    await openPanel(page);
    await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
    await page.locator(`${PANEL} [data-message-id]`).first().waitFor();
    await waitState(page, 'error', { timeout: 30000 });
    assert.match(await page.locator(`${PANEL} .banner[role=alert]`).innerText(), /token expired/);
    assert.ok(await page.locator(`${PANEL} [data-message-id]`).count() >= 1);
    await a11y(page, 'error banner over a chat, dark');
    await context.close();
  });

  test('token expired while open: window error "token expired", the panel keeps its state, the seed\'s listener brings a new token', async () => {
    const chatId = await newChat('sales', uid('Expiring'), 'about to expire');
    nextTtl = 6;
    const { page, context } = await open('/refresh.html');
    await waitState(page, 'ready');
    await openPanel(page);
    await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
    await page.locator(`${PANEL} [data-message-id]`).first().waitFor();
    await page.waitForFunction(() => window.__errors.some((e) => e.includes('token expired')), null, { timeout: 40000 });
    await page.waitForFunction(() => window.__refreshes >= 1);
    await waitState(page, 'ready');
    assert.ok(await page.locator(`${PANEL} [data-message-id]`).count() >= 1, 'the open chat is still shown');
    assert.ok((await page.evaluate(() => window.__states)).includes('error'));
    await context.close();
  });

  test('token expired at load: window error "token expired", then the seed\'s listener refreshes it', async () => {
    nextTtl = 2;
    const { page, context } = await open('/refresh.html');
    // the first token is short-lived; reload the page's widget with it only after it expired
    await page.waitForFunction(() => window.widgetManager && window.widgetManager.token);
    await page.evaluate(() => document.getElementById('operator-chat-panel-script').remove());
    await sleep(3500);
    await page.evaluate(() => window.widgetManager.reloadWidget());
    await page.waitForFunction(() => window.__errors.some((e) => e.includes('token expired')), null, { timeout: 20000 });
    await waitState(page, 'ready');
    await context.close();
  });
});

describe('network and server', () => {
  test('network loss: reconnecting, automatic reconnect, missed messages fetched with after= once each, unsent message delivered once', async () => {
    const proxy = await cuttableProxy(new URL(CH).port);
    const chatId = await newChat('sales', uid('Flaky'), 'first');
    const { page, context } = await open('/static.html?chathub=' + encodeURIComponent(proxy.url));
    try {
      await waitState(page, 'ready');
      await openPanel(page);
      await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
      await page.locator(`${PANEL} [data-message-id]`).first().waitFor();

      proxy.cut();
      await waitState(page, 'reconnecting');
      await page.locator(`${PANEL} .banner`).getByText(/Reconnecting/).waitFor();
      const missed = [];
      for (const text of ['missed 1', 'missed 2', 'missed 3']) missed.push(await api('POST', `/api/chat/${chatId}/message`, { textMessage: text, author: 1 }, company));
      await page.locator(`${PANEL} textarea`).fill('sent while offline');
      await page.locator(`${PANEL} button[type=submit]`).click();
      await page.locator(`${PANEL} .msg.fail`).waitFor();
      await a11y(page, 'reconnecting, a message not sent');
      await sleep(1500);
      proxy.restore();

      await waitState(page, 'ready', { timeout: 40000 });
      for (const m of missed) await page.locator(`${PANEL} [data-message-id="${m.id}"]`).waitFor();
      await page.waitForFunction((sel) => !document.querySelector(sel).shadowRoot.querySelector('.pending'), PANEL);
      const server = await messages(chatId);
      assert.equal(server.filter((m) => m.message === 'sent while offline').length, 1);
      const shown = await shownIds(page);
      assert.deepEqual(shown, server.map((m) => m.id), 'every message once, in seq order');
      await a11y(page, 'chat open after a reconnect');
    } finally {
      await context.close();
      await proxy.close();
    }
  });

  test('loading, then a server that cannot be reached at start: "Cannot reach ChatHub", chathub:error, retries until it can', async () => {
    let release;
    const held = new Promise((r) => (release = r));
    let reachable = false;
    const { page, context } = await open('/static.html', {
      before: (page) => page.route('**/api/operator/validate-token', async (route) => {
        await held;
        return reachable ? route.continue() : route.abort('connectionrefused');
      }),
    });
    await waitState(page, 'loading');
    await openPanel(page);
    await page.locator(`${PANEL} [role=status]`).getByText('Loading…').waitFor();
    await a11y(page, 'loading');
    release();
    await waitState(page, 'error');
    assert.match(await page.locator(`${PANEL} [role=alert]`).innerText(), /Cannot reach ChatHub/);
    assert.deepEqual((await page.evaluate(() => window.__events)).filter((e) => e[0] === 'error'), [['error', 'ChatHub operator panel: cannot reach the server']]);
    await a11y(page, 'error: cannot reach the server');
    reachable = true;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitState(page, 'ready', { timeout: 40000 });
    await context.close();
  });

  test('server restart mid-chat: reconnects, nothing lost, nothing duplicated', async (t) => {
    if (!CONTROL) return t.skip('no CHATHUB_CONTROL');
    const chatId = await newChat('sales', uid('Restart'), 'before restart');
    const { page, context } = await open('/static.html');
    await waitState(page, 'ready');
    await openPanel(page);
    await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
    await page.locator(`${PANEL} [data-message-id]`).first().waitFor();

    assert.equal((await fetch(CONTROL + '/stop', { method: 'POST' })).status, 200);
    await waitState(page, 'reconnecting');
    await page.locator(`${PANEL} textarea`).fill('typed while the server was down');
    await page.keyboard.press('Enter');
    assert.equal((await fetch(CONTROL + '/start', { method: 'POST' })).status, 200);
    await waitState(page, 'ready', { timeout: 40000 });
    const after = await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'after restart', author: 1 }, company);
    await page.locator(`${PANEL} [data-message-id="${after.id}"]`).waitFor();
    await page.waitForFunction((sel) => !document.querySelector(sel).shadowRoot.querySelector('.pending'), PANEL, { timeout: 20000 });
    const server = await messages(chatId);
    assert.equal(server.filter((m) => m.message === 'typed while the server was down').length, 1);
    assert.deepEqual(await shownIds(page), server.map((m) => m.id));
    await context.close();
  });
});

describe('security', () => {
  test('XSS payloads in client names, messages, themes and file names stay inert text', async () => {
    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const name = `${uid('X')}<b onmouseover="window.__xss=3">"'&amp;`;
    const first = await api('POST', '/api/chat/incoming', {
      organizationId: orgs.sales.id, source: 0, theme: payload,
      client: { externalId: uid('xss'), name, phone: '<svg onload="window.__xss=4">', email: 'a@b.c' }, textMessage: payload,
    }, company);
    await api('POST', `/api/chat/${first.chatId}/message`, {
      author: 1, media: { name: '<img src=x onerror="window.__xss=5">.txt', format: 'text/plain', dataBase64: Buffer.from('plain text file').toString('base64'), type: 0 },
    }, company);
    const { page, context } = await open('/static.html');
    await waitState(page, 'ready');
    await openPanel(page);
    const item = page.locator(`${PANEL} [data-chat-id="${first.chatId}"]`);
    await item.waitFor();
    assert.ok((await item.innerText()).includes(name));
    await item.click();
    await page.locator(`${PANEL} [data-message-id="${first.id}"]`).waitFor();
    await page.locator(`${PANEL} .msg a[download]`).waitFor();
    assert.ok((await page.locator(`${PANEL} [data-message-id="${first.id}"]`).innerText()).includes(payload));
    await sleep(500);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    const injected = await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.log img, .log script, .items img, .items b[onmouseover], svg[onload]').length, PANEL);
    assert.equal(injected, 0);
    await a11y(page, 'chat open, hostile texts');
    await context.close();
  });

  test('allowed origins: a page outside them gets a readable refusal and neither data nor the hub; the panel says which site; adding the origin lets it in', async () => {
    const { page, context } = await open('/static.html', { host: 'evil' });
    await waitState(page, 'error');
    await openPanel(page);
    assert.equal(await page.locator(`${PANEL} [role=alert]`).innerText(), `This site (${origin('evil')}) is not in the organization's allowed origins.`);
    const events = (await page.evaluate(() => window.__events)).filter((e) => e[0] === 'error');
    assert.ok(events.some((e) => e[1].includes(`Origin not allowed: ${origin('evil')}`)), JSON.stringify(events));
    await a11y(page, 'error: origin not allowed');
    const token = await page.evaluate(() => document.getElementById('operator-chat-panel-script').getAttribute('token'));
    const probe = await page.evaluate(async ([base, token]) => {
      const http = await fetch(base + '/api/chat/chats', { headers: { Authorization: 'Bearer ' + token } })
        .then(async (r) => `status ${r.status}: ${Object.keys(await r.json())}`, () => 'blocked');
      const ws = await new Promise((resolve) => {
        const s = new WebSocket(base.replace('http', 'ws') + '/chathub?access_token=' + encodeURIComponent(token));
        s.onopen = () => resolve('open');
        s.onclose = () => resolve('refused');
      });
      return { http, ws };
    }, [CH, token]);
    // the page can read the refusal, which is a problem document and no chats
    assert.deepEqual(probe, { http: 'status 403: type,title,status,detail,instance', ws: 'refused' });
    const r = await fetch(CH + '/api/chat/chats', { headers: { Authorization: 'Bearer ' + token, Origin: origin('evil') } });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('access-control-allow-origin'), origin('evil'));

    await api('PUT', '/api/company/organization/' + orgs.sales.id, { allowedOrigins: [origin('crm'), origin('evil')] }, company);
    try {
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitState(page, 'ready', { timeout: 40000 });
    } finally {
      await api('PUT', '/api/company/organization/' + orgs.sales.id, { allowedOrigins: [origin('crm')] }, company);
    }
    await context.close();
  });

  test('the token stays in memory: not in storage, cookies, or the panel element', async () => {
    const { page, context } = await open('/static.html');
    await waitState(page, 'ready');
    const token = await page.evaluate(() => document.getElementById('operator-chat-panel-script').getAttribute('token'));
    const found = await page.evaluate(([sel, token]) => {
      const host = document.querySelector(sel);
      const inStorage = [localStorage, sessionStorage].some((s) => Object.keys(s).some((k) => (s.getItem(k) || '').includes(token)));
      const inShadow = host.shadowRoot.innerHTML.includes(token) || [...host.attributes].some((a) => a.value.includes(token));
      return { inStorage, inCookie: document.cookie.includes(token), inShadow };
    }, [PANEL, token]);
    assert.deepEqual(found, { inStorage: false, inCookie: false, inShadow: false });
    await context.close();
  });
});

describe('the panel', () => {
  test('chat features: list, filter, search, history scroll-back, composer, attachments, media, typing, read state, status, take and transfer, real-time updates', async () => {
    const name = uid('Olena');
    const chatId = await newChat('sales', name, 'message 1');
    for (let i = 2; i <= 120; i++) await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'message ' + i, author: 1 }, company);
    const waiting = await newChat('sales', uid('Waiting'));
    await api('PUT', '/api/chat/status', { id: waiting, status: 2 }, company);
    const hub = await hubClient(company);
    const { page, context } = await open('/static.html');
    try {
      await waitState(page, 'ready');
      const p = (sel) => page.locator(`${PANEL} ${sel}`);

      // real time with the panel closed: new chat, unread badge, tab title
      const rtName = uid('Realtime');
      const rt = await newChat('sales', rtName, 'new chat while closed');
      await page.waitForFunction(() => /^\(\d+\) /.test(document.title));
      assert.ok(parseInt(await p('.launcher .badge').innerText(), 10) >= 1);
      await openPanel(page);
      await p(`[data-chat-id="${rt}"]`).waitFor();

      // filter by status, then search
      await p('select[aria-label="Filter by status"]').selectOption('2');
      await p(`[data-chat-id="${waiting}"]`).waitFor();
      await page.waitForFunction((sel) => [...document.querySelector(sel).shadowRoot.querySelectorAll('[data-chat-id]')].every((b) => b.querySelector('.chip.s2')), PANEL);
      await p('select[aria-label="Filter by status"]').selectOption('');
      await p('input[type=search]').fill(name);
      await page.waitForFunction(([sel, id]) => {
        const items = document.querySelector(sel).shadowRoot.querySelectorAll('[data-chat-id]');
        return items.length === 1 && items[0].getAttribute('data-chat-id') === String(id);
      }, [PANEL, chatId]);
      await a11y(page, 'chat list, searched');

      // history: the newest 50, then older pages on scrolling up
      await p(`[data-chat-id="${chatId}"]`).click();
      await p('[data-message-id]').first().waitFor();
      assert.equal(await p('[data-message-id]').count(), 50);
      for (const want of [100, 120]) {
        await p('.log').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
        await page.waitForFunction(([sel, n]) => document.querySelector(sel).shadowRoot.querySelectorAll('[data-message-id]').length === n, [PANEL, want]);
      }
      assert.equal(await p('[data-seq="1"]').innerText().then((t) => t.startsWith('message 1')), true);
      await a11y(page, 'chat open, long history');

      // read state: opening the chat marked the client's messages read
      for (let i = 0; i < 50 && (await chat(chatId)).countUnread; i++) await sleep(100);
      assert.equal((await chat(chatId)).countUnread, 0);
      assert.equal(await p(`[data-chat-id="${chatId}"] .n`).count(), 0);

      // composer: Shift+Enter is a new line, Enter sends; the panel reports typing to the hub
      const box = p('textarea');
      await box.click();
      await page.keyboard.type('line one');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('line two');
      await page.keyboard.press('Enter');
      let sent;
      for (let i = 0; i < 50 && !sent; i++) {
        sent = (await messages(chatId)).find((m) => m.message === 'line one\nline two');
        if (!sent) await sleep(100);
      }
      assert.ok(sent, 'the message was sent with its new line');
      await p(`[data-message-id="${sent.id}"]`).waitFor();
      assert.ok(hub.events.some((e) => e.target === 'Typing' && e.args[0] === chatId && e.args[1] === 0), 'Typing reached the hub');
      assert.equal(await p(`[data-message-id="${sent.id}"] [aria-label=Sent]`).count(), 1);

      // typing from the other side shows an indicator
      await hub.invoke('Typing', chatId);
      await p('.typing').getByText(/typing/).waitFor();
      await a11y(page, 'chat open, the client typing');

      // attachments: picker (image, shown inline), drag and drop and paste (files, shown as links)
      await p('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png(64, 48, [31, 111, 235]) });
      await p('.atts').getByText('photo.png').waitFor();
      await p('button[type=submit]').click();
      await page.waitForFunction((sel) => [...document.querySelector(sel).shadowRoot.querySelectorAll('.log img')].some((i) => i.complete && i.naturalWidth === 64), PANEL);
      await p('.chat').evaluate((chat) => {
        const dt = new DataTransfer();
        dt.items.add(new File(['dropped text file'], 'dropped.txt', { type: 'text/plain' }));
        chat.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      await p('textarea').evaluate((ta) => {
        const dt = new DataTransfer();
        dt.items.add(new File(['pasted text file'], 'pasted.txt', { type: 'text/plain' }));
        ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      });
      await p('.atts').getByText('pasted.txt').waitFor();
      await p('.atts').getByText('dropped.txt').waitFor();
      await a11y(page, 'composer with attachments');
      await p('button[type=submit]').click();
      await p('.log a[download="dropped.txt"]').waitFor();
      await p('.log a[download="pasted.txt"]').waitFor();
      const stored = await messages(chatId);
      assert.ok(stored.some((m) => m.media?.name === 'photo.png' && m.media.type === 1));
      assert.ok(stored.some((m) => m.media?.name === 'dropped.txt'));

      // a client's image arrives in real time and is shown inline; unread stays 0 while the chat is open
      const img = await api('POST', `/api/chat/${chatId}/message`, { author: 1, media: { name: 'client.png', format: 'image/png', dataBase64: png(30, 20, [200, 80, 40]).toString('base64'), type: 1 } }, company);
      await page.waitForFunction(([sel, id]) => document.querySelector(sel).shadowRoot.querySelector(`[data-message-id="${id}"] img`)?.naturalWidth === 30, [PANEL, img.id]);

      // status change, take, transfer
      await p('select[aria-label="Chat status"]').selectOption('3');
      for (let i = 0; i < 50 && (await chat(chatId)).chatStatus !== 3; i++) await sleep(100);
      assert.equal((await chat(chatId)).chatStatus, 3);
      await api('POST', `/api/chat/${chatId}/assign`, { operatorId: bram.id }, company);
      await p('.ctl button').getByText('Take chat').click();
      for (let i = 0; i < 50 && (await chat(chatId)).operator?.id !== anna.id; i++) await sleep(100);
      assert.equal((await chat(chatId)).operator.id, anna.id);
      await p('select[aria-label="Transfer to…"]').selectOption(String(bram.id));
      for (let i = 0; i < 50 && (await chat(chatId)).operator?.id !== bram.id; i++) await sleep(100);
      assert.equal((await chat(chatId)).operator.id, bram.id);
      await p('select[aria-label="Chat status"]').selectOption('4');
      await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('textarea').disabled, PANEL);
      await a11y(page, 'chat open, closed, with images and files');

      // sound toggle
      const bell = p('button[aria-label="Sound notifications"]');
      await bell.click();
      assert.equal(await bell.getAttribute('aria-pressed'), 'true');
      await a11y(page, 'sound on');
      assert.deepEqual(page.errors, []);
    } finally {
      hub.close();
      await context.close();
    }
  });

  test('images keep their aspect ratio: a tall 360×740 photo is not squashed, its box is reserved before it loads', async () => {
    const chatId = await newChat('sales', uid('Tall'), 'photos follow');
    const photo = (w, h, rgb) => api('POST', `/api/chat/${chatId}/message`, { author: 1, media: { name: `${w}x${h}.png`, format: 'image/png', dataBase64: png(w, h, rgb).toString('base64'), type: 1 } }, company);
    const tall = await photo(360, 740, [40, 160, 90]);
    const wide = await photo(900, 300, [200, 80, 40]);
    assert.deepEqual([tall.media.width, tall.media.height], [360, 740], 'the server records the size');
    let release;
    const held = new Promise((r) => (release = r));
    const { page, context } = await open('/static.html', { before: (page) => page.route('**/api/media/**', async (route) => { await held; await route.continue(); }) });
    await waitState(page, 'ready');
    await openPanel(page);
    await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
    await page.locator(`${PANEL} [data-message-id="${wide.id}"] img`).waitFor({ state: 'attached' });
    const boxes = () => page.locator(PANEL).evaluate((el, list) => list.map(([id, want]) => {
      const b = el.shadowRoot.querySelector(`[data-message-id="${id}"] img`).getBoundingClientRect(); // also before it loads
      return { w: Math.round(b.width), h: Math.round(b.height), ratio: b.width / b.height, want };
    }), [tall, wide].map((m) => [m.id, m.media.width / m.media.height]));
    const before = await boxes();
    release();
    await page.waitForFunction((sel) => [...document.querySelector(sel).shadowRoot.querySelectorAll('.log img')].every((i) => i.complete && i.naturalWidth > 0), PANEL);
    const after = await boxes();
    for (const b of after) {
      assert.ok(Math.abs(b.ratio - b.want) / b.want < 0.02, `shown ${b.w}×${b.h}, not in the ratio ${b.want.toFixed(3)}`);
      assert.ok(b.h <= 241, `at most 240 px high: ${b.w}×${b.h}`);
    }
    assert.deepEqual(after[0], { w: 117, h: 240, ratio: after[0].ratio, want: after[0].want }, 'the tall one: 240 px high');
    assert.deepEqual(before.map((b) => [b.w, b.h]), after.map((b) => [b.w, b.h]), 'the size is known before the image loads');
    await a11y(page, 'chat open, images');
    await context.close();
  });

  test('a Closed chat shows no unread count, neither in the list nor on the launcher or the title; an empty list', async () => {
    const name = uid('Closed');
    const chatId = await newChat('sales', name, 'written, then the chat was closed');
    await api('PUT', '/api/chat/status', { id: chatId, status: 4 }, company);
    assert.equal((await chat(chatId)).countUnread, 1, 'the server still counts the message unread');
    const { page, context } = await open('/static.html');
    await waitState(page, 'ready');
    await openPanel(page);
    const item = page.locator(`${PANEL} [data-chat-id="${chatId}"]`);
    await item.waitFor();
    assert.equal(await item.locator('.n').count(), 0);
    assert.doesNotMatch(await item.innerText(), /unread/);
    await page.locator(`${PANEL} select[aria-label="Filter by status"]`).selectOption('4');
    await page.waitForFunction(([sel, id]) => {
      const items = [...document.querySelector(sel).shadowRoot.querySelectorAll('[data-chat-id]')];
      return items.some((b) => b.dataset.chatId === String(id)) && items.every((b) => b.querySelector('.chip.s4'));
    }, [PANEL, chatId]);
    assert.equal(await page.locator(`${PANEL} .launcher .badge`).isHidden(), true, 'no unread badge for closed chats');
    assert.doesNotMatch(await page.locator(`${PANEL} .launcher`).getAttribute('aria-label'), /unread/);
    assert.doesNotMatch(await page.title(), /^\(\d+\) /);
    await a11y(page, 'chat list, closed chats');
    await page.locator(`${PANEL} input[type=search]`).fill(uid('nobody'));
    await page.locator(`${PANEL} .items .empty`).getByText('No chats yet').waitFor();
    await a11y(page, 'empty chat list');
    await context.close();
  });

  test('more chats load on scrolling the list; a forced dark theme', async () => {
    const prefix = uid('Many');
    for (let i = 0; i < 35; i++) await newChat('sales', `${prefix} ${String(i).padStart(2, '0')}`);
    const { page, context } = await open('/orgs.html');
    await page.evaluate(([token, src]) => {
      const s = document.createElement('script');
      s.type = 'module';
      s.id = 'operator-chat-panel-script';
      s.src = src;
      s.setAttribute('token', token);
      s.setAttribute('theme', 'dark');
      s.setAttribute('open', '');
      document.body.appendChild(s);
    }, [(await issue('sales')).token, CH + '/operator-chat-panel/widget-script.js']);
    await waitState(page, 'ready');
    assert.equal(await page.locator(PANEL).evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('.win')).backgroundColor), 'rgb(22, 25, 29)');
    await page.locator(`${PANEL} .items .n`).first().waitFor();
    await a11y(page, 'chat list with unread counts, dark');
    const searched = page.waitForResponse((r) => r.url().includes('/api/chat/chats?') && r.url().includes('search=' + encodeURIComponent(prefix)));
    await page.locator(`${PANEL} input[type=search]`).fill(prefix);
    await searched;
    const count = () => page.locator(PANEL).evaluate((el) => el.shadowRoot.querySelectorAll('[data-chat-id]').length);
    await page.waitForFunction(([sel, prefix]) => {
      const items = [...document.querySelector(sel).shadowRoot.querySelectorAll('[data-chat-id]')];
      return items.length === 30 && items.every((b) => b.textContent.includes(prefix));
    }, [PANEL, prefix]);
    await page.locator(`${PANEL} .items`).evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
    await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('[data-chat-id]').length === 35, PANEL);
    assert.equal(await count(), 35);
    await page.locator(`${PANEL} .item`).first().click();
    await page.locator(`${PANEL} [data-message-id]`).first().waitFor();
    await page.locator(`${PANEL} textarea`).fill('a draft');
    await page.locator(`${PANEL} button[type=submit]`).click();
    await page.locator(`${PANEL} .msg.me [aria-label=Sent]`).waitFor();
    await a11y(page, 'chat open, dark');
    await context.close();
  });

  test('canned responses: "/" in the composer offers the organization\'s, filtered as typed; arrow keys and Enter insert the text; Escape closes them, not the panel', async () => {
    const p = 'k' + Math.random().toString(36).slice(2, 8);
    const base = `/api/company/organization/${orgs.sales.id}/canned-responses`;
    await api('POST', base, { shortcut: p + 'hello', text: 'Hello! How can I help you today?' }, company);
    await api('POST', base, { shortcut: p + 'help', text: 'Here is our help centre: https://help.example.com' }, company);
    await api('POST', base, { shortcut: p + 'bye', text: 'Thank you, have a nice day!' }, company);
    const chatId = await newChat('sales', uid('Canned'), 'I need help');
    const { page, context } = await open('/static.html');
    await waitState(page, 'ready');
    await openPanel(page);
    await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
    await page.locator(`${PANEL} [data-message-id]`).first().waitFor();
    const text = page.locator(`${PANEL} textarea`);
    const pick = page.locator(`${PANEL} .pick`);
    const options = pick.locator('[role=option]');
    await text.pressSequentially('/' + p);
    await pick.waitFor();
    assert.deepEqual(await options.evaluateAll((els) => els.map((e) => e.dataset.shortcut)), [p + 'bye', p + 'hello', p + 'help'], 'by shortcut');
    await text.pressSequentially('hel');
    await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.pick [role=option]').length === 2, PANEL);
    assert.equal(await options.nth(0).getAttribute('aria-selected'), 'true');
    assert.equal(await text.getAttribute('aria-activedescendant'), await options.nth(0).getAttribute('id'));
    await a11y(page, 'canned responses offered');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/panel-canned.png` });
    await text.press('ArrowDown');
    assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
    assert.equal(await text.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
    await text.press('ArrowDown'); // wraps around
    await text.press('ArrowUp');
    await text.press('Enter');
    assert.equal(await text.inputValue(), 'Here is our help centre: https://help.example.com');
    assert.equal(await pick.isHidden(), true);
    assert.equal(await page.locator(`${PANEL} .pending`).count(), 0, 'Enter inserted the text and sent nothing');
    await text.press('Enter');
    await page.locator(`${PANEL} .msg.me`).filter({ hasText: 'Here is our help centre' }).locator('[aria-label=Sent]').waitFor();

    // typing filters by the text too; Escape closes the list and leaves the panel open; a space ends the offer
    await text.pressSequentially('/nice');
    await page.waitForFunction((sel) => [...document.querySelector(sel).shadowRoot.querySelectorAll('.pick [role=option]')].some((o) => o.dataset.shortcut.endsWith('bye')), PANEL);
    await text.press('Escape');
    assert.equal(await pick.isHidden(), true);
    assert.equal(await page.locator(`${PANEL} .win`).isVisible(), true);
    assert.equal(await text.inputValue(), '/nice');
    await text.fill('');
    await text.pressSequentially('/' + p + 'bye please');
    assert.equal(await pick.isHidden(), true);
    await text.fill('');
    await text.pressSequentially('/' + p + 'by');
    await options.first().click();
    assert.equal(await text.inputValue(), 'Thank you, have a nice day!');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('private notes: shown apart from the conversation; the Note toggle writes one (POST …/note, never to the client, no typing sent), also in a Closed chat', async () => {
    const name = uid('Notes');
    const chatId = await newChat('sales', name, 'Is my order shipped?');
    await api('POST', `/api/chat/${chatId}/note`, { text: 'VIP customer: ship for free' }, company);
    const sent = []; // the hub frames the page sends
    const { page, context } = await open('/static.html', { before: (pg) => pg.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload)))) });
    const typed = () => sent.filter((f) => f.includes('"target":"Typing"')).length;
    await waitState(page, 'ready');
    await openPanel(page);
    await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).click();
    const notes = page.locator(`${PANEL} .msg.note`);
    await notes.first().waitFor();
    assert.match(await notes.first().innerText(), /Private note[\s\S]*VIP customer: ship for free/);
    assert.equal(await notes.first().evaluate((e) => e.classList.contains('me') || e.classList.contains('sys')), false);
    assert.doesNotMatch(await page.locator(`${PANEL} [data-chat-id="${chatId}"]`).innerText(), /VIP customer/, 'a note is not the chat\'s last message');

    const toggle = page.locator(`${PANEL} button[aria-label="Write a private note"]`);
    const text = page.locator(`${PANEL} textarea`);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await text.getAttribute('aria-label'), 'Private note');
    assert.equal(await page.locator(`${PANEL} button[aria-label="Attach files"]`).isDisabled(), true);
    await a11y(page, 'note mode');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/panel-note.png` });
    await text.pressSequentially('Called the warehouse, ships today');
    await text.press('Enter');
    await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.msg.note[data-message-id]').length === 2, PANEL);
    let all = await messages(chatId);
    assert.deepEqual(all.filter((m) => m.isNote).map((m) => m.message), ['VIP customer: ship for free', 'Called the warehouse, ships today']);
    assert.equal(all.filter((m) => !m.isNote && m.author === 0).length, 0);
    assert.equal(typed(), 0, 'no Typing while writing a note');

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await text.pressSequentially('Yes, it ships today!');
    await text.press('Enter');
    await page.locator(`${PANEL} .msg.me`).filter({ hasText: 'Yes, it ships today!' }).locator('[aria-label=Sent]').waitFor();
    all = await messages(chatId);
    assert.equal(all.find((m) => m.message === 'Yes, it ships today!').isNote, undefined);
    assert.ok(typed() > 0, 'a message to the client does send Typing');

    // a Closed chat takes notes only
    await api('PUT', '/api/chat/status', { id: chatId, status: 4 }, company);
    await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('textarea').disabled, PANEL);
    await toggle.click();
    assert.equal(await text.isDisabled(), false);
    await text.fill('Closed, but noted');
    await text.press('Enter');
    await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.msg.note[data-message-id]').length === 3, PANEL);
    assert.equal((await messages(chatId)).at(-1).isNote, true);
    await a11y(page, 'notes in a closed chat');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('search by a message: the chat shows the message it was found by, the words in <mark>, hostile text inert; opening it scrolls to that message, marked', async () => {
    const word = 'kiwi' + Math.random().toString(36).slice(2, 8);
    const client = { externalId: uid('c'), name: uid('Finder'), phone: '+380501234567' };
    const chatId = (await incoming('sales', client, 'Good morning')).chatId;
    const found = await incoming('sales', client, `<img src=x onerror="window.__xss=1"> where is my ${word.toUpperCase()} order?`);
    for (let i = 0; i < 60; i++) await api('POST', `/api/chat/${chatId}/message`, { textMessage: 'Filler reply ' + i }, company);
    const { page, context } = await open('/static.html');
    await waitState(page, 'ready');
    await openPanel(page);
    const searched = page.waitForResponse((r) => r.url().includes('/api/chat/chats?') && r.url().includes('search=' + word));
    await page.locator(`${PANEL} input[type=search]`).fill(word);
    await searched;
    const item = page.locator(`${PANEL} [data-chat-id="${chatId}"]`);
    const snip = item.locator('.snip');
    await snip.waitFor();
    assert.equal(await page.locator(`${PANEL} .item`).count(), 1, 'only the chat found by its message');
    assert.deepEqual(await snip.locator('mark').allTextContents(), [word.toUpperCase()]);
    assert.ok((await snip.textContent()).includes('<img src=x onerror="window.__xss=1">'), await snip.textContent());
    assert.equal(await snip.locator('img').count(), 0);
    await a11y(page, 'chat list, found by a message');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/panel-search.png` });

    await item.click();
    const msg = page.locator(`${PANEL} .msg.hit[data-message-id="${found.id}"]`);
    await msg.waitFor();
    assert.deepEqual(await msg.locator('mark').allTextContents(), [word.toUpperCase()]);
    assert.ok((await msg.textContent()).includes('<img src=x onerror="window.__xss=1"> where is my'));
    await page.locator(`${PANEL} [data-message-id]`).filter({ hasText: 'Filler reply 59' }).waitFor(); // the rest of the chat is there too
    const [box, log] = [await msg.boundingBox(), await page.locator(`${PANEL} .log`).boundingBox()];
    assert.ok(box.y >= log.y - 1 && box.y + Math.min(box.height, 20) <= log.y + log.height + 1, `the found message is in view: ${JSON.stringify({ box, log })}`);
    await sleep(300);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.log img, .items img').length, PANEL), 0);
    await a11y(page, 'the found message');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('languages: the lang attribute (uk, nl, tr), else the browser\'s language', async () => {
    const { page, context } = await open('/orgs.html');
    for (const [lang, word, close] of [['uk', 'Чати', 'Закрити панель'], ['nl', 'Chats zoeken', 'Paneel sluiten'], ['tr', 'Sohbet ara', 'Paneli kapat']]) {
      const token = (await issue('sales')).token;
      // a panel in that language replaces the previous one
      await page.evaluate(([t, lang, src]) => {
        document.querySelectorAll('script[id^="operator-chat-panel-script"]').forEach((s) => s.remove());
        const s = document.createElement('script');
        s.type = 'module';
        s.id = 'operator-chat-panel-script-' + lang;
        s.src = src;
        s.setAttribute('token', t);
        s.setAttribute('lang', lang);
        s.setAttribute('open', '');
        document.body.appendChild(s);
      }, [token, lang, CH + '/operator-chat-panel/widget-script.js']);
      await waitState(page, 'ready');
      const text = await page.locator(PANEL).evaluate((el) => el.shadowRoot.querySelector('.win').innerText + ' ' + el.shadowRoot.querySelector('input').placeholder);
      assert.ok(text.includes(word), `${lang}: ${word} in ${text}`);
      assert.equal(await page.locator(`${PANEL} .win > .hd button:last-child`).getAttribute('aria-label'), close, lang);
      await a11y(page, 'chat list, ' + lang);
    }
    await context.close();
    const tr = await open('/static.html', { locale: 'tr-TR' });
    await waitState(tr.page, 'ready');
    assert.equal(await tr.page.locator(`${PANEL} input[type=search]`).getAttribute('placeholder'), 'Sohbet ara');
    await tr.context.close();
  });

  test('keyboard and screen readers: launcher, roles and labels, arrow keys, Escape; styles isolated both ways', async () => {
    await newChat('sales', uid('Keys A'));
    await newChat('sales', uid('Keys B'));
    const { page, context } = await open('/static.html');
    await waitState(page, 'ready');
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate((sel) => {
      const a = document.querySelector(sel).shadowRoot.activeElement;
      return a ? a.className || a.localName : null;
    }, PANEL);
    assert.equal(await focused(), 'launcher');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(`${PANEL} .launcher`).getAttribute('aria-expanded'), 'true');
    assert.equal(await focused(), 'input');
    assert.equal(await page.locator(`${PANEL} [role=dialog]`).count(), 1);
    assert.ok(await page.locator(`${PANEL} [role=dialog]`).getAttribute('aria-label'));
    assert.equal(await page.locator(`${PANEL} ul[role=list]`).getAttribute('aria-label'), 'Chat list');
    await page.locator(`${PANEL} .item`).first().focus();
    await page.keyboard.press('ArrowDown');
    const second = await page.locator(`${PANEL} .item`).nth(1).getAttribute('data-chat-id');
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).shadowRoot.activeElement.getAttribute('data-chat-id'), PANEL), second);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).shadowRoot.activeElement.localName, PANEL), 'textarea');
    assert.equal(await page.locator(`${PANEL} [role=log]`).count(), 1);
    for (const sel of ['textarea', 'button[type=submit]']) assert.ok(await page.locator(`${PANEL} ${sel}`).getAttribute('aria-label'), sel);
    await a11y(page, 'chat opened with the keyboard');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(`${PANEL} .launcher`).getAttribute('aria-expanded'), 'false');
    assert.equal(await focused(), 'launcher');
    await context.close();

    const inline = await open('/inline.html');
    await waitState(inline.page, 'ready');
    const styles = await inline.page.evaluate((sel) => {
      const host = document.querySelector(sel);
      const win = host.shadowRoot.querySelector('.win');
      const send = host.shadowRoot.querySelector('button[type=submit]');
      return {
        inContainer: host.parentElement.id,
        winColor: getComputedStyle(win).color,
        winFont: getComputedStyle(win).fontFamily,
        winSpacing: getComputedStyle(win).letterSpacing,
        sendDisplay: getComputedStyle(send).display,
        pageListStyle: getComputedStyle(document.querySelector('#page-list')).listStyleType,
        pageH1Font: getComputedStyle(document.querySelector('h1')).fontFamily,
      };
    }, PANEL);
    assert.equal(styles.inContainer, 'crm-chat');
    assert.notEqual(styles.winColor, 'rgb(255, 0, 0)');
    assert.ok(!/^serif$/.test(styles.winFont), styles.winFont);
    assert.equal(styles.winSpacing, 'normal');
    assert.notEqual(styles.sendDisplay, 'none');
    assert.equal(styles.pageListStyle, 'disc');
    assert.equal(styles.pageH1Font, 'serif');
    await a11y(inline.page, 'inline in a hostile page');
    await inline.context.close();
  });

});
