// Operators of an organization: status and online state, and per operator: edit, activate/deactivate, delete,
// revoke all tokens, open the operator panel as that operator.

import { useEffect } from 'preact/hooks';
import { call, get, openPanel, Operator, operators, Org, Session } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';
import { Empty, Link, PageHead, Select, Show, Said, useAction, useLoad } from '../ui';

export const statusName = (s: number) => [t('active'), t('inactive'), t('deleted')][s] ?? String(s);

/** The organization picker of the pages that show one organization at a time; the choice is in the URL. */
export function useOrganization(query: URLSearchParams, page: string) {
  const orgs = useLoad(() => get<Org[]>('/api/company/organization'), []);
  const id = query.get('organizationId') || '';
  useEffect(() => {
    if (!id && orgs.data?.length) navigate(page + '?organizationId=' + orgs.data[0].id, true);
  }, [id, orgs.data]);
  const picker = orgs.data && orgs.data.length > 0 && (
    <div class="filters">
      <Select label={t('organization')} value={id} onChange={(v) => navigate(page + '?organizationId=' + v)}
        options={orgs.data.map((o) => [String(o.id), o.name])} />
    </div>
  );
  return { orgs, id, picker };
}

/** What can be done with an operator; `done` reloads the caller's data. */
export function OperatorActions({ op, done, readOnly }: { op: Operator; done: () => void; readOnly: boolean }) {
  const [say, act, failed] = useAction(done);
  const status = (s: number) => () => call('POST', '/api/operator/status', { id: op.id, status: s });
  return (
    <div class="row-actions">
      {!readOnly && op.status !== 0 && <button type="button" onClick={() => act(status(0), t('activated'))}>{t('activate')}</button>}
      {!readOnly && op.status === 0 && <button type="button" onClick={() => act(status(1), t('deactivated'), t('confirmDeactivate', { name: op.name }))}>
        {t('deactivate')}</button>}
      {!readOnly && op.status !== 2 && <button type="button" class="bad" onClick={() => act(status(2), t('deletedOk'), t('confirmDeleteOp', { name: op.name }))}>
        {t('delete')}</button>}
      {!readOnly && <button type="button" onClick={() => act(() => call('POST', '/api/operator/revoke-token', { id: op.id }), t('revoked'),
        t('confirmRevoke', { name: op.name }))}>{t('revokeTokens')}</button>}
      {!readOnly && op.status === 0 && <button type="button" onClick={() => openPanel(op.id) || act(() => Promise.reject(new Error(t('popupBlocked'))), '')}>{t('openPanel')}</button>}
      <Said text={say} failed={failed} />
    </div>
  );
}

export default function Operators({ query, session }: { query: URLSearchParams; session: Session }) {
  const { id, picker, orgs } = useOrganization(query, '/operators');
  const list = useLoad(() => (id ? operators(id) : Promise.resolve(undefined as unknown as Operator[])), [id]);
  const readOnly = session.role === 'viewer';
  return (
    <>
      <PageHead title={t('operators')}>
        {id && !readOnly && <Link href={'/operators/new?organizationId=' + id} class="button primary">{t('newOperator')}</Link>}
      </PageHead>
      {picker}
      {orgs.data?.length === 0 ? <Empty>{t('noOrganizations')}</Empty> : !id ? null : (
        <Show it={list}>
          {(ops) => ops.length === 0 ? <Empty>{t('noOperators')}</Empty> : (
            <div class="scroll" role="region" aria-label={t('operators')} tabIndex={0}>
              <table class="list">
                <thead><tr>
                  <th scope="col">{t('name')}</th><th scope="col">{t('email')}</th><th scope="col">{t('status')}</th>
                  <th scope="col">{t('online')}</th><th scope="col">{t('maxChats')}</th><th scope="col">{t('actions')}</th>
                </tr></thead>
                <tbody>
                  {ops.map((op) => (
                    <tr key={op.id} data-operator-id={op.id}>
                      <th scope="row"><Link href={'/operators/' + op.id + '?organizationId=' + id}>{op.name}</Link></th>
                      <td>{op.email || ''}</td>
                      <td><span class={'chip s' + op.status}>{statusName(op.status)}</span></td>
                      <td>{op.online === undefined ? <span class="mut">{t('unknown')}</span> : op.online ? t('online') : t('offline')}</td>
                      <td>{op.maxChats}</td>
                      <td><OperatorActions op={op} done={list.reload} readOnly={readOnly} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Show>
      )}
    </>
  );
}
