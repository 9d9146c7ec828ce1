// /console/panel?operator=ID: the operator chat panel full page, for the operator the console chose ("Open panel").
// The operator token comes from the console session (cookie mode: POST /console/api/operator-token from this page),
// or — interim, while the company token lives only in the opener console's memory — from the console window that
// opened this page, by postMessage between the two same-origin windows (never in the URL).

import { operatorToken, restore } from './api';
import { h } from '../shared/dom';
import { lang, t } from './i18n';

export const READY = 'chathub-console:panel-ready'; // api.ts openPanel answers it
export const TOKEN = 'chathub-console:panel-token';

function mount(token: string) {
  const box = document.getElementById('operator-panel')!;
  box.replaceChildren();
  document.body.append(h('script', {
    type: 'module', id: 'operator-chat-panel-script', src: '/operator-chat-panel/widget-script.js',
    token, container: 'operator-panel', lang: lang(),
  }));
}

export async function start() {
  const q = new URLSearchParams(location.search);
  const id = Number(q.get('operator'));
  document.title = t('operatorPanel') + ' · ChatHub';
  document.documentElement.lang = lang();
  const status = h('p', { class: 'state', role: 'status' }, t('loading'));
  document.getElementById('app')!.replaceChildren(h('main', { class: 'panel-page', id: 'main' },
    h('h1', { class: 'sr' }, t('operatorPanel')), h('div', { id: 'operator-panel' }, status)));
  const fail = (text: string) => status.replaceChildren(h('span', { class: 'error', role: 'alert' }, text));
  if (!(id > 0)) return fail(t('noOperator'));
  const session = await restore().catch(() => null);
  if (session) {
    try {
      return mount(await operatorToken(id));
    } catch (e) {
      return fail(String((e as Error).message));
    }
  }
  const opener = window.opener as Window | null;
  if (!opener) return fail(t('panelNeedsConsole'));
  addEventListener('message', (e) => {
    if (e.origin !== location.origin || e.source !== opener || e.data?.type !== TOKEN || e.data.operator !== id) return;
    if (e.data.error) fail(e.data.error);
    else mount(e.data.token);
  });
  opener.postMessage({ type: READY, operator: id }, location.origin);
}
