import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Bundles the dashboard into dist/ for `/admin`: hashed assets under /admin/assets (cached
// forever) and an index.html naming them. The SDK is bundled from its TypeScript source.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const started = Date.now();
const dist = here('./dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(`${dist}/assets`, { recursive: true });

const result = await build({
  entryPoints: { dashboard: here('./src/main.tsx') },
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  alias: { '@merx/sdk': here('../sdk/src/index.ts') },
  entryNames: '[name]-[hash]',
  outdir: `${dist}/assets`,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs);
const asset = (extension: string) => {
  const file = outputs.find((path) => path.endsWith(extension) && !path.endsWith('.map'));
  if (!file) throw new Error(`no ${extension} output`);
  return `/admin/assets/${file.split('/').pop()}`;
};
writeFileSync(
  `${dist}/index.html`,
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Merx dashboard</title>
<link rel="stylesheet" href="${asset('.css')}">
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%230b3b4a'/%3E%3C/svg%3E">
</head>
<body>
<div id="app"><p>Loading the dashboard…</p></div>
<script type="module" src="${asset('.js')}"></script>
</body>
</html>
`,
);
const sizes = Object.entries(result.metafile.outputs)
  .filter(([path]) => !path.endsWith('.map'))
  .map(([path, output]) => `${path.split('/').pop()} ${(output.bytes / 1024).toFixed(1)} KiB`);
console.log(`dashboard built in ${Date.now() - started} ms (${sizes.join(', ')})`);
