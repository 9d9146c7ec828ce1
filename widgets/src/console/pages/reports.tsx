// Reports: the summary, a time series and per-operator numbers of GET /api/company/reports/… over a period and,
// optionally, one organization. Their fields are shown as the server names them.

import { useState } from 'preact/hooks';
import { get, Org, query } from '../api';
import { t } from '../i18n';
import { DataTable, Empty, fmtTime, humanize, PageHead, Select, Show, TextField, useLoad } from '../ui';

export const rowsOf = (x: any): Record<string, unknown>[] => (Array.isArray(x) ? x : Array.isArray(x?.items) ? x.items : []);
const day = (d: Date) => d.toISOString().slice(0, 10);

export default function Reports() {
  const [from, setFrom] = useState(day(new Date(Date.now() - 29 * 864e5)));
  const [to, setTo] = useState(day(new Date()));
  const [org, setOrg] = useState('');
  const [applied, setApplied] = useState({ from, to, org });
  const orgs = useLoad(() => get<Org[]>('/api/company/organization'), []);
  const q = query({ from: applied.from, to: applied.to, organizationId: applied.org });
  const summary = useLoad(() => get<Record<string, unknown>>('/api/company/reports/summary' + q), [q]);
  const series = useLoad(() => get('/api/company/reports/timeseries' + q), [q]);
  const ops = useLoad(() => get('/api/company/reports/operators' + q), [q]);
  return (
    <>
      <PageHead title={t('reports')} />
      <form class="filters" aria-label={t('period')} onSubmit={(e) => {
        e.preventDefault();
        setApplied({ from, to, org });
      }}>
        <TextField label={t('dateFrom')} type="date" value={from} onInput={setFrom} />
        <TextField label={t('dateTo')} type="date" value={to} onInput={setTo} />
        <Select label={t('organization')} value={org} onChange={setOrg}
          options={[['', t('all')], ...(orgs.data || []).map((o) => [String(o.id), o.name] as [string, string])]} />
        <div class="buttons"><button type="submit" class="primary">{t('apply')}</button></div>
      </form>
      <section aria-labelledby="sum-h">
        <h2 id="sum-h">{t('summary')}</h2>
        <Show it={summary}>
          {(s) => {
            const entries = Object.entries(s || {}).filter(([, v]) => v == null || typeof v !== 'object');
            return entries.length === 0 ? <Empty>{t('nothing')}</Empty> : (
              <dl class="stats">{entries.map(([k, v]) => <div key={k}><dt>{humanize(k)}</dt><dd>{v == null ? '–' : typeof v === 'string' && /T\d\d:/.test(v) ? fmtTime(v) : String(v)}</dd></div>)}</dl>
            );
          }}
        </Show>
      </section>
      <section aria-labelledby="ts-h">
        <h2 id="ts-h">{t('overTime')}</h2>
        <Show it={series}>{(s) => <Bars rows={rowsOf(s)} />}</Show>
      </section>
      <section aria-labelledby="op-h">
        <h2 id="op-h">{t('byOperator')}</h2>
        <Show it={ops}>{(s) => <DataTable rows={rowsOf(s)} caption={t('byOperator')} />}</Show>
      </section>
    </>
  );
}

/** A time series as a table whose first numeric column is also drawn as bars. */
function Bars({ rows }: { rows: Record<string, unknown>[] }) {
  if (!rows.length) return <Empty>{t('nothing')}</Empty>;
  const key = Object.keys(rows[0]).find((k) => typeof rows[0][k] === 'number');
  const max = key ? Math.max(1, ...rows.map((r) => Number(r[key]) || 0)) : 1;
  return (
    <>
      {key && (
        <div class="bars" aria-hidden="true">
          {rows.map((r, i) => <span key={i} style={{ height: (100 * (Number(r[key]) || 0)) / max + '%' }} title={String(r[key])} />)}
        </div>
      )}
      <DataTable rows={rows} caption={t('overTime')} />
    </>
  );
}
