// People: the company's console users (GET/POST /api/company/admins) with their roles, and the audit log of what
// they changed (GET /api/company/audit).

import { useState } from 'preact/hooks';
import { call, get, query, Session } from '../api';
import { t } from '../i18n';
import { DataTable, errorOf, fieldErrors, PageHead, Select, Show, TextField, useLoad } from '../ui';
import { rowsOf } from './reports';

export default function People({ session }: { session: Session }) {
  const admins = useLoad(() => get('/api/company/admins').then(rowsOf), []);
  const [page, setPage] = useState(1);
  const audit = useLoad(() => get('/api/company/audit' + query({ page })), [page]);
  const owner = session.role === 'owner' || session.role === 'admin';
  return (
    <>
      <PageHead title={t('people')} />
      <section aria-labelledby="admins-h">
        <h2 id="admins-h">{t('consoleUsers')}</h2>
        <Show it={admins}>{(rows) => <DataTable rows={rows.map(({ password, passwordHash, ...r }: any) => r)} caption={t('consoleUsers')} />}</Show>
        {owner && <NewAdmin done={admins.reload} />}
      </section>
      <section aria-labelledby="audit-h">
        <h2 id="audit-h">{t('audit')}</h2>
        <Show it={audit}>
          {(a: any) => (
            <>
              <DataTable rows={rowsOf(a)} caption={t('audit')} />
              <nav class="pages" aria-label={t('pagination')}>
                <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('previous')}</button>
                <span>{t('pageN', { n: page })}</span>
                <button type="button" disabled={rowsOf(a).length === 0} onClick={() => setPage(page + 1)}>{t('next')}</button>
              </nav>
            </>
          )}
        </Show>
      </section>
    </>
  );
}

function NewAdmin({ done }: { done: () => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('admin');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [say, setSay] = useState('');
  return (
    <form class="form box" aria-label={t('newUser')} onSubmit={async (e) => {
      e.preventDefault();
      setSay('');
      try {
        await call('POST', '/api/company/admins', { login: login.trim(), password, role });
        setErrors({});
        setLogin('');
        setPassword('');
        setSay(t('saved'));
        done();
      } catch (err) {
        setErrors(fieldErrors(err));
      }
    }}>
      <h3>{t('newUser')}</h3>
      <TextField label={t('login')} value={login} onInput={setLogin} error={errorOf(errors, 'login')} autocomplete="off" />
      <TextField label={t('password')} type="password" value={password} onInput={setPassword} error={errorOf(errors, 'password')}
        autocomplete="new-password" />
      <Select label={t('role')} value={role} onChange={setRole} error={errorOf(errors, 'role')}
        options={[['admin', t('roleAdmin')], ['viewer', t('roleViewer')], ['owner', t('roleOwner')]]} />
      {errors[''] && <p class="error" role="alert">{errors['']}</p>}
      <div class="buttons"><button type="submit" class="primary">{t('add')}</button><span role="status" class="ok">{say}</span></div>
    </form>
  );
}
