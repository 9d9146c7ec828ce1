// The company web console at /console/: the shell (header, navigation, sign-out, language), the routes and the
// pages, each in its own module loaded when first visited. /console/panel (the full-page operator panel) and
// /console/preview (the customer widget's preview) are pages of their own without the console around them.

import './styles.css';
import type { ComponentType } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { restore, Session, signOut, whenSignedOut } from './api';
import { LANGS, lang, roleName, setLang, t } from './i18n';
import { current, match, navigate, useRoute } from './router';
import { SignIn } from './signin';
import { ErrorBox, Link, Loading } from './ui';

interface PageProps { params: Record<string, string>; query: URLSearchParams; session: Session }
type Page = ComponentType<any>;
type Loader = () => Promise<{ default: Page }>;

const ROUTES: [string, Loader][] = [
  ['/organizations', () => import('./pages/organizations')],
  ['/organizations/new', () => import('./pages/organization-new')],
  ['/organizations/:id', () => import('./pages/organization')],
  ['/operators', () => import('./pages/operators')],
  ['/operators/new', () => import('./pages/operator')],
  ['/operators/:id', () => import('./pages/operator')],
  ['/chats', () => import('./pages/chats')],
  ['/chats/:id', () => import('./pages/chat')],
  ['/reports', () => import('./pages/reports')],
  ['/canned', () => import('./pages/canned')],
  ['/people', () => import('./pages/people')],
  ['/people/audit', () => import('./pages/audit')],
  ['/clients', () => import('./pages/clients')],
  ['/clients/:id', () => import('./pages/client')],
  ['/account', () => import('./pages/account')],
];

const NAV: [string, () => string][] = [
  ['/organizations', () => t('organizations')],
  ['/operators', () => t('operators')],
  ['/chats', () => t('chats')],
  ['/reports', () => t('reports')],
  ['/canned', () => t('canned')],
  ['/people', () => t('people')],
  ['/clients', () => t('clients')],
];

const loaded = new Map<Loader, Page>();

function Lazy({ loader, ...props }: { loader: Loader } & PageProps) {
  const [page, setPage] = useState<{ p?: Page; e?: unknown }>({ p: loaded.get(loader) });
  useEffect(() => {
    if (loaded.has(loader)) return setPage({ p: loaded.get(loader) });
    setPage({});
    loader().then((m) => {
      loaded.set(loader, m.default);
      setPage({ p: m.default });
    }, (e) => setPage({ e }));
  }, [loader]);
  if (page.e) return <ErrorBox error={page.e} retry={() => location.reload()} />;
  return page.p ? <page.p {...props} /> : <Loading />;
}

function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [why, setWhy] = useState('');
  const [language, setLanguage] = useState(lang());
  const [menu, setMenu] = useState(false);

  useEffect(() => {
    whenSignedOut((reason) => {
      setWhy(reason === 'token expired' ? t('expired') : t('signedOutWhy'));
      setSession(null);
    });
    restore().then(setSession, () => setSession(null));
  }, []);
  // an operator's session is the operator's own panel, a page of its own
  useEffect(() => {
    if (session?.role === 'operator') location.assign('/console/panel');
  }, [session]);
  useEffect(() => setMenu(false), [route.path]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  if (session === undefined || session?.role === 'operator') return <main id="main"><Loading /></main>;
  if (session === null) {
    return <SignIn why={why} onSignedIn={(s) => {
      setWhy('');
      setSession(s);
      if (route.path === '/' || route.path === '/signin') navigate('/organizations', true);
    }} />;
  }
  const path = route.path === '/' ? '/organizations' : route.path;
  let found: [Loader, Record<string, string>, string] | null = null;
  for (const [pattern, loader] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      found = [loader, params, pattern];
      break;
    }
  }
  const section = '/' + path.split('/')[1];
  return (
    <div class="app" key={language}>
      <a class="skip" href="#main">{t('skip')}</a>
      <header class="top">
        <Link href="/organizations" class="brand">ChatHub</Link>
        <button type="button" class="menu" aria-expanded={menu} aria-controls="nav" onClick={() => setMenu(!menu)}>{t('menu')}</button>
        <nav id="nav" aria-label={t('mainNav')} class={menu ? 'open' : ''}>
          <ul>
            {NAV.map(([href, label]) => (
              <li key={href}><Link href={href} aria-current={section === href ? 'page' : undefined}>{label()}</Link></li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <label class="sr" for="lang">{t('language')}</label>
          <select id="lang" value={language} onChange={(e) => {
            const l = (e.target as HTMLSelectElement).value;
            setLang(l);
            setLanguage(l);
          }}>
            {LANGS.map(([code, name]) => <option value={code} key={code}>{name}</option>)}
          </select>
          <Link href="/account" class="login" title={t('account')}>{session.login} <span class="chip">{roleName(session.role)}</span></Link>
          <button type="button" onClick={async () => {
            await signOut();
            setWhy('');
            setSession(null);
          }}>{t('signOut')}</button>
        </div>
      </header>
      <main id="main" data-moved>
        {session.role === 'viewer' && <p class="note" data-read-only>{t('readOnly')}</p>}
        {found ? <Lazy key={found[2]} loader={found[0]} params={found[1]} query={route.query} session={session} />
          : <div class="head"><h1 tabIndex={-1}>{t('notFound')}</h1></div>}
      </main>
    </div>
  );
}

const path = current().path;
if (path === '/panel') import('./panel-page').then((m) => m.start());
else if (path === '/preview') import('./preview-page').then((m) => m.start());
else render(<App />, document.getElementById('app')!);
