// Reports (GET /api/company/reports/summary|timeseries|operators) over a period and, optionally, one organization:
// the summary's numbers, a time series drawn as an inline SVG bar chart (with its table), and the per-operator table.
// Each table downloads as CSV (times in seconds, as the API gives them).

import { useState } from 'preact/hooks';
import { download, get, Org, query } from '../api';
import { t } from '../i18n';
import { Empty, PageHead, Select, Show, TextField, useLoad } from '../ui';

interface Times { count: number; p50: number | null; p90: number | null }
interface Summary {
  from: string; to: string; chats: { started: number; answered: number; missed: number; offline: number };
  firstResponse: Times; resolution: Times; rating: { count: number; average: number | null; distribution: Record<string, number> };
}
interface Series { metric: string; interval: string; points: { start: string; value: number | null; count: number }[] }
interface OperatorRow { operator: { id: number; name: string }; chats: number; answered: number; firstResponse: Times; resolution: Times; rating: { count: number; average: number | null } }

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Seconds as a person reads them: 42.5 s, 3 min 20 s, 2 h 5 min; '–' for none. */
export function duration(s: number | null | undefined): string {
  if (s == null) return '–';
  if (s < 60) return Math.round(s * 10) / 10 + ' s';
  const r = Math.round(s);
  const h = Math.floor(r / 3600);
  const m = Math.floor((r % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min ${r % 60} s`;
}
const avg = (v: number | null | undefined) => (v == null ? '–' : String(Math.round(v * 100) / 100));

/** CSV text (RFC 4180): every field quoted when it needs to be. */
export function csv(rows: unknown[][]): string {
  const cell = (v: unknown) => {
    const s = v == null ? '' : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function CsvButton({ name, rows, label }: { name: string; rows: () => unknown[][]; label: string }) {
  return <button type="button" onClick={() => download(name, csv(rows()), 'text/csv;charset=utf-8')}>{t('downloadCsv')}<span class="sr"> {label}</span></button>;
}

export default function Reports() {
  const [from, setFrom] = useState(day(new Date(Date.now() - 29 * 864e5)));
  const [to, setTo] = useState(day(new Date()));
  const [org, setOrg] = useState('');
  const [metric, setMetric] = useState('chats');
  const [interval, setIv] = useState('day');
  const [applied, setApplied] = useState({ from, to, org });
  const orgs = useLoad(() => get<Org[]>('/api/company/organization'), []);
  const p = { from: applied.from, to: applied.to, organizationId: applied.org };
  const q = query(p);
  const summary = useLoad(() => get<Summary>('/api/company/reports/summary' + q), [q]);
  const series = useLoad(() => get<Series>('/api/company/reports/timeseries' + query({ ...p, metric, interval })), [q, metric, interval]);
  const ops = useLoad(() => get<OperatorRow[]>('/api/company/reports/operators' + q), [q]);
  const period = `${applied.from}_${applied.to}`;
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
      <section>
        <h2 id="sum-h">{t('summary')}</h2>
        <Show it={summary}>{(s) => <SummaryView s={s} />}</Show>
      </section>
      <section>
        <h2 id="ts-h">{t('overTime')}</h2>
        <div class="filters">
          <Select label={t('metric')} value={metric} onChange={setMetric}
            options={[['chats', t('mChats')], ['firstResponse', t('mFirstResponse')], ['resolution', t('mResolution')], ['rating', t('mRating')]]} />
          <Select label={t('interval')} value={interval} onChange={setIv}
            options={[['hour', t('iHour')], ['day', t('iDay')], ['week', t('iWeek')]]} />
        </div>
        <Show it={series}>{(s) => <SeriesView s={s} name={`chathub-${s.metric}-${s.interval}-${period}.csv`} />}</Show>
      </section>
      <section>
        <h2 id="op-h">{t('byOperator')}</h2>
        <Show it={ops}>{(rows) => <OperatorsTable rows={rows} name={`chathub-operators-${period}.csv`} />}</Show>
      </section>
    </>
  );
}

function SummaryView({ s }: { s: Summary }) {
  const stats: [string, string, string][] = [
    ['started', t('started'), String(s.chats.started)],
    ['answered', t('answered'), String(s.chats.answered)],
    ['missed', t('missed'), String(s.chats.missed)],
    ['offline', t('offlineMessages'), String(s.chats.offline)],
    ['firstResponseP50', t('firstResponseP50'), duration(s.firstResponse.p50)],
    ['firstResponseP90', t('firstResponseP90'), duration(s.firstResponse.p90)],
    ['resolutionP50', t('resolutionP50'), duration(s.resolution.p50)],
    ['resolutionP90', t('resolutionP90'), duration(s.resolution.p90)],
    ['rating', t('ratingAverage', { n: s.rating.count }), avg(s.rating.average)],
  ];
  const dist = s.rating.distribution || {};
  const most = Math.max(1, ...Object.values(dist));
  return (
    <>
      <dl class="stats">{stats.map(([k, label, v]) => <div key={k} data-stat={k}><dt>{label}</dt><dd>{v}</dd></div>)}</dl>
      {s.rating.count > 0 && (
        <table class="dist">
          <caption>{t('ratings')}</caption>
          <tbody>
            {['5', '4', '3', '2', '1'].map((k) => (
              <tr key={k}><th scope="row">{'★'.repeat(+k)}<span class="sr"> {k}</span></th>
                <td><span class="bar" style={{ width: (100 * (dist[k] || 0)) / most + '%' }} /></td><td>{dist[k] || 0}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const label = (iso: string, interval: string) => {
  const d = new Date(iso);
  const l = document.documentElement.lang || undefined;
  return interval === 'hour' ? d.toLocaleString(l, { month: 'short', day: 'numeric', hour: 'numeric', timeZone: 'UTC' })
    : d.toLocaleDateString(l, { month: 'short', day: 'numeric', timeZone: 'UTC' });
};
const shown = (metric: string, v: number | null) => (v == null ? '–' : metric === 'chats' ? String(v) : metric === 'rating' ? avg(v) : duration(v));

/** The series as an inline SVG bar chart (decorative beside its table, which screen readers read) and its table. */
function SeriesView({ s, name }: { s: Series; name: string }) {
  const pts = s.points || [];
  if (!pts.length) return <Empty>{t('nothing')}</Empty>;
  const W = 720;
  const H = 160;
  const max = Math.max(...pts.map((p) => p.value || 0)) || 1;
  const bw = W / pts.length;
  const title = t('chartOf', { metric: t(('m' + s.metric[0].toUpperCase() + s.metric.slice(1)) as any), max: shown(s.metric, max) });
  return (
    <>
      <figure class="chart">
        <div class="y" aria-hidden="true">{shown(s.metric, max)}</div>
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} preserveAspectRatio="none">
          <line x1="0" y1={H} x2={W} y2={H} class="axis" />
          {pts.map((p, i) => {
            const v = p.value || 0;
            const hgt = (H - 4) * (v / max);
            return <rect key={p.start} x={i * bw + bw * 0.1} y={H - hgt} width={Math.max(1, bw * 0.8)} height={hgt}><title>{label(p.start, s.interval)}: {shown(s.metric, p.value)}</title></rect>;
          })}
        </svg>
        <div class="x" aria-hidden="true"><span>{label(pts[0].start, s.interval)}</span><span>{label(pts[pts.length - 1].start, s.interval)}</span></div>
        <figcaption class="sr">{title}</figcaption>
      </figure>
      <details>
        <summary>{t('asTable')}</summary>
        <div class="scroll" tabIndex={0} role="region" aria-label={t('overTime')}>
          <table>
            <thead><tr><th scope="col">{t('periodStart')}</th><th scope="col">{t('value')}</th><th scope="col">{t('chats')}</th></tr></thead>
            <tbody>{pts.map((p) => <tr key={p.start}><td>{label(p.start, s.interval)}</td><td>{shown(s.metric, p.value)}</td><td>{p.count}</td></tr>)}</tbody>
          </table>
        </div>
      </details>
      <div class="buttons">
        <CsvButton name={name} label={t('overTime')} rows={() => [['start', s.metric, 'count'], ...pts.map((p) => [p.start, p.value, p.count])]} />
      </div>
    </>
  );
}

function OperatorsTable({ rows, name }: { rows: OperatorRow[]; name: string }) {
  if (!rows.length) return <Empty>{t('nothing')}</Empty>;
  return (
    <>
      <div class="scroll" tabIndex={0} role="region" aria-label={t('byOperator')}>
        <table data-table="operators">
          <thead><tr>
            <th scope="col">{t('operator')}</th><th scope="col">{t('chats')}</th><th scope="col">{t('answered')}</th>
            <th scope="col">{t('firstResponseP50')}</th><th scope="col">{t('resolutionP50')}</th><th scope="col">{t('rating')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.operator.id}>
                <th scope="row">{r.operator.name}</th><td>{r.chats}</td><td>{r.answered}</td>
                <td>{duration(r.firstResponse.p50)}</td><td>{duration(r.resolution.p50)}</td><td>{avg(r.rating.average)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="buttons">
        <CsvButton name={name} label={t('byOperator')} rows={() => [
          ['operatorId', 'operator', 'chats', 'answered', 'firstResponseP50', 'firstResponseP90', 'resolutionP50', 'resolutionP90', 'ratings', 'ratingAverage'],
          ...rows.map((r) => [r.operator.id, r.operator.name, r.chats, r.answered, r.firstResponse.p50, r.firstResponse.p90,
            r.resolution.p50, r.resolution.p90, r.rating.count, r.rating.average])]} />
      </div>
    </>
  );
}
