// Canned responses of an organization (/api/company/organization/{id}/canned-responses): the prepared replies that
// operators insert in the panel by typing `/` and the shortcut. List, add, change, remove; the API's errors inline
// (a taken shortcut is a 409 on the shortcut field).

import { useState } from 'preact/hooks';
import { call, Canned, get, Session } from '../api';
import { t } from '../i18n';
import { Empty, errorOf, fieldErrors, PageHead, Show, TextArea, TextField, Said, useAction, useLoad } from '../ui';
import { useOrganization } from './operators';

export default function CannedResponses({ query, session }: { query: URLSearchParams; session: Session }) {
  const { id, picker } = useOrganization(query, '/canned');
  const base = '/api/company/organization/' + id + '/canned-responses';
  const list = useLoad(() => (id ? get<Canned[]>(base) : Promise.resolve([])), [id]);
  const readOnly = session.role === 'viewer';
  return (
    <>
      <PageHead title={t('canned')} />
      <p class="mut">{t('cannedHint')}</p>
      {picker}
      {id && !readOnly && <CannedForm base={base} done={list.reload} />}
      {id && (
        <Show it={list}>
          {(items) => items.length === 0 ? <Empty>{t('noCanned')}</Empty> : (
            <ul class="cards" aria-label={t('canned')}>
              {items.map((c) => <CannedItem key={c.id} c={c} base={base} done={list.reload} readOnly={readOnly} />)}
            </ul>
          )}
        </Show>
      )}
    </>
  );
}

function CannedForm({ base, done, was, onClose }: { base: string; done: () => void; was?: Canned; onClose?: () => void }) {
  const [shortcut, setShortcut] = useState(was?.shortcut || '');
  const [text, setText] = useState(was?.text || '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  return (
    <form class="form box" aria-label={was ? t('editCanned', { s: was.shortcut }) : t('newCanned')} noValidate onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true);
      try {
        await call(was ? 'PUT' : 'POST', was ? base + '/' + was.id : base, { shortcut: shortcut.trim().replace(/^\//, ''), text });
        setErrors({});
        if (!was) {
          setShortcut('');
          setText('');
        }
        onClose?.();
        done();
      } catch (err) {
        setErrors(fieldErrors(err));
      } finally {
        setBusy(false);
      }
    }}>
      {!was && <h2>{t('newCanned')}</h2>}
      <TextField label={t('shortcut')} value={shortcut} onInput={setShortcut} error={errorOf(errors, 'shortcut')} hint={t('shortcutHint')}
        maxLength={33} autocomplete="off" />
      <TextArea label={t('text')} value={text} onInput={setText} error={errorOf(errors, 'text')} />
      {errors[''] && <p class="error" role="alert">{errors['']}</p>}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>{was ? t('save') : t('add')}</button>
        {onClose && <button type="button" onClick={onClose}>{t('cancel')}</button>}
      </div>
    </form>
  );
}

function CannedItem({ c, base, done, readOnly }: { c: Canned; base: string; done: () => void; readOnly: boolean }) {
  const [editing, setEditing] = useState(false);
  const [say, act, failed] = useAction(done);
  if (editing) return <li data-canned-id={c.id}><CannedForm base={base} done={done} was={c} onClose={() => setEditing(false)} /></li>;
  return (
    <li data-canned-id={c.id}>
      <strong class="name">/{c.shortcut}</strong>
      <p class="text">{c.text}</p>
      {!readOnly && (
        <span class="row-actions">
          <button type="button" onClick={() => setEditing(true)}>{t('edit')}<span class="sr"> /{c.shortcut}</span></button>
          <button type="button" class="bad" onClick={() => act(() => call('DELETE', base + '/' + c.id), t('deletedOk'), t('confirmDeleteCanned', { s: c.shortcut }))}>
            {t('delete')}<span class="sr"> /{c.shortcut}</span></button>
        </span>
      )}
      <Said text={say} failed={failed} />
    </li>
  );
}
