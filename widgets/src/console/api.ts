// The console's one door to the server: every call goes through call(), and everything that depends on HOW the
// console is signed in lives in this module, so the sign-in mechanism changes here and nowhere else.
//
// Two mechanisms, picked at start by asking the server (restore()):
//   'cookie'  the console session (GET/POST/DELETE /console/api/session): an HttpOnly session cookie the browser
//             sends by itself (credentials: 'same-origin'), the session's csrfToken in the X-CSRF-Token header of
//             every state-changing call, operator tokens for the full-page panel from POST /console/api/operator-token.
//   'token'   INTERIM, while the server has no /console/api/session (it answers 404): sign-in calls the company login
//             POST /api/company/get-token and the company token is kept in this module's memory only — never in
//             localStorage, sessionStorage or a cookie — and sent as Authorization: Bearer. A reload signs out.
//             Operator tokens come from POST /api/operator/get-token. Remove this path once the session API is
//             everywhere: delete the `mode === 'token'` branches below.

import { answer, ApiError } from '../shared/api';

export { ApiError };

export type Role = 'owner' | 'admin' | 'viewer' | 'operator';
export interface Session { role: Role; login: string; companyId: number | null }

type Mode = 'cookie' | 'token';
let mode: Mode | null = null;
let token = ''; // interim: the company token, in memory only
let csrf = ''; // cookie mode: the session's CSRF token
const SESSION = '/console/api/session';

/** Called when the server says the session is over (401 on a call): the app shows the sign-in page. */
export let onSignedOut: (why: string) => void = () => {};
export function whenSignedOut(f: (why: string) => void) {
  onSignedOut = f;
}

async function send(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (mode === 'token' && token && !headers.Authorization) headers.Authorization = 'Bearer ' + token;
  if (mode === 'cookie' && csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: mode === 'cookie' ? 'same-origin' : 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network');
  }
}

const read = answer;

/** One API call: JSON in and out; a failure is an ApiError with the server's problem details (detail, field). */
export async function call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await send(method, path, body);
  if (r.status === 401 && (token || csrf)) {
    const e = await read<T>(r).catch((e: ApiError) => e);
    signedOut();
    onSignedOut((e as ApiError).detail);
    throw e;
  }
  return read<T>(r);
}

export const get = <T = any>(path: string) => call<T>('GET', path);

/** A query string of the non-empty values (arrays repeat the parameter): '?a=1&b=2' or ''. */
export function query(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const k in params) {
    const v = params[k];
    for (const x of Array.isArray(v) ? v : [v]) if (x != null && x !== '') q.append(k, String(x));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

function signedOut() {
  token = '';
  csrf = '';
}

/** The session the browser already has (cookie mode), or null; decides the mechanism. */
export async function restore(): Promise<Session | null> {
  mode = null;
  const r = await send('GET', SESSION, undefined);
  if (r.status === 404 || r.status === 405) {
    mode = 'token'; // INTERIM: the server has no console session API yet
    return null;
  }
  mode = 'cookie';
  if (r.status === 401 || r.status === 403) return null;
  const s = await read<Session & { csrfToken: string }>(r);
  csrf = s.csrfToken || '';
  return s;
}

export async function signIn(login: string, password: string): Promise<Session> {
  if (mode === null) await restore();
  if (mode === 'cookie') {
    const s = await read<Session & { csrfToken: string }>(await send('POST', SESSION, { login, password }));
    csrf = s.csrfToken || '';
    return s;
  }
  // INTERIM: the company login; the token stays in memory
  const t = await read<string>(await send('POST', '/api/company/get-token', { login, password }));
  token = String(t).replace(/^"|"$/g, '');
  return { role: 'owner', login, companyId: companyOf(token) };
}

export async function signOut() {
  if (mode === 'cookie') await send('DELETE', SESSION).catch(() => {});
  signedOut();
}

/** INTERIM: the company id claim of the company token (shown only; the server decides). */
function companyOf(jwt: string): number | null {
  try {
    const c = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return Number(c.companyId ?? c.cid ?? c.sub) || null;
  } catch {
    return null;
  }
}

/** A short operator token for the full-page operator panel (1 hour). */
export async function operatorToken(operatorId: number): Promise<string> {
  if (mode === 'cookie') {
    const r = await call<{ token: string } | string>('POST', '/console/api/operator-token', { operatorId });
    return typeof r === 'string' ? r : r.token;
  }
  const expiresAt = new Date(Date.now() + 3600_000).toISOString(); // INTERIM
  return String(await call<string>('POST', '/api/operator/get-token', { id: operatorId, expiresAt })).replace(/^"|"$/g, '');
}

/** A file (a message's media) as an object URL, fetched with the session, never with a token in the URL. */
export async function blob(uri: string): Promise<string> {
  const r = await send('GET', uri, undefined, { Accept: '*/*' });
  if (!r.ok) throw new ApiError(r.status, r.statusText);
  return URL.createObjectURL(await r.blob());
}

// ---- shapes ----

export interface Org { id: number; name: string }
export interface BusinessHours { timezone?: string; days?: Record<string, [string, string][]> }
export interface OrgSettings extends Org {
  widgetGuid: string; allowedOrigins: string[]; greeting: string | null; businessHours: BusinessHours | null;
  offlineContact: string | null; themeColor: string | null; defaultLanguage: string | null;
  preChat: { fields: string[]; required: string[] } | null; position: string | null; identitySecret: string | null;
}
export interface Operator {
  id: number; name: string; status: number; organization: Org; externalId: string | null; email: string | null;
  photo: string | null; maxChats: number; online?: boolean;
}
export interface Chat {
  id: number; organizationId: number; source: number; chatStatus: number; theme: string | null;
  client: { id: number; name: string | null; phone: string | null; email: string | null } | null;
  operator: { id: number; name: string } | null; countUnread: number; createdAt: string; updatedAt: string;
  lastMessage: { message: string | null; createdAt: string } | null; channel?: { name: string; type: string } | null;
  pageUrl?: string | null; language?: string | null; offline?: boolean; rating?: { score: number; comment: string | null } | null;
}
export type { Message, Media } from '../shared/api';

// ---- calls with more than one step ----

/** The operators of an organization (all of the company's without one). */
export const operators = (organizationId?: number | string) => get<Operator[]>('/api/operator' + query({ organizationId }));

/**
 * Creates or changes an operator's profile. The API has no per-operator update yet: POST /api/operator/synchronize
 * matches by externalId, else by name among the operators without one, and keeps a field that is not given. So an
 * operator's external id, once set, cannot change here (another one would make a new operator), and an operator
 * without one that is renamed (or given one) first gets its external id — the one typed, else `console-<id>` —
 * matched by its current name; then the new profile is matched by that id. Refused when an older operator without
 * an external id has the same name (the name match would hit it instead).
 */
export async function saveOperator(organizationId: number, was: Operator | null,
  p: { name: string; email?: string; photo?: string; maxChats?: number; externalId?: string }): Promise<{ id: number }> {
  const externalId = was?.externalId || p.externalId || (was && was.name !== p.name ? 'console-' + was.id : undefined);
  if (was && !was.externalId && externalId) {
    const twin = (await operators(organizationId)).find((o) => o.name === was.name && !o.externalId && o.id < was.id);
    if (twin) throw new ApiError(409, `Operator ${twin.id} has the same name and no external id: give that one an external id first`, 'name');
    const [tagged] = await call<{ id: number }[]>('POST', '/api/operator/synchronize', [{ organizationId, name: was.name, externalId }]);
    if (tagged.id !== was.id) throw new ApiError(409, 'Another operator matched this name', 'name');
  }
  const [saved] = await call<{ id: number }[]>('POST', '/api/operator/synchronize', [{ organizationId, ...p, externalId }]);
  return saved;
}

/**
 * Opens the full-page operator panel (/console/panel) for an operator in a new page. Cookie mode: that page gets its
 * own operator token from the session. INTERIM (token mode): this window mints the token and hands it to the new
 * page when it asks (postMessage, same origin only), so that no token is ever put in a URL or in storage.
 */
export function openPanel(operatorId: number): Window | null {
  const w = window.open('/console/panel?operator=' + operatorId, '_blank');
  if (!w || mode === 'cookie') return w;
  const minted = operatorToken(operatorId);
  const answer = (e: MessageEvent) => {
    if (e.origin !== location.origin || e.source !== w || e.data?.type !== 'chathub-console:panel-ready' || e.data.operator !== operatorId) return;
    removeEventListener('message', answer);
    minted.then((token) => w.postMessage({ type: 'chathub-console:panel-token', operator: operatorId, token }, location.origin),
      (err: ApiError) => w.postMessage({ type: 'chathub-console:panel-token', operator: operatorId, error: err.detail }, location.origin));
  };
  addEventListener('message', answer);
  return w;
}
