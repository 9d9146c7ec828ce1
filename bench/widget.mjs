// The customer chat widget's time budgets in Chromium, each page in a new browser context (a cold HTTP cache, no
// stored visitor): the script tag to an interactive launcher, a click to the open chat (painted), and the host
// page's long tasks (PerformanceObserver 'longtask'); then the same page again in that context (a warm cache and a
// returning visitor); the same page without the widget (the machine's own long tasks); and traced runs, for the CPU
// time of the longest main-thread task (wall time on a busy machine is mostly waiting for a CPU). Where the
// launcher's time goes is split into the requests on its way and the rest. Run by bench/widget.sh, which starts the
// server; by hand:
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

// The host page measures itself and reports in one console message: no test driver runs a script in it meanwhile
// (Playwright's own injected scripts are long tasks of their own). localhost is a secure context (Web Locks) and
// allowed in development mode.
const page = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>Shop</title><script>
const long = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
const report = (r) => setTimeout(() => console.log('bench:' + JSON.stringify({ ...r, long: long.length ? Math.max(...long) : 0 })), 400);
if (!location.pathname.includes('bare')) {
  new MutationObserver((_, mo) => {
    const host = document.querySelector('chathub-chat-widget');
    const s = host?.getAttribute('state');
    if (s !== 'ready' && s !== 'offline') return;
    mo.disconnect();
    const launcher = performance.now() - window.__tTag;
    setTimeout(() => { // the chat window is built when the browser is idle: open it as a visitor would, a little later
      const t0 = performance.now();
      host.shadowRoot.querySelector('button[data-launcher]').click();
      if (host.shadowRoot.querySelector('.win').hidden) throw new Error('not open');
      requestAnimationFrame(() => requestAnimationFrame(() => {
        const open = performance.now() - t0;
        const r = performance.getEntriesByType('resource');
        const d = (f) => r.filter((e) => f.test(e.name)).reduce((a, e) => a + e.duration, 0);
        // the time between the tag and the launcher when one of these requests was under way
        const spans = r.filter((e) => /widget-script\\.js|\\/widget\\.js|\\/session$|\\/messages\\?limit/.test(e.name))
          .map((e) => [Math.max(e.startTime, window.__tTag), Math.min(e.responseEnd, window.__tTag + launcher)]).filter(([a, b]) => b > a)
          .sort((x, y) => x[0] - y[0]);
        let waiting = 0;
        let end = -Infinity;
        for (const [a, b] of spans) {
          if (b <= end) continue;
          waiting += b - Math.max(a, end);
          end = b;
        }
        report({ launcher, open, entry: d(/widget-script\\.js/), bundle: d(/\\/[0-9a-f]{16}\\/widget\\.js/), session: d(/\\/session$/),
          history: d(/\\/messages\\?limit/), browser: launcher - waiting });
      }));
    }, 1000);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['state'] });
} else {
  addEventListener('load', () => setTimeout(() => report({}), 1000));
}
</script></head><body><h1>Shop</h1><p>${'Our products. '.repeat(200)}</p>
<script>window.__tTag = performance.now();</script>
WIDGET
</body></html>`;
const tag = `<script type="module" id="chat-widget-script" src="${CH}/chat-widget/widget-script.js" guid="${org.widgetGuid}"></script>`;
const site = http.createServer((req, res) => {
  const shop = req.url.startsWith('/shop');
  res.writeHead(shop ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  // /shop.html: with the widget; /shop-bare.html: the same page without it (what the machine does on its own)
  res.end(shop ? page.replace('WIDGET', req.url.startsWith('/shop-bare') ? '' : tag) : '');
});
await new Promise((r) => site.listen(0, '127.0.0.1', r));
const url = `http://localhost:${site.address().port}/shop.html`;
const bare = `http://localhost:${site.address().port}/shop-bare.html`;

const browser = await chromium.launch({
  executablePath: process.env.CHATHUB_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

/** Loads the page and waits for its own report. */
async function measure(p, address = url) {
  const reported = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no report from ' + address)), 30000);
    p.on('console', (m) => {
      if (!m.text().startsWith('bench:')) return;
      clearTimeout(timer);
      resolve(JSON.parse(m.text().slice(6)));
    });
  });
  await p.goto(address);
  const r = await reported;
  p.removeAllListeners('console');
  return r;
}

const cold = [];
const warm = [];
const bareRuns = [];
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
  const ctx2 = await browser.newContext();
  const b = await measure(await ctx2.newPage(), bare);
  if (i >= 2) bareRuns.push(b);
  await ctx2.close();
}
// traced cold runs: the longest task of the page's main thread in wall time and in its thread's CPU time (what the
// widget costs, whatever else the machine runs meanwhile)
const traced = [];
for (let i = 0; i < Math.max(3, RUNS / 2); i++) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await browser.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await measure(p);
  const events = JSON.parse((await browser.stopTracing()).toString());
  const list = events.traceEvents || events;
  const mains = new Set(list.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => e.pid + ':' + e.tid));
  const tasks = list.filter((e) => e.name === 'RunTask' && e.dur && mains.has(e.pid + ':' + e.tid));
  traced.push({ wall: Math.max(0, ...tasks.map((e) => e.dur / 1000)), cpu: Math.max(0, ...tasks.map((e) => (e.tdur || 0) / 1000)) });
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
  console.log(`  on the launcher's way: entry ${stat(rows, 'entry')}; bundle ${stat(rows, 'bundle')}; session ${stat(rows, 'session')};`
    + ` history ${stat(rows, 'history')}; none of them under way (the browser: parse, run, render) ${stat(rows, 'browser')}`);
}
console.log(`the same page without the widget: longest task ${stat(bareRuns, 'long')}`);
console.log(`traced cold runs (${traced.length}), the longest main-thread task: wall ${stat(traced, 'wall')}; its thread's CPU time ${stat(traced, 'cpu')}`);
