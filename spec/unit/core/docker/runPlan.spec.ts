import { createHash } from 'node:crypto';
import type { MCPServerConfig } from '../../../../lib/data/models.js';
import { ValidationError } from '../../../../lib/errors.js';
import { parseDockerCommand } from '../../../../lib/core/docker/parseRun.js';
import {
  checkRunConfig,
  dropsAutoRemove,
  containerNameOf,
  expandVolumeHome,
  hashCommand,
  needsHomeDir,
  HASH_LABEL,
  NAME_LABEL,
  planRun,
  type RunContext,
  type RunPlan,
} from '../../../../lib/core/docker/runPlan.js';
import { validationError } from '../../../helpers/errors.js';

const HOME = '/home/alice';
const SECRET = 'tok-S3CRET-9f8e7d';

function configFor(command: string, extra: Partial<MCPServerConfig> = {}): MCPServerConfig {
  return { name: 'srv', docker_command: command, host: 'localhost', ...extra };
}

function ctxWith(variables: Record<string, string | undefined> = {}, homeDir = HOME): RunContext {
  return { variables, homeDir };
}

function plan(command: string, extra: Partial<MCPServerConfig> = {}, ctx: RunContext = ctxWith()): RunPlan {
  return planRun(configFor(command, extra), parseDockerCommand(command), ctx);
}

/** What the hash must be: computed here, independently, over the display words it covers. */
function sha12(displayWithoutHashLabel: string[]): string {
  return createHash('sha256').update(JSON.stringify(displayWithoutHashLabel)).digest('hex').slice(0, 12);
}

/** The plan expected for `words` (display, no hash label) followed by the image and command. */
function expectedArgv(optionWords: string[], body: string[]): { argv: string[]; hash: string } {
  const hash = sha12([...optionWords, ...body]);
  return { argv: [...optionWords, `--label=msm.hash=${hash}`, ...body], hash };
}

/** The `docker create` form mcp really runs: the run form without `run --detach`, `--rm` or the networks after the first. */
function createOf(argv: string[], dropped: string[] = []): string[] {
  return ['create', ...argv.slice(2).filter((word) => word !== '--rm' && !dropped.includes(word))];
}

describe('planRun', () => {
  it('exports the label names it stamps on containers', () => {
    expect(NAME_LABEL).toBe('msm.name');
    expect(HASH_LABEL).toBe('msm.hash');
  });

  describe('a plain command', () => {
    it('adds --detach, the name and both labels, then the image and command verbatim', () => {
      const result = plan('docker run ghcr.io/acme/mcp:1.2 --stdio');
      const { argv, hash } = expectedArgv(
        ['run', '--detach', '--name=srv', '--label=msm.name=srv'],
        ['ghcr.io/acme/mcp:1.2', '--stdio'],
      );
      expect(result).toEqual({ args: argv, display: argv, create: { args: createOf(argv), display: createOf(argv) }, extraNetworks: [], containerName: 'srv', hash, clientEnv: {} });
      expect(hash).toMatch(/^[0-9a-f]{12}$/);
    });

    it('accepts docker container run the same way', () => {
      const viaContainer = plan('docker container run img');
      const viaRun = plan('docker run img');
      expect(viaContainer.args).toEqual(viaRun.args);
      expect(viaContainer.hash).toBe(viaRun.hash);
    });

    it('re-emits the user options in the canonical --long=value form, in order', () => {
      const result = plan('docker run -p 127.0.0.1:8080:8080 -e KEY=v --memory 512m -i --init img');
      const { argv } = expectedArgv(
        [
          'run',
          '--detach',
          '--publish=127.0.0.1:8080:8080',
          '--env=KEY=v',
          '--memory=512m',
          '--interactive',
          '--init',
          '--name=srv',
          '--label=msm.name=srv',
        ],
        ['img'],
      );
      expect(result.args).toEqual(argv);
      expect(result.display).toEqual(argv);
    });

    it('keeps the container command word for word, even words that look like options or references', () => {
      const result = plan(`docker run img --rm -d --name=x 'a b' '$HOME' "" --`);
      expect(result.args.slice(-8)).toEqual(['img', '--rm', '-d', '--name=x', 'a b', '$HOME', '', '--']);
      expect(result.display.slice(-8)).toEqual(['img', '--rm', '-d', '--name=x', 'a b', '$HOME', '', '--']);
      expect(result.containerName).toBe('srv');
    });

    it('takes the image after -- verbatim', () => {
      const result = plan('docker run --init -- img:latest serve');
      const { argv } = expectedArgv(['run', '--detach', '--init', '--name=srv', '--label=msm.name=srv'], ['img:latest', 'serve']);
      expect(result.args).toEqual(argv);
    });
  });

  describe('detach and attach', () => {
    it.each([
      ['docker run -d img'],
      ['docker run --detach img'],
      ['docker run --detach=true img'],
      ['docker run -d=false img'],
      ['docker run -a stdout img'],
      ['docker run --attach=stderr -a stdout img'],
      ['docker run -d --detach -a stdin img'],
    ])('%s: drops the user flags and detaches exactly once', (command) => {
      const result = plan(command);
      const { argv } = expectedArgv(['run', '--detach', '--name=srv', '--label=msm.name=srv'], ['img']);
      expect(result.args).toEqual(argv);
      expect(result.display).toEqual(argv);
    });

    it('-dit: drops -d, keeps -i and -t', () => {
      const result = plan('docker run -dit img');
      const { argv } = expectedArgv(['run', '--detach', '--interactive', '--tty', '--name=srv', '--label=msm.name=srv'], ['img']);
      expect(result.args).toEqual(argv);
    });

    it('-itd -a stdout with a published port: only the attach and detach words go', () => {
      const result = plan('docker run -itd -a stdout -p 80:80 img');
      const { argv } = expectedArgv(
        ['run', '--detach', '--interactive', '--tty', '--publish=80:80', '--name=srv', '--label=msm.name=srv'],
        ['img'],
      );
      expect(result.args).toEqual(argv);
    });

    it('gives the same hash however the detach was spelled', () => {
      expect(plan('docker run -d img').hash).toBe(plan('docker run img').hash);
      expect(plan('docker run -a stdout img').hash).toBe(plan('docker run img').hash);
    });
  });

  describe('container name', () => {
    it('uses the --name of the command, in place, without adding a second one', () => {
      const result = plan('docker run --name custom -p 80:80 img');
      const { argv } = expectedArgv(['run', '--detach', '--name=custom', '--publish=80:80', '--label=msm.name=srv'], ['img']);
      expect(result.args).toEqual(argv);
      expect(result.containerName).toBe('custom');
      expect(result.args.filter((arg) => arg.startsWith('--name'))).toEqual(['--name=custom']);
    });

    it('uses the last --name when there are several, as docker does', () => {
      const result = plan('docker run --name first --name=second img');
      expect(result.containerName).toBe('second');
      expect(result.args.filter((arg) => arg.startsWith('--name'))).toEqual(['--name=first', '--name=second']);
    });

    it('interpolates a --name reference in the args and the container name, not in the display', () => {
      const result = plan('docker run --name $CNAME img', {}, ctxWith({ CNAME: 'from-env' }));
      expect(result.containerName).toBe('from-env');
      expect(result.args).toContain('--name=from-env');
      expect(result.display).toContain('--name=$CNAME');
    });

    it('containerNameOf: the config name, the command name, or the interpolated one', () => {
      expect(containerNameOf(configFor('docker run img'), parseDockerCommand('docker run img'))).toBe('srv');
      expect(containerNameOf(configFor(''), parseDockerCommand('docker run --name=x img'))).toBe('x');
      const parsed = parseDockerCommand('docker run --name=${N} img');
      expect(containerNameOf(configFor(''), parsed)).toBe('${N}');
      expect(containerNameOf(configFor(''), parsed, ctxWith({ N: 'real' }))).toBe('real');
    });
  });

  describe('registry config merge', () => {
    it('adds environment, volumes, networks, labels and restart policy after the user options, in that order', () => {
      const result = plan(
        'docker run -e A=1 img serve',
        {
          environment: { LOG_LEVEL: 'debug', EMPTY: '' },
          volumes: ['data:/data', '/srv/cfg:/cfg:ro'],
          networks: ['mcpnet', 'backend'],
          labels: { team: 'ops', 'com.example.tier': 'gold' },
          restart_policy: 'unless-stopped',
        },
      );
      const { argv, hash } = expectedArgv(
        [
          'run',
          '--detach',
          '--env=A=1',
          '--name=srv',
          '--env=LOG_LEVEL=debug',
          '--env=EMPTY=',
          '--volume=data:/data',
          '--volume=/srv/cfg:/cfg:ro',
          '--network=mcpnet',
          '--network=backend',
          '--label=team=ops',
          '--label=com.example.tier=gold',
          '--restart=unless-stopped',
          '--label=msm.name=srv',
        ],
        ['img', 'serve'],
      );
      const create = createOf(argv, ['--network=backend']);
      expect(result).toEqual({
        args: argv,
        display: argv,
        create: { args: create, display: create },
        extraNetworks: [{ value: 'backend', display: 'backend' }],
        containerName: 'srv',
        hash,
        clientEnv: {},
      });
    });

    it.each(['always', 'on-failure', 'on-failure:5'])('adds restart policy %s', (policy) => {
      const result = plan('docker run img', { restart_policy: policy });
      const { argv } = expectedArgv(['run', '--detach', '--name=srv', `--restart=${policy}`, '--label=msm.name=srv'], ['img']);
      expect(result.args).toEqual(argv);
    });

    it("adds no --restart for the policy 'no' or when there is none", () => {
      const { argv } = expectedArgv(['run', '--detach', '--name=srv', '--label=msm.name=srv'], ['img']);
      expect(plan('docker run img', { restart_policy: 'no' }).args).toEqual(argv);
      expect(plan('docker run img').args).toEqual(argv);
    });

    it('keeps the --restart of the command and adds none of its own', () => {
      const result = plan('docker run --restart on-failure:3 img', { restart_policy: 'always' });
      const { argv } = expectedArgv(['run', '--detach', '--restart=on-failure:3', '--name=srv', '--label=msm.name=srv'], ['img']);
      expect(result.args).toEqual(argv);
      expect(result.args.filter((arg) => arg.startsWith('--restart'))).toEqual(['--restart=on-failure:3']);
    });

    it('interpolates references in config environment values and networks, displaying the references', () => {
      const result = plan(
        'docker run img',
        { environment: { API_KEY: '${TOKEN}', MODE: 'x-$MODE' }, networks: ['$NET'] },
        ctxWith({ TOKEN: SECRET, MODE: 'fast', NET: 'net1' }),
      );
      const shown = ['run', '--detach', '--name=srv', '--env=API_KEY=${TOKEN}', '--env=MODE=x-$MODE', '--network=$NET', '--label=msm.name=srv'];
      const { argv: display, hash } = expectedArgv(shown, ['img']);
      expect(result.display).toEqual(display);
      expect(result.args).toEqual([
        'run',
        '--detach',
        '--name=srv',
        `--env=API_KEY=${SECRET}`,
        '--env=MODE=x-fast',
        '--network=net1',
        '--label=msm.name=srv',
        `--label=msm.hash=${hash}`,
        'img',
      ]);
    });

    it('does not interpolate config labels (they are literal)', () => {
      const result = plan('docker run img', { labels: { note: 'costs $5' } });
      expect(result.args).toContain('--label=note=costs $5');
    });
  });

  describe('labels', () => {
    it('labels the container with the server name even when the command names it differently', () => {
      const result = plan('docker run --name other img');
      expect(result.args).toContain('--label=msm.name=srv');
      expect(result.args).toContain(`--label=msm.hash=${result.hash}`);
      expect(result.args.filter((arg) => arg.startsWith('--label=msm.'))).toEqual(['--label=msm.name=srv', `--label=msm.hash=${result.hash}`]);
    });

    it('places the hash label right before the image', () => {
      const result = plan('docker run -l a=b img x');
      const imageAt = result.args.indexOf('img');
      expect(result.args[imageAt - 1]).toBe(`--label=msm.hash=${result.hash}`);
      expect(result.args[imageAt - 2]).toBe('--label=msm.name=srv');
    });
  });

  describe('variables', () => {
    const command = 'docker run -e API_TOKEN=$TOKEN -e "AUTH=Bearer ${TOKEN}" --name ${NAME} img:${TAG} --token=${TOKEN}';
    const variables = { TOKEN: SECRET, NAME: 'svc', TAG: '2.0' };

    it('puts the values in args and the references in display', () => {
      const result = plan(command, {}, ctxWith(variables));
      const { argv: display, hash } = expectedArgv(
        ['run', '--detach', '--env=API_TOKEN=$TOKEN', '--env=AUTH=Bearer ${TOKEN}', '--name=${NAME}', '--label=msm.name=srv'],
        ['img:${TAG}', '--token=${TOKEN}'],
      );
      expect(result).toEqual({
        args: [
          'run',
          '--detach',
          `--env=API_TOKEN=${SECRET}`,
          `--env=AUTH=Bearer ${SECRET}`,
          '--name=svc',
          '--label=msm.name=srv',
          `--label=msm.hash=${hash}`,
          'img:2.0',
          `--token=${SECRET}`,
        ],
        display,
        create: { args: createOf(result.args), display: createOf(display) },
        extraNetworks: [],
        containerName: 'svc',
        hash,
        clientEnv: {},
      });
    });

    it('never lets the secret into the display, the hash or the hash label', () => {
      const result = plan(command, { environment: { K: '$TOKEN' } }, ctxWith(variables));
      for (const shown of result.display) expect(shown).not.toContain(SECRET);
      expect(JSON.stringify(result.display)).not.toContain(SECRET);
      expect(result.hash).not.toContain(SECRET);
      const hashLabel = result.args.find((arg) => arg.startsWith('--label=msm.hash='));
      expect(hashLabel).toBe(`--label=msm.hash=${result.hash}`);
      expect(result.args.filter((arg) => arg.includes(SECRET))).toHaveLength(4);
    });

    it('keeps the hash when only the secret value changes', () => {
      const before = plan(command, {}, ctxWith(variables));
      const after = plan(command, {}, ctxWith({ ...variables, TOKEN: 'rotated' }));
      expect(after.hash).toBe(before.hash);
      expect(after.args).not.toEqual(before.args);
    });

    it('turns a stored $$ into a literal $ in args and display', () => {
      const result = plan(`docker run -e 'PRICE=$5' img`);
      expect(result.args).toContain('--env=PRICE=$5');
      expect(result.display).toContain('--env=PRICE=$5');
    });

    it('throws a ValidationError naming a missing variable and no value', () => {
      const error = validationError(() => plan('docker run -e A=$MISSING img', {}, ctxWith({ OTHER: SECRET, TOKEN: SECRET })));
      expect(error.message).toBe('variable MISSING is not set (define it in the environment or in the .env file)');
      expect(error.message).not.toContain(SECRET);
      expect(error.exitCode).toBe(2);
    });

    it.each([
      ['in the image', 'docker run img:$MISSING'],
      ['in the command', 'docker run img --key=${MISSING}'],
      ['in a volume', 'docker run -v $MISSING:/data img'],
      ['in --name', 'docker run --name $MISSING img'],
    ])('throws for a missing variable %s', (_where, command) => {
      const error = validationError(() => plan(command, {}, ctxWith({ TOKEN: SECRET })));
      expect(error.message).toContain('MISSING');
      expect(error.message).not.toContain(SECRET);
    });

    it('throws for a missing variable in the config environment', () => {
      const error = validationError(() => plan('docker run img', { environment: { K: '${NOPE}' } }, ctxWith({ TOKEN: SECRET })));
      expect(error.message).toBe('variable NOPE is not set (define it in the environment or in the .env file)');
    });
  });

  describe('-e NAME without a value', () => {
    it("hands NAME's value to the docker client and keeps the bare name in the argv", () => {
      const result = plan('docker run -e GITHUB_TOKEN --env OTHER=x -e DEBUG img', {}, ctxWith({ GITHUB_TOKEN: SECRET, DEBUG: '1', UNUSED: 'u' }));
      expect(result.clientEnv).toEqual({ GITHUB_TOKEN: SECRET, DEBUG: '1' });
      const { argv } = expectedArgv(
        ['run', '--detach', '--env=GITHUB_TOKEN', '--env=OTHER=x', '--env=DEBUG', '--name=srv', '--label=msm.name=srv'],
        ['img'],
      );
      expect(result.args).toEqual(argv);
      expect(result.display).toEqual(argv);
    });

    it('is dropped when the registry environment sets NAME, which then gives the value (imported ${input:id} entries)', () => {
      const result = plan('docker run -i -e GITHUB_PERSONAL_ACCESS_TOKEN img', { environment: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' } }, ctxWith({ GITHUB_TOKEN: SECRET }));
      expect(result.clientEnv).toEqual({});
      expect(result.args).toContain(`--env=GITHUB_PERSONAL_ACCESS_TOKEN=${SECRET}`);
      expect(result.args).not.toContain('--env=GITHUB_PERSONAL_ACCESS_TOKEN');
      expect(result.display).toContain('--env=GITHUB_PERSONAL_ACCESS_TOKEN=${GITHUB_TOKEN}');
      expect(result.display.join(' ')).not.toContain(SECRET);
    });

    it('passes an empty value through', () => {
      expect(plan('docker run -e EMPTY img', {}, ctxWith({ EMPTY: '' })).clientEnv).toEqual({ EMPTY: '' });
    });

    it('throws a MISSING_VARIABLE ValidationError when NAME is not set', () => {
      const error = validationError(() => plan('docker run -e GITHUB_TOKEN img', {}, ctxWith({ OTHER: SECRET })));
      expect(error.message).toBe('variable GITHUB_TOKEN is not set (define it in the environment or in the .env file)');
      expect(error.code).toBe('MISSING_VARIABLE');
      expect(error.exitCode).toBe(2);
      expect(error.message).not.toContain(SECRET);
    });

    describe('with inlineClientEnv (over SSH no environment travels)', () => {
      const inline = (variables: Record<string, string | undefined>): RunContext => ({ ...ctxWith(variables), inlineClientEnv: true });

      it('puts the value into the argv, shows only the name, and hands no client env', () => {
        const result = plan('docker run -e GITHUB_TOKEN --env OTHER=x img', {}, inline({ GITHUB_TOKEN: SECRET }));
        const { argv: display, hash } = expectedArgv(
          ['run', '--detach', '--env=GITHUB_TOKEN', '--env=OTHER=x', '--name=srv', '--label=msm.name=srv'],
          ['img'],
        );
        expect(result).toEqual({
          args: [
            'run',
            '--detach',
            `--env=GITHUB_TOKEN=${SECRET}`,
            '--env=OTHER=x',
            '--name=srv',
            '--label=msm.name=srv',
            `--label=msm.hash=${hash}`,
            'img',
          ],
          display,
          create: { args: createOf(result.args), display: createOf(display) },
          extraNetworks: [],
          containerName: 'srv',
          hash,
          clientEnv: {},
        });
        expect(JSON.stringify(result.display)).not.toContain(SECRET);
      });

      it('hashes the same as the local plan', () => {
        const command = 'docker run -e GITHUB_TOKEN img';
        const variables = { GITHUB_TOKEN: SECRET };
        expect(plan(command, {}, inline(variables)).hash).toBe(plan(command, {}, ctxWith(variables)).hash);
        expect(plan(command, {}, inline(variables)).display).toEqual(plan(command, {}, ctxWith(variables)).display);
      });

      it('still throws MISSING_VARIABLE for an unset NAME', () => {
        const error = validationError(() => plan('docker run -e GITHUB_TOKEN img', {}, inline({ OTHER: SECRET })));
        expect(error.message).toBe('variable GITHUB_TOKEN is not set (define it in the environment or in the .env file)');
        expect(error.code).toBe('MISSING_VARIABLE');
      });

      it('an inline-false context behaves like the default', () => {
        const result = plan('docker run -e T img', {}, { ...ctxWith({ T: 'v' }), inlineClientEnv: false });
        expect(result.clientEnv).toEqual({ T: 'v' });
        expect(result.args).toContain('--env=T');
      });
    });
  });

  describe('home directory', () => {
    it('expands ~ at the start of a -v source to the target home, displaying ~', () => {
      const result = plan('docker run -v ~/x:/y -v ~:/home -v /abs/~/z:/z -v named:/n img');
      const shown = ['--volume=~/x:/y', '--volume=~:/home', '--volume=/abs/~/z:/z', '--volume=named:/n'];
      const actual = ['--volume=/home/alice/x:/y', '--volume=/home/alice:/home', '--volume=/abs/~/z:/z', '--volume=named:/n'];
      const { argv: display, hash } = expectedArgv(['run', '--detach', ...shown, '--name=srv', '--label=msm.name=srv'], ['img']);
      expect(result.display).toEqual(display);
      expect(result.args).toEqual(['run', '--detach', ...actual, '--name=srv', '--label=msm.name=srv', `--label=msm.hash=${hash}`, 'img']);
    });

    it('expands src= and source= of --mount, and nothing else in it', () => {
      const result = plan('docker run --mount type=bind,src=~/a,dst=/b --mount source=~,target=~/t,type=bind img');
      expect(result.args.slice(2, 4)).toEqual([
        '--mount=type=bind,src=/home/alice/a,dst=/b',
        '--mount=source=/home/alice,target=~/t,type=bind',
      ]);
      expect(result.display.slice(2, 4)).toEqual(['--mount=type=bind,src=~/a,dst=/b', '--mount=source=~,target=~/t,type=bind']);
    });

    it('expands ~ in config volumes too', () => {
      const result = plan('docker run img', { volumes: ['~/cfg:/cfg:ro'] });
      expect(result.args).toContain('--volume=/home/alice/cfg:/cfg:ro');
      expect(result.display).toContain('--volume=~/cfg:/cfg:ro');
    });

    it('does not touch ~ outside volumes and mounts', () => {
      const result = plan('docker run -e P=~/x -w ~/w img ~/arg');
      expect(result.args).toContain('--env=P=~/x');
      expect(result.args).toContain('--workdir=~/w');
      expect(result.args.at(-1)).toBe('~/arg');
    });

    it('hashes the same on hosts with different home directories', () => {
      const command = 'docker run -v ~/x:/y img';
      expect(plan(command, {}, ctxWith({}, '/root')).hash).toBe(plan(command, {}, ctxWith({}, '/home/bob')).hash);
    });
  });

  describe('hash', () => {
    it('is stable for the same input', () => {
      const first = plan('docker run -p 80:80 img --x', { environment: { A: 'b' } });
      const second = plan('docker run -p 80:80 img --x', { environment: { A: 'b' } });
      expect(second).toEqual(first);
    });

    it.each([
      ['the image', 'docker run -p 80:80 img:2 --x'],
      ['the command', 'docker run -p 80:80 img:1 --y'],
      ['an option', 'docker run -p 81:80 img:1 --x'],
      ['an added option', 'docker run --init -p 80:80 img:1 --x'],
    ])('changes when %s changes', (_what, changed) => {
      expect(plan(changed).hash).not.toBe(plan('docker run -p 80:80 img:1 --x').hash);
    });

    it('changes when the registry config changes', () => {
      const base = plan('docker run img').hash;
      expect(plan('docker run img', { environment: { A: '1' } }).hash).not.toBe(base);
      expect(plan('docker run img', { restart_policy: 'always' }).hash).not.toBe(base);
      expect(plan('docker run img', { name: 'other' }).hash).not.toBe(base);
    });

    it('hashCommand: first 12 hex digits of sha256 over the JSON of the words', () => {
      expect(hashCommand(['run', 'img'])).toBe(sha12(['run', 'img']));
      expect(hashCommand(['a b'])).not.toBe(hashCommand(['a', 'b']));
      expect(hashCommand([])).toBe(createHash('sha256').update('[]').digest('hex').slice(0, 12));
    });
  });
});

describe('checkRunConfig', () => {
  const check = (command: string, extra: Partial<MCPServerConfig> = {}): void =>
    checkRunConfig(configFor(command, extra), parseDockerCommand(command));

  it.each([
    ['docker run --label msm.name=x img', 'msm.name'],
    ['docker run -l msm.hash=abc img', 'msm.hash'],
    ['docker run --label=msm.anything img', 'msm.anything'],
  ])('%s: rejects the reserved label', (command, label) => {
    const error = validationError(() => check(command));
    expect(error.message).toBe(`the label "${label}" is reserved for mcp; remove it from the command`);
    expect(error.exitCode).toBe(2);
  });

  it('planRun refuses a reserved label too', () => {
    expect(() => plan('docker run -l msm.name=evil img')).toThrow(ValidationError);
  });

  it('allows labels that only resemble the reserved prefix', () => {
    expect(() => check('docker run --label msmx=1 --label app.msm.name=2 -l MSM=3 img')).not.toThrow();
  });

  it.each([
    ['always', 'docker run --rm img'],
    ['on-failure:2', 'docker run --rm img'],
    [undefined, 'docker run --rm --restart always img'],
    ['no', 'docker run --rm --restart=unless-stopped img'],
  ])('restart policy %s with %s: rejects --rm', (policy, command) => {
    const error = validationError(() => check(command, policy === undefined ? {} : { restart_policy: policy }));
    expect(error.message).toBe('--rm cannot be combined with a restart policy (docker refuses both); drop one of them');
    expect(error.exitCode).toBe(2);
  });

  it('accepts --rm without a restart policy', () => {
    expect(() => check('docker run --rm img')).not.toThrow();
    expect(() => check('docker run --rm img', { restart_policy: 'no' })).not.toThrow();
    const result = plan('docker run --rm img', { restart_policy: 'no' });
    expect(result.args.slice(0, 3)).toEqual(['run', '--detach', '--rm']);
  });

  // docker only refuses auto-remove together with a restart policy other than "no"; `--rm=false`
  // turns auto-remove off, so these are valid docker commands that mcp wrongly refuses.
  it('accepts --rm=false with a restart policy', () => {
    expect(() => check('docker run --rm=false img', { restart_policy: 'always' })).not.toThrow();
  });

  it('accepts --rm with --restart no in the command', () => {
    expect(() => check('docker run --rm --restart no img')).not.toThrow();
  });
});

describe('expandVolumeHome', () => {
  it.each([
    ['~', '/home/alice'],
    ['~/', '/home/alice/'],
    ['~/x', '/home/alice/x'],
    ['~/x:/y', '/home/alice/x:/y'],
    ['~/x:/y:ro', '/home/alice/x:/y:ro'],
    ['~:/y', '/home/alice:/y'],
    ['~user/x:/y', '~user/x:/y'],
    ['~~/x', '~~/x'],
    ['/abs/~/x:/y', '/abs/~/x:/y'],
    ['./~/x:/y', './~/x:/y'],
    ['named:/data', 'named:/data'],
    ['', ''],
    [' ~/x', ' ~/x'],
  ])('%j -> %j', (spec, expected) => {
    expect(expandVolumeHome(spec, HOME)).toBe(expected);
  });

  it('uses the home it is given verbatim', () => {
    expect(expandVolumeHome('~/x', '/root')).toBe('/root/x');
    expect(expandVolumeHome('~/x', '~')).toBe('~/x');
    expect(expandVolumeHome('~', '')).toBe('');
  });
});

describe('needsHomeDir (the host is asked for its home only when a source starts with ~)', () => {
  const needs = (command: string, extra: Partial<MCPServerConfig> = {}) => needsHomeDir(configFor(command, extra), parseDockerCommand(command));

  it.each([
    ['docker run -v ~/data:/data img', true],
    ['docker run -v ~:/home img', true],
    ['docker run --mount type=bind,src=~/a,dst=/b img', true],
    ['docker run --mount type=bind,source=~/a,target=/b img', true],
    ['docker run -v /srv/data:/data img', false],
    ['docker run -v ~user/data:/data img', false],
    ['docker run --mount type=bind,src=/a,dst=~/b img', false],
    ['docker run img ~/not-a-volume', false],
  ])('%s -> %s', (command, expected) => {
    expect(needs(command)).toBe(expected);
  });

  it('looks at the registry volumes too', () => {
    expect(needs('docker run img', { volumes: ['~/cache:/cache'] })).toBe(true);
    expect(needs('docker run img', { volumes: ['/cache:/cache'] })).toBe(false);
  });
});

describe('the create form (what mcp really runs: create, connect, start)', () => {
  it('leaves out --rm: a managed container outlives a crash', () => {
    const result = plan('docker run --rm -p 80:80 img');
    expect(result.args).toContain('--rm');
    expect(result.create.args).toEqual(['create', '--publish=80:80', '--name=srv', '--label=msm.name=srv', `--label=msm.hash=${result.hash}`, 'img']);
    expect(dropsAutoRemove(parseDockerCommand('docker run --rm img'))).toBe(true);
    expect(dropsAutoRemove(parseDockerCommand('docker run --rm=false img'))).toBe(false);
    expect(dropsAutoRemove(parseDockerCommand('docker run img'))).toBe(false);
  });

  it('creates with the first network and connects the others, command ones before registry ones', () => {
    const result = plan('docker run --net front --network=$NET img', { networks: ['back'] }, ctxWith({ NET: 'secretnet' }));
    expect(result.create.args.filter((w) => w.startsWith('--network'))).toEqual(['--network=front']);
    expect(result.extraNetworks).toEqual([
      { value: 'secretnet', display: '$NET' },
      { value: 'back', display: 'back' },
    ]);
  });

  it('keeps the hash of the run form, so existing containers are not seen as drifted', () => {
    const withRm = plan('docker run --rm img');
    expect(withRm.hash).toBe(sha12(withRm.display.filter((w) => !w.startsWith('--label=msm.hash='))));
  });

  it('names the cidfile (with variables filled in), which a recreate has to move aside', () => {
    expect(plan('docker run --cidfile /run/$WHO.cid img', {}, ctxWith({ WHO: 'me' })).cidfile).toBe('/run/me.cid');
    expect(plan('docker run img').cidfile).toBeUndefined();
  });
});

describe('checkRunConfig: networks that exclude the others', () => {
  it.each([
    ['docker run --network none --network x img', {}, 'none'],
    ['docker run --network host img', { networks: ['extra'] }, 'host'],
    ['docker run --network a img', { networks: ['container:db'] }, 'container:db'],
  ] as const)('%s with %j is refused', (command, extra, mode) => {
    const error = validationError(() => checkRunConfig(configFor(command, extra as Partial<MCPServerConfig>), parseDockerCommand(command)));
    expect(error.message).toBe(`--network ${mode} cannot be combined with other networks (a container in the ${mode.split(':')[0]} network mode joins no other); drop one of them`);
  });

  it('accepts host alone and any number of ordinary networks', () => {
    expect(() => checkRunConfig(configFor('docker run --network host img'), parseDockerCommand('docker run --network host img'))).not.toThrow();
    expect(() => checkRunConfig(configFor('docker run --network a img', { networks: ['b', 'c'] }), parseDockerCommand('docker run --network a img'))).not.toThrow();
  });
});
