#!/usr/bin/env node
/* global console, process, URL -- Node globals; the lint config declares none for .mjs */
// The client's browser-bundle budget is stated in this measurement: esbuild bundles `export { NAME }
// from '@translation-status/client'` for the browser, minified, with code splitting as an app bundler
// does it, and the figure is the gzipped (level 9) size of what a page loads up front: the entry chunk
// and every chunk it imports statically (a chunk reached only through `import()` loads when used).
// The client's sources are bundled directly (esbuild strips the types, as tsc would), so no build is
// needed first and the figure is that of the code as it stands.
//
//   node scripts/client-bundle.mjs                      TranslationClient: bytes up front, the largest
//                                                       modules, and each chunk loaded on demand
//   node scripts/client-bundle.mjs verifyWebhook --json  any exports, as JSON (for the budget test)
import { build } from 'esbuild';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const clientDir = fileURLToPath(new URL('../packages/client/', import.meta.url));

/**
 * The client's browser bundle of `names` (exports of @translation-status/client), split as an app
 * bundler splits it; the files stay in memory.
 * @param {readonly string[]} names
 */
export function bundleClient(names) {
  return build({
    stdin: {
      contents: `export { ${names.join(', ')} } from './src/index.ts';\n`,
      resolveDir: clientDir,
      sourcefile: 'entry.ts',
      loader: 'ts',
    },
    bundle: true,
    splitting: true,
    outdir: 'out',
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

/** @param {readonly string[]} names exports of @translation-status/client to bundle */
export async function measureClientBundle(names) {
  const result = await bundleClient(names);
  const outputs = result.metafile.outputs;
  const files = new Map(result.outputFiles.map((file) => [relative(root, file.path), file.contents]));
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined);
  const loaded = new Set();
  const load = (path) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const { path: imported, kind } of outputs[path].imports)
      if (kind === 'import-statement') load(imported);
  };
  load(entry);
  /** Bytes and modules of some chunks. */
  const sizeOf = (paths) => {
    let minifiedBytes = 0;
    let gzipBytes = 0;
    const modules = [];
    for (const path of paths) {
      const code = files.get(path);
      minifiedBytes += code.length;
      gzipBytes += gzipSync(code, { level: 9 }).length;
      for (const [input, { bytesInOutput }] of Object.entries(outputs[path].inputs)) {
        if (bytesInOutput > 0)
          modules.push({ path: relative(clientDir, `${root}/${input}`), bytes: bytesInOutput });
      }
    }
    modules.sort((a, b) => b.bytes - a.bytes);
    return { minifiedBytes, gzipBytes, modules };
  };
  // The chunks reached only through `import()`, each as a page would load it when first used.
  const onDemand = Object.keys(outputs)
    .filter((path) => !loaded.has(path) && path.endsWith('.js'))
    .map((path) => ({ chunk: relative('out', path), ...sizeOf([path]) }));
  return { exports: names, chunks: loaded.size, ...sizeOf(loaded), onDemand };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const names = args.filter((arg) => arg !== '--json');
  const measured = await measureClientBundle(names.length > 0 ? names : ['TranslationClient']);
  if (json) {
    console.log(JSON.stringify(measured));
  } else {
    const budget = 16_384;
    console.log(
      `${measured.exports.join(', ')}: ${measured.minifiedBytes} B minified, ${measured.gzipBytes} B gzipped (${measured.chunks} chunk(s) loaded up front)`,
    );
    console.log(`budget ${budget} B gzipped: ${budget - measured.gzipBytes} B to spare`);
    for (const { chunk, minifiedBytes, gzipBytes, modules } of measured.onDemand)
      console.log(
        `on demand, ${chunk}: ${minifiedBytes} B minified, ${gzipBytes} B gzipped (${modules.map((m) => m.path).join(', ')})`,
      );
    console.log('largest modules (minified bytes):');
    for (const { path, bytes } of measured.modules.slice(0, 25))
      console.log(`  ${String(bytes).padStart(6)}  ${path}`);
  }
}
