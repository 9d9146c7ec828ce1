// One message in the chat log: the name of another operator who wrote it, an image (sized in its own ratio
// before it loads) or a file link, the text, the time and, on the operator's side, sent or read. Data goes into
// the page as text only (dom.ts).

import type { Message } from './api';
import { fill, h, icon, ICONS } from './dom';
import type { I18n } from './i18n';

/** The tallest an image is shown, in px (styles.ts: `.msg img` max-height). */
const IMAGE_MAX = 240;

/** What a message needs from its panel. */
export interface MessageView {
  t: I18n;
  time(iso: string): string;
  /** The media file as a blob: URL (fetched with the token in a header). */
  media(uri: string): Promise<string>;
  download(e: Event, uri: string, name: string): void;
}

const isImage = (m: Message) => m.media && (m.media.type === 1 || /^image\//.test(m.media.format || ''));

/** Fills a message's <li> (made when `el` is undefined; a status change fills it again); `me` is the operator. */
export function renderMessage(el: HTMLElement | undefined, m: Message, me: number, v: MessageView): HTMLElement {
  const t = v.t.t;
  const own = m.author === 0;
  el ||= h('li', { class: 'msg' + (own ? ' me' : m.author > 1 ? ' sys' : ''), 'data-message-id': m.id, 'data-seq': m.seq });
  const who = own && m.operator && m.operator.id !== me ? m.operator.name : '';
  let media: Node | null = null;
  if (m.media) {
    const { uri, width: w, height: ht } = m.media;
    const name = m.media.name || t('file');
    if (isImage(m)) {
      const img = h('img', { alt: name, width: w, height: ht });
      // the box is as wide as fits IMAGE_MAX px high (the bubble may narrow it further; the height follows)
      if (w && ht) img.style.width = Math.min(w, (IMAGE_MAX * w) / ht) + 'px';
      v.media(uri).then((u) => (img.src = u), () => {});
      media = img;
    } else {
      media = h('a', { href: '#', download: name, onclick: (e: Event) => v.download(e, uri, name) }, icon(ICONS.file), name);
    }
  }
  const status = own ? (m.status === 3 ? ' ✓✓' : ' ✓') : '';
  const said = m.status === 3 ? t('read') : t('sent');
  fill(el, who ? h('i', null, who) : null, media, m.message,
    h('small', null, v.time(m.createdAt), status ? h('span', { 'aria-label': said, title: said }, status) : null));
  return el;
}
