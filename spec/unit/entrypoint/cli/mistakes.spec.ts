import { closest, editDistance, suggestCommand, translateYargsMessage, unknownFlagMessage } from '../../../../lib/entrypoint/cli/mistakes.js';

const COMMANDS = ['add', 'remove', 'rm', 'start', 'stop', 'restart', 'get', 'log', 'logs', 'list', 'ls', 'ps', 'status', 'health'];

describe('editDistance', () => {
  it.each([
    ['start', 'start', 0],
    ['strat', 'start', 1],
    ['stat', 'start', 1],
    ['lsit', 'list', 1],
    ['remoev', 'remove', 1],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
  ])('%s -> %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe('suggestCommand', () => {
  it.each([
    ['down', 'stop'],
    ['run', 'start'],
    ['delete', 'remove'],
    ['describe', 'get'],
    ['strat', 'start'],
    ['lsit', 'list'],
    ['helth', 'health'],
  ])('%s -> %s', (word, expected) => {
    expect(suggestCommand(word, COMMANDS)).toBe(expected);
  });

  it('suggests by meaning only a command that exists', () => {
    expect(suggestCommand('run', ['stop', 'list'])).toBeUndefined();
  });

  it('suggests nothing for a word far from every command', () => {
    expect(suggestCommand('frobnicate', COMMANDS)).toBeUndefined();
  });
});

describe('flags', () => {
  it('suggests the nearest long flag', () => {
    expect(unknownFlagMessage('--jsn', ['json', 'verbose', 'j'])).toBe('unknown flag --jsn; did you mean --json?');
    expect(unknownFlagMessage('--dryrun=1', ['dry-run'])).toBe('unknown flag --dryrun; did you mean --dry-run?');
    expect(unknownFlagMessage('--zzz', ['json'])).toBe('unknown flag --zzz');
  });

  it('suggests the only command a prefix can mean', () => {
    expect(closest('rest', ['restart', 'remove'])).toBe('restart');
  });
});

describe('translateYargsMessage', () => {
  const context = { path: 'mcp get', required: 'name', flags: ['json', 'lines'], argv: ['get', '--lnes', 'x'] };

  it.each([
    ['Not enough non-option arguments: got 0, need at least 1', 'mcp get needs a server name'],
    ['Missing required argument: command', 'mcp get needs --command'],
    ['Unknown argument: lnes', 'unknown flag --lnes; did you mean --lines?'],
    ['Unknown arguments: x, y', 'mcp get does not take "x"; mcp get does not take "y"'],
    ['Not enough arguments following: host', '--host needs a value'],
    ['Too many non-option arguments: got 2, maximum of 1', 'mcp get takes at most 1 argument (got 2)'],
    ['Invalid values: something', 'Invalid values: something'],
  ])('%s', (message, expected) => {
    expect(translateYargsMessage(message, context)).toBe(expected);
  });
});
