// One organization: every setting of PUT /api/company/organization/{id} with the API's errors inline, the identity
// secret and widget guid actions, the website and operator-panel snippets with copy buttons, a live preview of
// the customer widget, and deleting the organization.

import { useEffect, useState } from 'preact/hooks';
import { BusinessHours, call, get, OrgSettings, Session } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';
import {
  described, errorOf, Field, fieldErrors, Link, PageHead, Select, Show, Snippet, TextArea, TextField, useChanged, useId, useLoad,
} from '../ui';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const PRE_CHAT = ['name', 'email', 'phone'] as const;

/** The non-empty lines of a textarea. */
export const lines = (s: string) => s.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);
const orNull = (s: string) => (s.trim() ? s.trim() : null);

interface Form {
  name: string; allowedOrigins: string; greeting: string; offlineContact: string; themeColor: string;
  defaultLanguage: string; position: string; alwaysOpen: boolean; timezone: string;
  days: Record<string, [string, string][]>; fields: string[]; required: string[];
}

function formOf(o: OrgSettings): Form {
  const bh = o.businessHours;
  return {
    name: o.name, allowedOrigins: (o.allowedOrigins || []).join('\n'), greeting: o.greeting || '',
    offlineContact: o.offlineContact || '', themeColor: o.themeColor || '', defaultLanguage: o.defaultLanguage || '',
    position: o.position || '', alwaysOpen: !bh, timezone: bh?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    days: bh ? { ...(bh.days || {}) } : { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] },
    fields: o.preChat?.fields || [], required: o.preChat?.required || [],
  };
}

function bodyOf(f: Form) {
  const hours: BusinessHours | null = f.alwaysOpen ? null : { timezone: f.timezone.trim(), days: f.days };
  return {
    name: f.name, allowedOrigins: lines(f.allowedOrigins), greeting: orNull(f.greeting), offlineContact: orNull(f.offlineContact),
    themeColor: orNull(f.themeColor), defaultLanguage: orNull(f.defaultLanguage), position: orNull(f.position),
    businessHours: hours, preChat: f.fields.length ? { fields: f.fields, required: f.required.filter((r) => f.fields.includes(r)) } : null,
  };
}

export const widgetSnippet = (guid: string) =>
  `<script type="module" id="chat-widget-script" src="${location.origin}/chat-widget/widget-script.js" guid="${guid}"></script>`;
export const panelSnippet = () =>
  `<script type="module" id="operator-chat-panel-script" src="${location.origin}/operator-chat-panel/widget-script.js" token="OPERATOR_JWT"></script>`;

export default function Organization({ params, session }: { params: { id: string }; session: Session }) {
  const org = useLoad(() => get<OrgSettings>('/api/company/organization/' + encodeURIComponent(params.id)), [params.id]);
  return <Show it={org}>{(o) => <Editor org={o} onSaved={org.set} readOnly={session.role === 'viewer'} />}</Show>;
}

function Editor({ org, onSaved, readOnly }: { org: OrgSettings; onSaved: (o: OrgSettings) => void; readOnly: boolean }) {
  const [f, setF] = useState<Form>(() => formOf(org));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState('');
  const [shownSecret, setShownSecret] = useState('');
  const [preview, setPreview] = useState(0);
  useChanged(org.id, () => setF(formOf(org)));
  // the first field in error gets the focus (once the form is enabled again), so its message is read
  // (a disabled control cannot take it: the effect runs again when busy ends)
  useEffect(() => {
    if (busy || !Object.keys(errors).some(Boolean)) return;
    (document.querySelector('.field.bad input,.field.bad textarea,.field.bad select,fieldset.bad input') as HTMLElement)?.focus();
  }, [errors, busy]);
  const set = (patch: Partial<Form>) => setF((x) => ({ ...x, ...patch }));

  /** PUT `body`; the answer becomes the organization shown. */
  const put = async (body: object, done: string) => {
    setBusy(true);
    setStatus('');
    try {
      const saved = await call<OrgSettings>('PUT', '/api/company/organization/' + org.id, body);
      setErrors({});
      onSaved(saved);
      setStatus(done);
      setPreview((n) => n + 1);
      return saved;
    } catch (e) {
      setErrors(fieldErrors(e));
      return null;
    } finally {
      setBusy(false);
    }
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const saved = await put(bodyOf(f), t('saved'));
    if (saved) set({ name: saved.name, allowedOrigins: saved.allowedOrigins.join('\n') });
  };
  const remove = async () => {
    if (!confirm(t('confirmDeleteOrg', { name: org.name }))) return;
    try {
      await call('DELETE', '/api/company/organization/' + org.id);
      navigate('/organizations');
    } catch (e) {
      setErrors(fieldErrors(e));
    }
  };
  const err = (k: string) => errorOf(errors, k);
  const toggle = (list: string[], v: string, on: boolean) => (on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v));

  return (
    <>
      <PageHead title={org.name}>
        <Link href={'/operators?organizationId=' + org.id} class="button">{t('operators')}</Link>
        <Link href={'/chats?organizationId=' + org.id} class="button">{t('chats')}</Link>
        <Link href={'/canned?organizationId=' + org.id} class="button">{t('canned')}</Link>
      </PageHead>
      <div class="cols">
        <form class="form" onSubmit={save} noValidate aria-label={t('settings')}>
          <fieldset disabled={readOnly || busy} class="plain">
            <h2>{t('general')}</h2>
            <TextField label={t('name')} value={f.name} onInput={(name) => set({ name })} error={err('name')} required maxLength={200} />
            <TextArea label={t('allowedOrigins')} value={f.allowedOrigins} onInput={(allowedOrigins) => set({ allowedOrigins })}
              error={err('allowedOrigins')} hint={t('originsHint')} />
            <TextArea label={t('greeting')} value={f.greeting} onInput={(greeting) => set({ greeting })} error={err('greeting')} />
            <TextField label={t('offlineContact')} value={f.offlineContact} onInput={(offlineContact) => set({ offlineContact })}
              error={err('offlineContact')} hint={t('offlineContactHint')} />
            <Colour value={f.themeColor} onInput={(themeColor) => set({ themeColor })} error={err('themeColor')} />
            <Select label={t('defaultLanguage')} value={f.defaultLanguage} onChange={(defaultLanguage) => set({ defaultLanguage })}
              error={err('defaultLanguage')} options={[['', t('visitorsLanguage')], ['en', 'English'], ['uk', 'Українська'], ['nl', 'Nederlands'], ['tr', 'Türkçe'],
                ...(f.defaultLanguage && !['en', 'uk', 'nl', 'tr'].includes(f.defaultLanguage) ? [[f.defaultLanguage, f.defaultLanguage] as [string, string]] : [])]} />
            <Select label={t('position')} value={f.position} onChange={(position) => set({ position })} error={err('position')}
              options={[['', t('positionDefault')], ['right', t('right')], ['left', t('left')]]} />

            <Hours f={f} set={set} error={err('businessHours')} />

            <fieldset class={'group' + (err('preChat') ? ' bad' : '')} aria-describedby={err('preChat') ? 'prechat-e' : undefined}>
              <legend>{t('preChat')}: {t('preChatFields')}</legend>
              <table class="mini">
                <thead><tr><th scope="col">{t('field')}</th><th scope="col">{t('ask')}</th><th scope="col">{t('required')}</th></tr></thead>
                <tbody>
                  {PRE_CHAT.map((p) => (
                    <tr key={p}>
                      <th scope="row">{t(p)}</th>
                      <td><input type="checkbox" aria-label={t('askFor', { field: t(p) })} checked={f.fields.includes(p)}
                        onChange={(e) => set({ fields: toggle(f.fields, p, (e.target as HTMLInputElement).checked) })} /></td>
                      <td><input type="checkbox" aria-label={t('requireField', { field: t(p) })} checked={f.required.includes(p)}
                        disabled={!f.fields.includes(p)}
                        onChange={(e) => set({ required: toggle(f.required, p, (e.target as HTMLInputElement).checked) })} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {err('preChat') && <small class="err" id="prechat-e">{err('preChat')}</small>}
            </fieldset>

            {errors[''] && <p class="error" role="alert">{errors['']}</p>}
            {Object.keys(errors).some((k) => k) && <p class="error" role="alert">{t('fixErrors')}</p>}
            <div class="buttons sticky">
              <button type="submit" class="primary">{t('save')}</button>
              <span role="status" class="ok">{status}</span>
            </div>
          </fieldset>
        </form>

        <aside class="side">
          <Snippet title={t('websiteSnippet')} code={widgetSnippet(org.widgetGuid)} copyLabel={t('copySnippet')}>
            <p>{t('websiteSnippetHint')}</p>
          </Snippet>
          <Snippet title={t('panelSnippet')} code={panelSnippet()} copyLabel={t('copyPanelSnippet')}>
            <p>{t('panelSnippetHint')}</p>
          </Snippet>
          <section aria-labelledby="preview-h">
            <h3 id="preview-h">{t('preview')}</h3>
            <p>{t('previewHint')}</p>
            <iframe class="preview" title={t('previewTitle')} key={preview}
              src={'/console/preview?' + new URLSearchParams({ guid: org.widgetGuid, v: String(preview) })} />
          </section>

          <section aria-labelledby="secret-h" class="box">
            <h3 id="secret-h">{t('identitySecret')}</h3>
            <p>{org.identitySecret ? t('secretIs', { hint: org.identitySecret }) : t('noSecret')}</p>
            {shownSecret && (
              <div class="note" role="status">
                <p>{t('secretOnce')}</p>
                <code class="secret">{shownSecret}</code>
              </div>
            )}
            <fieldset disabled={readOnly || busy} class="plain">
              <div class="buttons">
                <button type="button" onClick={async () => {
                  const s = await put({ rotateIdentitySecret: true }, t('secretMade'));
                  if (s) setShownSecret(s.identitySecret || '');
                }}>{t('rotateSecret')}</button>
                {org.identitySecret && <button type="button" onClick={() => put({ identitySecret: null }, t('secretRemoved')).then(() => setShownSecret(''))}>
                  {t('removeSecret')}</button>}
              </div>
              <TextField label={t('ownSecret')} value={secret} onInput={setSecret} error={err('identitySecret')} autocomplete="off"
                hint={t('ownSecretHint')} />
              <button type="button" disabled={!secret.trim()} onClick={() => put({ identitySecret: secret }, t('secretSet')).then((s) => s && setSecret(''))}>
                {t('setSecret')}</button>
            </fieldset>
          </section>

          <section aria-labelledby="guid-h" class="box">
            <h3 id="guid-h">{t('widgetGuid')}</h3>
            <p><code data-widget-guid>{org.widgetGuid}</code></p>
            <p>{t('rotateGuidHint')}</p>
            <button type="button" disabled={readOnly || busy} onClick={() => confirm(t('confirmRotateGuid')) && put({ rotateWidgetGuid: true }, t('guidRotated'))}>
              {t('rotateGuid')}</button>
          </section>

          <section aria-labelledby="danger-h" class="box danger">
            <h3 id="danger-h">{t('deleteOrganization')}</h3>
            <p>{t('deleteOrgHint')}</p>
            <button type="button" class="bad" disabled={readOnly || busy} onClick={remove}>{t('deleteOrganization')}</button>
          </section>
        </aside>
      </div>
    </>
  );
}

function Colour({ value, onInput, error }: { value: string; onInput: (v: string) => void; error?: string }) {
  const id = useId();
  const valid = /^#[0-9a-f]{6}$/i.test(value) ? value : /^#[0-9a-f]{3}$/i.test(value) ? '#' + [...value.slice(1)].map((c) => c + c).join('') : '#1860d0';
  return (
    <Field label={t('colour')} error={error} id={id} hint={t('colourHint')}>
      <span class="colour">
        <input {...described(id, error, true)} value={value} placeholder="#1860d0" maxLength={7}
          onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
        <input type="color" value={valid} aria-label={t('pickColour')} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
      </span>
    </Field>
  );
}

let zones: string[] | undefined;

/** The weekly editor: always open, or per day closed or open in one or more ranges, in a time zone. */
function Hours({ f, set, error }: { f: Form; set: (p: Partial<Form>) => void; error?: string }) {
  zones ||= (Intl as any).supportedValuesOf?.('timeZone') || ['UTC'];
  const tz = useId();
  const setDay = (d: string, ranges: [string, string][]) => {
    const days = { ...f.days };
    if (ranges.length) days[d] = ranges;
    else delete days[d];
    set({ days });
  };
  return (
    <fieldset class={'group hours' + (error ? ' bad' : '')} aria-describedby={error ? 'hours-e' : undefined}>
      <legend>{t('businessHours')}</legend>
      <label class="check"><input type="checkbox" checked={f.alwaysOpen} onChange={(e) => set({ alwaysOpen: (e.target as HTMLInputElement).checked })} />
        {t('alwaysOpen')}</label>
      {!f.alwaysOpen && (
        <>
          <div class="field">
            <label for={tz}>{t('timeZone')}</label>
            <input id={tz} list={tz + '-l'} value={f.timezone} onInput={(e) => set({ timezone: (e.target as HTMLInputElement).value })} />
            <datalist id={tz + '-l'}>{zones!.map((z) => <option value={z} key={z} />)}</datalist>
          </div>
          <ul class="days">
            {DAYS.map((d) => {
              const ranges = f.days[d] || [];
              return (
                <li key={d} data-day={d}>
                  <label class="check"><input type="checkbox" checked={ranges.length > 0}
                    onChange={(e) => setDay(d, (e.target as HTMLInputElement).checked ? [['09:00', '18:00']] : [])} />{t(d)}</label>
                  {ranges.length === 0 ? <span class="mut">{t('closed')}</span> : (
                    <span class="ranges">
                      {ranges.map(([from, to], i) => (
                        <span class="range" key={i}>
                          <input type="time" aria-label={t('opensAt', { day: t(d) })} value={from}
                            onInput={(e) => setDay(d, ranges.map((r, j) => (j === i ? [(e.target as HTMLInputElement).value, r[1]] : r)))} />
                          <span aria-hidden="true">–</span>
                          <input type="time" aria-label={t('closesAt', { day: t(d) })} value={to}
                            onInput={(e) => setDay(d, ranges.map((r, j) => (j === i ? [r[0], (e.target as HTMLInputElement).value] : r)))} />
                          {ranges.length > 1 && <button type="button" class="small" aria-label={t('removeHours', { day: t(d) })}
                            onClick={() => setDay(d, ranges.filter((_, j) => j !== i))}>×</button>}
                        </span>
                      ))}
                      <button type="button" class="small" aria-label={t('addHoursOn', { day: t(d) })}
                        onClick={() => setDay(d, [...ranges, ['13:00', '17:00']])}>{t('addHours')}</button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {error && <small class="err" id="hours-e">{error}</small>}
    </fieldset>
  );
}
