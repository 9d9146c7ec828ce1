// Organizations: the company's list, each a link to its settings.

import { get, Org, Session } from '../api';
import { t } from '../i18n';
import { Empty, Link, PageHead, Show, useLoad } from '../ui';

export default function Organizations({ session }: { session: Session }) {
  const orgs = useLoad(() => get<Org[]>('/api/company/organization'), []);
  return (
    <>
      <PageHead title={t('organizations')}>
        {session.role !== 'viewer' && <Link href="/organizations/new" class="button primary">{t('newOrganization')}</Link>}
      </PageHead>
      <Show it={orgs}>
        {(list) => list.length === 0 ? <Empty>{t('noOrganizations')}</Empty> : (
          <ul class="cards" aria-label={t('organizations')}>
            {list.map((o) => (
              <li key={o.id} data-organization-id={o.id}>
                <Link href={'/organizations/' + o.id} class="name">{o.name}</Link>
                <span class="links">
                  <Link href={'/operators?organizationId=' + o.id}>{t('operators')}</Link>
                  <Link href={'/chats?organizationId=' + o.id}>{t('chats')}</Link>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Show>
    </>
  );
}
