import { ValidationError } from '../../../../lib/errors.js';
import { parseDockerCommand, parseRunArgs, type ParsedRun } from '../../../../lib/core/docker/parseRun.js';
import { findLongOption, findShortOption, HIDDEN_ALIASES, RUN_OPTIONS } from '../../../../lib/core/docker/runOptions.js';

/** The ValidationError parseDockerCommand throws for `text`; fails the test if it parses. */
function rejection(text: string): ValidationError {
  try {
    parseDockerCommand(text);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error(`parseDockerCommand accepted ${JSON.stringify(text)}`);
}

describe('parseDockerCommand', () => {
  describe('parses', () => {
    test.each<[string, ParsedRun]>([
      [
        'docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN ghcr.io/github/github-mcp-server',
        {
          options: [
            { long: 'interactive', tokens: ['-i'] },
            { long: 'rm', tokens: ['--rm'] },
            { long: 'env', value: 'GITHUB_PERSONAL_ACCESS_TOKEN', tokens: ['-e', 'GITHUB_PERSONAL_ACCESS_TOKEN'] },
          ],
          image: 'ghcr.io/github/github-mcp-server',
          command: [],
        },
      ],
      [
        'docker run -d -p 127.0.0.1:8080:8080 -e KEY="a b" image --flag',
        {
          options: [
            { long: 'detach', tokens: ['-d'] },
            { long: 'publish', value: '127.0.0.1:8080:8080', tokens: ['-p', '127.0.0.1:8080:8080'] },
            { long: 'env', value: 'KEY=a b', tokens: ['-e', 'KEY=a b'] },
          ],
          image: 'image',
          command: ['--flag'],
        },
      ],
      [
        'docker run -e "K=v w" img',
        { options: [{ long: 'env', value: 'K=v w', tokens: ['-e', 'K=v w'] }], image: 'img', command: [] },
      ],
      [
        'docker run --mount type=bind,src=/a,dst=/b img',
        {
          options: [{ long: 'mount', value: 'type=bind,src=/a,dst=/b', tokens: ['--mount', 'type=bind,src=/a,dst=/b'] }],
          image: 'img',
          command: [],
        },
      ],
      [
        'docker run --entrypoint node image /app/cli.js --port 8931',
        {
          options: [{ long: 'entrypoint', value: 'node', tokens: ['--entrypoint', 'node'] }],
          image: 'image',
          command: ['/app/cli.js', '--port', '8931'],
        },
      ],
      [
        'docker run -i mcp/fetch@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
        {
          options: [{ long: 'interactive', tokens: ['-i'] }],
          image: 'mcp/fetch@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
          command: [],
        },
      ],
      [
        'docker run --rm localhost:5000/ns/img:1.2 serve',
        { options: [{ long: 'rm', tokens: ['--rm'] }], image: 'localhost:5000/ns/img:1.2', command: ['serve'] },
      ],
      [
        'docker run -dit img',
        {
          options: [
            { long: 'detach', tokens: ['-d'] },
            { long: 'interactive', tokens: ['-i'] },
            { long: 'tty', tokens: ['-t'] },
          ],
          image: 'img',
          command: [],
        },
      ],
      [
        'docker run --pull=always img',
        { options: [{ long: 'pull', value: 'always', tokens: ['--pull=always'] }], image: 'img', command: [] },
      ],
      [
        'docker run -p ${PORT:-8080}:8080 img',
        {
          options: [{ long: 'publish', value: '${PORT:-8080}:8080', tokens: ['-p', '${PORT:-8080}:8080'] }],
          image: 'img',
          command: [],
        },
      ],
      [
        'docker run -i --rm mcp/grafana -t stdio',
        {
          options: [
            { long: 'interactive', tokens: ['-i'] },
            { long: 'rm', tokens: ['--rm'] },
          ],
          image: 'mcp/grafana',
          command: ['-t', 'stdio'],
        },
      ],
      [
        'docker run -v "$HOME/data:/data" img',
        { options: [{ long: 'volume', value: '$HOME/data:/data', tokens: ['-v', '$HOME/data:/data'] }], image: 'img', command: [] },
      ],
      [
        'docker run --env-file .env img',
        { options: [{ long: 'env-file', value: '.env', tokens: ['--env-file', '.env'] }], image: 'img', command: [] },
      ],
      [
        'docker run --network host img',
        { options: [{ long: 'network', value: 'host', tokens: ['--network', 'host'] }], image: 'img', command: [] },
      ],
      [
        'docker run --net=host img',
        { options: [{ long: 'network', value: 'host', tokens: ['--net=host'] }], image: 'img', command: [] },
      ],
      [
        'docker run -i $IMAGE --port ${PORT}',
        { options: [{ long: 'interactive', tokens: ['-i'] }], image: '$IMAGE', command: ['--port', '${PORT}'] },
      ],
      [
        'docker run -e A=1 --env B=2 -e=C=3 -eD=4 --env=E=5 img',
        {
          options: [
            { long: 'env', value: 'A=1', tokens: ['-e', 'A=1'] },
            { long: 'env', value: 'B=2', tokens: ['--env', 'B=2'] },
            { long: 'env', value: 'C=3', tokens: ['-e=C=3'] },
            { long: 'env', value: 'D=4', tokens: ['-eD=4'] },
            { long: 'env', value: 'E=5', tokens: ['--env=E=5'] },
          ],
          image: 'img',
          command: [],
        },
      ],
      [
        'docker run -itp 80:80 img',
        {
          options: [
            { long: 'interactive', tokens: ['-i'] },
            { long: 'tty', tokens: ['-t'] },
            { long: 'publish', value: '80:80', tokens: ['-p', '80:80'] },
          ],
          image: 'img',
          command: [],
        },
      ],
      [
        'docker run -itp80:80 img',
        {
          options: [
            { long: 'interactive', tokens: ['-i'] },
            { long: 'tty', tokens: ['-t'] },
            { long: 'publish', value: '80:80', tokens: ['-p80:80'] },
          ],
          image: 'img',
          command: [],
        },
      ],
      [
        'docker run --rm=false --detach=true -d=false -it=true img',
        {
          options: [
            { long: 'rm', value: 'false', tokens: ['--rm=false'] },
            { long: 'detach', value: 'true', tokens: ['--detach=true'] },
            { long: 'detach', value: 'false', tokens: ['-d=false'] },
            { long: 'interactive', tokens: ['-i'] },
            { long: 'tty', value: 'true', tokens: ['-t=true'] },
          ],
          image: 'img',
          command: [],
        },
      ],
      [
        // Like pflag, a value-taking option takes the next word even when it looks like a flag.
        'docker run -e --rm --name -x img',
        {
          options: [
            { long: 'env', value: '--rm', tokens: ['-e', '--rm'] },
            { long: 'name', value: '-x', tokens: ['--name', '-x'] },
          ],
          image: 'img',
          command: [],
        },
      ],
      [
        'docker run -i -- img -t --rm',
        { options: [{ long: 'interactive', tokens: ['-i'] }], image: 'img', command: ['-t', '--rm'] },
      ],
      [
        'docker run -e "" --env= -e= img',
        {
          options: [
            { long: 'env', value: '', tokens: ['-e', ''] },
            { long: 'env', value: '', tokens: ['--env='] },
            { long: 'env', value: '=', tokens: ['-e='] },
          ],
          image: 'img',
          command: [],
        },
      ],
      [
        'docker run -h myhost img',
        { options: [{ long: 'hostname', value: 'myhost', tokens: ['-h', 'myhost'] }], image: 'img', command: [] },
      ],
      [
        'docker container run img',
        { options: [], image: 'img', command: [] },
      ],
      [
        '/usr/local/bin/docker run -P img a b',
        { options: [{ long: 'publish-all', tokens: ['-P'] }], image: 'img', command: ['a', 'b'] },
      ],
    ])('%s', (text, expected) => {
      expect(parseDockerCommand(text)).toEqual(expected);
    });
  });

  test('checks nothing after the image: it belongs to the container', () => {
    expect(parseDockerCommand('docker run -i img --no-such-flag ---x -Z').command).toEqual(['--no-such-flag', '---x', '-Z']);
  });

  test('keeps the tokens of a short cluster usable on their own', () => {
    const parsed = parseDockerCommand('docker run -ditp80:80 -e=K=v --rm=false -itv /a:/b img run');
    const argv = [...parsed.options.flatMap((option) => option.tokens), parsed.image, ...parsed.command];
    expect(argv).toEqual(['-d', '-i', '-t', '-p80:80', '-e=K=v', '--rm=false', '-i', '-t', '-v', '/a:/b', 'img', 'run']);
    expect(parseRunArgs(argv)).toEqual(parsed);
  });

  describe('rejects', () => {
    test.each<[string, string]>([
      ['docker run --no-such-flag img', 'unknown flag: --no-such-flag'],
      ['docker run --no-such-flag=1 img', 'unknown flag: --no-such-flag'],
      ['docker run -Z img', "unknown shorthand flag: 'Z' in -Z"],
      ['docker run -dZ img', "unknown shorthand flag: 'Z' in -dZ"],
      ['docker run -d= img', "unknown shorthand flag: '=' in -d="],
      // Global docker flags are not run options, after `run` just as for docker itself.
      ['docker run -H tcp://host:2375 img', "unknown shorthand flag: 'H' in -H"],
      ['docker run --context prod img', 'unknown flag: --context'],
    ])('an unknown option in %s', (text, message) => {
      expect(rejection(text).message).toContain(message);
    });


    test.each<[string, string]>([
      ['docker run -i --env', 'flag needs an argument: --env'],
      ['docker run -i -e', "flag needs an argument: 'e' in -e"],
      ['docker run -itp', "flag needs an argument: 'p' in -itp"],
    ])('an option without its value in %s', (text, message) => {
      expect(rejection(text).message).toContain(message);
    });

    test.each(['docker run', 'docker run -i --rm', 'docker container run -d', 'docker run -e FOO', 'docker run -i --'])(
      'a command without an image: %s',
      (text) => {
        expect(rejection(text).message).toContain('no image in the docker run command');
      },
    );

    test.each<[string, string]>([
      ['docker run --rm=maybe img', 'invalid value "maybe" in --rm=maybe'],
      ['docker run -d=yes img', 'invalid value "yes" in -d=yes'],
      ['docker run --interactive= img', 'invalid value "" in --interactive='],
    ])('a boolean with a value that is not true or false in %s', (text, message) => {
      const error = rejection(text);
      expect(error.message).toContain(message);
      expect(error.message).toContain('true or false');
    });

    test.each<[string, string]>([
      ['docker run ---rm img', 'bad flag syntax: ---rm'],
      ['docker run --=x img', 'bad flag syntax: --=x'],
    ])('bad flag syntax in %s', (text, message) => {
      expect(rejection(text).message).toContain(message);
    });

    test.each<[string, string]>([
      ['docker run "" x', 'the image name in the docker run command is empty'],
      ['docker run -- -x', '"-x" is not an image name'],
      ['docker run -', '"-" is not an image name'],
      ['docker run "my image"', 'the image name "my image" contains whitespace'],
    ])('a bad image in %s', (text, message) => {
      expect(rejection(text).message).toContain(message);
    });

    test.each<[string, string]>([
      ['podman run img', 'not "podman"'],
      ['run img', 'not "run"'],
      ['docker', 'not "docker"'],
      ['docker exec -i box sh', 'not "docker exec"'],
      ['docker create img', 'not "docker create"'],
      ['docker container ls', 'not "docker container ls"'],
      ['docker compose up', 'not "docker compose"'],
      ['./docker run img', 'not "./docker"'],
    ])('a command that is not docker run: %s', (text, named) => {
      const error = rejection(text);
      expect(error.message).toContain('must start with "docker run"');
      expect(error.message).toContain(named);
    });

    test('a pasted claude mcp add line', () => {
      const error = rejection('claude mcp add github -- docker run -i --rm ghcr.io/github/github-mcp-server');
      expect(error.message).toContain('looks like a "claude mcp add" line');
      expect(error.message).toContain('pass only the part from "docker run"');
    });

    test.each(['npx -y @modelcontextprotocol/server-github', 'uvx mcp-server-fetch'])('a non-docker launcher: %s', (text) => {
      const error = rejection(text);
      expect(error.message).toContain(`"${text.split(' ')[0]} ..." runs the server without Docker`);
      expect(error.message).toContain('"docker run"');
    });

    test('sudo', () => {
      expect(rejection('sudo docker run img').message).toContain('not "sudo"');
    });

    test.each<[string, string]>([
      ['docker -H ssh://prod run img', '"-H"'],
      ['docker --context prod container run img', '"--context"'],
    ])('global docker flags before run: %s', (text, named) => {
      const error = rejection(text);
      expect(error.message).toContain(`global docker flags before "run" (${named})`);
      expect(error.message).toContain('--host');
    });

    test('shell syntax, through splitCommand', () => {
      expect(rejection('docker run img && echo done').message).toContain('"&&"');
    });
  });
});

describe('RUN_OPTIONS', () => {
  test('names every option once', () => {
    const longs = RUN_OPTIONS.map((spec) => spec.long);
    const shorts = RUN_OPTIONS.flatMap((spec) => (spec.short ? [spec.short] : []));
    expect(new Set(longs).size).toBe(longs.length);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(RUN_OPTIONS).toHaveLength(104);
  });

  test.each(RUN_OPTIONS.filter((spec) => spec.takesValue).map((spec) => [spec.long, spec] as const))(
    '--%s takes a value',
    (_long, spec) => {
      expect(parseRunArgs([`--${spec.long}`, 'v', 'img'])).toEqual({
        options: [{ long: spec.long, value: 'v', tokens: [`--${spec.long}`, 'v'] }],
        image: 'img',
        command: [],
      });
      if (spec.short) {
        expect(parseRunArgs([`-${spec.short}`, 'v', 'img'])).toEqual({
          options: [{ long: spec.long, value: 'v', tokens: [`-${spec.short}`, 'v'] }],
          image: 'img',
          command: [],
        });
      }
    },
  );

  test.each(RUN_OPTIONS.filter((spec) => !spec.takesValue).map((spec) => [spec.long, spec] as const))(
    '--%s is a boolean',
    (_long, spec) => {
      expect(parseRunArgs([`--${spec.long}`, 'img'])).toEqual({
        options: [{ long: spec.long, tokens: [`--${spec.long}`] }],
        image: 'img',
        command: [],
      });
      if (spec.short) {
        expect(parseRunArgs([`-${spec.short}`, 'img'])).toEqual({
          options: [{ long: spec.long, tokens: [`-${spec.short}`] }],
          image: 'img',
          command: [],
        });
      }
    },
  );

  test.each([...HIDDEN_ALIASES])('the hidden alias --%s resolves to --%s', (alias, canonical) => {
    expect(findLongOption(alias)?.long).toBe(canonical);
    expect(parseRunArgs([`--${alias}`, 'v', 'img']).options).toEqual([
      { long: canonical, value: 'v', tokens: [`--${alias}`, 'v'] },
    ]);
  });

  test('lookups miss for names docker run does not have', () => {
    expect(findLongOption('no-such-flag')).toBeUndefined();
    expect(findLongOption('e')).toBeUndefined();
    expect(findShortOption('H')).toBeUndefined();
    expect(findShortOption('env')).toBeUndefined();
  });
});
