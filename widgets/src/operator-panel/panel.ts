// One operator chat panel: the <chathub-operator-panel> element (open shadow DOM), its connection (REST + hub)
// and its state. A panel belongs to one script tag; main.ts mounts, re-targets (new token) and destroys panels.

import { Api, ApiError, Chat, Media, mediaOf, Message, Operator } from './api';
import { fill, h, icon, ICONS } from '../shared/dom';
import { reportError } from './events';
import { Hub } from '../shared/hub';
import { i18n, I18n, pickLanguage } from './i18n';
import { MessageView, renderMessage } from '../shared/messages';
import { CSS } from './styles';
import { marks, Match } from '../shared/search';

export type State = 'loading' | 'ready' | 'reconnecting' | 'error';
const PAGE = 30;
const HISTORY = 50;
const MAX_FILE = 10 * 1024 * 1024;
const TAG = 'chathub-operator-panel';

if (!customElements.get(TAG)) customElements.define(TAG, class extends HTMLElement {});

/** The token of a script tag; tolerates a JSON string ("…") or a {"token": …} object read with .text(). */
export function readToken(tag: Element): string {
  let t = (tag.getAttribute('token') || '').trim();
  if (t[0] === '{') {
    try {
      const o = JSON.parse(t);
      if (typeof o.token === 'string') t = o.token.trim();
    } catch { /* not JSON: use as is */ }
  }
  if (t.length > 1 && t[0] === '"' && t.endsWith('"')) t = t.slice(1, -1).trim();
  return t;
}

// ---- the page's title shows the unread count of all panels ----
const unread = new Map<Panel, number>();
function updateTitle() {
  let n = 0;
  for (const v of unread.values()) n += v;
  const base = document.title.replace(/^\(\d+\) /, '');
  const want = n ? `(${n}) ${base}` : base;
  if (document.title !== want) document.title = want;
}

let audio: AudioContext | undefined;
/** Audio must be started from a user gesture: called when the operator turns sound on. */
function unlockAudio() {
  try {
    audio ||= new AudioContext();
    audio.resume();
  } catch { /* no audio */ }
}
function beep() {
  try {
    if (!audio) return;
    const o = audio.createOscillator();
    const g = audio.createGain();
    const t = audio.currentTime;
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.08, t);
    g.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    o.connect(g).connect(audio.destination);
    o.start();
    o.stop(t + 0.3);
  } catch { /* no audio */ }
}

function rid() {
  const a = new Uint32Array(3);
  crypto.getRandomValues(a);
  return 'panel-' + Array.from(a, (x) => x.toString(36)).join('');
}

const when = (c: Chat) => Math.max(Date.parse(c.updatedAt) || 0, Date.parse(c.lastMessage?.createdAt || '') || 0);
/** The unread count the panel shows: none for a Closed chat (status 4), whatever the server still counts. */
const unreadOf = (c: Chat) => (c.chatStatus === 4 ? 0 : c.countUnread);
/** The JWT's kind claim ("operator", "company"), read only to word an error; the server decides. */
function tokenKind(token: string): string | undefined {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).kind;
  } catch {
    return undefined;
  }
}
const flag = (v: string | null) => v != null && v !== 'false' && v !== 'off' && v !== '0';

interface Pending { key: string; chatId: number; text?: string; file?: File; note?: boolean; el: HTMLElement; failed?: boolean }
interface Canned { shortcut: string; text: string }
/** the composer's private-note toggle (a note pad) */
const NOTE_ICON = 'M5 3h10l4 4v14H5zM9 9h6M9 13h6M9 17h4';

export class Panel implements MessageView {
  readonly el: HTMLElement;
  private root: ShadowRoot;
  private api: Api;
  private hub: Hub | null = null;
  readonly t: I18n;
  private state: State = 'loading';
  private gen = 0;
  private attempt = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private everReady = false;
  private dead = false; // the token was refused: wait for a new one
  private destroyed = false;
  private reported = '';

  private me = 0;
  private orgId = 0;
  private orgName = '';
  private operators: Operator[] = [];
  private chats = new Map<number, Chat>();
  private page = 1;
  private more = false;
  private listLoading = false;
  private listGen = 0;
  private filter = '';
  private search = '';
  /** the search's answer: the message each chat was found by (shown under it; opening the chat goes there) */
  private hits = new Map<number, Match>();
  private found = 0; // the open chat's message that the search found
  private openId = 0;
  private msgs: Message[] = [];
  private msgEls = new Map<number, HTMLElement>();
  private older = false;
  private loadingOlder = false;
  private pending: Pending[] = [];
  private files: File[] = [];
  private blobs = new Map<string, Promise<string>>();
  private typingTimer?: ReturnType<typeof setTimeout>;
  private typingSent = 0;
  private sound: boolean;
  private float: boolean;
  private isOpen: boolean;
  private scheduled = false;
  private fmtTime: Intl.DateTimeFormat;
  private fmtDay: Intl.DateTimeFormat;

  // elements
  private launcher?: HTMLButtonElement;
  private badge = h('span', { class: 'badge', hidden: true });
  private win: HTMLElement;
  private title = h('h2');
  private banner = h('div', { class: 'banner', hidden: true });
  private body = h('div', { class: 'body' });
  private center = h('div', { class: 'center' });
  private list: HTMLElement;
  private items = h('ul', { class: 'items', role: 'list' });
  private itemEls = new Map<number, HTMLButtonElement>();
  private tools: HTMLElement;
  private searchIn: HTMLInputElement;
  private filterSel: HTMLSelectElement;
  private chat: HTMLElement;
  private chatTitle = h('h2');
  /** a website or messenger chat's facts: page, language, offline message, rating */
  private info = h('p', { class: 'info', hidden: true });
  private ctl = h('div', { class: 'ctl' });
  private log: HTMLElement; // the scrolling role=log region around msgList
  private msgList = h('ul', { class: 'msgs' });
  private typing = h('div', { class: 'typing', 'aria-live': 'polite' });
  private form: HTMLFormElement;
  private text: HTMLTextAreaElement;
  private atts = h('div', { class: 'atts', hidden: true });
  private fileIn: HTMLInputElement;
  private soundBtn: HTMLButtonElement;
  private noteBtn: HTMLButtonElement;
  private note = false; // the composer writes a private note (POST /api/chat/{id}/note)
  private canned: Canned[] = []; // the organization's canned responses: `/` in the composer offers them
  private picks: Canned[] = [];
  private pickAt = 0;
  private pick: HTMLElement;

  constructor(private tag: HTMLScriptElement, readonly base: string, private token: string, index: number) {
    const lang = pickLanguage(tag.getAttribute('lang'));
    this.t = i18n(lang);
    const t = this.t.t;
    this.fmtTime = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
    this.fmtDay = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short' });
    this.api = new Api(base, token);
    this.sound = flag(tag.getAttribute('sound'));
    if (this.sound) document.addEventListener('pointerdown', unlockAudio, { once: true });

    const containerName = tag.getAttribute('container');
    let container: Element | null = null;
    if (containerName) {
      container = document.getElementById(containerName);
      try {
        container ||= document.querySelector(containerName);
      } catch { /* not a selector */ }
      if (!container) console.warn(`ChatHub panel: container "${containerName}" not found; showing a floating panel`);
    }
    this.float = !container;
    this.isOpen = !this.float || flag(tag.getAttribute('open'));

    this.el = document.createElement(TAG);
    this.el.setAttribute('mode', this.float ? 'float' : 'inline');
    const theme = tag.getAttribute('theme');
    if (theme === 'light' || theme === 'dark') this.el.setAttribute('theme', theme);
    if (this.float) this.el.style.setProperty('--i', String(index));
    this.root = this.el.attachShadow({ mode: 'open' });

    // list pane
    this.searchIn = h('input', { type: 'search', placeholder: t('search'), 'aria-label': t('search'), oninput: () => this.searchChanged() });
    this.filterSel = h('select', { 'aria-label': t('filter'), onchange: () => { this.filter = this.filterSel.value; this.reloadList(); } },
      h('option', { value: '' }, t('allStatuses')),
      ...[0, 1, 2, 3, 4].map((s) => h('option', { value: s }, this.t.status(s))));
    this.items.setAttribute('aria-label', t('chatList'));
    this.items.addEventListener('scroll', () => this.items.scrollTop + this.items.clientHeight > this.items.scrollHeight - 60 && this.loadMore());
    this.items.addEventListener('keydown', (e) => this.listKeys(e));
    this.tools = h('div', { class: 'tools', role: 'search' }, this.searchIn, this.filterSel);
    this.list = h('div', { class: 'list' }, this.tools, this.items);

    // chat pane
    this.log = h('div', { class: 'log', role: 'log', tabindex: 0, 'aria-label': t('messages') }, this.msgList);
    this.log.addEventListener('scroll', () => this.log.scrollTop < 80 && this.loadOlder());
    const pickId = rid();
    this.pick = h('ul', { class: 'pick', id: pickId, role: 'listbox', 'aria-label': t('canned'), hidden: true });
    this.text = h('textarea', { rows: 1, placeholder: t('message'), 'aria-label': t('message'), 'aria-autocomplete': 'list', 'aria-controls': pickId, onkeydown: (e: KeyboardEvent) => this.composerKeys(e), oninput: () => this.typed(), onpaste: (e: ClipboardEvent) => this.pasted(e) });
    this.fileIn = h('input', { type: 'file', multiple: true, hidden: true, tabindex: -1, onchange: () => { this.addFiles(this.fileIn.files); this.fileIn.value = ''; } });
    this.form = h('form', { onsubmit: (e: Event) => { e.preventDefault(); this.submit(); } },
      h('button', { type: 'button', class: 'ib', 'aria-label': t('attach'), title: t('attach'), onclick: () => this.fileIn.click() }, icon(ICONS.clip)),
      this.noteBtn = h('button', { type: 'button', class: 'ib', 'aria-label': t('noteMode'), title: t('noteMode'), 'aria-pressed': 'false', onclick: () => this.noteMode(!this.note) }, icon(NOTE_ICON)),
      this.fileIn, this.text,
      h('button', { type: 'submit', class: 'ib', 'aria-label': t('send'), title: t('send') }, icon(ICONS.send)));
    this.chat = h('section', { class: 'chat' },
      h('header', null, h('button', { class: 'ib back', 'aria-label': t('back'), title: t('back'), onclick: () => this.back() }, icon(ICONS.back)), this.chatTitle),
      this.info, this.ctl, this.log, this.typing, this.atts, this.pick, this.form);
    for (const ev of ['dragenter', 'dragover']) this.chat.addEventListener(ev, (e) => { if (this.openId) { e.preventDefault(); this.chat.classList.add('drop'); } });
    this.chat.addEventListener('dragleave', (e) => { if (!this.chat.contains(e.relatedTarget as Node)) this.chat.classList.remove('drop'); });
    this.chat.addEventListener('drop', (e) => {
      e.preventDefault();
      this.chat.classList.remove('drop');
      if (this.openId) this.addFiles((e as DragEvent).dataTransfer?.files || null);
    });

    this.soundBtn = h('button', { class: 'ib', 'aria-label': t('sound'), title: t('sound'), 'aria-pressed': String(this.sound), onclick: () => { this.sound = !this.sound; if (this.sound) unlockAudio(); this.soundBtn.setAttribute('aria-pressed', String(this.sound)); } }, icon(ICONS.bell));
    const winId = rid();
    this.win = h('section', { class: 'win', id: winId, role: this.float ? 'dialog' : 'region', 'aria-label': 'ChatHub', hidden: !this.isOpen },
      // a title bar, not the page's banner landmark (a <header> in a dialog would be one)
      h('div', { class: 'hd' }, this.title, this.soundBtn,
        this.float && h('button', { class: 'ib', 'aria-label': t('closePanel'), title: t('closePanel'), onclick: () => this.toggle(false) }, icon(ICONS.close))),
      this.banner, this.body);
    this.win.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      if (this.win.dataset.view === 'chat' && this.win.clientWidth < 700) this.back();
      else if (this.float) this.toggle(false);
    });
    this.body.append(this.center, this.list, this.chat);
    const style = h('style');
    style.textContent = CSS;
    this.root.append(style);
    if (this.float) {
      this.launcher = h('button', { class: 'launcher', 'aria-label': t('openPanel'), 'aria-controls': winId, 'aria-expanded': String(this.isOpen), onclick: () => this.toggle() }, icon(ICONS.chat), this.badge);
      this.root.append(this.win, this.launcher);
    } else {
      this.root.append(this.win);
    }
    this.renderTitle();
    this.setState('loading');
    (container || document.body).append(this.el);
    document.addEventListener('visibilitychange', this.onVisible);
    window.addEventListener('online', this.onOnline);
    this.connect();
  }

  // ---- lifecycle ----

  /** The tag was replaced by another with the same id (token refresh): keep everything, use its token. */
  retarget(tag: HTMLScriptElement, token: string) {
    this.tag = tag;
    this.setToken(token);
  }

  setToken(token: string) {
    if (token === this.token && !this.dead) return;
    this.token = this.api.token = token;
    this.dead = false;
    this.reported = '';
    this.attempt = 0;
    this.connect();
  }

  destroy() {
    this.destroyed = true;
    this.gen++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.typingTimer);
    this.hub?.stop();
    this.hub = null;
    document.removeEventListener('visibilitychange', this.onVisible);
    window.removeEventListener('online', this.onOnline);
    for (const p of this.blobs.values()) p.then(URL.revokeObjectURL, () => {});
    unread.delete(this);
    updateTitle();
    this.el.remove();
  }

  private onVisible = () => document.visibilityState === 'visible' && this.markRead();
  private onOnline = () => {
    if (!this.dead && !this.destroyed && this.state !== 'ready') this.connect();
  };

  private setState(state: State, message?: string) {
    this.state = state;
    this.el.setAttribute('state', state);
    this.win.setAttribute('aria-busy', String(state === 'loading'));
    const t = this.t.t;
    const hasContent = this.everReady;
    this.center.hidden = hasContent;
    this.list.hidden = this.chat.hidden = !hasContent;
    if (!hasContent) {
      fill(this.center, ...(state === 'error'
        ? [h('p', { role: 'alert', class: 'err-t' }, message || '')]
        : [h('div', { class: 'spin', 'aria-hidden': 'true' }), h('p', { role: 'status' }, t('loading'))]));
    }
    const text = hasContent ? (state === 'reconnecting' ? t('reconnecting') : state === 'error' ? message || '' : '') : '';
    this.banner.hidden = !text;
    this.banner.className = state === 'error' ? 'banner err' : 'banner';
    if (text) this.banner.setAttribute('role', state === 'error' ? 'alert' : 'status');
    else this.banner.removeAttribute('role');
    this.banner.textContent = text;
    this.launcher?.toggleAttribute('disabled', false);
  }

  private report(message: string, windowError: boolean) {
    if (this.reported === message) return;
    this.reported = message;
    reportError(message, this.tag, this.el, windowError);
  }

  private async connect() {
    if (this.destroyed) return;
    clearTimeout(this.retryTimer);
    const gen = ++this.gen;
    this.hub?.stop();
    this.hub = null;
    if (this.everReady) this.setState('reconnecting');
    else if (this.state !== 'error' || this.dead === false && this.reported === '') this.setState('loading');
    try {
      const v = await this.api.call('POST', '/api/operator/validate-token', { token: this.token });
      if (gen !== this.gen) return;
      if (!v || !v.isValid) return this.refused((v && v.error) || 'Invalid token');
      if (this.me && this.me !== v.operatorId) this.reset();
      this.me = v.operatorId;
      this.operators = await this.api.call<Operator[]>('GET', '/api/operator');
      const self = this.operators.find((o) => o.id === this.me);
      this.orgId = self?.organization.id || 0;
      this.orgName = self?.organization.name || '';
      this.canned = await this.api.call<Canned[]>('GET', '/api/canned-responses').catch(() => []);
      const hub = new Hub(this.handlers());
      await hub.start(this.base.replace(/^http/, 'ws') + '/chathub?access_token=' + encodeURIComponent(this.token));
      if (gen !== this.gen) return hub.stop();
      this.hub = hub;
      hub.onclose = (error) => {
        if (this.hub !== hub) return;
        this.hub = null;
        if (error && /token expired|invalid token/i.test(error)) this.refused(error);
        else this.retry();
      };
      await this.resync();
      if (gen !== this.gen) return;
      this.attempt = 0;
      this.reported = '';
      const first = !this.everReady || this.state !== 'ready';
      this.everReady = true;
      this.setState('ready');
      this.renderTitle();
      this.render();
      if (first) window.dispatchEvent(new CustomEvent('chathub:ready', { detail: { script: this.tag, element: this.el, operatorId: this.me, organizationId: this.orgId } }));
    } catch (e) {
      if (gen !== this.gen) return;
      if (e instanceof ApiError && e.status === 401) this.refused(e.detail);
      else this.retry(e);
    }
  }

  /** The server refused the token: error state, events; the content stays until a new token arrives. */
  private refused(detail: string) {
    this.gen++;
    clearTimeout(this.retryTimer);
    this.hub?.stop();
    this.hub = null;
    this.dead = true;
    const expired = /expired/i.test(detail);
    // a company token is refused too (the panel acts as one operator): say which token it needs
    const company = !expired && tokenKind(this.token) === 'company';
    this.setState('error', this.t.t(expired ? 'expired' : company ? 'companyToken' : 'invalid'));
    this.report(expired ? 'token expired' : company ? 'Invalid token: a company token; the panel needs an operator token (POST /api/operator/get-token)' : 'Invalid token', true);
  }

  /** Connection lost or not made: try again with exponential backoff and jitter. */
  private retry(e?: unknown) {
    if (this.destroyed || this.dead) return;
    this.hub?.stop();
    this.hub = null;
    const answered = e instanceof ApiError && e.status ? e : null;
    // the server refused this page's origin (a 403 with CORS headers, so the page can read it)
    const origin = answered?.status === 403 && /origin/i.test(answered.detail);
    if (this.everReady && !origin) this.setState('reconnecting');
    else {
      this.setState('error', origin ? this.t.t('origin', { origin: location.origin }) : this.t.t('offline'));
      this.report(answered ? answered.detail : 'cannot reach the server', false);
    }
    const delay = Math.min(30_000, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private reset() {
    this.win.dataset.view = 'list';
    this.chats.clear();
    this.itemEls.clear();
    this.items.replaceChildren();
    this.closeChat();
  }

  /** After (re)connecting: the chat list, and what the open chat missed (after=), then unsent messages. */
  private async resync() {
    await this.loadList(true);
    if (this.openId) {
      if (!this.chats.has(this.openId)) {
        const c = await this.api.call<Chat>('GET', '/api/chat/chats/' + this.openId).catch(() => null);
        if (c) this.chats.set(c.id, c);
      }
      if (this.msgs.length) await this.catchUp();
      else await this.loadHistory();
      this.renderChat();
    }
    for (const p of this.pending) if (p.failed) this.deliver(p);
  }

  private handlers() {
    const message = (m: Message) => this.onMessage(m);
    return {
      ReceiveMessage: message,
      ReceiveMediaMessage: message,
      ChatCreated: (c: Chat) => {
        if (!this.matches(c)) return;
        this.chats.set(c.id, c);
        this.notify();
        this.render();
      },
      ChatAssigned: (c: Chat) => this.upsert(c),
      ChatRated: (c: Chat) => this.upsert(c),
      ChatStatusChanged: (id: number, s: number) => {
        const c = this.chats.get(id);
        if (!c) return;
        c.chatStatus = s;
        this.render();
        if (id === this.openId) this.renderChat();
      },
      MessageStatusChanged: (id: number, s: number) => {
        const m = this.msgs.find((x) => x.id === id);
        if (m && m.status !== s) {
          m.status = s;
          this.renderMessage(m);
        }
      },
      Typing: (chatId: number, author: number) => {
        if (author === 0 || chatId !== this.openId) return;
        this.typing.textContent = this.clientName(this.chats.get(chatId)) + ' ' + this.t.t('typing');
        clearTimeout(this.typingTimer);
        this.typingTimer = setTimeout(() => (this.typing.textContent = ''), 5000);
      },
    };
  }

  private upsert(c: Chat) {
    const old = this.chats.get(c.id);
    if (!old && !this.matches(c)) return;
    if (old && old.lastSeq > c.lastSeq) { // an older snapshot than what we have: keep our message state
      c.lastSeq = old.lastSeq;
      c.lastMessage = old.lastMessage;
      c.countUnread = old.countUnread;
    }
    this.chats.set(c.id, c);
    this.render();
    if (c.id === this.openId) this.renderChat();
  }

  private async onMessage(m: Message) {
    let c = this.chats.get(m.chatId);
    if (!c) {
      const fetched = await this.api.call<Chat>('GET', '/api/chat/chats/' + m.chatId).catch(() => null);
      if (!fetched || !this.matches(fetched) || this.chats.has(m.chatId)) return;
      this.chats.set(fetched.id, (c = fetched));
      if (m.author === 1) this.notify();
    } else if (m.seq > c.lastSeq) {
      c.lastSeq = m.seq;
      if (!m.isNote) c.lastMessage = m; // a note is never the chat's last message
      c.updatedAt = m.createdAt;
      if (m.author === 1) {
        c.countUnread++;
        this.notify();
      }
    }
    if (m.chatId === this.openId) {
      if (m.author === 1) this.typing.textContent = '';
      this.addMessages([m]);
      this.markRead();
    }
    this.render();
  }

  private notify() {
    if (this.sound) beep();
  }

  private matches(c: Chat) {
    if (this.filter !== '' && String(c.chatStatus) !== this.filter) return false;
    const q = this.search.toLowerCase();
    return !q || this.hits.has(c.id) || [c.client.name, c.client.phone, c.client.email, c.theme].some((v) => (v || '').toLowerCase().includes(q));
  }

  // ---- the chat list ----

  private searchTimer?: ReturnType<typeof setTimeout>;
  private searchChanged() {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.search = this.searchIn.value.trim();
      this.reloadList();
    }, 300);
  }

  private async reloadList() {
    try {
      await this.loadList(true);
    } catch { /* shown by the connection state */ }
  }

  private async loadList(reset: boolean) {
    const page = reset ? 1 : this.page + 1;
    const q = new URLSearchParams({ page: String(page), per_page: String(PAGE) });
    if (this.filter !== '') q.set('status', this.filter);
    if (this.search) q.set('search', this.search);
    this.listLoading = true;
    const gen = reset ? ++this.listGen : this.listGen;
    try {
      const r = await this.api.call<{ total: number; items: Chat[] }>('GET', '/api/chat/chats?' + q);
      if (gen !== this.listGen) return; // the filters changed meanwhile
      if (reset) {
        const open = this.chats.get(this.openId);
        this.chats.clear();
        if (open) this.chats.set(open.id, open);
        this.hits.clear();
      }
      for (const c of r.items) {
        if (c.match) this.hits.set(c.id, c.match);
        const old = this.chats.get(c.id);
        if (old && old.lastSeq > c.lastSeq) continue;
        this.chats.set(c.id, c);
      }
      this.page = page;
      this.more = page * PAGE < r.total;
    } finally {
      this.listLoading = false;
    }
    this.render();
  }

  private async loadMore() {
    if (!this.more || this.listLoading || this.state !== 'ready') return;
    try {
      await this.loadList(false);
    } catch { /* retried on the next scroll */ }
  }

  /** Coalesces renders of the list, badge and title. */
  private render() {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (!this.destroyed) this.renderList();
    });
  }

  /** The chat's source, with the channel's name for a messenger chat ("Telegram · Shop bot"). */
  private sourceOf(c: Chat): string {
    const s = this.t.source(c.source);
    return c.channel?.name ? s + ' · ' + c.channel.name : s;
  }

  /** A website chat's page (a link only for http(s): it is the visitor's word), language, offline note and rating. */
  private details(c: Chat): (Node | string)[] {
    const t = this.t.t;
    const out: (Node | string)[] = [];
    const add = (label: string, v: Node | string) => { if (out.length) out.push(' · '); out.push(label + ': ', v); };
    if (c.pageUrl) add(t('page'), /^https?:\/\//i.test(c.pageUrl) ? h('a', { href: c.pageUrl, target: '_blank', rel: 'noopener noreferrer nofollow' }, c.pageUrl) : c.pageUrl);
    if (c.language) add(t('language'), c.language);
    if (c.offline) { if (out.length) out.push(' · '); out.push(t('offlineChat')); }
    if (c.rating) { if (out.length) out.push(' · '); out.push(t('rated', { n: c.rating.score }) + (c.rating.comment ? ': “' + c.rating.comment + '”' : '')); }
    return out;
  }

  private clientName(c?: Chat) {
    return c ? c.client.name || c.client.phone || '#' + c.client.id : '';
  }

  time(iso?: string) {
    if (!iso) return '';
    const d = new Date(iso);
    return (d.toDateString() === new Date().toDateString() ? this.fmtTime : this.fmtDay).format(d);
  }

  private preview(m: Message | null) {
    if (!m) return '';
    const text = m.message || (m.media ? '📎 ' + (m.media.name || this.t.t('file')) : '');
    return (m.author === 0 ? this.t.t('you') + ': ' : '') + text;
  }

  private renderList() {
    const t = this.t.t;
    const chats = [...this.chats.values()].filter((c) => this.matches(c) || c.id === this.openId).sort((a, b) => when(b) - when(a));
    const active = this.root.activeElement as HTMLElement | null;
    const seen = new Set<number>();
    let prev: Element | null = null;
    for (const c of chats) {
      seen.add(c.id);
      let b = this.itemEls.get(c.id);
      if (!b) {
        b = h('button', { class: 'item', type: 'button', 'data-chat-id': c.id, onclick: () => this.openChat(c.id) });
        this.itemEls.set(c.id, b);
        h('li', null, b);
      }
      const name = this.clientName(c);
      const n = unreadOf(c);
      b.setAttribute('aria-current', String(c.id === this.openId));
      // no aria-label: the name is the visible text (the count read as "n unread"), as voice control expects
      fill(b,
        h('span', { class: 'av', 'aria-hidden': 'true' }, [...name.replace(/^[+#]/, '')][0]?.toUpperCase() || '?'),
        h('span', { class: 'nm' }, h('b', null, name), c.client.name && c.client.phone ? h('span', null, ' ' + c.client.phone) : null),
        h('span', { class: 'tm' }, this.time(c.lastMessage?.createdAt || c.updatedAt)),
        h('span', { class: 'last' }, this.preview(c.lastMessage)),
        this.hitOf(c.id),
        h('span', { class: 'meta' }, n ? h('span', { class: 'n', 'aria-hidden': 'true' }, n) : null, n ? h('span', { class: 'sr' }, t('unread', { n })) : null),
        h('span', { class: 'tags' }, h('span', { class: 'chip s' + c.chatStatus }, this.t.status(c.chatStatus)),
          h('span', { class: 'chip' }, this.sourceOf(c)),
          c.offline ? h('span', { class: 'chip off' }, t('offlineChat')) : null,
          c.rating ? h('span', { class: 'chip' }, '★ ' + c.rating.score) : null));
      const li = b.parentElement!;
      const want: Element | null = prev ? prev.nextElementSibling : this.items.firstElementChild;
      if (want !== li) this.items.insertBefore(li, want);
      prev = li;
    }
    for (const [id, b] of this.itemEls) {
      if (!seen.has(id)) {
        b.parentElement?.remove();
        this.itemEls.delete(id);
      }
    }
    this.items.querySelector('.empty')?.remove();
    if (!chats.length) this.items.append(h('li', { class: 'empty center' }, this.listLoading ? t('loading') : t('empty')));
    if (active && active !== this.root.activeElement && active.isConnected) active.focus();
    if (!this.openId) fill(this.chatTitle, t('select'));
    let n = 0;
    for (const c of this.chats.values()) n += unreadOf(c);
    const shown = n > 99 ? '99+' : String(n);
    this.badge.hidden = !n;
    this.badge.textContent = shown;
    this.launcher?.setAttribute('aria-label', t('openPanel') + (this.orgName ? ' — ' + this.orgName : '') + (n ? ', ' + t('unread', { n: shown }) : ''));
    if (flag(this.tag.getAttribute('title-count') ?? 'on')) {
      unread.set(this, n);
      updateTitle();
    }
  }

  /** The message a search found the chat by, its searched words in <mark> (text nodes only), or null. */
  private hitOf(id: number) {
    const m = this.hits.get(id);
    return m && this.search ? h('span', { class: 'snip' }, ...this.marked(m.text, 120)) : null;
  }

  private marked(text: string, max: number) {
    return marks(text, this.search, max).map(([x, hit]) => (hit ? h('mark', null, x) : x));
  }

  private renderTitle() {
    const self = this.operators.find((o) => o.id === this.me);
    fill(this.title, this.t.t('chats'), self ? h('small', null, [this.orgName, self.name].filter(Boolean).join(' · ')) : null);
    const org = this.orgName ? ' — ' + this.orgName : '';
    this.win.setAttribute('aria-label', 'ChatHub — ' + this.t.t('chats') + org);
    this.tools.setAttribute('aria-label', this.t.t('search') + org); // landmarks of two panels differ by name
  }

  private listKeys(e: KeyboardEvent) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const all = [...this.items.querySelectorAll<HTMLElement>('.item')];
    const i = all.indexOf(this.root.activeElement as HTMLElement);
    const j = e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : Math.max(0, Math.min(all.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)));
    all[j]?.focus();
    e.preventDefault();
  }

  private toggle(open = !this.isOpen) {
    this.isOpen = open;
    this.win.hidden = !open;
    this.launcher?.setAttribute('aria-expanded', String(open));
    if (open) {
      (this.openId ? this.text : this.searchIn).focus();
      this.markRead();
    } else {
      this.launcher?.focus();
    }
  }

  // ---- one chat ----

  private async openChat(id: number) {
    if (this.openId !== id) {
      this.closeChat();
      this.openId = id;
      this.older = true;
    }
    this.win.dataset.view = 'chat';
    this.renderChat();
    this.render();
    this.text.focus();
    try {
      await this.loadHistory();
    } catch { /* resync loads it after reconnecting */ }
  }

  private closeChat() {
    this.openId = 0;
    this.found = 0;
    this.msgs = [];
    this.msgEls.clear();
    this.msgList.replaceChildren();
    this.typing.textContent = '';
    this.files = [];
    this.renderFiles();
    this.showPicks(-1);
    if (this.note) this.noteMode(false);
  }

  private back() {
    const id = this.openId;
    this.win.dataset.view = 'list';
    this.closeChat();
    this.renderChat();
    this.render();
    queueMicrotask(() => (this.itemEls.get(id) || this.searchIn).focus());
  }

  private async loadHistory() {
    const id = this.openId;
    // opened from a search's result: the history around the message it found, which is scrolled to and marked
    const hit = this.search ? this.hits.get(id) : undefined;
    const before = hit ? hit.seq + HISTORY / 2 : 9007199254740991;
    const page = await this.api.call<Message[]>('GET', `/api/chat/${id}/messages?before=${before}&limit=${HISTORY}`);
    if (id !== this.openId) return;
    this.older = page.length === HISTORY && page[0].seq > 1;
    this.addMessages(page);
    this.log.scrollTop = this.log.scrollHeight;
    await this.catchUp();
    const m = hit && this.msgs.find((x) => x.id === hit.messageId);
    if (m) {
      this.found = m.id;
      this.renderMessage(m).scrollIntoView({ block: 'center' });
    }
    this.markRead();
  }

  private async loadOlder() {
    if (!this.older || this.loadingOlder || !this.msgs.length) return;
    const id = this.openId;
    this.loadingOlder = true;
    try {
      const page = await this.api.call<Message[]>('GET', `/api/chat/${id}/messages?before=${this.msgs[0].seq}&limit=${HISTORY}`);
      if (id !== this.openId) return;
      this.older = page.length === HISTORY && page[0].seq > 1;
      const h0 = this.log.scrollHeight;
      this.addMessages(page, true);
      this.log.scrollTop += this.log.scrollHeight - h0;
    } catch { /* try again on the next scroll */ } finally {
      this.loadingOlder = false;
    }
  }

  /** What the open chat missed: GET …/messages?after={last seq}, page by page. */
  private async catchUp() {
    const id = this.openId;
    for (;;) {
      const last = this.msgs.length ? this.msgs[this.msgs.length - 1].seq : 0;
      const page = await this.api.call<Message[]>('GET', `/api/chat/${id}/messages?after=${last}&limit=100`);
      if (id !== this.openId) return;
      this.addMessages(page);
      const c = this.chats.get(id);
      const m = page[page.length - 1];
      if (c && m && m.seq > c.lastSeq) {
        c.lastSeq = m.seq;
        c.lastMessage = m;
      }
      if (page.length < 100) return;
    }
  }

  /** Adds messages in seq order; a message already shown (same id) is not shown twice. */
  private addMessages(list: Message[], keepScroll = false) {
    const nearBottom = this.log.scrollTop + this.log.clientHeight > this.log.scrollHeight - 80;
    let mine = false;
    for (const m of list) {
      if (m.chatId !== this.openId || this.msgEls.has(m.id)) continue;
      let i = this.msgs.length;
      while (i > 0 && this.msgs[i - 1].seq > m.seq) i--;
      this.msgs.splice(i, 0, m);
      const el = this.renderMessage(m);
      const next = this.msgs[i + 1];
      this.msgList.insertBefore(el, next ? this.msgEls.get(next.id)! : this.msgList.querySelector('.pending'));
      if (m.author === 0 && m.operator?.id === this.me) {
        mine = true;
        const p = this.pending.find((x) => x.chatId === m.chatId && (x.text ? x.text === m.message : x.file?.name === m.media?.name));
        if (p) this.dropPending(p);
      }
    }
    if (!keepScroll && (nearBottom || mine)) this.log.scrollTop = this.log.scrollHeight;
  }

  private renderMessage(m: Message): HTMLElement {
    const el = renderMessage(this.msgEls.get(m.id), m, this);
    if (m.isNote) el.classList.add('note');
    if (m.id === this.found) {
      // the message a search found the chat by (also after a status change fills it again): marked, its words too
      el.classList.add('hit');
      [...el.childNodes].find((n) => n.nodeType === 3 && n.nodeValue === m.message)?.replaceWith(...this.marked(m.message!, 0));
    }
    this.msgEls.set(m.id, el);
    return el;
  }

  // ---- MessageView: the operator's own side is author 0; another operator's messages are signed ----
  own = (m: Message) => m.author === 0 && !m.isNote;
  sys = (m: Message) => m.author > 1 && !m.isNote;
  who = (m: Message) => (m.isNote ? h('i', null, [this.t.t('note'), m.operator && m.operator.id !== this.me ? m.operator.name : ''].filter(Boolean).join(' · '))
    : m.author === 0 && m.operator && m.operator.id !== this.me ? h('i', null, m.operator.name) : null);
  say = (key: 'file' | 'sent' | 'read') => this.t.t(key);
  fileLink = (media: Media, name: string) => h('a', { href: '#', download: name, onclick: (e: Event) => this.download(e, media.uri, name) }, icon(ICONS.file), name);

  media(uri: string) {
    let p = this.blobs.get(uri);
    if (!p) {
      p = this.api.blob(uri);
      p.catch(() => this.blobs.delete(uri));
      this.blobs.set(uri, p);
    }
    return p;
  }

  async download(e: Event, uri: string, name: string) {
    e.preventDefault();
    try {
      const url = await this.media(uri);
      const a = h('a', { href: url, download: name, hidden: true });
      this.root.append(a);
      a.click();
      a.remove();
    } catch { /* shown as nothing happening; the link stays */ }
  }

  private renderChat() {
    const t = this.t.t;
    const c = this.chats.get(this.openId);
    this.form.hidden = !c;
    if (!c) {
      fill(this.chatTitle, t('select'));
      fill(this.ctl);
      this.ctl.hidden = true;
      return;
    }
    this.ctl.hidden = false;
    const closed = c.chatStatus === 4;
    fill(this.chatTitle, this.clientName(c), h('small', null, [c.client.name ? c.client.phone : '', c.client.email, this.sourceOf(c), c.operator ? t('operator', { name: c.operator.name }) : t('unassigned')].filter(Boolean).join(' · ')));
    fill(this.info, ...this.details(c));
    this.info.hidden = !this.info.firstChild;
    const status = h('select', { 'aria-label': t('status'), disabled: closed, onchange: () => this.setStatus(c.id, +status.value) },
      ...[0, 1, 2, 3, 4].map((s) => h('option', { value: s, selected: s === c.chatStatus, disabled: s === 0 }, this.t.status(s))));
    const others = this.operators.filter((o) => o.id !== (c.operator?.id ?? 0) && o.status === 0);
    const transfer = h('select', { 'aria-label': t('transfer'), onchange: () => transfer.value && this.assign(c.id, +transfer.value) },
      h('option', { value: '' }, t('transfer')), ...others.map((o) => h('option', { value: o.id }, o.name)));
    const focused = this.ctl.contains(this.root.activeElement) ? this.root.activeElement!.getAttribute('aria-label') : null;
    fill(this.ctl, status,
      !closed && c.operator?.id !== this.me ? h('button', { class: 'btn', type: 'button', onclick: () => this.assign(c.id) }, t('take')) : null,
      !closed && others.length ? transfer : null);
    this.text.disabled = closed && !this.note;
    this.text.placeholder = this.note ? t('notePh') : closed ? t('closedChat') : t('message');
    // a note may be written in a Closed chat too; files are for the client only
    for (const b of this.form.querySelectorAll('button')) b.disabled = b !== this.noteBtn && (b.type === 'submit' ? closed && !this.note : closed || this.note);
    if (focused) this.ctl.querySelector<HTMLElement>(`[aria-label="${focused}"]`)?.focus();
  }

  private async setStatus(id: number, status: number) {
    try {
      await this.api.call('PUT', '/api/chat/status', { id, status });
      const c = this.chats.get(id);
      if (c) c.chatStatus = status;
    } catch { /* the select is re-rendered from the chat's real status */ }
    this.renderChat();
    this.render();
  }

  private async assign(id: number, operatorId?: number) {
    try {
      this.upsert(await this.api.call<Chat>('POST', `/api/chat/${id}/assign`, operatorId ? { operatorId } : undefined));
    } catch {
      this.renderChat();
    }
  }

  /** Read marker: the operator sees the open chat, so its client messages are read. */
  private markRead() {
    const c = this.chats.get(this.openId);
    if (!c || !this.isOpen || document.visibilityState !== 'visible' || !this.msgs.length) return;
    const seq = this.msgs[this.msgs.length - 1].seq;
    if (!c.countUnread && c.operatorReadSeq >= seq) return;
    c.countUnread = 0;
    c.operatorReadSeq = seq;
    this.render();
    this.api.call('POST', `/api/chat/${c.id}/read`, { seq }).catch(() => {});
  }

  // ---- composer ----

  private composerKeys(e: KeyboardEvent) {
    if (!this.pick.hidden && !e.isComposing) {
      const n = this.picks.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') this.showPicks((this.pickAt + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
      else if (e.key === 'Enter' || e.key === 'Tab') this.insert(this.picks[this.pickAt]);
      else if (e.key === 'Escape') this.showPicks(-1);
      else return;
      e.preventDefault();
      e.stopPropagation(); // not the panel's Escape (back, close)
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    }
  }

  private typed() {
    this.text.style.height = 'auto';
    this.text.style.height = Math.min(120, this.text.scrollHeight + 2) + 'px';
    this.suggest();
    const now = Date.now();
    if (this.openId && !this.note && this.text.value && now - this.typingSent > 3000) {
      this.typingSent = now;
      this.hub?.send('Typing', this.openId);
    }
  }

  /** `/` and the start of a shortcut: the canned responses that match it, shortcuts first, then texts. */
  private suggest() {
    const m = /^\/([\w-]*)$/.exec(this.text.value);
    const q = m ? m[1].toLowerCase() : '';
    this.picks = m ? [...this.canned.filter((c) => c.shortcut.startsWith(q)),
      ...this.canned.filter((c) => !c.shortcut.startsWith(q) && (c.shortcut.includes(q) || c.text.toLowerCase().includes(q)))] : [];
    this.showPicks(this.picks.length ? 0 : -1);
  }

  /** The suggestions with the `at`-th one active (aria-activedescendant); -1 closes them. */
  private showPicks(at: number) {
    this.pickAt = at;
    this.pick.hidden = at < 0;
    if (at < 0) {
      this.picks = [];
      this.text.removeAttribute('aria-activedescendant');
      return this.pick.replaceChildren();
    }
    fill(this.pick, ...this.picks.map((c, i) => h('li', {
      role: 'option', id: this.pick.id + '-' + i, 'aria-selected': String(i === at), 'data-shortcut': c.shortcut,
      onmousedown: (e: Event) => e.preventDefault(), onclick: () => this.insert(c),
    }, h('b', null, '/' + c.shortcut), ' ', c.text)));
    this.text.setAttribute('aria-activedescendant', this.pick.id + '-' + at);
    this.pick.children[at]?.scrollIntoView({ block: 'nearest' });
  }

  private insert(c?: Canned) {
    if (!c) return;
    this.text.value = c.text;
    this.showPicks(-1);
    this.typed();
    this.text.focus();
    this.text.setSelectionRange(c.text.length, c.text.length);
  }

  /** The composer writes private notes (staff only) or messages to the client. */
  private noteMode(on: boolean) {
    this.note = on;
    this.noteBtn.setAttribute('aria-pressed', String(on));
    this.form.classList.toggle('note', on);
    this.text.setAttribute('aria-label', this.t.t(on ? 'note' : 'message'));
    this.renderChat();
    if (this.openId) this.text.focus();
  }

  private pasted(e: ClipboardEvent) {
    const files = e.clipboardData?.files;
    if (files && files.length) {
      e.preventDefault();
      this.addFiles(files);
    }
  }

  private addFiles(list: FileList | null) {
    for (const f of Array.from(list || [])) {
      if (f.size > MAX_FILE) this.flash(this.t.t('tooLarge', { name: f.name }));
      else this.files.push(f);
    }
    this.renderFiles();
  }

  private flash(text: string) {
    this.typing.textContent = text;
  }

  private renderFiles() {
    this.atts.hidden = !this.files.length;
    fill(this.atts, ...this.files.map((f, i) => h('span', { class: 'chip' }, f.name,
      h('button', { type: 'button', 'aria-label': this.t.t('remove') + ' ' + f.name, onclick: () => { this.files.splice(i, 1); this.renderFiles(); this.text.focus(); } }, '×'))));
  }

  private submit() {
    const c = this.chats.get(this.openId);
    if (!c || (c.chatStatus === 4 && !this.note)) return;
    const text = this.text.value;
    if (text.trim()) this.queue(this.note ? { text, note: true } : { text });
    if (!this.note) for (const file of this.files) this.queue({ file });
    this.text.value = '';
    this.text.style.height = '';
    this.files = [];
    this.renderFiles();
    this.text.focus();
  }

  private queue(what: { text?: string; file?: File; note?: boolean }) {
    const el = h('li', { class: what.note ? 'msg note pending' : 'msg me pending' }, what.text ?? '📎 ' + what.file!.name, h('small', null, '…'));
    const p: Pending = { key: rid(), chatId: this.openId, ...what, el };
    this.pending.push(p);
    this.msgList.append(el);
    this.log.scrollTop = this.log.scrollHeight;
    this.deliver(p);
  }

  /** Sends over REST with an idempotency key: a retry after a lost answer never makes a duplicate. */
  private async deliver(p: Pending) {
    p.failed = false;
    p.el.classList.remove('fail');
    fill(p.el.lastElementChild!, '…');
    try {
      const body: any = p.note ? { text: p.text } : { textMessage: p.text, clientMessageId: p.key };
      if (p.file) body.media = await mediaOf(p.file);
      const m = await this.api.call<Message>('POST', `/api/chat/${p.chatId}/${p.note ? 'note' : 'message'}`, body);
      this.dropPending(p);
      this.onMessage(m);
    } catch (e) {
      if (!this.pending.includes(p)) return;
      p.failed = true;
      p.el.classList.add('fail');
      const retryable = !(e instanceof ApiError) || e.status === 0 || e.status >= 500;
      fill(p.el.lastElementChild!, retryable
        ? h('button', { type: 'button', class: 'btn', onclick: () => this.deliver(p) }, this.t.t('failed'))
        : (e as ApiError).detail);
      if (!retryable) this.pending.splice(this.pending.indexOf(p), 1);
    }
  }

  private dropPending(p: Pending) {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
    p.el.remove();
  }
}
