// Helpers of the browser suite: the ChatHub API as the company, a tiny hub client, a cuttable TCP proxy,
// generated test files, Playwright page set-up, and an accessibility check (axe-core).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { deflateSync } from 'node:zlib';

export const CH = process.env.CHATHUB_URL || 'http://127.0.0.1:8080';
export const CONTROL = process.env.CHATHUB_CONTROL;
export const CHROMIUM = process.env.CHATHUB_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  // test-only origins: crm.chathub.test (allowed by the organizations) and evil.chathub.test (not allowed)
  '--host-resolver-rules=MAP *.chathub.test 127.0.0.1',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The ChatHub REST API (of `base`) from the integrator's server (no Origin header: not a browser). */
export async function api(method, path, body, token, base = CH) {
  const r = await fetch(base + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The demo company's token (on the server at `base`). */
export async function companyToken(base = CH) {
  const r = await fetch(base + '/api/company/get-token', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/plain' },
    body: JSON.stringify({ login: 'demo', password: 'demo' }),
  });
  if (!r.ok) throw new Error('demo login failed: ' + r.status);
  return (await r.text()).trim();
}

/**
 * A widget's entry module, /<widget>/widget-script.js, checked as served: JavaScript, no-cache with an ETag (304 on
 * revalidation), readable from any origin. Returns its text and the files it imports: [[version, file], …].
 */
export async function servedEntry(widget) {
  const url = `${CH}/${widget}/widget-script.js`;
  const entry = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(entry.status, 200);
  assert.match(entry.headers.get('content-type'), /^text\/javascript/);
  assert.equal(entry.headers.get('cache-control'), 'no-cache');
  assert.equal(entry.headers.get('access-control-allow-origin'), '*');
  const etag = entry.headers.get('etag');
  assert.ok(etag);
  const body = await entry.text();
  assert.equal((await fetch(url, { headers: { 'If-None-Match': etag } })).status, 304);
  return { body, files: [...body.matchAll(/import ?\(?"\.\/([0-9a-f]{16})\/([\w.-]+\.js)"/g)].map((m) => [m[1], m[2]]) };
}

/** A versioned file of a widget, checked as served: immutable JavaScript, Brotli and gzip, 304 on its ETag. Its bytes. */
export async function servedFile(url) {
  const raw = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(raw.status, 200);
  assert.equal(raw.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.match(raw.headers.get('content-type'), /^text\/javascript/);
  assert.equal(raw.headers.get('access-control-allow-origin'), '*');
  for (const enc of ['br', 'gzip']) {
    const r = await fetch(url, { headers: { 'Accept-Encoding': enc }, decompress: false });
    assert.equal(r.headers.get('content-encoding'), enc);
  }
  assert.equal((await fetch(url, { headers: { 'If-None-Match': raw.headers.get('etag') } })).status, 304);
  return Buffer.from(await raw.arrayBuffer());
}

let unique = 0;
export const uid = (prefix) => `${prefix}-${process.pid}-${++unique}-${Math.random().toString(36).slice(2, 6)}`;

/** A minimal hub client (ASP.NET SignalR JSON protocol) for the test side (of `base`): records events, invokes methods. */
export async function hubClient(token, base = CH) {
  if (typeof WebSocket === 'undefined') throw new Error('this Node has no WebSocket: run with --experimental-websocket');
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/chathub?access_token=' + encodeURIComponent(token));
  const events = [];
  const calls = new Map();
  let n = 0;
  let buf = '';
  await new Promise((resolve, reject) => {
    ws.onerror = () => reject(new Error('hub connect failed'));
    ws.onopen = () => ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + '\x1e');
    ws.onmessage = (ev) => {
      buf += ev.data;
      let i;
      while ((i = buf.indexOf('\x1e')) >= 0) {
        const m = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        if (!m.type) resolve();
        else if (m.type === 1) events.push({ target: m.target, args: m.arguments });
        else if (m.type === 3) calls.get(m.invocationId)?.(m);
      }
    };
  });
  return {
    events,
    invoke(target, ...args) {
      const invocationId = String(++n);
      return new Promise((resolve, reject) => {
        calls.set(invocationId, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.result)));
        ws.send(JSON.stringify({ type: 1, invocationId, target, arguments: args }) + '\x1e');
      });
    },
    close: () => ws.close(),
  };
}

/** A TCP proxy in front of ChatHub whose connections can be cut (network loss) and restored. */
export async function cuttableProxy(targetPort) {
  const sockets = new Set();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', end);
      s.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: 'http://127.0.0.1:' + server.address().port,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    close() {
      cut = true;
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** A real PNG: w×h, a diagonal gradient of the given colour. */
export function png(w, h, [r, g, b]) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const f = 0.55 + 0.45 * ((x + y) / (w + h));
      raw.set([r * f, g * f, b * f].map(Math.round), y * (w * 3 + 1) + 1 + x * 3);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Recorded in every page before its scripts run: window errors, panel events, panel states, script loads, sockets. */
export function pageHooks() {
  window.__errors = [];
  window.__events = [];
  window.__states = [];
  window.__loads = [];
  window.__sockets = [];
  addEventListener('error', (e) => window.__errors.push(String(e.message)));
  addEventListener('chathub:ready', (e) => window.__events.push(['ready', e.detail.script && e.detail.script.id]));
  addEventListener('chathub:error', (e) => window.__events.push(['error', e.detail.message]));
  document.addEventListener('load', (e) => e.target.tagName === 'SCRIPT' && window.__loads.push(e.target.id || e.target.src), true);
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...a) {
      super(...a);
      window.__sockets.push(this);
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && r.target.localName === 'chathub-operator-panel') window.__states.push(r.target.getAttribute('state'));
      for (const n of r.addedNodes || []) if (n.localName === 'chathub-operator-panel') window.__states.push(n.getAttribute('state'));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['state'] });
}

let axeSource;

/**
 * Runs axe-core in the page on `include` (a CSS selector of the light DOM, e.g. a widget's host element; default:
 * the whole document) with axe's default rules (WCAG 2.x A and AA, and best practices: every rule axe does not mark
 * experimental or AAA) and fails with the list of violations, whatever their impact (0 is the rule). axe scans open shadow roots; when the scanned elements host one, this also checks that axe did look
 * inside it, so a widget in a shadow root cannot pass by being invisible to the check. `label` names the UI state
 * in the failure; `disable` lists rule ids to skip (say why where you use it). Returns axe's results.
 *   await assertAccessible(page, { include: 'chathub-operator-panel', label: 'chat list' });
 */
export async function assertAccessible(page, { include, exclude, label = '', disable = [] } = {}) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async ({ include, exclude, disable }) => {
    const rules = Object.fromEntries(disable.map((id) => [id, { enabled: false }]));
    const context = include ? { include: [include], exclude: exclude ? [exclude] : [] } : document;
    const hosts = include ? [...document.querySelectorAll(include)].filter((e) => e.shadowRoot).length : 0;
    const r = await window.axe.run(context, { rules });
    // a target inside a shadow root is a path of selectors: [host, ..., element]
    const inShadow = [...r.passes, ...r.violations, ...r.incomplete]
      .reduce((n, rule) => n + rule.nodes.filter((x) => Array.isArray(x.target[0]) || x.target.length > 1).length, 0);
    const violations = r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((x) => ({ target: x.target.flat().join(' >> '), html: x.html.slice(0, 160), why: (x.failureSummary || '').split('\n').slice(1, 3).join(' ').trim() })),
    }));
    return { hosts, inShadow, violations, passes: r.passes.length };
  }, { include, exclude, disable });
  const where = label ? ` (${label})` : '';
  if (result.hosts && !result.inShadow) throw new Error(`axe did not scan inside the shadow root of ${include}${where}`);
  if (result.violations.length) {
    const lines = result.violations.flatMap((v) => [`  ${v.id} (${v.impact}): ${v.help}`, ...v.nodes.map((n) => `      ${n.target}  ${n.html}${n.why ? '\n        ' + n.why : ''}`)]);
    throw new Error(`axe found ${result.violations.length} violation(s)${where}:\n${lines.join('\n')}`);
  }
  return result;
}
