// One hub connection per browser, however many tabs show the widget: the tab that holds the Web Lock
// `chathub-hub:<guid>` is the leader; it keeps the connection and relays what it hears to the other tabs over the
// BroadcastChannel `chathub:<guid>`, which all tabs also use to tell each other what they did (read, new
// identity). When the leader's tab closes, the browser hands the lock to a waiting tab, which connects and catches
// up. Without Web Locks (an old browser, a page that is not a secure context) every tab is its own leader and
// nothing is relayed.

export type TabMessage =
  | { t: 'hub'; v: string; n: string; a: any[] } // a hub event, relayed by the leader (v: the visitor it is for)
  | { t: 'up'; v: boolean } // the leader's connection is up / down
  | { t: 'sync' } // the leader (re)connected: catch up with after=
  | { t: 'ask' } // a new tab asks the leader for its connection state
  | { t: 'read'; s: number } // a tab marked everything up to seq s read
  | { t: 'id' } // the visitor's client changed (setUser with a verified identity): start a new session
  | { t: 'contact' }; // the visitor gave its contact details (no pre-chat form any more)

export class Tabs {
  leader = false;
  /** Whether other tabs rely on this leader's relay (false without Web Locks: every tab connects). */
  readonly relays: boolean;
  private ch: BroadcastChannel | null = null;
  private release?: () => void;
  private abort = new AbortController();

  constructor(guid: string, onMessage: (m: TabMessage) => void, onLeader: () => void) {
    try {
      this.ch = new BroadcastChannel('chathub:' + guid);
      this.ch.onmessage = (e) => onMessage(e.data);
    } catch { /* no channel: a lone tab */ }
    const locks = this.ch && navigator.locks;
    this.relays = !!locks;
    const lead = () => {
      this.leader = true;
      onLeader();
    };
    if (locks) {
      locks.request('chathub-hub:' + guid, { signal: this.abort.signal }, () => new Promise<void>((r) => {
        this.release = r;
        lead();
      })).catch(() => {});
    } else {
      queueMicrotask(lead);
    }
  }

  post(m: TabMessage) {
    try {
      this.ch?.postMessage(m);
    } catch { /* closed */ }
  }

  close() {
    this.abort.abort();
    this.release?.();
    this.ch?.close();
    this.ch = null;
    this.leader = false;
  }
}
