// Canned responses of an organization (/api/company/organization/{id}/canned-responses): the ready answers that
// operators insert in the panel. List, add, change, remove.

import { useState } from 'preact/hooks';
import { call, get, Session } from '../api';
import { t } from '../i18n';
import { Empty, errorOf, fieldErrors, message, PageHead, Show, TextArea, TextField, useLoad } from '../ui';
import { useOrganization } from './operators';
import { rowsOf } from './reports';

interface Canned { id: number; shortcut?: string | null; title?: string | null; text: string }

export default function CannedResponses({ query, session }: { query: URLSearchParams; session: Session }) {
  const { id, picker } = useOrganization(query, '/canned');
  const base = '/api/company/organization/' + id + '/canned-responses';
  const list = useLoad(() => (id ? get(base).then(rowsOf) as Promise<unknown> as Promise<Canned[]> : Promise.resolve([])), [id]);
  const readOnly = session.role === 'viewer';
  return (
    <>
      <PageHead title={t('canned')} />
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
  const [shortcut, setShortcut] = useState(was?.shortcut || was?.title || '');
  const [text, setText] = useState(was?.text || '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  return (
    <form class="form box" aria-label={was ? t('edit') : t('newCanned')} onSubmit={async (e) => {
      e.preventDefault();
      try {
        await call(was ? 'PUT' : 'POST', was ? base + '/' + was.id : base, { shortcut: shortcut.trim() || null, text });
        setErrors({});
        if (!was) {
          setShortcut('');
          setText('');
        }
        onClose?.();
        done();
      } catch (err) {
        setErrors(fieldErrors(err));
      }
    }}>
      <TextField label={t('shortcut')} value={shortcut} onInput={setShortcut} error={errorOf(errors, 'shortcut')} hint={t('shortcutHint')} />
      <TextArea label={t('text')} value={text} onInput={setText} error={errorOf(errors, 'text')} />
      {errors[''] && <p class="error" role="alert">{errors['']}</p>}
      <div class="buttons">
        <button type="submit" class="primary">{was ? t('save') : t('add')}</button>
        {onClose && <button type="button" onClick={onClose}>{t('cancel')}</button>}
      </div>
    </form>
  );
}

function CannedItem({ c, base, done, readOnly }: { c: Canned; base: string; done: () => void; readOnly: boolean }) {
  const [editing, setEditing] = useState(false);
  const [say, setSay] = useState('');
  if (editing) return <li><CannedForm base={base} done={done} was={c} onClose={() => setEditing(false)} /></li>;
  return (
    <li data-canned-id={c.id}>
      {(c.shortcut || c.title) && <strong>{c.shortcut || c.title}</strong>}
      <p class="text">{c.text}</p>
      {!readOnly && (
        <span class="row-actions">
          <button type="button" onClick={() => setEditing(true)}>{t('edit')}</button>
          <button type="button" class="bad" onClick={() => confirm(t('confirmDelete')) && call('DELETE', base + '/' + c.id).then(done, (e) => setSay(message(e)))}>
            {t('delete')}</button>
          <span role="status" class="ok">{say}</span>
        </span>
      )}
    </li>
  );
}
