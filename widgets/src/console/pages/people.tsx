// People: the company's administrators (GET/POST /api/company/admins, PUT/DELETE …/{id}) with their roles. Only the
// owner (the company's own login) invites, changes roles, resets passwords and deletes; admins and viewers see the
// list. The audit log is its own page (/people/audit); one's own password is on /account.

import { useState } from 'preact/hooks';
import { Admin, call, get, Session } from '../api';
import { roleName, t } from '../i18n';
import { Empty, errorOf, fieldErrors, fmtTime, Link, PageHead, Select, Show, TextField, Said, useAction, useLoad } from '../ui';

export default function People({ session }: { session: Session }) {
  const admins = useLoad(() => get<Admin[]>('/api/company/admins'), []);
  const owner = session.role === 'owner';
  return (
    <>
      <PageHead title={t('people')}>
        <Link href="/people/audit" class="button">{t('audit')}</Link>
        <Link href="/account" class="button">{t('ownPassword')}</Link>
      </PageHead>
      <section>
        <h2 id="admins-h">{t('consoleUsers')}</h2>
        {!owner && <p class="mut">{t('ownerOnly')}</p>}
        <Show it={admins}>
          {(rows) => rows.length === 0 ? <Empty>{t('noAdmins')}</Empty> : (
            <div class="scroll" role="region" aria-label={t('consoleUsers')} tabIndex={0}>
              <table class="list">
                <thead><tr>
                  <th scope="col">{t('login')}</th><th scope="col">{t('role')}</th><th scope="col">{t('created')}</th>
                  {owner && <th scope="col">{t('actions')}</th>}
                </tr></thead>
                <tbody>{rows.map((a) => <AdminRow key={a.id} a={a} owner={owner} done={admins.reload} />)}</tbody>
              </table>
            </div>
          )}
        </Show>
        {owner && <NewAdmin done={admins.reload} />}
      </section>
    </>
  );
}

function AdminRow({ a, owner, done }: { a: Admin; owner: boolean; done: () => void }) {
  const [say, act, failed] = useAction(done);
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const roleOptions: [string, string][] = [['admin', roleName('admin')], ['viewer', roleName('viewer')]];
  return (
    <tr data-admin-id={a.id}>
      <th scope="row">{a.login}</th>
      <td>
        {owner ? (
          <>
            <label class="sr" for={'role-' + a.id}>{t('roleOf', { login: a.login })}</label>
            <select id={'role-' + a.id} value={a.role} onChange={(e) => {
              const role = (e.target as HTMLSelectElement).value;
              act(() => call('PUT', '/api/company/admins/' + a.id, { role }), t('roleChanged'));
            }}>
              {roleOptions.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
          </>
        ) : roleName(a.role)}
      </td>
      <td>{fmtTime(a.createdAt)}</td>
      {owner && (
        <td>
          <div class="row-actions">
            {resetting ? (
              <form class="inline" noValidate onSubmit={async (e) => {
                e.preventDefault();
                try {
                  await call('PUT', '/api/company/admins/' + a.id, { password });
                  setResetting(false);
                  setPassword('');
                  setError('');
                  act(async () => {}, t('passwordReset'));
                } catch (err) {
                  setError(errorOf(fieldErrors(err), 'password') || fieldErrors(err)[''] || '');
                }
              }}>
                <TextField label={t('newPasswordFor', { login: a.login })} type="password" value={password} onInput={setPassword}
                  error={error} autocomplete="new-password" />
                <button type="submit" class="primary">{t('resetPassword')}</button>
                <button type="button" onClick={() => setResetting(false)}>{t('cancel')}</button>
              </form>
            ) : (
              <button type="button" onClick={() => setResetting(true)}>{t('resetPassword')}<span class="sr"> {a.login}</span></button>
            )}
            <button type="button" class="bad" onClick={() => act(() => call('DELETE', '/api/company/admins/' + a.id), t('deletedOk'),
              t('confirmDeleteAdmin', { login: a.login }))}>{t('delete')}<span class="sr"> {a.login}</span></button>
            <Said text={say} failed={failed} />
          </div>
        </td>
      )}
    </tr>
  );
}

function NewAdmin({ done }: { done: () => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('admin');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [say, setSay] = useState('');
  return (
    <form class="form box" aria-labelledby="new-admin-h" noValidate onSubmit={async (e) => {
      e.preventDefault();
      setSay('');
      try {
        await call('POST', '/api/company/admins', { login: login.trim(), password, role });
        setErrors({});
        setLogin('');
        setPassword('');
        setSay(t('invited'));
        done();
      } catch (err) {
        setErrors(fieldErrors(err));
      }
    }}>
      <h3 id="new-admin-h">{t('newUser')}</h3>
      <TextField label={t('login')} value={login} onInput={setLogin} error={errorOf(errors, 'login')} autocomplete="off" hint={t('loginHint')} />
      <TextField label={t('password')} type="password" value={password} onInput={setPassword} error={errorOf(errors, 'password')}
        autocomplete="new-password" hint={t('passwordHint')} />
      <Select label={t('role')} value={role} onChange={setRole} error={errorOf(errors, 'role')}
        options={[['admin', t('roleAdmin')], ['viewer', t('roleViewer')]]} />
      {errors[''] && <p class="error" role="alert">{errors['']}</p>}
      <div class="buttons"><button type="submit" class="primary">{t('invite')}</button><span role="status" class="ok">{say}</span></div>
    </form>
  );
}
