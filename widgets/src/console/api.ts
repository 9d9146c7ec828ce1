// The console's one door to the server: every call goes through call(), and everything that depends on HOW the
// console is signed in lives in this module.
//
// The console session (docs/api.md, "Console session"): POST /console/api/session signs in and the server sets an
// HttpOnly, SameSite=Strict cookie that the browser sends by itself (credentials: 'same-origin'); the page never
// holds a company token. The session's csrfToken (from the sign-in or GET /console/api/session) goes in the
// X-CSRF-Token header of every state-changing call. The cookie is accepted on the ordinary /api/… routes, so the
// pages call the REST API as documented. Operator tokens for the full-page panel come from the session too
// (operatorToken()).
//
// A reload asks GET /console/api/session for the session the cookie still has. The page cannot see the HttpOnly
// cookie, so it keeps a hint (HINT in localStorage: "1", never a token or an id) that it signed in on this browser:
// without it the sign-in page is shown at once and nothing is asked (a probe would be a 401 in the console of every
// fresh visit).

import { answer, ApiError } from '../shared/api';

export { ApiError };

export type Role = 'owner' | 'admin' | 'viewer' | 'operator';
export interface Session {
  role: Role; login: string; companyId: number; companyName: string; adminId: number | null; operatorId: number | null;
  organizationId: number | null; expiresAt: string;
}

let csrf = ''; // the session's CSRF token
let session: Session | null = null;
const SESSION = '/console/api/session';
const HINT = 'chathub-console:signed-in';

/** Called when the server says the session is over (401 on a call): the app shows the sign-in page. */
export let onSignedOut: (why: string) => void = () => {};
export function whenSignedOut(f: (why: string) => void) {
  onSignedOut = f;
}

function hint(on: boolean) {
  try {
    if (on) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch { /* private mode: a reload signs in again */ }
}
function hinted(): boolean {
  try {
    return localStorage.getItem(HINT) === '1';
  } catch {
    return false;
  }
}

async function send(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network');
  }
}

/** One API call: JSON in and out; a failure is an ApiError with the server's problem details (detail, field). */
export async function call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await send(method, path, body);
  if (r.status === 401 && session) {
    const e = await answer<T>(r).catch((e: ApiError) => e);
    ended();
    onSignedOut((e as ApiError).detail);
    throw e;
  }
  return answer<T>(r);
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

function ended() {
  csrf = '';
  session = null;
  hint(false);
}

function adopt(s: Session & { csrfToken: string }): Session {
  csrf = s.csrfToken || '';
  const { csrfToken, ...rest } = s;
  session = rest;
  hint(true);
  return rest;
}

/** The signed-in session, once restore() or signIn() found one. */
export const current = () => session;

/** The session the browser's cookie still has (GET /console/api/session), or null. */
export async function restore(): Promise<Session | null> {
  if (!hinted()) return null;
  const r = await send('GET', SESSION);
  if (r.status === 401) {
    ended();
    return null;
  }
  return adopt(await answer<Session & { csrfToken: string }>(r));
}

export async function signIn(login: string, password: string): Promise<Session> {
  return adopt(await answer<Session & { csrfToken: string }>(await send('POST', SESSION, { login, password })));
}

/** Ends the session on the server (DELETE /console/api/session) and here. */
export async function signOut() {
  if (session) await send('DELETE', SESSION).catch(() => {});
  ended();
}

/** The signed-in account's own password (PUT /console/api/session/password); its other sessions end. */
export const changePassword = (currentPassword: string, newPassword: string) =>
  call('PUT', SESSION + '/password', { currentPassword, newPassword });

/**
 * A short operator token (1 hour) for the full-page operator panel: an operator's session mints its own
 * (POST /console/api/operator-token); an owner's or admin's session, a company credential, asks the company's
 * POST /api/operator/get-token for the operator it opened the panel of.
 */
export async function operatorToken(operatorId?: number): Promise<{ token: string; expiresAt: string }> {
  if (session?.role === 'operator') return call('POST', '/console/api/operator-token');
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  const token = await call<string>('POST', '/api/operator/get-token', { id: operatorId, expiresAt });
  return { token: String(token).replace(/^"|"$/g, ''), expiresAt };
}

/** A file (a message's media) as an object URL, fetched with the session, never with a token in the URL. */
export async function blob(uri: string): Promise<string> {
  const r = await send('GET', uri, undefined, { Accept: '*/*' });
  if (!r.ok) throw new ApiError(r.status, r.statusText);
  return URL.createObjectURL(await r.blob());
}

/** Saves `data` as a file named `name` (a download the browser shows), e.g. a CSV or an export. */
export function download(name: string, data: string, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
  /** with a search only: the message the chat was found by */
  match?: Match | null;
}
export type { Match } from '../shared/search';
import type { Match } from '../shared/search';
export interface Canned { id: number; organizationId: number; shortcut: string; text: string; createdAt: string; updatedAt: string }
export interface Admin { id: number; login: string; role: 'admin' | 'viewer'; createdAt: string; updatedAt: string }
export interface AuditEntry {
  id: number; at: string; actor: { type: string; id: number | null; login: string | null }; action: string; objectType: string;
  objectId: string | null; detail: string | null; ip: string | null;
}
export interface Client {
  id: number; organizationId: number; source: number; externalId: string | null; name: string | null; phone: string | null;
  email: string | null; createdAt: string; updatedAt: string; chats: number; erased: boolean;
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

/** Opens the full-page operator panel (/console/panel) for an operator in a new page; it mints its own token. */
export function openPanel(operatorId: number): Window | null {
  return window.open('/console/panel?operator=' + operatorId, '_blank');
}
