// The sign-in page: a login and password — the company's (owner), an administrator's, or an operator's sign-in email —
// for the console session (api.ts). An operator's session goes on to its operator panel (/console/panel).

import { useEffect, useRef, useState } from 'preact/hooks';
import { Session, signIn } from './api';
import { t } from './i18n';
import { message, TextField } from './ui';

export function SignIn({ onSignedIn, why }: { onSignedIn: (s: Session) => void; why?: string }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('signIn') + ' · ChatHub';
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onSignedIn(await signIn(login.trim(), password));
    } catch (err) {
      setError(message(err));
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <form onSubmit={submit} aria-labelledby="signin-h" noValidate>
        <h1 id="signin-h" ref={heading}>ChatHub</h1>
        <p class="sub">{t('consoleTitle')}</p>
        {why && !error && <p class="note" role="status">{why}</p>}
        <TextField label={t('login')} value={login} onInput={setLogin} autocomplete="username" required name="login" />
        <TextField label={t('password')} type="password" value={password} onInput={setPassword} autocomplete="current-password"
          required name="password" />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{t('signIn')}</button>
      </form>
    </main>
  );
}
