// Clients: the company's customers (GET /api/company/clients?search&organizationId&page&per_page), searchable and
// paged; each opens its page (client.tsx) with the export and the erasure.

import { useState } from 'preact/hooks';
import { Client, get, Org, query } from '../api';
import { sourceName, t } from '../i18n';
import { navigate } from '../router';
import { Empty, fmtTime, Link, PageHead, Select, Show, TextField, useChanged, useLoad } from '../ui';

const PER_PAGE = 25;

export default function Clients({ query: q }: { query: URLSearchParams }) {
  const search = q.get('search') || '';
  const org = q.get('organizationId') || '';
  const page = Math.max(1, Number(q.get('page')) || 1);
  const [typed, setTyped] = useState(search);
  const [orgTyped, setOrgTyped] = useState(org);
  useChanged(search, () => setTyped(search));
  const orgs = useLoad(() => get<Org[]>('/api/company/organization'), []);
  const clients = useLoad(() => get<{ total: number; items: Client[] }>('/api/company/clients'
    + query({ search, organizationId: org, page, per_page: PER_PAGE })), [search, org, page]);
  const go = (p: object) => navigate('/clients' + query({ search, organizationId: org, page, ...p }));
  const orgName = (id: number) => orgs.data?.find((o) => o.id === id)?.name || '#' + id;
  return (
    <>
      <PageHead title={t('clients')} />
      <form class="filters" role="search" aria-label={t('clients')} onSubmit={(e) => {
        e.preventDefault();
        go({ search: typed.trim(), organizationId: orgTyped, page: 1 });
      }}>
        <TextField label={t('search')} type="search" value={typed} onInput={setTyped} hint={t('clientSearchHint')} maxLength={200} />
        <Select label={t('organization')} value={orgTyped} onChange={setOrgTyped}
          options={[['', t('all')], ...(orgs.data || []).map((o) => [String(o.id), o.name] as [string, string])]} />
        <div class="buttons"><button type="submit" class="primary">{t('apply')}</button></div>
      </form>
      <Show it={clients}>
        {(c) => (
          <>
            <p role="status" class="mut">{t('clientsFound', { n: c.total })}</p>
            {c.items.length === 0 ? <Empty>{t('noClients')}</Empty> : (
              <div class="scroll" tabIndex={0} role="region" aria-label={t('clients')}>
                <table class="list">
                  <thead><tr>
                    <th scope="col">{t('name')}</th><th scope="col">{t('phone')}</th><th scope="col">{t('email')}</th>
                    <th scope="col">{t('organization')}</th><th scope="col">{t('source')}</th><th scope="col">{t('chats')}</th>
                    <th scope="col">{t('created')}</th>
                  </tr></thead>
                  <tbody>
                    {c.items.map((x) => (
                      <tr key={x.id} data-client-id={x.id}>
                        <th scope="row"><Link href={'/clients/' + x.id}>{x.erased ? t('erasedClient') : x.name || x.phone || x.email || '#' + x.id}</Link></th>
                        <td>{x.phone || ''}</td><td>{x.email || ''}</td><td>{orgName(x.organizationId)}</td>
                        <td>{sourceName(x.source)}</td><td>{x.chats}</td><td>{fmtTime(x.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <nav class="pages" aria-label={t('pagination')}>
              <button type="button" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>{t('previous')}</button>
              <span>{t('pageOf', { n: page, m: Math.max(1, Math.ceil(c.total / PER_PAGE)) })}</span>
              <button type="button" disabled={page * PER_PAGE >= c.total} onClick={() => go({ page: page + 1 })}>{t('next')}</button>
            </nav>
          </>
        )}
      </Show>
    </>
  );
}
