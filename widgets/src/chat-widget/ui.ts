// The chat window, loaded when the browser is idle after the launcher shows (or at the first open): a dialog with
// the conversation (role=log), the composer, the pre-chat form, the offline form, the rating and the transcript.
// It renders what the Widget holds; every text from the server or the visitor goes in as text, never as HTML.

import type { Media, Message } from '../shared/api';
import { ApiError } from '../shared/api';
import { fill, h, icon, ICONS } from '../shared/dom';
import { MessageView, renderMessage } from '../shared/messages';
import { WIN_CSS } from './styles';
import type { Key } from './texts';
import { Pending, rid, Widget } from './widget';

export interface View {
  readonly id: string;
  /** Shows the window; moves the focus into it when asked (a visitor's open, not the tag's `open` at load). */
  show(focus: boolean): void;
  hide(): void;
  render(): void;
  /** A shown message changed (its status). */
  changed(m: Message): void;
  /** The visitor can see the messages (for read markers). */
  showsLog(): boolean;
}

const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{2,63}$/;
const PHONE = /^\+?[0-9 ()./-]{5,24}$/;
const MAX_FILE = 10 * 1024 * 1024;
const FIELDS = { name: ['text', 'name'], email: ['email', 'email'], phone: ['tel', 'tel'] } as const;
type Field = keyof typeof FIELDS;

export function mount(w: Widget): View {
  return new Win(w);
}

class Win implements View, MessageView {
  readonly id = 'chathub-win-' + rid();
  private t = this.w.t;
  private win: HTMLElement;
  private title = h('h2', { id: this.id + '-t' });
  private endBtn: HTMLButtonElement;
  private banner = h('div', { class: 'banner', role: 'status', hidden: true });
  private body = h('div', { class: 'body' });
  private chat: HTMLElement;
  private log: HTMLElement;
  private greet = h('p', { class: 'greet' });
  private list = h('ul', { class: 'msgs' });
  private typing = h('div', { class: 'typing', 'aria-live': 'polite' });
  private foot = h('div');
  private comp: HTMLFormElement;
  private text: HTMLTextAreaElement;
  private fileIn: HTMLInputElement;
  private els = new Map<number, HTMLElement>();
  private pendEls = new Map<Pending, HTMLElement>();
  private gen = -1;
  private view = '';
  private pane: HTMLElement | null = null;
  private footKey = '';
  private score = 0;

  constructor(private w: Widget) {
    const t = this.t;
    this.endBtn = h('button', { class: 'ib', type: 'button', 'aria-label': t('end'), title: t('end'), onclick: () => this.end() }, icon(ICONS.exit));
    this.log = h('div', { class: 'log', role: 'log', tabindex: 0, 'aria-label': t('messages') }, this.greet, this.list);
    this.text = h('textarea', { rows: 1, 'aria-label': t('message'), placeholder: t('message'), maxlength: 4000,
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          this.submit();
        }
      },
      oninput: () => this.typed(),
    });
    this.fileIn = h('input', { type: 'file', hidden: true, tabindex: -1, 'aria-label': t('attach'), onchange: () => this.attach() });
    this.comp = h('form', { class: 'comp', onsubmit: (e: Event) => { e.preventDefault(); this.submit(); } },
      h('button', { type: 'button', class: 'ib', 'aria-label': t('attach'), title: t('attach'), onclick: () => this.fileIn.click() }, icon(ICONS.clip)),
      this.fileIn, this.text,
      h('button', { type: 'submit', class: 'ib', 'aria-label': t('send'), title: t('send') }, icon(ICONS.send)));
    this.chat = h('div', { class: 'body' }, this.log, this.typing, this.foot, this.comp);
    this.win = h('section', { class: 'win', id: this.id, role: 'dialog', 'aria-labelledby': this.id + '-t', hidden: true },
      h('div', { class: 'hd' }, this.title, this.endBtn,
        h('button', { class: 'ib', type: 'button', 'aria-label': t('close'), title: t('close'), onclick: () => w.close() }, icon(ICONS.down))),
      this.banner, this.body);
    this.win.addEventListener('keydown', (e) => e.key === 'Escape' && w.close());
    this.log.addEventListener('scroll', () => w.markRead());
    const style = h('style');
    style.textContent = WIN_CSS;
    w.root.insertBefore(style, w.launcher);
    w.root.insertBefore(this.win, w.launcher);
    w.launcher.setAttribute('aria-controls', this.id);
  }

  show(focus: boolean) {
    this.render();
    this.win.hidden = false;
    this.log.scrollTop = this.log.scrollHeight;
    if (!focus) return;
    const first = this.view === 'chat' ? this.text : this.pane?.querySelector<HTMLElement>('input,textarea,button');
    (first || this.win).focus();
  }

  hide() {
    this.win.hidden = true;
  }

  showsLog() {
    return this.view === 'chat' && !this.win.hidden;
  }

  // ---- MessageView: the visitor's own side is author 1; operators are named, with their photo ----
  own = (m: Message) => m.author === 1;
  sys = (m: Message) => m.author === 3;
  say = (k: 'file' | 'sent' | 'read') => this.t(k);
  time = (iso: string) => this.w.time(iso);
  media = (uri: string) => Promise.resolve(this.w.mediaUrl(uri));
  fileLink = (media: Media, name: string) =>
    h('a', { href: this.w.mediaUrl(media.uri), target: '_blank', rel: 'noopener noreferrer', download: name }, icon(ICONS.file), name);

  who = (m: Message) => {
    if (m.author !== 0 && m.author !== 2) return null;
    const i = this.w.msgs.indexOf(m);
    const prev = this.w.msgs[i - 1];
    if (prev && prev.author === m.author && prev.operator?.id === m.operator?.id) return null;
    const name = m.operator?.name || this.t('operator');
    const op = this.w.operator;
    const photo = op && op.id === m.operator?.id && /^https?:\/\//i.test(op.photo || '') ? op.photo : null;
    return h('span', { class: 'who' },
      photo ? h('img', { class: 'av', src: photo, alt: '', referrerpolicy: 'no-referrer' }) : h('span', { class: 'av', 'aria-hidden': 'true' }, [...name][0].toUpperCase()),
      name);
  };

  changed(m: Message) {
    const el = this.els.get(m.id);
    if (el) renderMessage(el, m, this);
  }

  // ---- rendering ----

  render() {
    const w = this.w;
    const t = this.t;
    const org = w.org;
    fill(this.title, org.name, w.operator ? h('small', null, w.operator.name) : null);
    this.banner.hidden = w.up;
    this.banner.textContent = w.up ? '' : t('reconnecting');
    const pre = org.preChat.fields.filter((f): f is Field => f in FIELDS);
    const view = w.state === 'offline' ? (w.offlineSent ? 'sent' : 'offline')
      : pre.length && !w.contact && !w.chatId && !w.msgs.length && !w.pending.length ? 'prechat' : 'chat';
    if (view !== this.view) {
      const focused = this.win.contains(w.root.activeElement);
      this.view = view;
      this.pane = view === 'prechat' ? this.prechat(pre) : view === 'chat' ? null : this.offline();
      fill(this.body, this.pane || this.chat);
      if (focused || !this.win.hidden) queueMicrotask(() => !this.win.hidden && this.show(focused));
    }
    this.endBtn.hidden = view !== 'chat' || !w.chatId || w.chatStatus === 4;
    if (view === 'chat') this.renderChat();
  }

  private renderChat() {
    const w = this.w;
    const t = this.t;
    const atBottom = this.log.scrollTop + this.log.clientHeight > this.log.scrollHeight - 60;
    this.greet.hidden = !w.org.greeting;
    this.greet.textContent = w.org.greeting || '';
    if (this.gen !== w.listGen) {
      this.gen = w.listGen;
      this.els.clear();
      this.list.replaceChildren();
    }
    const keep = new Set<Element>();
    let prev: Element | null = null;
    const place = (el: Element) => {
      const want: Element | null = prev ? prev.nextElementSibling : this.list.firstElementChild;
      if (want !== el) this.list.insertBefore(el, want);
      keep.add(el);
      prev = el;
    };
    let mine = false;
    for (const m of w.msgs) {
      let el = this.els.get(m.id);
      if (!el) {
        el = renderMessage(undefined, m, this);
        this.els.set(m.id, el);
        mine ||= m.author === 1;
      }
      place(el);
    }
    for (const p of w.pending) {
      let el = this.pendEls.get(p);
      if (!el) {
        this.pendEls.set(p, (el = h('li', { class: 'msg me pending' })));
        mine = true;
      }
      el.classList.toggle('fail', !!p.failed);
      fill(el, p.text ?? '📎 ' + p.file!.name, h('small', null,
        p.error ? h('span', { class: 'err', role: 'alert' }, p.error + ' ') : null,
        p.failed ? h('button', { type: 'button', class: 'rt', onclick: () => w.deliver(p) }, t('failed')) : t('sending')));
      place(el);
    }
    for (const el of [...this.list.children]) if (!keep.has(el)) el.remove();
    for (const [p, el] of this.pendEls) if (!w.pending.includes(p)) this.pendEls.delete(p) && el.remove();
    if (atBottom || mine) this.log.scrollTop = this.log.scrollHeight;
    this.typing.textContent = w.typing ? t('typing', { name: w.typing }) : '';
    this.renderFoot();
  }

  /** Below the log: once the chat is closed, the rating (until given) and the transcript. */
  private renderFoot() {
    const w = this.w;
    const t = this.t;
    const closed = w.chatId > 0 && w.chatStatus === 4;
    const key = closed ? (w.rated ? 'rated' : 'rate') + w.chatId : '';
    if (key === this.footKey) return;
    const focused = this.foot.contains(w.root.activeElement);
    this.footKey = key;
    this.score = 0;
    if (!closed) return fill(this.foot);
    const link = h('a', { href: '#', 'data-transcript': '', onclick: (e: Event) => { e.preventDefault(); w.transcript().catch(() => {}); } }, t('transcript'));
    if (w.rated) return fill(this.foot, h('p', { class: 'note', role: 'status' }, t('ended') + ' ' + t('thanks') + ' ', link));
    const err = h('p', { class: 'err', role: 'alert' });
    const comment = h('textarea', { name: 'comment', maxlength: 2000 });
    const stars = [1, 2, 3, 4, 5].map((n) => h('button', { type: 'button', 'data-score': n, 'aria-label': t('score', { n }), 'aria-pressed': 'false', onclick: () => {
      this.score = n;
      for (const b of stars) b.setAttribute('aria-pressed', String(+b.dataset.score! <= n));
    } }, '★'));
    const id = this.id + '-r';
    fill(this.foot, h('section', { class: 'rating', 'data-rating': '', 'aria-labelledby': id },
      h('p', { class: 'note', style: 'padding:0' }, t('ended') + ' ', link),
      h('h3', { id }, t('rate')),
      h('div', { class: 'stars', role: 'group', 'aria-labelledby': id }, ...stars),
      h('label', null, t('comment'), comment),
      err,
      h('button', { type: 'button', class: 'btn', onclick: async () => {
        if (!this.score) return stars[4].focus();
        try {
          await w.rate(this.score, comment.value);
        } catch (e) {
          err.textContent = e instanceof ApiError ? w.problem(e) : t('error');
        }
      } }, t('send'))));
    if (focused) this.foot.querySelector<HTMLElement>('a,button')?.focus();
  }

  // ---- forms ----

  /** A form whose fields are checked here first (the server checks again); `send` gets the filled-in values. */
  private form(attr: string, fields: [Field | 'textMessage', boolean][], button: Key, send: (v: Record<string, string>) => Promise<void>, ...head: HTMLElement[]) {
    const t = this.t;
    const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement>();
    const errs = new Map<string, HTMLElement>();
    const general = h('p', { class: 'err', role: 'alert' });
    const rows = fields.map(([f, required]) => {
      const id = this.id + '-' + f;
      const input = f === 'textMessage'
        ? h('textarea', { name: f, id, rows: 4, maxlength: 4000, 'aria-required': required, 'aria-describedby': id + '-e' })
        : h('input', { name: f, id, type: FIELDS[f][0], autocomplete: FIELDS[f][1], 'aria-required': required, 'aria-describedby': id + '-e' });
      inputs.set(f, input);
      const e = h('span', { class: 'err', id: id + '-e' });
      errs.set(f, e);
      return h('label', null, t(f === 'textMessage' ? 'message' : f) + (required ? ' *' : ''), input, e);
    });
    const set = (f: string, msg: string) => {
      const input = inputs.get(f);
      if (!input) return (general.textContent = msg);
      input.setAttribute('aria-invalid', String(!!msg));
      errs.get(f)!.textContent = msg;
    };
    const form = h('form', { class: 'pane', novalidate: true, [attr]: '', onsubmit: async (e: Event) => {
      e.preventDefault();
      general.textContent = '';
      const v: Record<string, string> = {};
      let bad: HTMLElement | null = null;
      for (const [f, required] of fields) {
        const value = inputs.get(f)!.value.trim();
        const msg = !value ? (required ? t('required') : '') : f === 'email' && !EMAIL.test(value) ? t('badEmail') : f === 'phone' && !PHONE.test(value) ? t('badPhone') : '';
        set(f, msg);
        if (msg) bad ||= inputs.get(f)!;
        else if (value) v[f] = value;
      }
      if (attr === 'data-offline' && !bad && !v.email && !v.phone) {
        set('email', t('contactNeeded'));
        bad = inputs.get('email')!;
      }
      if (bad) return bad.focus();
      const submit = form.querySelector('button')!;
      submit.disabled = true;
      try {
        await send(v);
      } catch (err) {
        const x = err instanceof ApiError ? err : null;
        const msg = x ? this.w.problem(x) : t('error');
        if (x?.field && inputs.has(x.field)) {
          set(x.field, msg);
          inputs.get(x.field)!.focus();
        } else {
          general.textContent = msg;
        }
      }
      submit.disabled = false;
    } }, ...head, ...rows, general, h('button', { type: 'submit', class: 'btn' }, t(button)));
    return form;
  }

  private prechat(fields: Field[]) {
    const req = this.w.org.preChat.required;
    const greeting = this.w.org.greeting;
    return this.form('data-prechat', fields.map((f): [Field, boolean] => [f, req.includes(f)]), 'start', (v) => this.w.giveContact(v),
      ...(greeting ? [h('p', null, greeting)] : []));
  }

  private offline() {
    const t = this.t;
    const w = this.w;
    const contact = w.org.offlineContact ? h('p', null, t('reach', { name: w.org.offlineContact })) : null;
    if (w.offlineSent) return h('div', { class: 'pane' }, h('p', { role: 'status' }, t('offlineSent')), contact || '');
    return this.form('data-offline', [['name', true], ['email', false], ['phone', false], ['textMessage', true]], 'send',
      (v) => w.leaveOffline(v), h('h3', null, t('offlineTitle')), h('p', null, t('offlineIntro')), ...(contact ? [contact] : []));
  }

  // ---- composer ----

  private submit() {
    const text = this.text.value;
    if (!text.trim()) return;
    this.w.send(text);
    this.text.value = '';
    this.text.style.height = '';
    this.text.focus();
  }

  private typed() {
    this.text.style.height = 'auto';
    this.text.style.height = Math.min(120, this.text.scrollHeight + 2) + 'px';
    if (this.text.value) this.w.typed();
  }

  private attach() {
    const f = this.fileIn.files?.[0];
    this.fileIn.value = '';
    if (!f) return;
    if (f.size > MAX_FILE) this.typing.textContent = f.name + ': ' + this.t('tooLarge');
    else this.w.send('', f);
    this.text.focus();
  }

  private async end() {
    try {
      await this.w.end();
    } catch { /* the chat stays as it is */ }
    this.text.focus();
  }
}
