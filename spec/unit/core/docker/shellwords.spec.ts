import fc from 'fast-check';
import { ValidationError } from '../../../../lib/errors.js';
import { splitCommand } from '../../../../lib/core/docker/shellwords.js';

/** The ValidationError splitCommand throws for `text`; fails the test if it accepts the text. */
function rejection(text: string): ValidationError {
  try {
    splitCommand(text);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error(`splitCommand accepted ${JSON.stringify(text)}`);
}

describe('splitCommand', () => {
  describe('splits words like sh', () => {
    test.each<[string, string[]]>([
      ['docker run -i --rm img', ['docker', 'run', '-i', '--rm', 'img']],
      ['  docker \t run\t\timg  ', ['docker', 'run', 'img']],
      ['-e "K=v w" img', ['-e', 'K=v w', 'img']],
      ['-e KEY="a b" image --flag', ['-e', 'KEY=a b', 'image', '--flag']],
      ["-e 'K=v w'", ['-e', 'K=v w']],
      ['KEY="a b"\'c d\'e', ['KEY=a bc de']],
      ['a\\ b', ['a b']],
      ['a\\;b \\<x\\> \\"q\\"', ['a;b', '<x>', '"q"']],
      ["'a\\b' 'x\"y'", ['a\\b', 'x"y']],
      ['"a\\"b" "a\\\\b" "a\\xb" "a\\`b"', ['a"b', 'a\\b', 'a\\xb', 'a`b']],
      ["a '' b \"\" c", ['a', '', 'b', '', 'c']],
      ["''", ['']],
      ['a#b "#" \'#x\'', ['a#b', '#', '#x']],
      ['--health-cmd "curl -f http://localhost || exit 1"', ['--health-cmd', 'curl -f http://localhost || exit 1']],
      ["-e 'PLACEHOLDER=<token>'", ['-e', 'PLACEHOLDER=<token>']],
      ['héllo wörld', ['héllo', 'wörld']],
    ])('%s', (text, words) => {
      expect(splitCommand(text)).toEqual(words);
    });
  });

  describe('keeps variable references unexpanded', () => {
    test.each<[string, string[]]>([
      ['-e $TOKEN', ['-e', '$TOKEN']],
      ['-e ${TOKEN}', ['-e', '${TOKEN}']],
      ['-e TOKEN=${TOKEN}', ['-e', 'TOKEN=${TOKEN}']],
      ['-e "TOKEN=${TOKEN}"', ['-e', 'TOKEN=${TOKEN}']],
      ['-v "$HOME/data:/data"', ['-v', '$HOME/data:/data']],
      ['${VAR:-default} ${VAR-default}', ['${VAR:-default}', '${VAR-default}']],
      ['${VAR:?msg} ${VAR?msg}', ['${VAR:?msg}', '${VAR?msg}']],
      ['${VAR:+alt} ${VAR+alt}', ['${VAR:+alt}', '${VAR+alt}']],
      ['${PORT:-8080}:80', ['${PORT:-8080}:80']],
      ['${A:-${B:-x}}', ['${A:-${B:-x}}']],
      ['${A:-$B}', ['${A:-$B}']],
      // sh does not split inside ${...} when reading the word, so neither does mcp.
      ['${A:-a b} c', ['${A:-a b}', 'c']],
      ['${_private1}', ['${_private1}']],
    ])('%s', (text, words) => {
      expect(splitCommand(text)).toEqual(words);
    });
  });

  describe('stores a literal dollar as $$', () => {
    test.each<[string, string[]]>([
      ["'$HOME'", ['$$HOME']],
      ["'pa$$word'", ['pa$$$$word']],
      ['\\$HOME', ['$$HOME']],
      ['"\\$HOME"', ['$$HOME']],
      ['"cost: \\$5"', ['cost: $$5']],
      ["'$(not run)'", ['$$(not run)']],
    ])('%s', (text, words) => {
      expect(splitCommand(text)).toEqual(words);
    });
  });

  describe('braces a bare reference that a following name character would extend', () => {
    test.each<[string, string[]]>([
      ['"$A"B', ['${A}B']],
      ['"$A"_x', ['${A}_x']],
      ["$A'1'", ['${A}1']],
      ['$A""B', ['${A}B']],
      ['"$A"-x', ['$A-x']],
      ['"$A"$B', ['$A$B']],
      ["$A'$'", ['$A$$']],
    ])('%s', (text, words) => {
      expect(splitCommand(text)).toEqual(words);
    });
  });

  // Which home `~` means depends on the host the container runs on, so it is resolved later.
  test('keeps ~ literal', () => {
    expect(splitCommand("-v ~/.kube/config:/root/.kube/config ~ ~alice '~'/x")).toEqual([
      '-v',
      '~/.kube/config:/root/.kube/config',
      '~',
      '~alice',
      '~/x',
    ]);
  });

  describe('rejects', () => {
    test.each<[string, string, string]>([
      ['a semicolon', 'docker run img; rm -rf /', '";"'],
      ['&&', 'docker run img && echo ok', '"&&"'],
      ['||', 'docker run img || true', '"||"'],
      ['a pipe', 'docker run img | tee log', '"|"'],
      ['&', 'docker run img &', '"&"'],
      ['>', 'docker run img > out.log', '">"'],
      ['>>', 'docker run img >> out.log', '">>"'],
      ['2>&1', 'docker run img 2>&1', '">"'],
      ['<', 'docker run -i img < input', '"<"'],
      ['(', '(docker run img)', '"("'],
      [')', 'docker run img)', '")"'],
    ])('the shell operator %s', (_name, text, named) => {
      const error = rejection(text);
      expect(error.message).toContain(named);
      expect(error.message).toContain('without a shell');
    });

    test.each<[string, string]>([
      ['docker run -e GITHUB_TOKEN=<your-token> img', '<your-token>'],
      ['docker run -e TOKEN=<YOUR_TOKEN> img', '<YOUR_TOKEN>'],
      ['docker run img <path-to-dir>', '<path-to-dir>'],
    ])('the unquoted placeholder in %s', (text, placeholder) => {
      const error = rejection(text);
      expect(error.message).toContain(`"${placeholder}" looks like a placeholder`);
      expect(error.message).toContain('${VARIABLE}');
    });

    test.each<[string, string]>([
      ['docker run -e U=$(whoami) img', '$(...)'],
      ['docker run -e "U=$(whoami)" img', '$(...)'],
      ['docker run -e U=$((1+2)) img', '$(...)'],
      ['docker run -e U=`whoami` img', '`...`'],
      ['docker run -e "U=`whoami`" img', '`...`'],
      ['docker run -e U=${A:-$(whoami)} img', '$(...)'],
    ])('command substitution in %s', (text, form) => {
      expect(rejection(text).message).toContain(`command substitution (${form})`);
    });

    test.each([
      ['a line continuation', 'docker run \\\n  img'],
      ['a newline', 'docker run img\ndocker run other'],
      ['a CR', 'docker run img\r'],
      ['a newline inside quotes', 'docker run -e "A=1\n2" img'],
    ])('%s', (_name, text) => {
      const error = rejection(text);
      expect(error.message).toContain('must be one line');
      expect(error.message).toContain('line continuations');
    });

    test('a NUL character', () => {
      expect(rejection('docker run\0 img').message).toContain('NUL');
    });

    test.each<[string, string, string]>([
      ['single', "docker run -e 'K=v img", "'K=v img"],
      ['double', 'docker run -e "K=v img', '"K=v img'],
      ['double', 'docker run -e "K=v\\" img', '"K=v\\" img'],
    ])('an unterminated %s quote in %s', (kind, text, named) => {
      const error = rejection(text);
      expect(error.message).toContain(`unterminated ${kind} quote in ${named}`);
    });

    test('a trailing lone backslash', () => {
      expect(rejection('docker run img \\').message).toContain('lone backslash');
    });

    test.each(['', '   ', '\t'])('an empty command %j', (text) => {
      expect(rejection(text).message).toContain('empty');
    });

    test.each<[string, string]>([
      ['docker run img $1', '"$1"'],
      ['docker run img "$@"', '"$@"'],
      ['docker run img $$', '"$$"'],
      ['docker run img $', '"$"'],
      ['docker run img "cost $"', '"$""'],
      ["docker run img $'x'", `"$'"`],
      ['docker run img ${1}', '"${1}"'],
      ['docker run img ${}', '"${}"'],
      ['docker run img ${A#x}', '"${A#x}"'],
      ['docker run img ${A/x/y}', '"${A/x/y}"'],
      ['docker run img ${#A}', '"${#A}"'],
    ])('an invalid reference in %s', (text, named) => {
      const error = rejection(text);
      expect(error.message).toContain(named);
      expect(error.message).toContain('not a supported variable reference');
    });

    test.each<[string, string]>([
      ['docker run img ${A', '"${A'],
      ['docker run img ${A:-x', '"${A:-x'],
      ['docker run img "${"', '"${"'],
    ])('an unclosed ${ in %s', (text, named) => {
      const error = rejection(text);
      expect(error.message).toContain(`unclosed "\${" in ${named}`);
    });

    test.each(["docker run img ${A:-'x'}", 'docker run img ${A:-"x"}', 'docker run img ${A:-\\}}'])(
      'quoting inside ${...} in %s',
      (text) => {
        expect(rejection(text).message).toContain('inside "${A:-');
      },
    );

    test.each<[string, string]>([
      ['docker run img # start the server', '"# start the server"'],
      ['# docker run img', '"# docker run img"'],
    ])('a comment in %s', (text, named) => {
      const error = rejection(text);
      expect(error.message).toContain(named);
      expect(error.message).toContain('comment');
    });

    test('with one-line messages, however long the input', () => {
      const error = rejection(`docker run -e "${'x'.repeat(500)}`);
      expect(error.message).not.toContain('\n');
      expect(error.message.length).toBeLessThan(150);
    });
  });

  test('reads back any argv quoted with single quotes, with $ doubled', () => {
    const quote = (word: string): string => `'${word.split("'").join("'\\''")}'`;
    // Printable text without line breaks or NUL, which are rejected anywhere.
    const word = fc.string({ unit: 'grapheme-ascii' }).filter((w) => !/[\r\n\0]/.test(w));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1 }), (argv) => {
        const expected = argv.map((w) => w.split('$').join('$$'));
        expect(splitCommand(argv.map(quote).join(' '))).toEqual(expected);
      }),
    );
  });
});
