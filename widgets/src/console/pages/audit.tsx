// The audit log (GET /api/company/audit): every administrative change, newest first, by whom and from where;
// a period filter and paging to older entries by the answer's nextBefore.

import { useState } from 'preact/hooks';
import { AuditEntry, get, query } from '../api';
import { t } from '../i18n';
import { Empty, fmtTime, Link, PageHead, Show, TextField, useLoad } from '../ui';

const LIMIT = 50;

export default function Audit() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [applied, setApplied] = useState({ from: '', to: '' });
  // the `before` of each page shown so far: [] is the newest page
  const [pages, setPages] = useState<number[]>([]);
  const before = pages[pages.length - 1];
  const log = useLoad(() => get<{ items: AuditEntry[]; nextBefore: number | null }>('/api/company/audit'
    + query({ ...applied, limit: LIMIT, before })), [applied.from, applied.to, before]);
  const actor = (a: AuditEntry['actor']) => `${({ company: t('actorCompany'), admin: t('actorAdmin'), operator: t('operator') } as Record<string, string>)[a.type] ?? a.type}${a.login ? ': ' + a.login : a.id != null ? ' #' + a.id : ''}`;
  return (
    <>
      <PageHead title={t('audit')}>
        <Link href="/people" class="button">{t('people')}</Link>
      </PageHead>
      <form class="filters" aria-label={t('period')} onSubmit={(e) => {
        e.preventDefault();
        setPages([]);
        setApplied({ from, to });
      }}>
        <TextField label={t('dateFrom')} type="date" value={from} onInput={setFrom} />
        <TextField label={t('dateTo')} type="date" value={to} onInput={setTo} />
        <div class="buttons"><button type="submit" class="primary">{t('apply')}</button></div>
      </form>
      <Show it={log}>
        {(a) => a.items.length === 0 ? <Empty>{t('nothing')}</Empty> : (
          <>
            <div class="scroll" tabIndex={0} role="region" aria-label={t('audit')}>
              <table data-table="audit">
                <thead><tr>
                  <th scope="col">{t('when')}</th><th scope="col">{t('who')}</th><th scope="col">{t('action')}</th>
                  <th scope="col">{t('object')}</th><th scope="col">{t('detail')}</th><th scope="col">{t('ip')}</th>
                </tr></thead>
                <tbody>
                  {a.items.map((e) => (
                    <tr key={e.id} data-audit-id={e.id}>
                      <td><time dateTime={e.at}>{fmtTime(e.at)}</time></td><td>{actor(e.actor)}</td><td><code>{e.action}</code></td>
                      <td>{e.objectType}{e.objectId ? ' ' + e.objectId : ''}</td><td class="clip" title={e.detail || ''}>{e.detail || ''}</td>
                      <td>{e.ip || ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav class="pages" aria-label={t('pagination')}>
              <button type="button" disabled={!pages.length} onClick={() => setPages(pages.slice(0, -1))}>{t('newer')}</button>
              <span>{t('pageN', { n: pages.length + 1 })}</span>
              <button type="button" disabled={a.nextBefore == null} onClick={() => setPages([...pages, a.nextBefore!])}>{t('older')}</button>
            </nav>
          </>
        )}
      </Show>
    </>
  );
}
