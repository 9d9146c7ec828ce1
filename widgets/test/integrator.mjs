// The integrator's side of the seed page, for the browser tests: a web server that serves the test pages (which
// carry the seed's snippets verbatim, with its widget host https://widget.smsbat.com rewritten to the ChatHub
// under test: the only change the seed allows) and the seed's token endpoint GET /api/chathub/token, which
// makes operator tokens on the server side with the company token, as the seed's Express example does.
import * as esbuild from 'esbuild';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SEED_HOST = 'https://widget.smsbat.com';

/**
 * Starts the server. `chathub` is the ChatHub base URL; `issue(org, ttlSeconds)` returns {token, expiresAt}.
 * A page's ?chathub= overrides the widget host (the network-loss test points it at a proxy); ?ttl= and ?org=
 * are passed on to the page's token requests through a cookie-free query of the page URL (the Referer).
 */
export async function startIntegrator({ chathub, issue }) {
  const cache = new Map();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const referer = req.headers.referer ? new URL(req.headers.referer).searchParams : new URLSearchParams();
    const host = url.searchParams.get('chathub') || referer.get('chathub') || chathub;
    try {
      if (url.pathname === '/api/chathub/token') {
        const org = url.searchParams.get('org') || referer.get('org') || 'sales';
        const ttl = Number(url.searchParams.get('ttl') || referer.get('ttl') || 3600);
        const t = await issue(org, ttl);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        return res.end(JSON.stringify(t));
      }
      if (url.pathname === '/vendor/vue.js') {
        return send(res, 'text/javascript', await readFile(join(root, 'node_modules/vue/dist/vue.global.prod.js')));
      }
      if (url.pathname.endsWith('.jsx')) { // the React page: the seed's component, bundled with the real React
        let js = cache.get(url.pathname);
        if (!js) {
          const out = await esbuild.build({
            entryPoints: [join(here, 'pages', url.pathname.slice(1))], bundle: true, write: false, format: 'iife',
            jsx: 'automatic', jsxImportSource: 'react', tsconfigRaw: {} /* not the console's Preact settings */, define: { 'process.env.NODE_ENV': '"production"' }, minify: true, logLevel: 'error',
          });
          cache.set(url.pathname, (js = out.outputFiles[0].text));
        }
        return send(res, 'text/javascript', js.replaceAll(SEED_HOST, host));
      }
      const name = url.pathname === '/' ? 'static.html' : url.pathname.slice(1);
      if (!/^[\w-]+\.html$/.test(name)) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      let html = await readFile(join(here, 'pages', name), 'utf8');
      html = html.replaceAll(SEED_HOST, host);
      if (html.includes('{{TOKEN}}')) {
        const token = url.searchParams.get('token') ?? (await issue(url.searchParams.get('org') || 'sales', 3600)).token;
        html = html.replaceAll('{{TOKEN}}', token.replace(/[<>"&]/g, ''));
      }
      send(res, 'text/html; charset=utf-8', html);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end(String(e.message || e));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

function send(res, type, body) {
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}
