/**
 * Help and mistakes through the built CLI: gh-style help (own flags, then global flags), wrapped
 * at word boundaries in a real pseudo-terminal, suggestions for unknown commands and flags, and
 * number flags refused. None of these touches docker; each run has its own empty registry.
 */
import { execFile } from 'node:child_process';
import { CLI, Sandbox } from './harness.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.create();
});

afterAll(async () => {
  await sandbox.dispose();
});

/** Run the CLI inside a pseudo-terminal of the given width (util-linux `script`). */
function inTerminal(args: readonly string[], columns: number): Promise<{ stdout: string; exitCode: number }> {
  const quoted = args.map((arg) => `'${arg}'`).join(' ');
  const command = `stty cols ${columns} rows 200; '${process.execPath}' '${CLI}' ${quoted}`;
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', MSM_REGISTRY: sandbox.registry, MSM_HOSTS: `${sandbox.dir}/hosts.yaml` } }, (error, stdout) => {
      resolve({ stdout: stdout.replace(/\r\n/g, '\n'), exitCode: error ? Number(error.code) : 0 });
    });
  });
}

const tokens = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

describe('help', () => {
  it('lists the command\'s own flags before the global ones, under their own headings', async () => {
    const { stdout, exitCode } = await sandbox.mcp(['start', '--help']);
    expect(exitCode).toBe(0);
    const own = stdout.indexOf('Flags:');
    const global = stdout.indexOf('Global flags:');
    expect(own).toBeGreaterThan(0);
    expect(global).toBeGreaterThan(own);
    expect(stdout.indexOf('--all')).toBeGreaterThan(own);
    expect(stdout.indexOf('--all')).toBeLessThan(global);
    expect(stdout.indexOf('--registry')).toBeGreaterThan(global);
    expect(stdout).not.toMatch(/\[boolean\]|\[string\]/);
  });

  it('`mcp help <command>` prints the command\'s help', async () => {
    const viaHelp = await sandbox.mcp(['help', 'hosts', 'add']);
    const viaFlag = await sandbox.mcp(['hosts', 'add', '--help']);
    expect(viaHelp.exitCode).toBe(0);
    expect(viaHelp.stdout).toContain('mcp hosts add <alias>');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it.each(['--help', 'add --help', 'start --help', 'log --help', 'hosts add --help'])('`mcp %s` wraps at 80 columns without breaking a word, flag or example', async (args) => {
    const narrow = await inTerminal(args.split(' '), 80);
    // The same help, unwrapped: every word of the narrow one must be a whole word of this one.
    const wide = await sandbox.mcp(args.split(' '), { COLUMNS: '1000' });
    expect(narrow.exitCode).toBe(0);
    const lines = narrow.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const whole = tokens(wide.stdout);
    const broken = [...tokens(narrow.stdout)].filter((token) => !whole.has(token));
    expect(broken).toEqual([]);
    expect(tokens(narrow.stdout).size).toBe(whole.size);
  });

  it('every example is a whole line that can be copied', async () => {
    const { stdout } = await inTerminal(['add', '--help'], 80);
    expect(stdout).toMatch(/^ {2}mcp add fetch --command "docker run -i --rm mcp\/fetch"$/m);
  });

  it.each(['add', 'remove', 'start', 'stop', 'restart', 'get', 'log', 'list', 'health', 'pull', 'hosts check', 'edit', 'set', 'move', 'doctor', 'completion', 'schema', 'version'])(
    '`mcp %s --help`: at 80 columns each example command is still one line',
    async (command) => {
      const wide = await sandbox.mcp([...command.split(' '), '--help'], { COLUMNS: '1000' });
      const examples = wide.stdout.split('Examples:')[1]?.split('\n').filter((line) => /^ {2}\S/.test(line) && !line.startsWith('  #')) ?? [];
      expect(examples.length).toBeGreaterThan(0);
      const narrow = (await inTerminal([...command.split(' '), '--help'], 80)).stdout.split('\n');
      for (const example of examples) expect(narrow).toContain(example.trimEnd());
    },
  );

  it('bare `mcp` at a terminal prints the help and exits 0', async () => {
    const { stdout, exitCode } = await inTerminal([], 80);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Commands:');
  });

  it('bare `mcp` without a terminal prints the help on stderr and exits 2 (a script forgot its command)', async () => {
    const { stdout, stderr, exitCode } = await sandbox.mcp([]);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Commands:');
  });
});

describe('mistakes', () => {
  it.each([
    [['down', 'x'], /^error: unknown command "down" for "mcp"; did you mean "mcp stop"\?$/m, 'mcp --help'],
    [['delete', 'x'], /did you mean "mcp remove"\?/, 'mcp --help'],
    [['strat', 'x'], /unknown command "strat" for "mcp"; did you mean "mcp start"\?/, 'mcp --help'],
    [['hosts', 'ad', 'x'], /unknown command "ad" for "mcp hosts"; did you mean "mcp hosts add"\?/, 'mcp hosts --help'],
    [['list', '--jsn'], /^error: unknown flag --jsn; did you mean --json\?$/m, 'mcp list --help'],
    [['start', 'x', '--dryrun'], /unknown flag --dryrun; did you mean --dry-run\?/, 'mcp start --help'],
    [['get'], /^error: mcp get needs a server name$/m, 'mcp get --help'],
    [['hosts', 'add', 'a'], /^error: mcp hosts add needs --address$/m, 'mcp hosts add --help'],
    [['add', 'x'], /^error: mcp add needs --command$/m, 'mcp add --help'],
    [['list', 'extra'], /^error: mcp list does not take "extra"$/m, 'mcp list --help'],
    [['log', 'x', '--host'], /^error: --host needs a value$/m, 'mcp log --help'],
  ])('`mcp %s` says what is wrong and where to read more', async (args, message, help) => {
    const result = await sandbox.mcp(args);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(`Run \`${help}\` for usage.`);
    expect(result.stderr).not.toMatch(/Not enough|Unknown argument|Missing required|Did you mean/);
    expect(await sandbox.readRegistry()).toBeUndefined();
  });

  it.each([['ps'], ['status'], ['ls']])('`mcp %s` is list', async (alias) => {
    const result = await sandbox.mcp([alias]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^no servers registered in /);
  });

  it.each([['rm'], ['logs']])('`mcp %s` is an alias of its command', async (alias) => {
    const result = await sandbox.mcp([alias, 'nosuch']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no server named "nosuch" is registered');
  });
});

describe('number flags', () => {
  it.each([
    [['log', 'x', '--tail', 'abc'], '--tail takes a whole number of at least 0 or "all", not "abc"'],
    [['log', 'x', '--tail', '-5'], '--tail takes a whole number of at least 0 or "all", not "-5"'],
    [['log', 'x', '--tail=1.5'], '--tail takes a whole number of at least 0 or "all", not "1.5"'],
    [['get', 'x', '--lines', 'abc'], '--lines takes a whole number of at least 0, not "abc"'],
    [['start', 'x', '--wait', '--timeout', '-1'], '--timeout takes a whole number of at least 1, not "-1"'],
    [['get', 'x', '--lines', '-1'], '--lines takes a whole number of at least 0, not "-1"'],
    [['list', '--parallel', '0'], '--parallel takes a whole number of at least 1, not "0"'],
    [['stop', 'x', '--timeout', '0'], '--timeout takes a whole number of at least 1, not "0"'],
    [['start', 'x', '--settle', '-1'], '--settle takes a whole number of at least 0, not "-1"'],
  ])('`mcp %s` is refused', async (args, message) => {
    const result = await sandbox.mcp(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error: ${message}`);
  });
});
