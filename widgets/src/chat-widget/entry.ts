// The chat widget's entry module, widget-script.js: what pages embed, never cached (it names the bundle by version).
// It is built on its own (build.mjs, MAIN = "./<version>/widget.js") and does, before the bundle has even arrived:
//   - window.ChatHub as a queue: the page API is there synchronously after this module ran; the bundle (main.ts)
//     takes over every call and listener in order, and resolves the promises setUser and reset returned;
//   - the visitor's session request, so that it runs while the bundle downloads and compiles. The widget takes its
//     answer only for the very request it would make itself (same server, guid, visitor and page; widget.ts
//     session()), else it makes its own.
// A page that embeds the tag twice, or injects it again, runs this module once (one module per URL).

declare const MAIN: string;
const w = window as any;

if (!w.ChatHub) {
  const q: [string, unknown[], (v: unknown) => void][] = [];
  const later = (name: string, promised?: boolean) => (...args: unknown[]) => {
    const p = new Promise((resolve) => q.push([name, args, resolve]));
    return promised ? p : undefined;
  };
  w.ChatHub = {
    q, unreadCount: 0, open: later('open'), close: later('close'), toggle: later('toggle'),
    setUser: later('setUser', true), reset: later('reset', true), on: later('on'), off: later('off'),
  };
}

const tag = [...document.querySelectorAll<HTMLScriptElement>('script#chat-widget-script,script[src*="/chat-widget/widget-script.js"]')]
  .find((t) => t.getAttribute('guid'));
if (tag && !w.__chathubChatWidget) {
  const guid = tag.getAttribute('guid')!.trim();
  const baseOf = (url: string) => {
    const i = url.indexOf('/chat-widget/');
    return i > 0 ? url.slice(0, i) : null;
  };
  const base = baseOf(tag.src) || baseOf(import.meta.url) || location.origin;
  let kept: any = {};
  try {
    kept = JSON.parse(localStorage.getItem('chathub:' + guid) || '{}') || {};
  } catch { /* no storage */ }
  const body: Record<string, string> = { pageUrl: location.href, language: navigator.language };
  if (kept.v && kept.r) {
    body.visitorId = kept.v;
    body.resume = kept.r;
  }
  const text = JSON.stringify(body);
  const p = fetch(base + '/api/widget/' + encodeURIComponent(guid) + '/session',
    { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: text, credentials: 'omit', cache: 'no-store' });
  p.catch(() => {}); // the widget reads the failure, if it takes the answer
  w.__chathubSession = { key: base + ' ' + guid + ' ' + text, p };
}

import(MAIN).catch((e) => console.error('ChatHub chat widget: the widget could not be loaded', e));
