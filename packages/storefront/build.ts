import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// Bundles the storefront into dist/: hashed assets (cached forever) and an index.html that
// names them. The SDK is bundled from its TypeScript source, so no SDK build has to run first.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const started = Date.now();
const dist = here('./dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(`${dist}/assets`, { recursive: true });

const result = await build({
  entryPoints: { app: here('./src/main.tsx') },
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
  return `/assets/${file.split('/').pop()}`;
};
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Merx reference storefront">
<title>Merx Store</title>
<link rel="stylesheet" href="${asset('.css')}">
<link rel="modulepreload" href="${asset('.js')}">
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23155e75'/%3E%3C/svg%3E">
</head>
<body>
<div id="app"><p class="boot">Loading the store…</p></div>
<script type="module" src="${asset('.js')}"></script>
</body>
</html>
`;
writeFileSync(`${dist}/index.html`, html);
// Precompressed once here, so the server never compresses per request (it sends `.gz` as is).
for (const path of outputs.filter((file) => /\.(js|css)$/.test(file))) {
  writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
}
const sizes = Object.entries(result.metafile.outputs)
  .filter(([path]) => !path.endsWith('.map'))
  .map(([path, output]) => `${path.split('/').pop()} ${(output.bytes / 1024).toFixed(1)} KiB`);
const digest = createHash('sha256').update(html).digest('hex').slice(0, 8);
console.log(`storefront built in ${Date.now() - started} ms (${sizes.join(', ')}; index ${digest})`);
