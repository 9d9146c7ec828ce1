// The customer chat widget's time budgets in Chromium, each page in a new browser context (a cold HTTP cache, no
// stored visitor): the script tag to an interactive launcher, a click to the open chat (painted), and the host
// page's long tasks (PerformanceObserver 'longtask'); then the same page again in that context (a warm cache and a
// returning visitor). Run by bench/widget.sh, which starts the server; by hand:
//   CHATHUB_URL=http://127.0.0.1:8080 node --experimental-websocket bench/widget.mjs [runs]
// needs a server in development mode with the demo company (CHATHUB_DEV=true CHATHUB_DEMO=true), and the widgets'
// npm dependencies (widgets/node_modules) and /usr/bin/chromium.
import { createRequire } from 'node:module';
import http from 'node:http';

const require = createRequire(new URL('../widgets/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const CH = process.env.CHATHUB_URL || 'http://127.0.0.1:8080';
const RUNS = Number(process.argv[2] || 20);

async function call(method, path, body, token) {
  const r = await fetch(CH + path, {
    method,
    headers: { ...(token ? { Authorization: 'Bearer ' + token } : {}), 'Content-Type': 'application/json', Accept: 'text/plain' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const company = await call('POST', '/api/company/get-token', { login: 'demo', password: 'demo' });
const [sales] = await call('GET', '/api/company/organization', undefined, company);
const org = await call('GET', '/api/company/organization/' + sales.id, undefined, company);

// an operator online (so that the widget is "ready", not "offline"), through the development token
const ws = new WebSocket(CH.replace(/^http/, 'ws') + '/chathub?access_token=test-token-for-development');
await new Promise((resolve, reject) => {
  ws.onerror = () => reject(new Error('hub connection failed'));
  ws.onopen = () => ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + '\x1e');
  ws.onmessage = () => resolve();
});

// the host page: localhost is a secure context (Web Locks) and allowed in development mode
const page = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>Shop</title><script>
window.__long = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
new MutationObserver(() => {
  const s = document.querySelector('chathub-chat-widget')?.getAttribute('state');
  if ((s === 'ready' || s === 'offline') && window.__tReady == null) window.__tReady = performance.now();
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['state'] });
</script></head><body><h1>Shop</h1><p>${'Our products. '.repeat(200)}</p>
<script>window.__tTag = performance.now();</script>
<script type="module" id="chat-widget-script" src="${CH}/chat-widget/widget-script.js" guid="${org.widgetGuid}"></script>
</body></html>`;
const site = http.createServer((req, res) => {
  res.writeHead(req.url.startsWith('/shop') ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(req.url.startsWith('/shop') ? page : '');
});
await new Promise((r) => site.listen(0, '127.0.0.1', r));
const url = `http://localhost:${site.address().port}/shop.html`;

const browser = await chromium.launch({
  executablePath: process.env.CHATHUB_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

async function measure(p) {
  await p.goto(url);
  await p.waitForFunction(() => window.__tReady != null, null, { timeout: 30000 });
  const launcher = await p.evaluate(() => window.__tReady - window.__tTag);
  const open = await p.evaluate(async () => {
    const root = document.querySelector('chathub-chat-widget').shadowRoot;
    const t0 = performance.now();
    root.querySelector('button[data-launcher]').click();
    if (root.querySelector('.win').hidden) throw new Error('not open');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  });
  await new Promise((r) => setTimeout(r, 300)); // long tasks are reported a little later
  const long = await p.evaluate(() => (window.__long.length ? Math.max(...window.__long) : 0));
  return { launcher, open, long };
}

const cold = [];
const warm = [];
// two unmeasured rounds: the server's JIT and the browser's first start
for (let i = 0; i < RUNS + 2; i++) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const c = await measure(p);
  const w = await measure(p); // the same context: a warm cache and a returning visitor
  if (i >= 2) {
    cold.push(c);
    warm.push(w);
  }
  await ctx.close();
}
await browser.close();
site.close();
ws.close();

const stat = (rows, k) => {
  const v = rows.map((r) => r[k]).sort((a, b) => a - b);
  const q = (f) => v[Math.min(v.length - 1, Math.floor(f * v.length))];
  return `p50 ${q(0.5).toFixed(1)}  p90 ${q(0.9).toFixed(1)}  max ${v[v.length - 1].toFixed(1)}`;
};
console.log(`customer chat widget, ${RUNS} runs (Chromium ${browser.version?.() ?? ''}), ms`);
for (const [name, rows] of [['cold cache, new visitor', cold], ['warm cache, returning visitor', warm]]) {
  console.log(`${name}:`);
  console.log(`  script tag -> interactive launcher   ${stat(rows, 'launcher')}   (budget 150)`);
  console.log(`  open -> chat shown (painted)         ${stat(rows, 'open')}   (budget 100)`);
  console.log(`  longest task on the host page        ${stat(rows, 'long')}   (budget 50; 0 = none over 50)`);
}
