// One customer chat widget: the <chathub-chat-widget> element (open shadow root) with its launcher and greeting
// bubble, the visitor's session (kept in localStorage per guid: visitorId and resume secret, never a token), the
// conversation (messages, read state, typing, pending sends) and the real-time connection, which only the leader tab
// holds (tabs.ts). The chat window itself is ui.ts, built when the browser is idle or when the chat opens.

import { Api, ApiError, mediaOf, Message, reply } from '../shared/api';
import { h, icon, ICONS } from '../shared/dom';
import { Hub } from '../shared/hub';
import { CORE_CSS } from './styles';
import { TabMessage, Tabs } from './tabs';
import { language, T, texts } from './texts';
import { mount, View } from './ui';

export type State = 'loading' | 'ready' | 'offline' | 'error';
export interface Org {
  name: string; greeting: string | null; themeColor: string | null; defaultLanguage: string | null;
  preChat: { fields: string[]; required: string[] }; online: boolean; offlineContact: string | null; position: string;
}
interface ChatRef { id: number; chatStatus: number; rated: boolean }
export interface Session { visitorToken: string; visitorId: string; resume?: string | null; expiresAt: string; organization: Org; chat: ChatRef | null }
export interface Pending { key: string; text?: string; file?: File; failed?: boolean; error?: string }
export interface User { externalId?: string; name?: string; email?: string; phone?: string; hash?: string }
export interface Hooks { emit(event: string, detail?: unknown): void; ready(w: Widget): void }
/** What one browser keeps per guid: visitor id, resume secret, contact given, greeting dismissed, verified user. */
interface Kept { v?: string; r?: string; c?: 1; g?: 1; u?: string }

const TAG = 'chathub-chat-widget';
const HUB_EVENTS = ['ReceiveMessage', 'ReceiveMediaMessage', 'Typing', 'MessageStatusChanged', 'ChatStatusChanged', 'ChatAssigned', 'ChatRated'];
export const PREFIX = 'ChatHub chat widget: ';
const CLOSED = 4;

if (!customElements.get(TAG)) customElements.define(TAG, class extends HTMLElement {});

export function rid(): string {
  const a = new Uint32Array(4);
  crypto.getRandomValues(a);
  return Array.from(a, (x) => x.toString(36)).join('');
}

/** The accent colour (#rgb or #rrggbb) and the one of black and white that contrasts more with it. */
function accent(c: string | null | undefined): [string, string] {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((c || '').trim());
  if (!m) return ['#1860d0', '#fff'];
  const hex = m[1].length === 3 ? m[1].replace(/./g, '$&$&') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return ['#' + hex, (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000' : '#fff'];
}

const backoff = (attempt: number, first: number, max: number) => Math.min(max, first * 2 ** attempt) * (0.5 + Math.random() / 2);
const isPeer = (m: Message) => m.author === 0 || m.author === 2;

export class Widget {
  readonly el: HTMLElement;
  readonly root: ShadowRoot;
  readonly api: Api;
  readonly path: string;
  state: State = 'loading';
  org!: Org;
  t: T = texts('en');
  lang = 'en';
  visitorId = '';
  chatId = 0;
  chatStatus = -1;
  rated = false;
  msgs: Message[] = [];
  /** Bumped whenever `msgs` is replaced rather than added to (another chat, another visitor). */
  listGen = 0;
  pending: Pending[] = [];
  private sending: Promise<void> = Promise.resolve();
  operator: { id: number; name: string; photo: string | null } | null = null;
  typing = '';
  up = true;
  isOpen = false;
  contact = false;
  offlineSent = false;
  unread = 0;
  ui: View | null = null;
  readonly launcher: HTMLButtonElement;
  private badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
  private bubble: HTMLElement;
  private bubbleText = h('p');
  private tabs: Tabs;
  private hub: Hub | null = null;
  private hubGen = 0;
  private hubAttempt = 0;
  private attempt = 0;
  private sendAttempt = 0;
  private timers: Record<string, ReturnType<typeof setTimeout>> = {};
  private everReady = false;
  private hubEver = false;
  private early: TabMessage[] = [];
  private switching?: string;
  private destroyed = false;
  private reported = '';
  private typingSent = 0;
  private scheduled = false;

  constructor(readonly tag: HTMLScriptElement, readonly base: string, readonly guid: string, private hooks: Hooks) {
    this.api = new Api(base);
    this.path = '/api/widget/' + encodeURIComponent(guid);
    this.el = document.createElement(TAG);
    this.el.setAttribute('state', 'loading');
    this.root = this.el.attachShadow({ mode: 'open' });
    const style = h('style');
    style.textContent = CORE_CSS;
    this.launcher = h('button', { class: 'l', type: 'button', 'data-launcher': '', 'aria-expanded': 'false', hidden: true, onclick: () => this.toggle() },
      icon(ICONS.chat), this.badge);
    this.bubble = h('div', { class: 'b', hidden: true }, this.bubbleText,
      h('button', { class: 'x', type: 'button', onclick: () => this.dismiss() }, icon(ICONS.close)));
    this.bubbleText.addEventListener('click', () => this.open());
    this.root.append(style, this.bubble, this.launcher);
    // keys typed in the widget are the widget's: the page's shortcuts never see them
    for (const k of ['keydown', 'keyup', 'keypress']) this.root.addEventListener(k, (e) => e.stopPropagation());
    (document.body || document.documentElement).append(this.el);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('storage', this.onStorage);
    document.addEventListener('visibilitychange', this.onVisible);
    this.tabs = new Tabs(guid, (m) => this.onTab(m), () => this.connectHub());
    this.connect();
  }

  get ready() {
    return this.state === 'ready' || this.state === 'offline';
  }

  // ---- what this browser keeps ----

  private key() {
    return 'chathub:' + this.guid;
  }

  kept(): Kept {
    try {
      return JSON.parse(localStorage.getItem(this.key()) || '{}') || {};
    } catch {
      return {};
    }
  }

  keep(k: Kept) {
    try {
      localStorage.setItem(this.key(), JSON.stringify({ ...this.kept(), ...k }));
    } catch { /* no storage: this page's visitor only */ }
  }

  // ---- session ----

  private async connect() {
    clearTimeout(this.timers.retry);
    try {
      const s = await this.session();
      await this.load(s.chat);
      this.attempt = 0;
      this.settle();
      if (this.tabs.leader) this.connectHub();
      else this.tabs.post({ t: 'ask' });
    } catch (e) {
      if (this.destroyed) return;
      const status = e instanceof ApiError ? e.status : 0;
      if (!this.everReady) {
        this.setState('error');
        this.report(status ? (e as ApiError).detail
          : `This site (${location.origin}) is not allowed to use this chat widget, or the server cannot be reached`);
      }
      if (status !== 404) this.timers.retry = setTimeout(() => this.connect(), backoff(this.attempt++, 5000, 300_000));
    }
  }

  /**
   * A session for what this browser keeps (a new visitor when it keeps nothing). The call carries no token: it is a
   * CORS simple request. Two tabs of a new browser may both make a visitor: the first one kept wins, the other tab
   * takes it (here, or when the storage event says so), and its own stays unused.
   */
  async session(): Promise<Session> {
    const k = this.kept();
    const body: Record<string, string> = { pageUrl: location.href, language: navigator.language };
    if (k.v && k.r) {
      body.visitorId = k.v;
      body.resume = k.r;
    }
    // the entry module's request (entry.ts) when it is this very one, made while the bundle loaded
    const early = (window as any).__chathubSession;
    (window as any).__chathubSession = null;
    const s = early && early.key === this.base + ' ' + this.guid + ' ' + JSON.stringify(body)
      ? await reply<Session>(early.p)
      : await new Api(this.base).call<Session>('POST', this.path + '/session', body);
    if (s.resume) {
      if (this.kept().r && this.kept().v !== k.v) return this.session(); // another tab was quicker
      this.keep({ v: s.visitorId, r: s.resume, c: undefined, u: undefined });
    }
    this.adopt(s);
    return s;
  }

  /** Takes a session answer: the token (renewed before it expires), the organization's face. */
  adopt(s: Session) {
    if (this.destroyed) return;
    if (this.visitorId && s.visitorId !== this.visitorId) this.pending = [];
    this.api.token = s.visitorToken;
    this.visitorId = s.visitorId;
    this.org = s.organization;
    this.contact = !!this.kept().c;
    if (!this.everReady) {
      this.lang = language(this.tag.getAttribute('lang'), this.org.defaultLanguage);
      this.t = texts(this.lang);
    }
    const [acc, fg] = accent(this.tag.getAttribute('color') || this.org.themeColor);
    this.el.style.setProperty('--acc', acc);
    this.el.style.setProperty('--accfg', fg);
    const pos = this.tag.getAttribute('position') || this.org.position;
    this.el.setAttribute('position', pos === 'left' ? 'left' : 'right');
    if (s.chat && s.chat.id === this.chatId) {
      this.chatStatus = s.chat.chatStatus;
      this.rated ||= s.chat.rated;
    }
    clearTimeout(this.timers.renew);
    const ms = Date.parse(s.expiresAt) - Date.now();
    this.timers.renew = setTimeout(() => this.refresh(true), Math.max(5000, ms * 0.8));
  }

  /** The chat's history (the newest 100 messages), replacing what is shown. */
  private async load(chat: ChatRef | null) {
    const list = chat ? await this.call<Message[]>('GET', this.path + '/messages?limit=100') : [];
    this.setChat(chat ? chat.id : 0, chat ? chat.chatStatus : -1, !!chat?.rated);
    this.add(list, false);
  }

  private setChat(id: number, status: number, rated: boolean) {
    if (id !== this.chatId || !this.everReady) {
      this.msgs = [];
      this.listGen++;
      this.operator = null;
      this.typing = '';
    }
    this.chatId = id;
    this.chatStatus = status;
    this.rated = rated;
  }

  /** After a gap (reconnect, another leader, renewal): a new session, then what the chat missed (after=). */
  async refresh(renewal = false) {
    if (this.destroyed) return;
    try {
      const s = await this.session();
      if ((s.chat?.id || 0) !== this.chatId) await this.load(s.chat);
      else await this.catchUp();
      this.settle();
      if (renewal && this.tabs.leader) this.connectHub(); // the hub connection ends when its token does
      this.retryPending();
    } catch {
      clearTimeout(this.timers.renew);
      this.timers.renew = setTimeout(() => this.refresh(renewal), backoff(this.attempt++, 2000, 60_000));
    }
  }

  /**
   * What the chat missed: GET …/messages?after={seq}, page by page, from the end of the unbroken run of seqs shown
   * (a message sent meanwhile may already sit after a gap).
   */
  private async catchUp() {
    while (this.chatId > 0) {
      let last = this.msgs.length ? this.msgs[0].seq : 0;
      for (const m of this.msgs) if (m.seq === last + 1) last = m.seq;
      const page = await this.call<Message[]>('GET', `${this.path}/messages?after=${last}&limit=100`);
      this.add(page, true);
      if (page.length < 100) break;
    }
  }

  /** A call with the visitor token; an expired token is renewed once. */
  async call<R = any>(method: string, path: string, body?: unknown): Promise<R> {
    try {
      return await this.api.call<R>(method, path, body);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401 || this.destroyed) throw e;
      await this.session();
      return this.api.call<R>(method, path, body);
    }
  }

  /** ready, or offline: nobody can answer (no operator online, or outside business hours) and no chat is going on. */
  private settle() {
    const active = this.chatId && this.chatStatus !== CLOSED;
    this.setState(!this.org.online && (!active || this.offlineSent) ? 'offline' : 'ready');
    if (!this.everReady) {
      this.everReady = true;
      this.reported = '';
      this.hooks.emit('ready', { state: this.state });
      this.hooks.ready(this); // the calls the page made before
      for (const m of this.early.splice(0)) this.onTab(m);
      if (flag(this.tag.getAttribute('open'))) this.open(false); // shown, but the page keeps its focus
      else idle(() => this.loadUi());
    }
  }

  private setState(s: State) {
    this.state = s;
    this.el.setAttribute('state', s);
    this.update();
  }

  report(what: string) {
    if (this.reported === what) return;
    this.reported = what;
    console.error(PREFIX + what);
    this.hooks.emit('error', { message: PREFIX + what });
  }

  // ---- the conversation ----

  /** Adds messages in seq order (a message already there is updated, not shown twice); `live` ones are events. */
  add(list: Message[], live: boolean) {
    let gap = false;
    for (const m of list) {
      if (m.chatId !== this.chatId) {
        if (m.chatId < this.chatId) continue;
        this.setChat(m.chatId, 0, false); // the visitor's next chat (the last one was closed)
      }
      const old = this.msgs.find((x) => x.id === m.id);
      if (old) {
        if (old.status !== m.status) this.ui?.changed(Object.assign(old, { status: Math.max(old.status, m.status) }));
        continue;
      }
      const last = this.msgs[this.msgs.length - 1];
      if (live && last && m.seq > last.seq + 1) gap = true;
      let i = this.msgs.length;
      while (i > 0 && this.msgs[i - 1].seq > m.seq) i--;
      this.msgs.splice(i, 0, m);
      if (m.author === 1) {
        const p = this.pending.find((x) => !x.failed && (x.text ? x.text === m.message : x.file?.name === m.media?.name));
        if (p) this.pending.splice(this.pending.indexOf(p), 1);
      } else if (m.author === 0) {
        this.typing = '';
        if (m.operator && (!this.operator || this.operator.id !== m.operator.id)) this.operator = { ...m.operator, photo: null };
      }
      if (live) this.hooks.emit('message', m);
    }
    if (gap) this.refresh();
    this.update();
    this.markRead();
  }

  private hubEvent(n: string, a: any[]) {
    switch (n) {
      case 'ReceiveMessage':
      case 'ReceiveMediaMessage':
        return this.add([a[0]], true);
      case 'Typing':
        if (a[0] === this.chatId && isPeer({ author: a[1] } as Message)) {
          this.typing = this.operator?.name || this.t('operator');
          clearTimeout(this.timers.typing);
          this.timers.typing = setTimeout(() => {
            this.typing = '';
            this.update();
          }, 6000);
        }
        break;
      case 'MessageStatusChanged': {
        const m = this.msgs.find((x) => x.id === a[0]);
        if (m && m.status < a[1]) {
          m.status = a[1];
          this.ui?.changed(m);
        }
        break;
      }
      case 'ChatStatusChanged':
        if (a[0] === this.chatId) this.chatStatus = a[1];
        break;
      case 'ChatAssigned':
        // The router assigns on its own thread: the visitor's new chat may be heard of by its assignment first,
        // before the message that opened it (as a message of a newer chat would, it becomes the chat).
        if (a[0].id > this.chatId) this.setChat(a[0].id, a[0].chatStatus, false);
        if (a[0].id === this.chatId) {
          this.operator = a[0].operator;
          this.chatStatus = a[0].chatStatus;
        }
        break;
      case 'ChatRated':
        if (a[0].id === this.chatId) this.rated = true;
    }
    this.update();
  }

  /** The visitor sees the log: operators' messages are read (here, in the other tabs, and for the operators). */
  markRead() {
    if (!this.isOpen || document.visibilityState !== 'visible' || !this.ui?.showsLog()) return;
    let seq = 0;
    for (const m of this.msgs) {
      if (isPeer(m) && m.status !== 3) {
        m.status = 3;
        seq = m.seq;
      }
    }
    if (!seq) return;
    this.update();
    this.tabs.post({ t: 'read', s: seq });
    this.call('POST', this.path + '/read', { seq }).catch(() => {});
  }

  private readUpTo(seq: number) {
    for (const m of this.msgs) if (isPeer(m) && m.seq <= seq) m.status = 3;
    this.update();
  }

  /** The visitor is typing: operators hear it at most every 3 s. */
  typed() {
    const now = Date.now();
    if (now - this.typingSent < 3000 || !this.chatId || this.chatStatus === CLOSED) return;
    this.typingSent = now;
    this.call('POST', this.path + '/typing').catch(() => {});
  }

  send(text: string, file?: File) {
    const p: Pending = { key: rid(), text: text || undefined, file };
    this.pending.push(p);
    this.deliver(p);
  }

  /**
   * Sends over REST with a clientMessageId: a retry (after a lost answer, or once back online) is stored once.
   * One send at a time, in the order typed, so that the chat stores them in that order; a send waits while an
   * earlier one waits for its retry.
   */
  deliver(p: Pending): Promise<void> {
    p.failed = false;
    p.error = undefined;
    this.update();
    return (this.sending = this.sending.then(() => this.trySend(p)));
  }

  private async trySend(p: Pending) {
    const i = this.pending.indexOf(p);
    if (i < 0) return;
    if (this.pending.slice(0, i).some((x) => x.failed && !x.error)) { p.failed = true; this.update(); return; }
    try {
      const body: Record<string, unknown> = { textMessage: p.text, clientMessageId: p.key };
      if (p.file) body.media = await mediaOf(p.file);
      const m = await this.call<Message>('POST', this.path + '/messages', body);
      this.sendAttempt = 0;
      this.drop(p);
      this.add([m], true);
    } catch (e) {
      if (!this.pending.includes(p)) return;
      p.failed = true;
      const status = e instanceof ApiError ? e.status : 0;
      if (status && status < 500) p.error = this.problem(e as ApiError);
      else { // the network or the server: again later (and at once when the connection is back)
        clearTimeout(this.timers.send);
        this.timers.send = setTimeout(() => this.retryPending(), backoff(this.sendAttempt++, 2000, 30_000));
      }
      this.update();
    }
  }

  /** A refused call as the visitor reads it (429 and 413 in the widget's language, else the server's detail). */
  problem(e: ApiError): string {
    if (e.status === 429) return this.t('tooFast', { n: e.retryAfter || 60 });
    if (e.status === 413) return this.t('tooLarge');
    return e.status ? e.detail : this.t('error');
  }

  drop(p: Pending) {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
    this.update();
  }

  private retryPending() {
    for (const p of this.pending) if (p.failed && !p.error) this.deliver(p);
  }

  async end() {
    if (!this.chatId || this.chatStatus === CLOSED) return;
    await this.call('POST', this.path + '/end', { chatId: this.chatId });
    this.chatStatus = CLOSED;
    this.update();
  }

  async rate(score: number, comment: string) {
    try {
      await this.call('POST', this.path + '/rating', { chatId: this.chatId, score, comment: comment.trim() || undefined });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409) throw e; // 409: rated already (in another tab)
    }
    this.rated = true;
    this.update();
  }

  /** Contact details from the pre-chat form (the server checks them too). */
  async giveContact(c: Record<string, string>) {
    this.adopt(await this.call<Session>('POST', this.path + '/contact', c));
    this.keep({ c: 1 });
    this.contact = true;
    this.tabs.post({ t: 'contact' });
    this.update();
  }

  async leaveOffline(body: Record<string, string>) {
    const m = await this.call<Message>('POST', this.path + '/offline', body);
    this.keep({ c: 1 });
    this.contact = true;
    this.offlineSent = true;
    this.setChat(m.chatId, 0, false);
    this.add([m], true);
    this.settle();
  }

  async transcript() {
    const url = await this.api.blob(`${this.path}/transcript?chatId=${this.chatId}`);
    const a = h('a', { href: url, download: `chat-${this.chatId}.txt`, hidden: true });
    this.root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** An image of the chat, by URL with the visitor token (an <img> cannot send a header). */
  mediaUrl(uri: string) {
    return new URL(uri, this.base + '/').href + (uri.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(this.api.token);
  }

  time(iso: string) {
    const d = new Date(iso);
    return d.toLocaleString(this.lang, d.toDateString() === new Date().toDateString() ? { hour: 'numeric', minute: '2-digit' } : { day: 'numeric', month: 'short' });
  }

  // ---- the page API ----

  /** Opens the chat; the focus moves into it unless `focus` is false (the tag's `open` attribute at load). */
  open(focus = true) {
    if (!this.ready || this.destroyed) return;
    const was = this.isOpen;
    this.isOpen = true;
    this.keep({ g: 1 });
    this.el.setAttribute('open', '');
    this.loadUi().show(focus);
    this.update();
    if (!was) this.hooks.emit('open');
    this.markRead();
    if (this.state === 'offline' && !this.offlineSent) this.refresh(); // someone may be online by now
  }

  close() {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.el.removeAttribute('open');
    const inside = this.root.activeElement && this.root.activeElement !== this.launcher;
    this.ui?.hide();
    this.update();
    if (inside) this.launcher.focus();
    this.hooks.emit('close');
  }

  toggle() {
    if (this.isOpen) this.close();
    else this.open();
  }

  /**
   * Who the visitor is, from the page: contact details, and for a logged-in customer its external id with the
   * company's HMAC of it. A verified identity brings that customer's history (on any device); a wrong hash is
   * refused (an `error` event) and changes nothing.
   */
  async setUser(u: User): Promise<boolean> {
    const body: Record<string, string> = {};
    for (const k of ['externalId', 'name', 'email', 'phone', 'hash'] as const) if (u && typeof u[k] === 'string' && u[k]) body[k] = u[k]!;
    if (!Object.keys(body).length) return true;
    try {
      const s = await this.call<Session>('POST', this.path + '/contact', body);
      const switched = !!body.externalId && this.kept().u !== body.externalId;
      this.adopt(s);
      this.keep({ c: 1, u: body.externalId || this.kept().u });
      this.contact = true;
      if (switched) await this.reload(s, true);
      else this.tabs.post({ t: 'contact' });
      this.update();
      return true;
    } catch (e) {
      this.report('setUser refused: ' + (e instanceof ApiError && e.status ? e.detail : 'the server cannot be reached'));
      return false;
    }
  }

  /** Forgets the visitor in this browser (logout): the next conversation is a new visitor's. */
  async reset() {
    try {
      localStorage.removeItem(this.key());
    } catch { /* no storage */ }
    this.api.token = '';
    this.offlineSent = false;
    this.pending = [];
    try {
      await this.reload(await this.session(), false); // the other tabs hear it from the storage event
    } catch {
      this.refresh();
    }
  }

  /** Another visitor or client (setUser, reset, another tab's): its chat, a new hub connection, and tell the tabs. */
  private async reload(s: Session, tell: boolean) {
    this.chatId = -1; // whatever chat comes is another one
    await this.load(s.chat);
    this.settle();
    if (this.tabs.leader) this.connectHub();
    if (tell) this.tabs.post({ t: 'id' });
  }

  // ---- tabs and the hub ----

  private onTab(m: TabMessage) {
    if (this.destroyed) return;
    if (!this.everReady) {
      this.early.push(m); // replayed once this tab has its history
      return;
    }
    switch (m.t) {
      case 'hub':
        if (m.v === this.visitorId) this.hubEvent(m.n, m.a);
        break;
      case 'up':
        this.setUp(m.v);
        break;
      case 'sync':
        this.setUp(true);
        this.refresh();
        break;
      case 'ask':
        if (this.tabs.leader) this.tabs.post({ t: 'up', v: !!this.hub });
        break;
      case 'read':
        this.readUpTo(m.s);
        break;
      case 'id':
        this.offlineSent = false;
        this.session().then((s) => this.reload(s, false), () => this.refresh());
        break;
      case 'contact':
        this.contact = true;
        this.update();
    }
  }

  /** The leader's connection: every event goes to this tab and to the others. */
  private async connectHub() {
    if (this.destroyed || !this.tabs.leader || !this.api.token || !this.everReady) return;
    clearTimeout(this.timers.hub);
    const gen = ++this.hubGen;
    const handlers: Record<string, (...a: any[]) => void> = {};
    for (const n of HUB_EVENTS) {
      handlers[n] = (...a) => {
        // the current connection, also before start() resolved (records may follow the handshake at once), and the
        // one it replaces, until then
        if (gen !== this.hubGen && this.hub !== hub) return;
        this.hubEvent(n, a);
        if (this.tabs.relays) this.tabs.post({ t: 'hub', v: this.visitorId, n, a });
      };
    }
    const hub = new Hub(handlers);
    try {
      await hub.start(this.base.replace(/^http/, 'ws') + '/chathub?access_token=' + encodeURIComponent(this.api.token));
    } catch {
      if (gen === this.hubGen) this.hubRetry();
      return;
    }
    if (gen !== this.hubGen || this.destroyed || !this.tabs.leader) return hub.stop();
    const old = this.hub;
    this.hub = hub;
    old?.stop();
    const again = this.hubEver;
    this.hubEver = true;
    this.hubAttempt = 0;
    hub.onclose = (error) => {
      if (this.hub !== hub) return;
      this.hub = null;
      this.setUp(false);
      this.tabs.post({ t: 'up', v: false });
      if (error && /expired|invalid token/i.test(error)) this.refresh(true);
      else this.hubRetry();
    };
    this.setUp(true);
    this.tabs.post({ t: 'sync' });
    // what was missed while nobody listened: since the history was read, or since the last connection (with the
    // chat's status, which may have changed meanwhile too)
    if (again) this.refresh();
    else this.catchUp().catch(() => this.refresh());
  }

  private hubRetry() {
    clearTimeout(this.timers.hub);
    this.timers.hub = setTimeout(() => this.connectHub(), backoff(this.hubAttempt++, 500, 30_000));
  }

  private setUp(up: boolean) {
    clearTimeout(this.timers.up);
    if (up) {
      const was = this.up;
      this.up = true;
      if (!was) this.retryPending();
      this.update();
    } else {
      this.timers.up = setTimeout(() => { // say "Reconnecting…" only when it lasts
        this.up = false;
        this.update();
      }, 1500);
    }
  }

  private onOnline = () => {
    if (this.destroyed) return;
    if (!this.everReady) return this.connect();
    if (this.tabs.leader && !this.hub) {
      this.hubAttempt = 0;
      this.connectHub();
    }
    this.retryPending();
  };

  private onVisible = () => this.markRead();

  /** Another tab keeps another visitor (it reset, or it made one first): this tab follows. */
  private onStorage = (e: StorageEvent) => {
    const v = this.kept().v;
    if (e.key === this.key() && this.everReady && v && v !== this.visitorId && v !== this.switching) {
      this.switching = v;
      this.onTab({ t: 'id' });
    }
  };

  // ---- rendering ----

  /** The chat window, built when the browser is idle after the launcher showed, or at the first open. */
  loadUi(): View {
    return (this.ui ||= mount(this));
  }

  /** Coalesces renders of the launcher and the window. */
  update() {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (!this.destroyed) this.render();
    });
  }

  private render() {
    const t = this.t;
    const visible = this.ready;
    let n = 0;
    for (const m of this.msgs) if (isPeer(m) && m.status !== 3) n++;
    if (n !== this.unread) {
      this.unread = n;
      this.hooks.emit('unread', n);
    }
    this.launcher.hidden = !visible;
    this.launcher.setAttribute('aria-expanded', String(this.isOpen));
    this.launcher.setAttribute('aria-label', t(this.isOpen ? 'close' : 'open') + (this.org ? ' — ' + this.org.name : '') + (n ? ', ' + t('unread', { n }) : ''));
    this.badge.hidden = !n;
    this.badge.textContent = n > 99 ? '99+' : String(n);
    const greeting = visible && !this.isOpen && this.org.greeting && !this.kept().g && !this.msgs.length ? this.org.greeting : '';
    this.bubble.hidden = !greeting;
    this.bubbleText.textContent = greeting;
    this.bubble.querySelector('button')!.setAttribute('aria-label', t('dismiss'));
    this.ui?.render();
  }

  private dismiss() {
    this.keep({ g: 1 });
    this.update();
    this.launcher.focus();
  }

  destroy() {
    this.destroyed = true;
    for (const k in this.timers) clearTimeout(this.timers[k]);
    this.hubGen++;
    this.hub?.stop();
    this.hub = null;
    this.tabs.close();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('storage', this.onStorage);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.el.remove();
  }
}

export const flag = (v: string | null) => v != null && v !== 'false' && v !== 'off' && v !== '0';

function idle(f: () => void) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(f, { timeout: 2000 });
  else setTimeout(f, 300);
}
