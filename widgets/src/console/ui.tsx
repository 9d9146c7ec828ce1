// The console's small building blocks: labelled fields with their API errors, loading/empty/error states, a copy
// button, page headings that take the focus after a navigation, links of the client-side router, a data loader.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { t } from './i18n';
import { BASE, follow } from './router';
import { marks } from '../shared/search';

let ids = 0;
export const useId = () => useRef('f' + ++ids).current;

/** A console link: history navigation, a real href for new tabs and screen readers. */
export function Link({ href, children, ...rest }: { href: string; children: ComponentChildren } & Record<string, any>) {
  return <a {...rest} href={BASE + href} onClick={(e) => follow(e as unknown as MouseEvent, href)}>{children}</a>;
}

/** The page's heading; focused after a navigation so screen readers announce the new page (unless the page put the focus on a [data-focus-target] of its own). */
export function PageHead({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title + ' · ChatHub';
    const at = document.activeElement;
    if ((at === document.body || at?.closest('nav,[data-moved]')) && !at?.closest('[data-focus-target]')) ref.current?.focus();
  }, [title]);
  return (
    <div class="head">
      <h1 ref={ref} tabIndex={-1}>{title}</h1>
      {children && <div class="actions">{children}</div>}
    </div>
  );
}

/** What a failed call says to a person: the server's problem detail, or a network message. */
export function message(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('network');
    if (e.status === 404 && !e.field && /^(Not Found|404|Endpoint .* not found)$/.test(e.detail)) return t('notAvailable');
    if (e.status === 429) {
      const s = e.retryAfter ?? 60; // the throttle's Retry-After: seconds, up to the window (15 min)
      return s < 120 ? t('tooMany', { s }) : t('tooManyMin', { m: Math.ceil(s / 60) });
    }
    return e.detail;
  }
  return String((e as Error)?.message || e);
}

/** Problem details as inline errors: {field: detail}; a field-less problem under ''. */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!e) return {};
  if (e instanceof ApiError && e.field) return { [e.field]: e.detail };
  return { '': message(e) };
}

/** The error of `field` or of any part of it (`businessHours` shows `businessHours.days.mon`). */
export function errorOf(errors: Record<string, string>, field: string): string | undefined {
  for (const k in errors) if (k === field || k.startsWith(field + '.') || k.startsWith(field + '[')) return errors[k];
  return undefined;
}

export function Loading({ label }: { label?: string }) {
  return <p class="state" role="status" aria-live="polite"><span class="spin" aria-hidden="true" />{label || t('loading')}</p>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>;
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div class="error" role="alert">
      <p>{message(error)}</p>
      {retry && <button type="button" onClick={retry}>{t('retry')}</button>}
    </div>
  );
}

/** One labelled control with its hint and its inline error (aria-invalid, aria-describedby). */
export function Field({ label, error, hint, children, id }: {
  label: string; error?: string; hint?: ComponentChildren; id: string; children: ComponentChildren;
}) {
  return (
    <div class={'field' + (error ? ' bad' : '')}>
      <label for={id}>{label}</label>
      {children}
      {hint && <small id={id + '-h'}>{hint}</small>}
      {error && <small class="err" id={id + '-e'}>{error}</small>}
    </div>
  );
}

/** The aria attributes a control of a Field gets. */
export const described = (id: string, error?: string, hint?: boolean) => ({
  id,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': [hint && id + '-h', error && id + '-e'].filter(Boolean).join(' ') || undefined,
});

export function TextField({ label, value, onInput, error, hint, type = 'text', ...rest }: {
  label: string; value: string; onInput: (v: string) => void; error?: string; hint?: ComponentChildren; type?: any;
} & Record<string, any>) {
  const id = useId();
  return (
    <Field label={label} error={error} hint={hint} id={id}>
      <input {...rest} {...described(id, error, !!hint)} type={type} value={value}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </Field>
  );
}

export function TextArea({ label, value, onInput, error, hint, rows = 3 }: {
  label: string; value: string; onInput: (v: string) => void; error?: string; hint?: ComponentChildren; rows?: number;
}) {
  const id = useId();
  return (
    <Field label={label} error={error} hint={hint} id={id}>
      <textarea {...described(id, error, !!hint)} rows={rows} value={value}
        onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
    </Field>
  );
}

export function Select({ label, value, onChange, options, error, hint }: {
  label: string; value: string; onChange: (v: string) => void; options: [string, string][]; error?: string; hint?: ComponentChildren;
}) {
  const id = useId();
  return (
    <Field label={label} error={error} hint={hint} id={id}>
      <select {...described(id, error, !!hint)} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map(([v, l]) => <option value={v} key={v}>{l}</option>)}
      </select>
    </Field>
  );
}

/** Copies `text`; says so to screen readers (a live region) and on the button. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const ta = document.createElement('textarea');
      ta.value = text;
      document.body.append(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setDone(true);
    setTimeout(() => setDone(false), 2000);
  };
  return (
    <span class="copy">
      <button type="button" onClick={copy}>{label}</button>
      <span role="status" class="ok">{done ? t('copied') : ''}</span>
    </span>
  );
}

/** A code snippet with its copy button. */
export function Snippet({ title, code, copyLabel, children }: { title: string; code: string; copyLabel: string; children?: ComponentChildren }) {
  const id = useId();
  return (
    <section class="snippet" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
      <pre tabIndex={0} aria-label={title}><code>{code}</code></pre>
      <CopyButton text={code} label={copyLabel} />
    </section>
  );
}

/**
 * A button's action with its outcome said in a live region: [said, run, failed]. `run(what, ok, ask)` asks `ask`
 * first (confirm), then says `ok` and calls `done`, or says why it failed (`failed`: shown as an alert by <Said>).
 */
export function useAction(done: () => void): [string, (what: () => Promise<unknown>, ok: string, ask?: string) => Promise<void>, boolean] {
  const [said, say] = useState<[string, boolean]>(['', false]);
  const run = async (what: () => Promise<unknown>, ok: string, ask?: string) => {
    if (ask && !confirm(ask)) return;
    say(['', false]);
    try {
      await what();
      say([ok, false]);
      done();
    } catch (e) {
      say([message(e), true]);
    }
  };
  return [said[0], run, said[1]];
}

/** An action's outcome: a status, or an alert when it failed. */
export function Said({ text, failed }: { text: string; failed: boolean }) {
  return <>
    <span role="status" class="ok">{failed ? '' : text}</span>
    {failed && text && <span role="alert" class="error">{text}</span>}
  </>;
}

/** Runs `f` when `key` changes after the first render (not on mount: the state was made from it already). */
export function useChanged(key: unknown, f: () => void) {
  const was = useRef(key);
  useEffect(() => {
    if (was.current === key) return;
    was.current = key;
    f();
  }, [key]);
}

export interface Loaded<T> { data?: T; error?: unknown; loading: boolean; reload: () => void; set: (d: T) => void }

/** Runs `load` when `deps` change (and on reload()); the latest answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    load().then((data) => live && setState({ data, loading: false }), (error) => live && setState({ error, loading: false }));
    return () => void (live = false);
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1), set: (data: T) => setState({ data, loading: false }) };
}

/** Loading, error or the content of a Loaded. */
export function Show<T>({ it, children, label }: { it: Loaded<T>; children: (d: T) => ComponentChildren; label?: string }) {
  if (it.error !== undefined) return <ErrorBox error={it.error} retry={it.reload} />;
  if (it.data === undefined) return <Loading label={label} />;
  return <>{children(it.data)}</>;
}

export const fmtTime = (iso: string | null | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(+d) ? iso : d.toLocaleString(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

/** A table of rows of any shape (the report and list endpoints): a column per key of the first rows. */
export function DataTable({ rows, caption }: { rows: Record<string, unknown>[]; caption: string }) {
  if (!rows.length) return <Empty>{t('nothing')}</Empty>;
  const cols = [...new Set(rows.slice(0, 20).flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => v == null ? '' : typeof v === 'object' ? (v as any).name ?? JSON.stringify(v)
    : typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? fmtTime(v) : String(v);
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption class="sr">{caption}</caption>
        <thead><tr>{cols.map((c) => <th scope="col" key={c}>{humanize(c)}</th>)}</tr></thead>
        <tbody>{rows.map((r, i) => <tr key={i}>{cols.map((c) => <td key={c}>{cell(r[c])}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

/** 'avgFirstResponseSeconds' -> 'Avg first response seconds'. */
export const humanize = (k: string) => {
  const s = k.replace(/[_-]+/g, ' ').replace(/([a-z\d])([A-Z])/g, '$1 $2').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** A text with the searched words in <mark>: every piece stays text (JSX children), whatever the text holds. */
export function Marked({ text, search, max = 0 }: { text: string; search: string; max?: number }) {
  return <>{marks(text, search, max).map(([piece, hit]) => (hit ? <mark>{piece}</mark> : piece))}</>;
}
