// The REST calls the panel makes, with the token in the Authorization header (never in storage).

export interface Media { uri: string; name?: string; format?: string; type: number; width?: number; height?: number }
export interface Message {
  id: number; chatId: number; seq: number; author: number; message: string | null; media: Media | null;
  status: number; operator: { id: number; name: string } | null; createdAt: string;
}
export interface Chat {
  id: number; theme: string | null; organizationId: number; source: number;
  client: { id: number; name: string | null; phone: string | null; email: string | null };
  operator: { id: number; name: string; photo: string | null } | null;
  chatStatus: number; countUnread: number; createdAt: string; updatedAt: string;
  lastMessage: Message | null; lastSeq: number; operatorReadSeq: number; clientReadSeq: number;
}
export interface Operator { id: number; name: string; status: number; organization: { id: number; name: string } }

/** A failed call: status 0 is a network (or CORS) failure; detail is the server's problem detail. */
export class ApiError extends Error {
  constructor(public status: number, public detail: string) {
    super(detail);
  }
}

export class Api {
  constructor(public base: string, public token: string) {}

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    let r: Response;
    try {
      r = await fetch(this.base + path, {
        method,
        headers: body === undefined
          ? { Authorization: 'Bearer ' + this.token }
          : { Authorization: 'Bearer ' + this.token, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'network');
    }
    const text = await r.text().catch(() => '');
    let data: any = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = text;
    }
    if (!r.ok) throw new ApiError(r.status, (data && data.detail) || r.statusText || String(r.status));
    return data as T;
  }

  /** A media file (GET /api/media/…) as an object URL, fetched with the token in a header, not in the URL. */
  async blob(uri: string): Promise<string> {
    const r = await fetch(new URL(uri, this.base + '/').href, { headers: { Authorization: 'Bearer ' + this.token }, credentials: 'omit' });
    if (!r.ok) throw new ApiError(r.status, r.statusText);
    return URL.createObjectURL(await r.blob());
  }
}
