// A new organization: its name and the allowed origins; the other settings are on its own page afterwards.

import { useState } from 'preact/hooks';
import { call, OrgSettings } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';
import { errorOf, fieldErrors, PageHead, TextArea, TextField } from '../ui';
import { lines } from './organization';

export default function NewOrganization() {
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const org = await call<OrgSettings>('POST', '/api/company/organization', { name, allowedOrigins: lines(origins) });
      navigate('/organizations/' + org.id);
    } catch (err) {
      setErrors(fieldErrors(err));
      setBusy(false);
    }
  };
  return (
    <>
      <PageHead title={t('newOrganization')} />
      <form class="form" onSubmit={submit} noValidate>
        <TextField label={t('name')} value={name} onInput={setName} error={errorOf(errors, 'name')} required maxLength={200} />
        <TextArea label={t('allowedOrigins')} value={origins} onInput={setOrigins} error={errorOf(errors, 'allowedOrigins')}
          hint={t('originsHint')} />
        {errors[''] && <p class="error" role="alert">{errors['']}</p>}
        <div class="buttons"><button type="submit" class="primary" disabled={busy}>{t('create')}</button></div>
      </form>
    </>
  );
}
