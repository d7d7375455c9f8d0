import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'dotenv';
import { addDotenvValues, dotenvPathFor, formatDotenvLine, mergeVariables, readDotenv, removeDotenvValues } from '../../../lib/data/dotenvFile.js';
import { rejection, validationError } from '../../helpers/errors.js';

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

describe('formatDotenvLine', () => {
  it.each([
    ['plain', "TOKEN='plain'"],
    ["it's", 'TOKEN=`it\'s`'],
    ["it's `x`", `TOKEN="it's \`x\`"`],
    ['#not a comment', "TOKEN='#not a comment'"],
    ['', "TOKEN=''"],
  ])('%j -> %s', (value, line) => {
    expect(formatDotenvLine('TOKEN', value)).toBe(line);
  });

  it('dotenv reads every single-line value back exactly', () => {
    const printable = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '\t', "'", '"', '`', '\\', 'n', 'r', '#', '=', '$', '{', '}', 'é') });
    fc.assert(
      fc.property(printable, (value) => {
        let line: string;
        try {
          line = formatDotenvLine('K', value);
        } catch (err) {
          // Refused only when no quoting can hold it: all three quotes, or all but " with a \n or \r in it.
          expect(value.includes("'") && value.includes('`') && (value.includes('"') || /\\[nr]/.test(value))).toBe(true);
          return;
        }
        expect(parse(`A='before'\n${line}\nB=after\n`)).toEqual({ A: 'before', K: value, B: 'after' });
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses values on several lines and bad names, without the value in the message', () => {
    expect(validationError(() => formatDotenvLine('K', 's3cret\nline2')).message).not.toContain('s3cret');
    expect(validationError(() => formatDotenvLine('1K', 'v')).message).toContain('"1K" is not a valid variable name');
  });
});

describe('addDotenvValues', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-dotenv-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates the file with mode 0600', async () => {
    const file = path.join(dir, '.env');
    expect(await addDotenvValues(file, { TOKEN: 'a b' })).toEqual(['TOKEN']);
    expect(await fs.readFile(file, 'utf8')).toBe("TOKEN='a b'\n");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('appends to what is there, keeping its lines and comments, skipping equal values', async () => {
    const file = path.join(dir, '.env');
    const before = '# mine\nOLD=1\nSAME=x';
    await fs.writeFile(file, before, { mode: 0o644 });
    expect(await addDotenvValues(file, { SAME: 'x', NEW: 'y' })).toEqual(['NEW']);
    expect(await fs.readFile(file, 'utf8')).toBe("# mine\nOLD=1\nSAME=x\nNEW='y'\n");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a name that holds another value, changing nothing', async () => {
    const file = path.join(dir, '.env');
    await fs.writeFile(file, 'TOKEN=old\n');
    const error = await rejection(addDotenvValues(file, { NEW: 'n', TOKEN: 'new' }));
    expect(error.message).toBe(`${file}: TOKEN was set to another value meanwhile; nothing was changed`);
    expect(await fs.readFile(file, 'utf8')).toBe('TOKEN=old\n');
  });

  it('removeDotenvValues puts the previous text back, or removes a file that was not there', async () => {
    const file = path.join(dir, '.env');
    const added = await addDotenvValues(file, { A: '1' });
    await removeDotenvValues(file, added, { A: '1' });
    await expect(fs.access(file)).rejects.toThrow();
    await fs.writeFile(file, 'X=1\n');
    const kept = await addDotenvValues(file, { B: '2' });
    await removeDotenvValues(file, kept, { B: '2' });
    expect(await fs.readFile(file, 'utf8')).toBe('X=1\n');
  });

  it('removeDotenvValues takes out only the names it added that still hold their values', async () => {
    const file = path.join(dir, '.env');
    await fs.writeFile(file, 'KEEP=1\n', { mode: 0o600 });
    const values = { SAME: 'x', A: 'a', B: 'b' };
    await fs.appendFile(file, "SAME='x'\n");
    const added = await addDotenvValues(file, values);
    expect(added).toEqual(['A', 'B']);
    // Meanwhile another process adds a line, and someone gives B another value.
    await addDotenvValues(file, { LATER: 'l' });
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace("B='b'", "B='changed'"));
    await removeDotenvValues(file, added, values);
    expect(await fs.readFile(file, 'utf8')).toBe("KEEP=1\nSAME='x'\nB='changed'\nLATER='l'\n");
  });
});
