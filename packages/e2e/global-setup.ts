import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The heads are served from their build output: build every workspace that has a `build`
 * script (seconds, esbuild) before any test opens a page. E2E_SKIP_BUILD=1 skips it when the
 * builds are known to be fresh.
 */
export default function buildHeads() {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  const started = Date.now();
  execFileSync('npm', ['run', 'build', '--workspaces', '--if-present', '--silent'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  console.log(`heads built in ${Date.now() - started} ms`);
}
