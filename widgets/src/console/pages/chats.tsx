// The company's chats with every filter of GET /api/chat/chats (kept in the URL), newest activity first, paged.

import { useState } from 'preact/hooks';
import { Chat, get, Operator, operators, Org, query } from '../api';
import { sourceName, statusOf, t } from '../i18n';
import { navigate } from '../router';
import { Empty, fmtTime, Link, Marked, PageHead, Select, Show, TextField, useChanged, useLoad } from '../ui';

const FILTERS = ['search', 'organizationId', 'operatorId', 'status', 'source', 'from', 'to', 'phone', 'tg_user_id', 'per_page'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

export default function Chats({ query: q }: { query: URLSearchParams }) {
  const read = (): Filters => Object.fromEntries(FILTERS.map((k) => [k, q.get(k) || ''])) as Filters;
  const [f, setF] = useState<Filters>(read);
  const key = q.toString();
  useChanged(key, () => setF(read()));
  const page = Math.max(1, Number(q.get('page')) || 1);
  const perPage = Number(f.per_page) || 20;
  const orgs = useLoad(() => get<Org[]>('/api/company/organization'), []);
  const ops = useLoad(() => (f.organizationId ? operators(f.organizationId) : Promise.resolve([] as Operator[])), [f.organizationId]);
  const chats = useLoad(() => {
    const p = read();
    return get<{ total: number; items: Chat[] }>('/api/chat/chats' + query({
      page, per_page: p.per_page, search: p.search, organizationId: p.organizationId, operatorId: p.operatorId, status: p.status,
      source: p.source, phone: p.phone, tg_user_id: p.tg_user_id,
      date: p.from || p.to ? (p.from && p.to ? [p.from, p.to] : [p.from || p.to]) : undefined,
    }));
  }, [key]);
  const go = (params: Partial<Filters> & { page?: number }) => navigate('/chats' + query({ ...params }));
  const set = (p: Partial<Filters>) => setF((x) => ({ ...x, ...p }));
  const orgName = (id: number) => orgs.data?.find((o) => o.id === id)?.name || '#' + id;

  return (
    <>
      <PageHead title={t('chats')} />
      <form class="filters" role="search" aria-label={t('filterChats')} onSubmit={(e) => {
        e.preventDefault();
        go({ ...f, page: 1 });
      }}>
        <TextField label={t('search')} type="search" value={f.search} onInput={(search) => set({ search })} />
        <Select label={t('organization')} value={f.organizationId} onChange={(organizationId) => set({ organizationId, operatorId: '' })}
          options={[['', t('all')], ...(orgs.data || []).map((o) => [String(o.id), o.name] as [string, string])]} />
        <Select label={t('operator')} value={f.operatorId} onChange={(operatorId) => set({ operatorId })}
          options={[['', t('all')], ...(ops.data || []).map((o) => [String(o.id), o.name] as [string, string])]} />
        <Select label={t('status')} value={f.status} onChange={(status) => set({ status })}
          options={[['', t('all')], ...[0, 1, 2, 3, 4].map((s) => [String(s), statusOf(s)] as [string, string])]} />
        <Select label={t('source')} value={f.source} onChange={(source) => set({ source })}
          options={[['', t('all')], ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => [String(s), sourceName(s)] as [string, string])]} />
        <TextField label={t('dateFrom')} type="date" value={f.from} onInput={(from) => set({ from })} />
        <TextField label={t('dateTo')} type="date" value={f.to} onInput={(to) => set({ to })} />
        <TextField label={t('phone')} type="tel" value={f.phone} onInput={(phone) => set({ phone })} />
        <TextField label={t('telegramUser')} inputMode="numeric" value={f.tg_user_id} onInput={(tg_user_id) => set({ tg_user_id })} />
        <Select label={t('perPage')} value={f.per_page || '20'} onChange={(per_page) => set({ per_page })}
          options={['20', '50', '100'].map((n) => [n, n])} />
        <div class="buttons">
          <button type="submit" class="primary">{t('apply')}</button>
          <button type="button" onClick={() => navigate('/chats')}>{t('reset')}</button>
        </div>
      </form>
      <Show it={chats}>
        {({ total, items }) => items.length === 0 ? <Empty>{t('noChats')}</Empty> : (
          <>
            <p role="status" class="mut">{t('chatsFound', { n: total })}</p>
            <div class="scroll" role="region" aria-label={t('chats')} tabIndex={0}>
              <table class="list">
                <thead><tr>
                  <th scope="col">{t('client')}</th><th scope="col">{t('organization')}</th><th scope="col">{t('source')}</th>
                  <th scope="col">{t('status')}</th><th scope="col">{t('operator')}</th><th scope="col">{t('lastMessage')}</th>
                  <th scope="col">{t('updated')}</th>
                </tr></thead>
                <tbody>
                  {items.map((c) => [
                    <tr key={c.id} data-chat-id={c.id} class={c.match ? 'found' : undefined}>
                      <th scope="row"><Link href={'/chats/' + c.id + (c.match ? query({ seq: c.match.seq, q: read().search }) : '')}>{c.client?.name || c.client?.phone || c.client?.email || t('chatN', { n: c.id })}</Link></th>
                      <td>{orgName(c.organizationId)}</td>
                      <td>{c.channel ? c.channel.name : sourceName(c.source)}</td>
                      <td><span class={'chip c' + c.chatStatus}>{statusOf(c.chatStatus)}</span></td>
                      <td>{c.operator?.name || <span class="mut">{t('unassigned')}</span>}</td>
                      <td class="clip">{c.lastMessage?.message || ''}</td>
                      <td>{fmtTime(c.updatedAt)}</td>
                    </tr>,
                    // the message the search found the chat by, its words marked, under the chat's row
                    c.match && (
                      <tr key={c.id + 'm'} class="match" data-match-for={c.id}>
                        <td colSpan={7}><span class="mut">{t('foundIn')} </span>
                          <Link href={'/chats/' + c.id + query({ seq: c.match.seq, q: read().search })}><Marked text={c.match.text} search={read().search} max={160} /></Link>
                        </td>
                      </tr>
                    ),
                  ])}
                </tbody>
              </table>
            </div>
            <nav class="pages" aria-label={t('pagination')}>
              <button type="button" disabled={page <= 1} onClick={() => go({ ...read(), page: page - 1 })}>{t('previous')}</button>
              <span>{t('pageOf', { n: page, m: Math.max(1, Math.ceil(total / perPage)) })}</span>
              <button type="button" disabled={page * perPage >= total} onClick={() => go({ ...read(), page: page + 1 })}>{t('next')}</button>
            </nav>
          </>
        )}
      </Show>
    </>
  );
}
