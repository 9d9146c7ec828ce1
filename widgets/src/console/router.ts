// Client-side routing under /console/ with the History API: no full reload between pages. A route is the path
// after /console (e.g. '/organizations/5') and its query; the server answers the console's shell for all of them.

import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';
const listeners = new Set<() => void>();

export interface Route { path: string; query: URLSearchParams }

export function current(): Route {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return { path: p.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search) };
}

/** Goes to a console route ('/chats?status=1'); `replace` keeps the history entry (filters typed in). */
export function navigate(to: string, replace = false) {
  const url = BASE + to;
  if (url === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  for (const f of listeners) f();
}

addEventListener('popstate', () => listeners.forEach((f) => f()));

/** The current route; re-renders the caller on navigation. */
export function useRoute(): Route {
  const [route, set] = useState(current);
  useEffect(() => {
    const f = () => set(current());
    listeners.add(f);
    return () => void listeners.delete(f);
  }, []);
  return route;
}

/** A click on a console link is handled here (no reload) unless a modifier asks the browser for a new tab. */
export function follow(e: MouseEvent, to: string) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(to);
}

/** `/organizations/:id` against a path: the parameters, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i][0] === ':') out[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return out;
}
