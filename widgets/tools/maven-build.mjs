// Called by the Maven build (generate-resources): installs the widgets' npm dependencies when they are missing
// or older than package-lock.json (npm ci), then builds the bundle into the given directory.
// Plain Node, no dependencies. Usage: node tools/maven-build.mjs <outDir>
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2];
if (!out) {
  console.error('usage: node tools/maven-build.mjs <outDir>');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.chathub-installed');
const want = createHash('sha256').update(readFileSync(existsSync(lock) ? lock : join(root, 'package.json'))).digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
if (have !== want || !existsSync(join(root, 'node_modules', 'esbuild'))) {
  const cmd = existsSync(lock) ? ['ci'] : ['install'];
  console.log(`widgets: npm ${cmd[0]} ...`);
  execFileSync(npm, [...cmd, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, want + '\n');
}
execFileSync(process.execPath, [join(root, 'build.mjs'), out], { cwd: root, stdio: 'inherit' });
