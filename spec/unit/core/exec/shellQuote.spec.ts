import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { quoteArg, quoteArgv } from '../../../../lib/core/exec/shellQuote.js';

describe('quoteArg', () => {
  it.each([
    'docker',
    'run',
    '--detach',
    '--env=KEY=value',
    '--label=msm.name=srv',
    '127.0.0.1:8080:8080',
    'ghcr.io/acme/mcp:1.2',
    'user@host',
    'a,b+c%d',
    '/usr/local/bin/docker',
    '-',
    '0',
  ])('leaves the safe word %j unquoted', (word) => {
    expect(quoteArg(word)).toBe(word);
  });

  it.each([
    ['', "''"],
    ['a b', "'a b'"],
    ['  ', "'  '"],
    ['\t', "'\t'"],
    ['$HOME', "'$HOME'"],
    ['${X:-y}', "'${X:-y}'"],
    ['$(id)', "'$(id)'"],
    ['`id`', "'`id`'"],
    ['!', "'!'"],
    ['!!', "'!!'"],
    ['a\nb', "'a\nb'"],
    ['"double"', `'"double"'`],
    ['back\\slash', "'back\\slash'"],
    ['~', "'~'"],
    ['~/x', "'~/x'"],
    ['*.txt', "'*.txt'"],
    ['[a]', "'[a]'"],
    ['?', "'?'"],
    ['#comment', "'#comment'"],
    ['a;b', "'a;b'"],
    ['a&&b', "'a&&b'"],
    ['a|b', "'a|b'"],
    ['<in>', "'<in>'"],
    ['{a,b}', "'{a,b}'"],
    ['(x)', "'(x)'"],
    ['héllo', "'héllo'"],
    ['日本語', "'日本語'"],
    ['emoji 🐳', "'emoji 🐳'"],
  ])('quotes %j as %j', (word, quoted) => {
    expect(quoteArg(word)).toBe(quoted);
  });

  it.each([
    ["it's", "'it'\\''s'"],
    ["'", "''\\'''"],
    ["''", "''\\'''\\'''"],
    ["a'b'c", "'a'\\''b'\\''c'"],
    ["--env=K='v w'", "'--env=K='\\''v w'\\'''"],
  ])('writes the single quote in %j as \'\\\'\'', (word, quoted) => {
    expect(quoteArg(word)).toBe(quoted);
  });
});

describe('quoteArgv', () => {
  it('joins the quoted words with single spaces', () => {
    expect(quoteArgv(['docker', 'run', '-e', 'K=a b', '--label', "x='y'", 'img', ''])).toBe(
      "docker run -e 'K=a b' --label 'x='\\''y'\\''' img ''",
    );
  });

  it('is empty for no words', () => {
    expect(quoteArgv([])).toBe('');
  });

  it('keeps an empty word as a word', () => {
    expect(quoteArgv(['', ''])).toBe("'' ''");
  });
});

/** What `sh` hands to printf after reading the quoted text: every word NUL-terminated. */
function throughShell(shell: string, argv: readonly string[]): Buffer {
  return execFileSync(shell, ['-c', `printf "%s\\0" ${quoteArgv(argv)}`], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
}

function expectedBytes(argv: readonly string[]): Buffer {
  return Buffer.from(argv.map((word) => `${word}\0`).join(''), 'utf8');
}

// Shell-special characters are rare in uniform random strings, so mix them in on purpose.
const SPECIALS = [
  "'", '"', '\\', '$', '`', '!', ' ', '\t', '\n', '\r', '*', '?', '[', ']', '~', '#', '&', ';', '|', '<', '>',
  '(', ')', '{', '}', '=', '%', '^', '-', 'a', 'Z', '0', 'é', '🐳', '\u00a0', '\u2028',
];
const noNul = (text: string): boolean => !text.includes('\0');
const shellWord = fc.oneof(
  fc.string({ unit: fc.constantFrom(...SPECIALS), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }).filter(noNul),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ maxLength: 12 }).filter(noNul),
);
const argvArbitrary = fc.array(shellWord, { minLength: 1, maxLength: 6 });

describe('quoteArgv through a real shell', () => {
  it('printf sees exactly the words it was given (a sanity check of the harness)', () => {
    expect(throughShell('sh', ['a b', '', "it's"])).toEqual(Buffer.from("a b\0\0it's\0"));
  });

  it('round-trips 300 random argv arrays byte for byte through sh -c', () => {
    // One shell for all of them, one printf line per array, so the suite stays fast; the array's
    // length goes first so the output can be cut back into arrays.
    const seed = Date.now();
    const samples = fc.sample(argvArbitrary, { numRuns: 300, seed });
    const script = samples.map((argv) => `printf "%s\\0" ${argv.length} ${quoteArgv(argv)}`).join('\n');
    const output = execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    const expected = Buffer.concat(samples.map((argv) => expectedBytes([String(argv.length), ...argv])));
    if (!output.equals(expected)) {
      // Say which array broke (and the seed to replay it), not just that 300 of them differ.
      const fields = output.toString('utf8').split('\0');
      const parsed: string[][] = [];
      for (let at = 0; at < fields.length - 1; ) {
        const count = Number(fields[at]);
        parsed.push(fields.slice(at + 1, at + 1 + count));
        at += 1 + count;
      }
      expect({ seed, arrays: parsed }).toEqual({ seed, arrays: samples });
    }
    expect(output.equals(expected)).toBe(true);
  });

  it('round-trips random argv arrays through sh -c, one shell each (shrinks a failure)', () => {
    fc.assert(
      fc.property(argvArbitrary, (argv) => {
        expect(throughShell('sh', argv)).toEqual(expectedBytes(argv));
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    [['$HOME', '`id`', '$(id)', '!!', '*', '~', '#x', 'a;b']],
    [["'", "''", "'\\''", '\\', '\\\\']],
    [['\n', ' \n ', '\r\n', 'line1\nline2']],
    [['', 'x', '']],
    [['-n', '-e', '--']],
  ])('round-trips %j', (argv) => {
    expect(throughShell('sh', argv)).toEqual(expectedBytes(argv));
  });
});
