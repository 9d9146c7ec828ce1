// /console/preview?guid=G: a bare page with the organization's customer chat widget, for the console's live preview
// (an iframe). It embeds the same tag as the website snippet, from this server.

import { h } from '../shared/dom';
import { lang, t } from './i18n';

export function start() {
  const guid = new URLSearchParams(location.search).get('guid') || '';
  document.title = t('preview') + ' · ChatHub';
  document.documentElement.lang = lang();
  document.body.classList.add('preview-page');
  document.getElementById('app')!.replaceChildren(h('main', { id: 'main' },
    h('h1', null, t('previewSite')), h('p', null, t('previewSiteText'))));
  document.body.append(h('script', { type: 'module', id: 'chat-widget-script', src: '/chat-widget/widget-script.js', guid, open: true }));
}
