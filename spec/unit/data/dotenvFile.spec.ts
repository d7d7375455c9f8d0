import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dotenvPathFor, mergeVariables, readDotenv } from '../../../lib/data/dotenvFile.js';

describe('dotenvPathFor', () => {
  it('is .env beside the registry file', () => {
    expect(dotenvPathFor('/home/alice/.config/msm/registry.yaml')).toBe('/home/alice/.config/msm/.env');
    expect(dotenvPathFor('registry.yaml')).toBe('.env');
  });
});

describe('mergeVariables', () => {
  it('a variable set in the environment wins over .env', () => {
    expect(mergeVariables({ TOKEN: 'from-dotenv', ONLY_FILE: 'f' }, { TOKEN: 'from-env', ONLY_ENV: 'e' })).toEqual({
      TOKEN: 'from-env',
      ONLY_FILE: 'f',
      ONLY_ENV: 'e',
    });
  });

  it('an empty value in the environment still wins (it is set)', () => {
    expect(mergeVariables({ A: 'file' }, { A: '' })).toEqual({ A: '' });
  });

  it('does not modify its inputs', () => {
    const dotenv = { A: '1' };
    const env = { A: '2' };
    mergeVariables(dotenv, env);
    expect(dotenv).toEqual({ A: '1' });
    expect(env).toEqual({ A: '2' });
  });

  it('with nothing on either side is empty', () => {
    expect(mergeVariables({}, {})).toEqual({});
  });
});

describe('readDotenv', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-dotenv-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a missing file gives no variables', async () => {
    expect(await readDotenv(path.join(dir, '.env'))).toEqual({});
  });

  it('reads KEY=value lines, quotes, comments and export-less syntax', async () => {
    const file = path.join(dir, '.env');
    await fs.writeFile(file, '# secrets\nTOKEN=abc123\nQUOTED="a b"\nSINGLE=\'$NOT_EXPANDED\'\nEMPTY=\n  SPACED = v  \n');
    expect(await readDotenv(file)).toEqual({ TOKEN: 'abc123', QUOTED: 'a b', SINGLE: '$NOT_EXPANDED', EMPTY: '', SPACED: 'v' });
  });

  it('other read errors are thrown', async () => {
    await expect(readDotenv(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
