import { ValidationError } from '../../../../lib/errors.js';
import { interpolateWord, referencedVariables } from '../../../../lib/core/docker/interpolate.js';
import { splitCommand } from '../../../../lib/core/docker/shellwords.js';

const SECRET = 's3cr3t-value';

/** The ValidationError interpolateWord throws; fails the test if the word interpolates. */
function rejection(word: string, env: Record<string, string | undefined>): ValidationError {
  try {
    interpolateWord(word, env);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error(`interpolateWord accepted ${JSON.stringify(word)}`);
}

describe('interpolateWord', () => {
  test('leaves a word without references as it is', () => {
    expect(interpolateWord('--port=8080', {})).toEqual({ value: '--port=8080', display: '--port=8080', usedVars: [] });
  });

  test('turns $$ into a literal $, in the value and the display', () => {
    expect(interpolateWord('pa$$word $$HOME', { HOME: '/root' })).toEqual({
      value: 'pa$word $HOME',
      display: 'pa$word $HOME',
      usedVars: [],
    });
  });

  test('substitutes $VAR and ${VAR} but displays the references', () => {
    expect(interpolateWord('TOKEN=${TOKEN}', { TOKEN: SECRET })).toEqual({
      value: `TOKEN=${SECRET}`,
      display: 'TOKEN=${TOKEN}',
      usedVars: ['TOKEN'],
    });
    expect(interpolateWord('$HOME/data:/data', { HOME: '/home/me' })).toEqual({
      value: '/home/me/data:/data',
      display: '$HOME/data:/data',
      usedVars: ['HOME'],
    });
  });

  test('reads a bare name greedily, as sh does', () => {
    expect(interpolateWord('$A_B-$A', { A: '1', A_B: '2' })).toEqual({ value: '2-1', display: '$A_B-$A', usedVars: ['A_B', 'A'] });
  });

  test('lists each used variable once, in order of first use', () => {
    expect(interpolateWord('$B:$A:${B}', { A: 'a', B: 'b' }).usedVars).toEqual(['B', 'A']);
  });

  test('substitutes a variable set to the empty string', () => {
    expect(interpolateWord('X=$EMPTY.', { EMPTY: '' })).toEqual({ value: 'X=.', display: 'X=$EMPTY.', usedVars: ['EMPTY'] });
  });

  test('rejects an unset variable, saying where to define it', () => {
    const error = rejection('TOKEN=${TOKEN}', { OTHER: SECRET });
    expect(error.message).toBe('variable TOKEN is not set (define it in the environment or in the .env file)');
  });

  test('treats an env entry that is present but undefined as unset', () => {
    expect(rejection('$TOKEN', { TOKEN: undefined }).message).toContain('variable TOKEN is not set');
  });

  describe('defaults and alternatives', () => {
    // [word, env, expected value]; a variable missing from env is unset.
    test.each<[string, Record<string, string>, string]>([
      ['${V:-d}', {}, 'd'],
      ['${V:-d}', { V: '' }, 'd'],
      ['${V:-d}', { V: 'x' }, 'x'],
      ['${V-d}', {}, 'd'],
      ['${V-d}', { V: '' }, ''],
      ['${V-d}', { V: 'x' }, 'x'],
      ['${V:+alt}', {}, ''],
      ['${V:+alt}', { V: '' }, ''],
      ['${V:+alt}', { V: 'x' }, 'alt'],
      ['${V+alt}', {}, ''],
      ['${V+alt}', { V: '' }, 'alt'],
      ['${V+alt}', { V: 'x' }, 'alt'],
      ['${V:?must be set}', { V: 'x' }, 'x'],
      ['${V?must be set}', { V: '' }, ''],
      ['${V:-}', {}, ''],
      ['${V:-a b}', {}, 'a b'],
      ['${V:-$$}', {}, '$'],
      ['${V:-${W:-inner}}', {}, 'inner'],
      ['${V:-$W}', { W: 'w' }, 'w'],
      ['http://${HOST:-localhost}:${PORT:-8080}/', { PORT: '9000' }, 'http://localhost:9000/'],
    ])('%s with %j gives %j', (word, env, value) => {
      expect(interpolateWord(word, env).value).toBe(value);
    });

    test('displays the whole reference, default included', () => {
      expect(interpolateWord('${TOKEN:-none}', { TOKEN: SECRET }).display).toBe('${TOKEN:-none}');
    });

    test('does not evaluate a default that is not needed', () => {
      expect(interpolateWord('${A:-${B}}', { A: 'a' })).toEqual({ value: 'a', display: '${A:-${B}}', usedVars: ['A'] });
    });

    test('counts as used only the variables whose values reach the result', () => {
      expect(interpolateWord('${A:-$B}', { B: 'b' }).usedVars).toEqual(['B']);
      expect(interpolateWord('${A:+on}', { A: SECRET }).usedVars).toEqual([]);
    });

    test.each<[string, Record<string, string>, string]>([
      ['${V:?set V to the API key}', {}, 'variable V is not set or is empty: set V to the API key'],
      ['${V:?set V to the API key}', { V: '' }, 'variable V is not set or is empty: set V to the API key'],
      ['${V?set V}', {}, 'variable V is not set: set V'],
      ['${V:?}', {}, 'variable V is not set or is empty: (define it in the environment or in the .env file)'],
    ])('%s with %j fails with its message', (word, env, message) => {
      expect(rejection(word, env).message).toBe(message);
    });

    test('never puts a value in a required-variable message', () => {
      const error = rejection('${V:?token is $OTHER}', { OTHER: SECRET });
      expect(error.message).toBe('variable V is not set or is empty: token is $OTHER');
    });
  });

  describe('rejects a stored word it cannot interpolate', () => {
    test.each<[string, string]>([
      ['a$1', '"$1"'],
      ['a$', '"$"'],
      ['a$-', '"$-"'],
      ['${1}', '"${1}"'],
      ['${}', '"${}"'],
      ['${A', '"${A"'],
      ['${A:-x', '"${A:-x"'],
      ['${A#x}', '"${A#x}"'],
    ])('%s', (word, named) => {
      const error = rejection(word, { A: SECRET });
      expect(error.message).toContain(`invalid variable reference ${named}`);
      expect(error.message).not.toContain(SECRET);
    });
  });

  test('interpolates what splitCommand stored, telling literal dollars from references', () => {
    const words = splitCommand(`-e 'PRICE=$5' -e "TOKEN=$TOKEN" -v "$HOME/data:/data"`);
    const env = { TOKEN: SECRET, HOME: '/home/me' };
    expect(words.map((word) => interpolateWord(word, env).value)).toEqual([
      '-e',
      'PRICE=$5',
      '-e',
      `TOKEN=${SECRET}`,
      '-v',
      '/home/me/data:/data',
    ]);
    expect(words.map((word) => interpolateWord(word, env).display).join(' ')).toBe(
      '-e PRICE=$5 -e TOKEN=$TOKEN -v $HOME/data:/data',
    );
  });
});

describe('referencedVariables', () => {
  test.each<[string, string[]]>([
    ['plain', []],
    ['$$NOT_A_VAR', []],
    ['$A-${B}', ['A', 'B']],
    ['${A:-${B:-$C}}', ['A', 'B', 'C']],
    ['$A$A${A}', ['A']],
    ['${V:?need $W}', ['V', 'W']],
  ])('%s', (word, names) => {
    expect(referencedVariables(word)).toEqual(names);
  });

  test('rejects an invalid word', () => {
    expect(() => referencedVariables('$1')).toThrow(ValidationError);
  });
});
