// REST calls of the browser widgets: JSON in and out, the token in the Authorization header (never in storage or
// cookies), and failures as ApiError with the server's RFC 9457 problem details (detail, field, Retry-After).

export interface Media { uri: string; name?: string; format?: string; type: number; size?: number; width?: number; height?: number }
export interface Message {
  id: number; chatId: number; seq: number; author: number; message: string | null; media: Media | null;
  status: number; operator: { id: number; name: string } | null; createdAt: string;
  /** a private note: staff only (the visitor's API never has one) */
  isNote?: boolean;
}

/** A file as the `media` of a message: {name, format, dataBase64 (a data: URL), type (0 file, 1 photo, 2 video, 3 audio)}. */
export async function mediaOf(file: File) {
  const data = await new Promise<string>((res, rej) => {
    const r = new FileReader();
    r.onload = () => res(r.result as string);
    r.onerror = () => rej(r.error);
    r.readAsDataURL(file);
  });
  const type = file.type;
  return { name: file.name, format: type || 'application/octet-stream', dataBase64: data,
    type: /^image\//.test(type) ? 1 : /^video\//.test(type) ? 2 : /^audio\//.test(type) ? 3 : 0 };
}

/** A failed call: status 0 is a network (or CORS) failure; detail is the server's problem detail. */
export class ApiError extends Error {
  constructor(public status: number, public detail: string, public field?: string, public retryAfter?: number) {
    super(detail);
  }
}

/** An answer's JSON (or text) body; a failure as ApiError with the problem details (detail, field, Retry-After). */
export async function answer<T = any>(r: Response): Promise<T> {
  const text = await r.text().catch(() => '');
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!r.ok) {
    const retry = Number(r.headers.get('Retry-After'));
    throw new ApiError(r.status, (data && data.detail) || r.statusText || String(r.status), data && data.field, retry > 0 ? retry : undefined);
  }
  return data as T;
}

/** The answer of a request already made (fetch's promise): as {@link Api.call} gives it. */
export async function reply<T = any>(request: Promise<Response>): Promise<T> {
  let r: Response;
  try {
    r = await request;
  } catch {
    throw new ApiError(0, 'network');
  }
  return answer<T>(r);
}

export class Api {
  constructor(public base: string, public token = '') {}

  /**
   * One call. A body without a token goes as text/plain (a CORS "simple" request: no preflight); the server reads
   * the JSON whatever the content type says.
   */
  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.Authorization = 'Bearer ' + this.token;
    if (body !== undefined) headers['Content-Type'] = this.token ? 'application/json' : 'text/plain';
    return reply<T>(fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    }));
  }

  /** A file (GET /api/media/…, a transcript) as an object URL, fetched with the token in a header, not in the URL. */
  async blob(uri: string): Promise<string> {
    let r: Response;
    try {
      r = await fetch(new URL(uri, this.base + '/').href, { headers: { Authorization: 'Bearer ' + this.token }, credentials: 'omit' });
    } catch {
      throw new ApiError(0, 'network');
    }
    if (!r.ok) throw new ApiError(r.status, r.statusText);
    return URL.createObjectURL(await r.blob());
  }
}
