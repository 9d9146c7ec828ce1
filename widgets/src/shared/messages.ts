// One message in a chat log, for both widgets: who wrote it (when the view says so), an image (sized in its own
// ratio before it loads) or a file link, the text, the time and, on the viewer's own messages, sent (✓) or read (✓✓).
// Data goes into the page as text only (dom.ts). Hooks: data-message-id, data-seq, data-author.

import type { Media, Message } from './api';
import { fill, h, Kid } from './dom';

/** The tallest an image is shown, in px (the widgets' styles: `.msg img` max-height). */
const IMAGE_MAX = 240;

/** What a message needs from the widget that shows it. */
export interface MessageView {
  /** The viewer's own side (✓/✓✓, on the right). */
  own(m: Message): boolean;
  /** A notice rather than a bubble (centred). */
  sys(m: Message): boolean;
  /** The line above the text: who wrote it, when that is worth saying. */
  who(m: Message): Kid;
  /** 'file' (a file without a name), 'sent', 'read'. */
  say(key: 'file' | 'sent' | 'read'): string;
  time(iso: string): string;
  /** The URL an image is shown from. */
  media(uri: string): Promise<string>;
  /** The link to a file that is not shown inline. */
  fileLink(media: Media, name: string): HTMLElement;
}

export const isImage = (m: Message) => !!m.media && (m.media.type === 1 || /^image\//.test(m.media.format || ''));

/** Fills a message's <li> (made when `el` is undefined; a status change fills it again). */
export function renderMessage(el: HTMLElement | undefined, m: Message, v: MessageView): HTMLElement {
  const own = v.own(m);
  el ||= h('li', { class: 'msg' + (own ? ' me' : v.sys(m) ? ' sys' : ''), 'data-message-id': m.id, 'data-seq': m.seq, 'data-author': m.author });
  let media: Node | null = null;
  if (m.media) {
    const { uri, width: w, height: ht } = m.media;
    const name = m.media.name || v.say('file');
    if (isImage(m)) {
      const img = h('img', { alt: name, width: w, height: ht });
      // the box is as wide as fits IMAGE_MAX px high (the bubble may narrow it further; the height follows)
      if (w && ht) img.style.width = Math.min(w, (IMAGE_MAX * w) / ht) + 'px';
      v.media(uri).then((u) => (img.src = u), () => {});
      media = img;
    } else {
      media = v.fileLink(m.media, name);
    }
  }
  const status = own ? (m.status === 3 ? ' ✓✓' : ' ✓') : '';
  const said = m.status === 3 ? v.say('read') : v.say('sent');
  fill(el, v.who(m), media, m.message,
    h('small', null, v.time(m.createdAt), status ? h('span', { 'aria-label': said, title: said }, status) : null));
  return el;
}
