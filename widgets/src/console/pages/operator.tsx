// One operator (or a new one): name, email, photo, max chats, external id; the operator's actions; and its console
// sign-in (PUT/DELETE /api/company/organization/{orgId}/operators/{id}/password: the email and password it signs in
// with at /console/ to get its panel).

import { useState } from 'preact/hooks';
import { call, get, Operator, operators, Org, saveOperator, Session } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';
import { Empty, errorOf, fieldErrors, PageHead, Said, Select, Show, TextField, useAction, useChanged, useLoad } from '../ui';
import { OperatorActions, statusName } from './operators';

export default function OperatorPage({ params, query, session }: { params: { id?: string }; query: URLSearchParams; session: Session }) {
  const orgId = query.get('organizationId') || '';
  const found = useLoad(async () => {
    if (!params.id) return null;
    const op = (await operators(orgId || undefined)).find((o) => String(o.id) === params.id);
    return op || false;
  }, [params.id, orgId]);
  const orgs = useLoad(() => get<Org[]>('/api/company/organization'), []);
  return (
    <Show it={found}>
      {(op) => op === false ? <Empty>{t('notFound')}</Empty> : (
        <Show it={orgs}>{(list) => <Editor op={op} orgs={list} orgId={orgId} reload={found.reload} readOnly={session.role === 'viewer'} />}</Show>
      )}
    </Show>
  );
}

function Editor({ op, orgs, orgId, reload, readOnly }: { op: Operator | null; orgs: Org[]; orgId: string; reload: () => void; readOnly: boolean }) {
  const init = () => ({
    org: String(op?.organization.id || orgId || orgs[0]?.id || ''), name: op?.name || '', email: op?.email || '',
    photo: op?.photo || '', maxChats: String(op?.maxChats ?? 5), externalId: op?.externalId || '',
  });
  const [f, setF] = useState(init);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  useChanged(`${op?.id}/${op?.status}`, () => setF(init()));
  const set = (p: Partial<typeof f>) => setF((x) => ({ ...x, ...p }));
  const err = (k: string) => errorOf(errors, k) || errorOf(errors, '[0].' + k);
  const submit = async (e: Event) => {
    e.preventDefault();
    const max = f.maxChats.trim() === '' ? undefined : Number(f.maxChats);
    if (max !== undefined && !(Number.isInteger(max) && max >= 0 && max <= 1000)) return setErrors({ maxChats: t('maxChatsRange') });
    setBusy(true);
    setStatus('');
    try {
      const saved = await saveOperator(Number(f.org), op, {
        name: f.name.trim(), email: f.email.trim() || undefined, photo: f.photo.trim() || undefined, maxChats: max,
        externalId: f.externalId.trim() || undefined,
      });
      setErrors({});
      if (!op) navigate('/operators?organizationId=' + f.org);
      else {
        setStatus(t('saved'));
        reload();
      }
      return saved;
    } catch (e2) {
      setErrors(fieldErrors(e2));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHead title={op ? op.name : t('newOperator')} />
      {op && <p>{t('status')}: <span class={'chip s' + op.status}>{statusName(op.status)}</span> · {op.organization.name}</p>}
      {op && <OperatorActions op={op} done={reload} readOnly={readOnly} />}
      <form class="form" onSubmit={submit} noValidate aria-label={t('profile')}>
        <fieldset class="plain" disabled={readOnly || busy}>
          {!op && <Select label={t('organization')} value={f.org} onChange={(org) => set({ org })} options={orgs.map((o) => [String(o.id), o.name])}
            error={err('organizationId')} />}
          <TextField label={t('name')} value={f.name} onInput={(name) => set({ name })} error={err('name')} required maxLength={200} />
          <TextField label={t('email')} type="email" value={f.email} onInput={(email) => set({ email })} error={err('email')} maxLength={320} />
          <TextField label={t('photo')} type="url" value={f.photo} onInput={(photo) => set({ photo })} error={err('photo')} hint={t('photoHint')} />
          <TextField label={t('maxChats')} type="number" min={0} max={1000} value={f.maxChats} onInput={(maxChats) => set({ maxChats })}
            error={err('maxChats')} />
          <TextField label={t('externalId')} value={f.externalId} onInput={(externalId) => set({ externalId })} error={err('externalId')}
            hint={t('externalIdHint')} readOnly={!!op?.externalId} />
          {errors[''] && <p class="error" role="alert">{errors['']}</p>}
          <div class="buttons">
            <button type="submit" class="primary">{op ? t('save') : t('create')}</button>
            <span role="status" class="ok">{status}</span>
          </div>
        </fieldset>
      </form>
      {op && !readOnly && <SignIn op={op} />}
    </>
  );
}

function SignIn({ op }: { op: Operator }) {
  const [email, setEmail] = useState(op.email || '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [say, setSay] = useState('');
  const [removed, act, failed] = useAction(() => {});
  const path = `/api/company/organization/${op.organization.id}/operators/${op.id}/password`;
  return (
    <form class="form box" aria-labelledby="signin-h" noValidate onSubmit={async (e) => {
      e.preventDefault();
      setSay('');
      try {
        const r = await call<{ email: string }>('PUT', path, { email: email.trim(), password });
        setErrors({});
        setPassword('');
        setSay(t('signInSet', { email: r.email }));
      } catch (err) {
        setErrors(fieldErrors(err));
      }
    }}>
      <h2 id="signin-h">{t('consoleSignIn')}</h2>
      <p class="mut">{t('consoleSignInHint')}</p>
      <TextField label={t('signInEmail')} type="email" value={email} onInput={setEmail} error={errorOf(errors, 'email')} autocomplete="off" maxLength={320} />
      <TextField label={t('signInPassword')} type="password" value={password} onInput={setPassword} error={errorOf(errors, 'password')}
        autocomplete="new-password" hint={t('passwordHint')} />
      {errors[''] && <p class="error" role="alert">{errors['']}</p>}
      <div class="buttons">
        <button type="submit" class="primary">{t('setSignIn')}</button>
        <button type="button" class="bad" onClick={() => act(() => call('DELETE', path), t('signInRemoved'), t('confirmRemoveSignIn', { name: op.name }))}>
          {t('removeSignIn')}</button>
        <span role="status" class="ok">{say}</span>
        <Said text={removed} failed={failed} />
      </div>
    </form>
  );
}
