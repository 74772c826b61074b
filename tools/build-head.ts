import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface HeadBuild {
  /** What the log line calls it ("storefront", "dashboard"). */
  label: string;
  /** The head's package folder: `src/main.tsx` in, `dist/` out. */
  dir: string;
  /** esbuild entry name, the prefix of the hashed asset files. */
  entryName: string;
  /** URL path the server mounts `dist/` at ("/" or "/admin/"). */
  mountPath: string;
  /** `<head>` lines besides charset, viewport, stylesheet and script. */
  headLines: string[];
  /** Shown until the script takes over. */
  bootHtml: string;
}

/**
 * Bundles a Preact head into `dist/`: hashed assets under `assets/` (cached forever), each
 * precompressed once (the server sends `<file>.gz` as is), and an index.html naming them. The
 * SDK is bundled from its TypeScript source, so no SDK build has to run first.
 */
export async function buildHead(head: HeadBuild): Promise<void> {
  const started = Date.now();
  const dist = join(head.dir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'assets'), { recursive: true });

  const result = await build({
    entryPoints: { [head.entryName]: join(head.dir, 'src/main.tsx') },
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    alias: { '@merx/sdk': join(head.dir, '../sdk/src/index.ts') },
    entryNames: '[name]-[hash]',
    outdir: join(dist, 'assets'),
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });

  const outputs = Object.keys(result.metafile.outputs);
  const asset = (extension: string) => {
    const file = outputs.find((path) => path.endsWith(extension) && !path.endsWith('.map'));
    if (!file) throw new Error(`no ${extension} output`);
    return `${head.mountPath}assets/${file.split('/').pop()}`;
  };
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${[
  ...head.headLines,
  `<link rel="stylesheet" href="${asset('.css')}">`,
  `<link rel="modulepreload" href="${asset('.js')}">`,
].join('\n')}
</head>
<body>
<div id="app">${head.bootHtml}</div>
<script type="module" src="${asset('.js')}"></script>
</body>
</html>
`;
  writeFileSync(join(dist, 'index.html'), html);
  for (const path of outputs.filter((file) => /\.(js|css)$/.test(file))) {
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
  }
  const sizes = Object.entries(result.metafile.outputs)
    .filter(([path]) => !path.endsWith('.map'))
    .map(([path, output]) => `${path.split('/').pop()} ${(output.bytes / 1024).toFixed(1)} KiB`);
  const digest = createHash('sha256').update(html).digest('hex').slice(0, 8);
  console.log(`${head.label} built in ${Date.now() - started} ms (${sizes.join(', ')}; index ${digest})`);
}
