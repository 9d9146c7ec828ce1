// One client (GET /api/company/clients/{id}): contact data and counts; the export of everything stored about it
// (GET …/export, downloaded as JSON) and the erasure (DELETE …, confirmed): afterwards the page shows only that the
// client was erased — no name, phone, email or external id, no messages.

import { call, Client, download, get, Session } from '../api';
import { sourceName, t } from '../i18n';
import { fmtTime, Link, PageHead, Show, Said, useAction, useLoad } from '../ui';

export default function ClientPage({ params, session }: { params: { id: string }; session: Session }) {
  const base = '/api/company/clients/' + encodeURIComponent(params.id);
  const client = useLoad(() => get<Client>(base), [params.id]);
  const [say, act, failed] = useAction(() => client.reload());
  const readOnly = session.role === 'viewer';
  return (
    <Show it={client}>
      {(c) => {
        const name = c.erased ? t('erasedClient') : c.name || c.phone || c.email || t('clientN', { n: c.id });
        return (
          <>
            <PageHead title={name}>
              <Link href="/clients" class="button">{t('allClients')}</Link>
            </PageHead>
            {c.erased ? <p class="note" data-erased>{t('erasedNote')}</p> : (
              <dl class="facts">
                {c.name && <><dt>{t('name')}</dt><dd>{c.name}</dd></>}
                {c.phone && <><dt>{t('phone')}</dt><dd>{c.phone}</dd></>}
                {c.email && <><dt>{t('email')}</dt><dd>{c.email}</dd></>}
                {c.externalId && <><dt>{t('externalId')}</dt><dd>{c.externalId}</dd></>}
                <dt>{t('source')}</dt><dd>{sourceName(c.source)}</dd>
                <dt>{t('chats')}</dt><dd>{c.chats}</dd>
                <dt>{t('created')}</dt><dd>{fmtTime(c.createdAt)}</dd>
              </dl>
            )}
            {!c.erased && (c.phone || c.email || c.name) && c.chats > 0 && (
              <p><Link href={'/chats?search=' + encodeURIComponent(c.phone || c.email || c.name || '')}>{t('clientChats', { n: c.chats })}</Link></p>
            )}
            <section class="box" aria-labelledby="data-h">
              <h2 id="data-h">{t('personalData')}</h2>
              <p class="mut">{t('exportHint')}</p>
              <div class="buttons">
                <button type="button" onClick={() => act(async () => download(`chathub-client-${c.id}.json`,
                  JSON.stringify(await get(base + '/export'), null, 2) + '\n', 'application/json'), t('exported'))}>{t('exportData')}</button>
                {!readOnly && !c.erased && (
                  <button type="button" class="bad" onClick={() => act(() => call('DELETE', base), t('erased'), t('confirmErase', { name }))}>
                    {t('eraseData')}</button>
                )}
              </div>
              <p class="mut">{t('eraseHint')}</p>
              <p><Said text={say} failed={failed} /></p>
            </section>
          </>
        );
      }}
    </Show>
  );
}
