import fc from 'fast-check';
import { commandLineFor } from '../../../../lib/core/docker/commandLine.js';
import { interpolateWord } from '../../../../lib/core/docker/interpolate.js';
import { splitCommand } from '../../../../lib/core/docker/shellwords.js';
import { validationError } from '../../../helpers/errors.js';

/** Argument text as a client hands it to docker: anything but line breaks and NUL (refused earlier). */
const argument = fc.string({
  unit: fc.oneof(
    fc.constantFrom(' ', '\t', "'", '"', '\\', '$', '`', ';', '&', '|', '<', '>', '(', ')', '#', '~', '*', '?', '[', ']', '{', '}', '=', ',', ':', '/', '-', 'é', '💡'),
    fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
  ),
}).filter((text) => !/[\r\n\0]/.test(text));

/** An argument with no `$`: the stored form is the argument itself. */
const literalArgument = argument.filter((text) => !text.includes('$'));

const escapeDollars = (text: string) => text.split('$').join('$$');

describe('commandLineFor', () => {
  test.each<[string[], string]>([
    [['docker', 'run', '-i', '--rm', 'mcp/fetch'], 'docker run -i --rm mcp/fetch'],
    [['-e', 'K=a b'], "-e 'K=a b'"],
    [["it's"], "'it'\\''s'"],
    [[''], "''"],
    [['#x', '~/data', 'a;b'], "'#x' '~/data' 'a;b'"],
    [['TFE_TOKEN=${TFE_TOKEN}'], 'TFE_TOKEN=${TFE_TOKEN}'],
    [['${A}x y'], "${A}'x y'"],
    [['price $$5'], "'price $5'"],
    // A leading `=` (zsh expands `=cmd`) or `%` (a job spec in some shells) is quoted, as quoteArg does.
    [['=cmd', '%1', 'k=50%'], "'=cmd' '%1' k=50%"],
  ])('%j -> %s', (words, line) => {
    expect(commandLineFor(words)).toBe(line);
    expect(splitCommand(line)).toEqual(words);
  });

  it('the splitter reads every argv without $ back exactly', () => {
    fc.assert(
      fc.property(fc.array(literalArgument, { minLength: 1, maxLength: 8 }), (args) => {
        expect(splitCommand(commandLineFor(args))).toEqual(args);
      }),
      { numRuns: 3000 },
    );
  });

  it('a literal $ comes back as the stored $$, which start-time interpolation turns into $ again', () => {
    fc.assert(
      fc.property(fc.array(argument, { minLength: 1, maxLength: 8 }), (args) => {
        const stored = args.map(escapeDollars);
        const words = splitCommand(commandLineFor(stored));
        expect(words).toEqual(stored);
        expect(words.map((word) => interpolateWord(word, {}).value)).toEqual(args);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps references as references wherever they sit in a word', () => {
    const reference = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).map((name) => `\${${name}}`);
    const piece = fc.oneof(literalArgument.map(escapeDollars), reference);
    fc.assert(
      fc.property(fc.array(fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')), { minLength: 1, maxLength: 6 }), (words) => {
        expect(splitCommand(commandLineFor(words))).toEqual(words);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a stored word with a stray $', () => {
    expect(validationError(() => commandLineFor(['a$b'])).message).toBe('"a$b" holds a "$" that is neither a ${NAME} reference nor an escaped $$');
  });
});
