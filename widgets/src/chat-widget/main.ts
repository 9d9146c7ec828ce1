// The customer chat widget's bundle. It runs once per page, however many tags load it, and:
//   - defines window.ChatHub at once (open, close, toggle, setUser, reset, on, off, unreadCount); calls made before
//     the widget is ready are queued and run when it is;
//   - finds its tag, <script id="chat-widget-script" guid="…"> (or any script with this src), and mounts the widget
//     for it; a tag injected later (SPA) mounts it then, a removed tag unmounts it (and closes its connection);
//   - dispatches every event on window too, as `chathub-widget:<event>`.
// The entry module (entry.ts) may have defined window.ChatHub as a queue already: its calls are taken over in order.
// The API base is the server that served the script: only the host name changes between installations.

import { PREFIX, User, Widget } from './widget';

type Fn = (detail?: any) => void;
const SELECTOR = 'script#chat-widget-script,script[src*="/chat-widget/widget-script.js"]';
const w = window as any;

if (!w.__chathubChatWidget) {
  w.__chathubChatWidget = true;
  const listeners = new Map<string, Set<Fn>>();
  const queue: [keyof Widget & string, unknown[], (v: any) => void][] = [];
  let widget: Widget | null = null;
  let guidless: Element | null = null;

  const emit = (event: string, detail?: unknown) => {
    for (const fn of [...(listeners.get(event) || [])]) {
      try {
        fn(detail);
      } catch (e) {
        console.error(e);
      }
    }
    window.dispatchEvent(new CustomEvent('chathub-widget:' + event, { detail }));
  };

  const run = (name: 'open' | 'close' | 'toggle' | 'setUser' | 'reset', ...args: unknown[]): Promise<any> => {
    if (widget?.ready) return Promise.resolve((widget[name] as (...a: unknown[]) => unknown)(...args));
    return new Promise((resolve) => queue.push([name, args, resolve]));
  };

  const ready = (x: Widget) => {
    for (const [name, args, resolve] of queue.splice(0)) resolve((x[name] as (...a: unknown[]) => unknown)(...args));
  };

  const early = w.ChatHub && Array.isArray(w.ChatHub.q) ? w.ChatHub.q as [string, unknown[], (v: unknown) => void][] : [];
  w.ChatHub = {
    open: () => void run('open'),
    close: () => void run('close'),
    toggle: () => void run('toggle'),
    setUser: (user: User) => run('setUser', user),
    reset: () => run('reset'),
    on(event: string, fn: Fn) {
      if (typeof fn !== 'function') return;
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn);
    },
    off(event: string, fn: Fn) {
      listeners.get(event)?.delete(fn);
    },
    get unreadCount() {
      return widget ? widget.unread : 0;
    },
  };
  for (const [name, args, resolve] of early.splice(0)) resolve(w.ChatHub[name]?.(...args));

  const baseOf = (url: string) => {
    const i = url.indexOf('/chat-widget/');
    return i > 0 ? url.slice(0, i) : null;
  };
  const selfBase = baseOf(import.meta.url) || location.origin;

  const reconcile = () => {
    const tags = [...document.querySelectorAll<HTMLScriptElement>(SELECTOR)];
    if (widget && (!tags.includes(widget.tag) || widget.tag.getAttribute('guid')?.trim() !== widget.guid)) {
      widget.destroy();
      widget = null;
    }
    if (widget) return;
    const tag = tags.find((t) => t.getAttribute('guid'));
    if (tag) {
      widget = new Widget(tag, baseOf(tag.src) || selfBase, tag.getAttribute('guid')!.trim(), { emit, ready });
    } else if (tags[0] && tags[0] !== guidless) {
      guidless = tags[0];
      const message = PREFIX + 'missing guid attribute (the organization\'s widgetGuid)';
      console.error(message, tags[0]);
      emit('error', { message });
    }
  };

  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' || [...r.addedNodes, ...r.removedNodes].some((n) => n.nodeType === 1 && (n as Element).localName !== 'chathub-chat-widget')) {
        reconcile();
        return;
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['guid'] });

  reconcile();
}
