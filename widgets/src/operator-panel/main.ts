// The operator chat panel's bundle. A module runs once per page, however many <script> tags load it, so it
// finds its tags itself and keeps watching the document:
//   - every script[id^="operator-chat-panel-script"] (or with this src) that has a token gets a panel; one without
//     a token attribute gets a console error and a chathub:error, once;
//   - a removed tag removes its panel and closes its connection;
//   - a tag removed and replaced by one with the same id in the same turn (token refresh, React effect
//     re-run) keeps its panel, which reconnects with the new token without losing its state;
//   - a changed token attribute does the same.
// The API base is taken from the tag's src (the server that served it), so only the host name changes.

import { reportError } from './events';
import { Panel, readToken } from './panel';

const SELECTOR = 'script[id^="operator-chat-panel-script"],script[src*="/operator-chat-panel/widget-script.js"]';
const panels = new Map<HTMLScriptElement, Panel>();
const tokenless = new WeakSet<HTMLScriptElement>();

function baseOf(url: string): string | null {
  const i = url.indexOf('/operator-chat-panel/');
  return i > 0 ? url.slice(0, i) : null;
}
const selfBase = baseOf(import.meta.url) || location.origin;

function reconcile() {
  const gone: [HTMLScriptElement, Panel][] = [];
  for (const entry of panels) {
    if (!entry[0].isConnected) {
      panels.delete(entry[0]);
      gone.push(entry);
    }
  }
  for (const tag of document.querySelectorAll<HTMLScriptElement>(SELECTOR)) {
    if (!tag.hasAttribute('token')) {
      if (!tokenless.has(tag)) {
        tokenless.add(tag);
        console.error(reportError('missing token attribute', tag, null) + ' (an operator token, made on your server with POST /api/operator/get-token)', tag);
      }
      continue;
    }
    const token = readToken(tag);
    const mounted = panels.get(tag);
    if (mounted) {
      mounted.setToken(token);
      continue;
    }
    const base = baseOf(tag.src) || selfBase;
    const i = gone.findIndex(([old, p]) => old.id === tag.id && p.base === base);
    if (i >= 0) {
      const p = gone.splice(i, 1)[0][1];
      p.retarget(tag, token);
      panels.set(tag, p);
    } else {
      let floating = 0;
      for (const p of panels.values()) if (p.el.getAttribute('mode') === 'float') floating++;
      panels.set(tag, new Panel(tag, base, token, floating));
    }
  }
  for (const [, p] of gone) p.destroy();
}

new MutationObserver((records) => {
  for (const r of records) {
    const elements = (nodes: NodeList) => Array.prototype.some.call(nodes, (n: Node) => n.nodeType === 1);
    if (r.type === 'attributes' ? r.target instanceof HTMLScriptElement : elements(r.addedNodes) || elements(r.removedNodes)) {
      reconcile();
      return;
    }
  }
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['token'] });

reconcile();
