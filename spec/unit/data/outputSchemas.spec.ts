/** docs/schemas/ is generated from lib/data/outputSchemas.ts: stale files fail here (fix: npm run schemas). */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { OUTPUT_SCHEMAS } from '../../../lib/data/outputSchemas.js';

const DOCS = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../../docs/schemas');

it('every published schema matches its source (run `npm run schemas` after changing one)', () => {
  const published = fs.readdirSync(DOCS).filter((file) => file.endsWith('.json')).sort();
  expect(published).toEqual(Object.keys(OUTPUT_SCHEMAS).map((name) => `${name}.json`).sort());
  for (const [name, schema] of Object.entries(OUTPUT_SCHEMAS)) {
    expect(fs.readFileSync(path.join(DOCS, `${name}.json`), 'utf8')).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  }
});

it('every schema compiles in strict mode', () => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  for (const schema of Object.values(OUTPUT_SCHEMAS)) expect(() => ajv.compile(schema)).not.toThrow();
});
