// Writes docs/schemas/<command>.json, the contract of every --json document, from
// lib/data/outputSchemas.ts (itself built on the model schemas). Run after changing a schema:
//   npm run schemas
// spec/unit/data/outputSchemas.spec.ts fails while the committed files are stale.
import { build } from 'esbuild';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'docs/schemas');
const bundled = path.join(os.tmpdir(), `msm-output-schemas-${process.pid}.mjs`);
await build({ entryPoints: [path.join(root, 'lib/data/outputSchemas.ts')], outfile: bundled, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
const { OUTPUT_SCHEMAS } = await import(pathToFileURL(bundled).href);
await rm(bundled);
await mkdir(out, { recursive: true });
for (const file of await readdir(out)) if (file.endsWith('.json')) await rm(path.join(out, file));
for (const [name, schema] of Object.entries(OUTPUT_SCHEMAS)) {
  await writeFile(path.join(out, `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(OUTPUT_SCHEMAS).length} schemas to ${path.relative(root, out)}/`);
