// Builds the operator chat panel: src/operator-panel/main.ts -> <out>/operator-chat-panel/panel.js (+ .gz, .br),
// minified ES module, and fails when the gzipped bundle is over the size budget.
// Usage: node build.mjs [outDir] [--no-typecheck]     (outDir defaults to ./dist)
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const BUDGET_GZIP_BYTES = 20 * 1024;
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const out = resolve(args.find((a) => !a.startsWith('--')) ?? join(here, 'dist'));

if (!args.includes('--no-typecheck')) {
  const tsc = join(here, 'node_modules', '.bin', 'tsc');
  if (existsSync(tsc)) execFileSync(tsc, ['--noEmit', '-p', here], { stdio: 'inherit', cwd: here });
}

const file = join(out, 'operator-chat-panel', 'panel.js');
mkdirSync(dirname(file), { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'src/operator-panel/main.ts')],
  outfile: file,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
});
const js = readFileSync(file);
const gz = gzipSync(js, { level: 9 });
const br = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: js.length } });
writeFileSync(file + '.gz', gz);
writeFileSync(file + '.br', br);
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
console.log(`operator-chat-panel/panel.js: ${kb(js.length)} minified, ${kb(gz.length)} gzip, ${kb(br.length)} brotli (budget ${kb(BUDGET_GZIP_BYTES)} gzip)`);
writeFileSync(join(out, 'operator-chat-panel', 'size.json'),
  JSON.stringify({ minified: js.length, gzip: gz.length, brotli: br.length, budgetGzip: BUDGET_GZIP_BYTES }) + '\n');
if (gz.length > BUDGET_GZIP_BYTES) {
  console.error(`SIZE BUDGET EXCEEDED: panel.js is ${gz.length} bytes gzipped, the budget is ${BUDGET_GZIP_BYTES}`);
  process.exit(1);
}
