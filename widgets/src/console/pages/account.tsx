// One's own account: who is signed in, with which role, and the own password (PUT /console/api/session/password;
// the account's other sessions end, this one goes on).

import { useState } from 'preact/hooks';
import { changePassword, Session } from '../api';
import { roleName, t } from '../i18n';
import { errorOf, fieldErrors, PageHead, TextField } from '../ui';

export default function Account({ session }: { session: Session }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [say, setSay] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <>
      <PageHead title={t('account')} />
      <dl class="facts">
        <dt>{t('login')}</dt><dd>{session.login}</dd>
        <dt>{t('role')}</dt><dd>{roleName(session.role)}</dd>
        <dt>{t('company')}</dt><dd>{session.companyName}</dd>
      </dl>
      <form class="form box" aria-labelledby="pw-h" noValidate onSubmit={async (e) => {
        e.preventDefault();
        setSay('');
        if (next !== again) return setErrors({ again: t('passwordsDiffer') });
        setBusy(true);
        try {
          await changePassword(current, next);
          setErrors({});
          setCurrent('');
          setNext('');
          setAgain('');
          setSay(t('passwordChanged'));
        } catch (err) {
          const f = fieldErrors(err);
          setErrors(f.newPassword || f.currentPassword || f[''] ? f : { '': Object.values(f)[0] });
        } finally {
          setBusy(false);
        }
      }}>
        <h2 id="pw-h">{t('ownPassword')}</h2>
        <input type="text" name="username" autocomplete="username" value={session.login} hidden readOnly />
        <TextField label={t('currentPassword')} type="password" value={current} onInput={setCurrent} error={errorOf(errors, 'currentPassword')}
          autocomplete="current-password" />
        <TextField label={t('newPassword')} type="password" value={next} onInput={setNext} error={errorOf(errors, 'newPassword')}
          autocomplete="new-password" hint={t('passwordHint')} />
        <TextField label={t('newPasswordAgain')} type="password" value={again} onInput={setAgain} error={errors.again} autocomplete="new-password" />
        {errors[''] && <p class="error" role="alert">{errors['']}</p>}
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>{t('changePassword')}</button>
          <span role="status" class="ok">{say}</span>
        </div>
        <p class="mut">{t('otherSessionsEnd')}</p>
      </form>
    </>
  );
}
