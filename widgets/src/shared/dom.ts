// Element creation that only ever puts data into the page as text nodes or attribute values (never as HTML).

export type Kid = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, any> | null, ...kids: Kid[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (attrs) {
    for (const k in attrs) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k[0] === 'o' && k[1] === 'n') e.addEventListener(k.slice(2), v);
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  put(e, kids);
  return e;
}

export function put(e: Element, kids: Kid[]) {
  for (const c of kids) if (c != null && c !== false) e.append(typeof c === 'number' ? String(c) : c);
}

/** Replaces an element's children. */
export function fill(e: Element, ...kids: Kid[]) {
  e.replaceChildren();
  put(e, kids);
}

/** A static, trusted SVG icon (the markup is a constant of this bundle, never data). */
export function icon(path: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  svg.append(p);
  return svg;
}

export const ICONS = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z',
  close: 'M6 6l12 12M18 6L6 18',
  back: 'M15 5l-7 7 7 7',
  send: 'M3 20l18-8L3 4v6l12 2-12 2z',
  clip: 'M16 7l-7 7a2 2 0 0 0 3 3l7-7a4 4 0 0 0-6-6l-7 7a6 6 0 0 0 8 8l6-6',
  bell: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0',
  file: 'M6 2h8l6 6v14H6zM14 2v6h6',
  exit: 'M9 21H5V3h4M16 17l5-5-5-5M21 12H9',
  down: 'M6 9l6 6 6-6',
};
