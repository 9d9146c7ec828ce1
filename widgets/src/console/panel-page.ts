// /console/panel: the operator chat panel as a full page, on the console session.
//   - an operator's session (an operator signed in at /console/ with the email and password an administrator set):
//     the operator's own panel, with its tokens from POST /console/api/operator-token;
//   - an owner's or admin's session, /console/panel?operator=ID ("Open panel" on the Operators page): that operator's
//     panel, with tokens from the company's POST /api/operator/get-token.
// The token is short (1 hour) and lives in the panel's script tag only (never in the URL or in storage); this page
// mints the next one 5 minutes before it expires, and at once when the panel says its token was refused (expired or
// revoked while the session lives). The panel takes a new token on its tag without losing its state.

import { current, operatorToken, restore, Session, signOut, whenSignedOut } from './api';
import { h } from '../shared/dom';
import { lang, t } from './i18n';
import { message } from './ui';

const RENEW_BEFORE = 5 * 60_000;

export async function start() {
  const id0 = Number(new URLSearchParams(location.search).get('operator'));
  document.title = t('operatorPanel') + ' · ChatHub';
  document.documentElement.lang = lang();
  const status = h('p', { class: 'state', role: 'status' }, t('loading'));
  const alert = h('div', { role: 'alert', class: 'alert' });
  const bar = h('div', { class: 'panel-top' }, h('h1', null, t('operatorPanel')));
  const box = h('div', { id: 'operator-panel' }, status);
  document.getElementById('app')!.replaceChildren(h('main', { class: 'panel-page', id: 'main' }, bar, alert, box));
  const fail = (text: string, link = false) => {
    status.remove();
    alert.replaceChildren(h('p', { class: 'error' }, text, link ? ' ' : null, link ? h('a', { href: '/console/' }, t('signIn')) : null));
  };
  let tag: HTMLScriptElement | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  whenSignedOut(() => {
    clearTimeout(timer);
    tag?.remove();
    fail(t('signedOutWhy'), true);
  });

  let session: Session | null = current();
  try {
    session ||= await restore();
  } catch (e) {
    return fail(message(e));
  }
  if (!session) return fail(t('panelSignIn'), true);
  const id = session.role === 'operator' ? session.operatorId! : id0;
  if (!(id > 0)) return fail(t('noOperator'));
  bar.append(h('span', { class: 'mut' }, [session.companyName, session.login].filter(Boolean).join(' · ')),
    session.role === 'operator'
      ? h('button', { type: 'button', onclick: async () => { await signOut(); location.assign('/console/'); } }, t('signOut'))
      : h('a', { href: '/console/operators', class: 'button' }, t('backToConsole')));

  const renew = async () => {
    clearTimeout(timer);
    last = Date.now();
    try {
      const { token, expiresAt } = await operatorToken(id);
      alert.replaceChildren();
      if (tag) tag.setAttribute('token', token);
      else mount(token);
      const left = (Date.parse(expiresAt) || Date.now() + 3600_000) - Date.now();
      timer = setTimeout(renew, Math.max(30_000, left - RENEW_BEFORE));
    } catch (e) {
      if (current()) fail(message(e)); // (a 401 signed out: whenSignedOut said so)
    }
  };
  const mount = (token: string) => {
    status.remove();
    tag = h('script', {
      type: 'module', id: 'operator-chat-panel-script', src: '/operator-chat-panel/widget-script.js',
      token, container: 'operator-panel', lang: lang(),
    });
    document.body.append(tag);
  };
  // the panel's token was refused (expired, revoked): one new token from the session for each refused one, at
  // most one every 3 s (a token refused at once again, e.g. of an operator made inactive, does not loop fast)
  let refused = '';
  addEventListener('chathub:error', (e) => {
    const what = String((e as CustomEvent).detail?.message || '');
    const token = tag?.getAttribute('token') || '';
    if (!/token expired|Invalid token/i.test(what) || token === refused) return;
    refused = token;
    clearTimeout(timer);
    timer = setTimeout(renew, Math.max(0, last + 3000 - Date.now()));
  });
  await renew();
}
