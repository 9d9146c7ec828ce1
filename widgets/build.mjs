// Builds the browser widgets into <out>/<widget>/: minified ES modules (+ .gz, .br), manifest.json (the version: a
// hash of the files; the main file; the files the entry imports) and widget-script.js, the small entry module that
// pages embed, which imports the bundle by its version. Fails when a widget is over its size budget.
//   operator-chat-panel: src/operator-panel/main.ts -> panel.js (one file)
//   chat-widget:         src/chat-widget/main.ts    -> widget.js (+ chunks, when split)
//   console:             src/console/main.tsx       -> console.js + console.css + one chunk per page, and instead of
//                        widget-script.js the HTML shell index.html (served for /console/ and its client-side routes)
//                        that loads them from /console/assets/<version>/. Its budget is the first load: the files
//                        the shell loads (console.js, the chunks it imports statically, console.css), gzipped.
// Usage: node build.mjs [outDir] [--no-typecheck]     (outDir defaults to ./dist)
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const WIDGETS = [
  {
    name: 'operator-chat-panel', src: 'src/operator-panel/main.ts', main: 'panel.js', budget: 20 * 1024, entryBudget: 1024,
    tag: '<script type="module" id="operator-chat-panel-script" src=".../operator-chat-panel/widget-script.js" token="…">',
  },
  {
    // One file: split, the chat window (ui.ts) would cost ~600 B more gzip (chunks compress apart) of the 15 KB the
    // whole widget may weigh; it is built lazily instead. `split: true` (a dynamic import) is served too.
    name: 'chat-widget', src: 'src/chat-widget/main.ts', main: 'widget.js', budget: 15 * 1024, entryBudget: 1024, split: false,
    // its entry is a module of its own (the page API's queue, the session request started while the bundle loads)
    entrySrc: 'src/chat-widget/entry.ts',
    tag: '<script type="module" id="chat-widget-script" src=".../chat-widget/widget-script.js" guid="…">',
  },
  {
    name: 'console', src: 'src/console/main.tsx', main: 'console.js', budget: 60 * 1024, split: true, shell: true,
    assets: '/console/assets/',
  },
];
/** Kept for callers of the first version of this script: the operator panel's budget. */
export const BUDGET_GZIP_BYTES = WIDGETS[0].budget;

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const out = resolve(args.find((a) => !a.startsWith('--')) ?? join(here, 'dist'));
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const gzip = (b) => gzipSync(b, { level: 9 });

if (!args.includes('--no-typecheck')) {
  const tsc = join(here, 'node_modules', '.bin', 'tsc');
  if (existsSync(tsc)) execFileSync(tsc, ['--noEmit', '-p', here], { stdio: 'inherit', cwd: here });
}

/** Minifies the CSS in styles.ts files: each template literal without ${…} is run through esbuild's CSS minifier. */
const minifyCss = {
  name: 'minify-css',
  setup(build) {
    build.onLoad({ filter: /[\\/]styles\.ts$/ }, async (args) => {
      let code = readFileSync(args.path, 'utf8');
      for (const [whole, css] of [...code.matchAll(/`([^`$]*)`/g)]) {
        const min = (await esbuild.transform(css, { loader: 'css', minify: true, target: ['chrome90', 'firefox90', 'safari15'] })).code.trim();
        code = code.replace(whole, '`' + min + '`');
      }
      return { contents: code, loader: 'ts' };
    });
  },
};

let failed = false;
for (const w of WIDGETS) {
  const dir = join(out, w.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { [basename(w.main, '.js')]: join(here, w.src) },
    outdir: dir,
    bundle: true,
    splitting: !!w.split,
    chunkNames: '[name]-[hash]',
    metafile: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    plugins: [minifyCss],
  });
  const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js') || (w.shell && f.endsWith('.css')));
  const files = outputs.map(([f]) => basename(f)).sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f + '\0').update(readFileSync(join(dir, f)));
  const version = hash.digest('hex').slice(0, 16);
  // the entry imports the main file and the chunks it imports statically, so that they load in parallel
  const [, main] = outputs.find(([f]) => basename(f) === w.main);
  const preload = main.imports.filter((i) => i.kind === 'import-statement').map((i) => basename(i.path));
  const css = files.filter((f) => f.endsWith('.css'));
  const entry = w.shell ? shell(w, version, preload, css)
    : `// ChatHub ${w.name}: ${w.tag}\n` + (w.entrySrc ? await entryModule(w, version, preload)
      : [...preload, w.main].map((f) => `import "./${version}/${f}";\n`).join(''));
  writeFileSync(join(dir, w.shell ? 'index.html' : 'widget-script.js'), entry);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version, main: w.main, files, preload, css }, null, 1) + '\n');

  let total = 0;
  let totalBr = 0;
  let totalMin = 0;
  let first = 0;
  const firstLoad = new Set([w.main, ...preload, ...css]);
  const parts = [];
  for (const f of files) {
    const js = readFileSync(join(dir, f));
    const gz = gzip(js);
    const br = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: js.length } });
    writeFileSync(join(dir, f + '.gz'), gz);
    writeFileSync(join(dir, f + '.br'), br);
    total += gz.length;
    if (firstLoad.has(f)) first += gz.length;
    totalBr += br.length;
    totalMin += js.length;
    parts.push(`${f} ${kb(gz.length)}`);
  }
  const entryGz = gzip(Buffer.from(entry)).length;
  if (w.shell) {
    console.log(`${w.name}: first load ${kb(first)} gzip (budget ${kb(w.budget)}: ${[...firstLoad].join(', ')}); all ${files.length} files `
      + `${kb(totalMin)} minified, ${kb(total)} gzip, ${kb(totalBr)} brotli; index.html ${entryGz} B gzip`);
    writeFileSync(join(dir, 'size.json'), JSON.stringify({ firstLoadGzip: first, budgetGzip: w.budget, minified: totalMin, gzip: total,
      brotli: totalBr, shellGzip: entryGz, files: Object.fromEntries(files.map((f) => [f, gzip(readFileSync(join(dir, f))).length])) }) + '\n');
    if (first > w.budget) {
      console.error(`SIZE BUDGET EXCEEDED: ${w.name}'s first load is ${first} bytes gzipped (${[...firstLoad].join(', ')}), the budget is ${w.budget}`);
      failed = true;
    }
    continue;
  }
  console.log(`${w.name}: ${kb(totalMin)} minified, ${kb(total)} gzip, ${kb(totalBr)} brotli (budget ${kb(w.budget)} gzip)`
    + (files.length > 1 ? ` = ${parts.join(' + ')}` : '') + `; entry widget-script.js ${entryGz} B gzip (budget ${w.entryBudget} B)`);
  writeFileSync(join(dir, 'size.json'), JSON.stringify({ minified: totalMin, gzip: total, brotli: totalBr, budgetGzip: w.budget,
    entryGzip: entryGz, entryBudgetGzip: w.entryBudget, files: Object.fromEntries(files.map((f) => [f, gzip(readFileSync(join(dir, f))).length])) }) + '\n');
  if (total > w.budget) {
    console.error(`SIZE BUDGET EXCEEDED: ${w.name} is ${total} bytes gzipped (all its files), the budget is ${w.budget}`);
    failed = true;
  }
  if (entryGz > w.entryBudget) {
    console.error(`SIZE BUDGET EXCEEDED: ${w.name}/widget-script.js is ${entryGz} bytes gzipped, the budget is ${w.entryBudget}`);
    failed = true;
  }
}
if (failed) process.exit(1);

/**
 * A widget's own entry module (w.entrySrc), minified, that loads the main file with import(MAIN) (after the files
 * that file imports statically, which start loading at once).
 */
async function entryModule(w, version, preload) {
  const result = await esbuild.build({
    entryPoints: [join(here, w.entrySrc)], bundle: true, write: false, minify: true, format: 'esm', legalComments: 'none',
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'], charset: 'utf8', logLevel: 'warning',
    define: { MAIN: JSON.stringify(`./${version}/${w.main}`) },
  });
  return preload.map((f) => `import "./${version}/${f}";\n`).join('') + result.outputFiles[0].text;
}

/**
 * The console's HTML shell: the stylesheet, the entry module and its static chunks (modulepreload), all by version;
 * no inline script or style (the server sends a CSP without 'unsafe-inline' for scripts).
 */
function shell(w, version, preload, css) {
  const at = (f) => w.assets + version + '/' + f;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>ChatHub console</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath fill='%231860d0' d='M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z'/%3E%3C/svg%3E">
${css.map((f) => `<link rel="stylesheet" href="${at(f)}">\n`).join('')}${preload.map((f) => `<link rel="modulepreload" href="${at(f)}">\n`).join('')}<script type="module" src="${at(w.main)}"></script>
</head>
<body>
<div id="app"><noscript>The ChatHub console needs JavaScript.</noscript></div>
</body>
</html>
`;
}
