import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManagedList } from '../../../../lib/core/docker/parseManagedList.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/docker/ps-managed.txt');

describe('parseManagedList', () => {
  it('reads real `docker ps` output: full id, server, registry ("" when unlabelled), names', () => {
    const rows = parseManagedList(fs.readFileSync(FIXTURE, 'utf8'));
    expect(rows.map(({ server, registry, names }) => ({ server, registry, names })).sort((a, b) => a.server.localeCompare(b.server))).toEqual([
      { server: 'lifeb-fix-legacy', registry: '', names: ['lifeb-fix-legacy'] },
      { server: 'lifeb-fix-owned', registry: '0123456789abcdef', names: ['lifeb-fix-owned'] },
    ]);
    for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips blank lines and anything that is not a full id', () => {
    const id = 'a'.repeat(64);
    expect(parseManagedList(`\n9a\tdb\t\tdb\n${id}\tdb\tr1\tdb,other\n`)).toEqual([{ id, server: 'db', registry: 'r1', names: ['db', 'other'] }]);
  });
});
