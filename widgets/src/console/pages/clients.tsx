// Clients: the company's customers (GET /api/company/clients) with their contact data, searchable and paged.

import { useState } from 'preact/hooks';
import { get, query } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';
import { DataTable, PageHead, Show, TextField, useChanged, useLoad } from '../ui';
import { rowsOf } from './reports';

export default function Clients({ query: q }: { query: URLSearchParams }) {
  const search = q.get('search') || '';
  const page = Math.max(1, Number(q.get('page')) || 1);
  const [typed, setTyped] = useState(search);
  useChanged(search, () => setTyped(search));
  const clients = useLoad(() => get('/api/company/clients' + query({ search, page })), [search, page]);
  const go = (p: object) => navigate('/clients' + query({ search, page, ...p }));
  return (
    <>
      <PageHead title={t('clients')} />
      <form class="filters" role="search" aria-label={t('clients')} onSubmit={(e) => {
        e.preventDefault();
        go({ search: typed, page: 1 });
      }}>
        <TextField label={t('search')} type="search" value={typed} onInput={setTyped} hint={t('clientSearchHint')} />
        <div class="buttons"><button type="submit" class="primary">{t('apply')}</button></div>
      </form>
      <Show it={clients}>
        {(c: any) => (
          <>
            {typeof c?.total === 'number' && <p role="status" class="mut">{t('clientsFound', { n: c.total })}</p>}
            <DataTable rows={rowsOf(c)} caption={t('clients')} />
            <nav class="pages" aria-label={t('pagination')}>
              <button type="button" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>{t('previous')}</button>
              <span>{t('pageN', { n: page })}</span>
              <button type="button" disabled={rowsOf(c).length === 0 || (typeof c?.total === 'number' && page * rowsOf(c).length >= c.total)}
                onClick={() => go({ page: page + 1 })}>{t('next')}</button>
            </nav>
          </>
        )}
      </Show>
    </>
  );
}
