// The company's website for the customer chat widget's browser suite: pages that embed the widget's tag (both forms
// of the contract, attributes, injected later or removed, a hostile stylesheet) and a page with the operator panel,
// all generated from their query string, plus an avatar image. Served on one port under several host names (the
// suite maps *.chathub.test to 127.0.0.1): shop. (allowed), crm. (the operator panel), evil. (not allowed).
//
// /shop.html?guid=G[&src=BASE][&form=hosted][&lang=..&position=..&color=..&open][&inject=MS][&spa][&user=JSON]
//            [&hostile][&tall]
// /panel.html?token=T[&src=BASE]
// /avatar.png
import http from 'node:http';
import { png } from './helpers.mjs';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** The page's own instrumentation, before anything else runs: long tasks, layout shifts, widget events, states. */
const HOOKS = `<script>
window.__longtasks = []; window.__shifts = []; window.__events = []; window.__states = []; window.__keys = [];
window.__tStart = performance.now();
try {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value); }).observe({ type: 'layout-shift', buffered: true });
} catch (e) {}
for (const ev of ['ready', 'open', 'close', 'message', 'unread', 'error']) {
  addEventListener('chathub-widget:' + ev, (e) => window.__events.push([ev, e.detail === undefined ? null : JSON.parse(JSON.stringify(e.detail))]));
}
addEventListener('keydown', (e) => window.__keys.push(e.key));
new MutationObserver((records) => {
  for (const r of records) {
    const el = r.type === 'attributes' ? r.target : [...r.addedNodes].find((n) => n.localName === 'chathub-chat-widget');
    if (el && el.localName === 'chathub-chat-widget') {
      const s = el.getAttribute('state');
      window.__states.push(s);
      if ((s === 'ready' || s === 'offline') && window.__tReady == null) {
        window.__tReady = performance.now();
        console.debug('chathub-widget-ready'); // for a test that waits without running a script in the page
      }
    }
  }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['state'] });
</script>`;

const HOSTILE = `<style>
* { color: #f0f !important; font-family: "Comic Sans MS", cursive !important; font-size: 31px !important; letter-spacing: 3px !important; }
button, textarea, input, section, div, ul, li { display: inline !important; border: 5px dashed red !important; background: yellow !important; }
:root { --bg: #f00; --fg: #0f0; --acc: #00f; --line: #f00; }
body { line-height: 3 !important; text-transform: uppercase !important; }
</style>`;

function tag(q, base) {
  const attrs = [];
  const src = `${q.get('src') || base}/chat-widget/widget-script.js`;
  if (q.get('form') === 'hosted') {
    // the hosted service's own pages: src first, loadPoint, and an attribute nobody knows
    attrs.push(`src="${esc(src)}"`, 'type="module"', 'id="chat-widget-script"', `guid="${esc(q.get('guid'))}"`, 'loadPoint="1"', 'data-theme-x="1"', 'foo="bar"');
  } else {
    attrs.push('type="module"', 'id="chat-widget-script"', `src="${esc(src)}"`, `guid="${esc(q.get('guid'))}"`);
  }
  for (const a of ['lang', 'position', 'color']) if (q.has(a)) attrs.push(`${a}="${esc(q.get(a))}"`);
  if (q.has('open')) attrs.push('open');
  return `<script ${attrs.join(' ')}></script>`;
}

function shop(q, base) {
  const t = tag(q, base);
  const inject = q.has('inject') || q.has('spa');
  const scriptTag = inject ? '' : `<script>window.__tTag = performance.now();</script>\n${t}`;
  const injector = inject ? `<script>
window.__tag = ${JSON.stringify(t).replace(/</g, '\\u003c')};
window.injectWidget = () => { const d = document.createElement('div'); d.innerHTML = window.__tag; const o = d.firstChild;
  const s = document.createElement('script'); for (const a of o.attributes) s.setAttribute(a.name, a.value);
  window.__tTag = performance.now(); window.__tReady = null; document.body.appendChild(s); };
window.removeWidget = () => document.getElementById('chat-widget-script')?.remove();
${q.has('inject') ? `setTimeout(window.injectWidget, ${Number(q.get('inject')) || 0});` : ''}
</script>` : '';
  const user = q.has('user') ? `<script type="module">
window.__user = window.ChatHub.setUser(${q.get('user').replace(/</g, '\\u003c')});
</script>` : '';
  const body = q.has('tall') ? '<p>' + 'Our products. '.repeat(800) + '</p>' : '<p>We sell jackets, shoes and hats. Ask us anything in the chat.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title>
${HOOKS}
${q.has('hostile') ? HOSTILE : ''}
</head>
<body>
<main>
<h1>Jackets &amp; Co.</h1>
${body}
<button id="page-button" type="button">Page button</button>
</main>
${scriptTag}
${user}
${injector}
</body>
</html>`;
}

function panel(q, base) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>CRM</title></head>
<body><h1>CRM</h1>
<script type="module" id="operator-chat-panel-script" src="${esc(q.get('src') || base)}/operator-chat-panel/widget-script.js" token="${esc(q.get('token'))}" open></script>
</body></html>`;
}

/** Starts the site; `chathub` is the default ChatHub base URL of its tags. */
export async function startShop({ chathub }) {
  const avatar = png(64, 64, [230, 120, 40]);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const q = url.searchParams;
    if (url.pathname === '/avatar.png') {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' });
      return res.end(avatar);
    }
    const page = url.pathname === '/shop.html' ? shop(q, chathub) : url.pathname === '/panel.html' ? panel(q, chathub) : null;
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(page);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}
