// A minimal client of ASP.NET Core SignalR's JSON hub protocol over WebSockets (what /chathub speaks), shared by the widgets:
// handshake, records ending in 0x1E, fire-and-forget sends (both widgets send messages over REST), pings, Close.
// Negotiation is skipped (the WebSockets transport allows it); the token goes in access_token.

const RS = '\x1e';
const PING_MS = 15_000;
const TIMEOUT_MS = 35_000;

type Handler = (...args: any[]) => void;

export class Hub {
  private ws?: WebSocket;
  private ping?: ReturnType<typeof setInterval>;
  private lastSeen = 0;
  private lastSent = 0;
  private closeError: string | null = null;
  private stopped = false;
  /** Called once when a started connection ends: the server's Close error, if any. */
  onclose: (error: string | null) => void = () => {};

  constructor(private handlers: Record<string, Handler>) {}

  /** Opens the socket and completes the handshake; rejects when either fails. */
  start(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        return reject(e as Error);
      }
      this.ws = ws;
      let open = false;
      const timer = setTimeout(() => ws.close(), TIMEOUT_MS / 2); // no handshake in time
      let buffer = '';
      ws.onopen = () => ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
      ws.onmessage = (ev) => {
        this.lastSeen = Date.now();
        buffer += typeof ev.data === 'string' ? ev.data : '';
        let i: number;
        while ((i = buffer.indexOf(RS)) >= 0) {
          const record = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          let m: any;
          try {
            m = JSON.parse(record);
          } catch {
            continue;
          }
          if (!open) {
            if (m.error) {
              reject(new Error(m.error));
              ws.close();
              return;
            }
            open = true;
            clearTimeout(timer);
            this.ping = setInterval(() => this.tick(), PING_MS / 3);
            resolve();
          } else {
            this.receive(m);
          }
        }
      };
      ws.onclose = () => {
        clearTimeout(timer);
        this.cleanup();
        if (!open) reject(new Error('WebSocket closed'));
        else if (!this.stopped) this.onclose(this.closeError);
      };
    });
  }

  private tick() {
    if (Date.now() - this.lastSeen > TIMEOUT_MS) {
      this.ws?.close(); // the server (or the network) is gone; onclose reports it
      return;
    }
    if (Date.now() - this.lastSent >= PING_MS) this.write({ type: 6 });
  }

  private receive(m: any) {
    switch (m.type) {
      case 1: // invocation
        try {
          this.handlers[m.target]?.(...(m.arguments || []));
        } catch (e) {
          console.error('ChatHub:', e);
        }
        break;
      case 7: // close
        this.closeError = m.error || null;
        this.ws?.close();
        break;
    }
  }

  private write(m: object) {
    if (this.ws?.readyState !== 1) return;
    this.ws.send(JSON.stringify(m) + RS);
    this.lastSent = Date.now();
  }

  /** Invokes a hub method without waiting for an answer. */
  send(target: string, ...args: any[]) {
    this.write({ type: 1, target, arguments: args });
  }

  /** Closes without reporting to onclose. */
  stop() {
    this.stopped = true;
    this.ws?.close();
    this.cleanup();
  }

  private cleanup() {
    clearInterval(this.ping);
  }
}
