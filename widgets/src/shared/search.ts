// The words of a chat search in a message's text (GET /api/chat/chats?search= answers each chat's `match`): the text
// cut into pieces, a piece true when it is one of the searched words, as the server's full-text search took them
// (runs of letters and digits, case ignored). The pieces are text: the widgets put them in the page as text nodes
// (a <mark> around the matched ones), never as HTML.

const WORD = /[\p{L}\p{N}]+/gu;

/** A search's answer names, for each chat it found by a message, that message (null: found by its client or theme). */
export interface Match { messageId: number; seq: number; text: string }

/**
 * `text` in pieces [piece, matched]; with `max`, only about `max` characters around the first matched word, an
 * ellipsis marking what was cut.
 */
export function marks(text: string, search: string, max = 0): [string, boolean][] {
  const words = new Set(search.toLowerCase().match(WORD) || []);
  const found: [number, number][] = [];
  for (const m of text.matchAll(WORD)) if (words.has(m[0].toLowerCase())) found.push([m.index!, m.index! + m[0].length]);
  let from = 0;
  let to = text.length;
  if (max && to > max) {
    from = Math.max(0, (found[0]?.[0] || 0) - (max >> 2));
    to = Math.min(to, from + max);
  }
  const out: [string, boolean][] = from ? [['…', false]] : [];
  let at = from;
  for (const [a, b] of found) {
    if (a < at || b > to) continue;
    if (a > at) out.push([text.slice(at, a), false]);
    out.push([text.slice(a, b), true]);
    at = b;
  }
  if (at < to) out.push([text.slice(at, to), false]);
  if (to < text.length) out.push(['…', false]);
  return out;
}
