/**
 * Shell completion, for real: in bash the script `mcp completion bash` prints is sourced and its
 * function driven the way bash drives it (COMP_WORDS, COMP_CWORD); fish's own engine completes a
 * command line (`complete -C`); zsh runs at a terminal (tmux) where Tab is pressed. `mcp` is on
 * PATH in each.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLI, Sandbox, waitFor } from './harness.js';

let sandbox: Sandbox;
let bin: string;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  bin = path.join(sandbox.dir, 'bin');
  await fs.mkdir(bin);
  await fs.writeFile(path.join(bin, 'mcp'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
  await fs.writeFile(path.join(sandbox.dir, 'hosts.yaml'), 'hosts:\n  alpha-box:\n    address: 10.0.0.5\n');
  for (const base of ['github', 'fetch']) {
    expect((await sandbox.mcp(['add', sandbox.name(base), '--command', 'docker run msm-busybox:latest sleep 1'])).exitCode).toBe(0);
  }
});

afterAll(async () => {
  await sandbox.dispose();
});

function shellEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${bin}:${process.env.PATH}`, MSM_REGISTRY: sandbox.registry, MSM_HOSTS: path.join(sandbox.dir, 'hosts.yaml') };
}

/** COMPREPLY after completing the last of `words` (words[0] is "mcp"), one candidate a line. */
function completeInBash(words: readonly string[]): Promise<string[]> {
  const array = words.map((word) => `'${word}'`).join(' ');
  const script = `source <(mcp completion bash) && COMP_WORDS=(${array}) && COMP_CWORD=${words.length - 1} && _mcp_completion && printf '%s\\n' "\${COMPREPLY[@]}"`;
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['--norc', '--noprofile', '-c', script],
      { cwd: sandbox.dir, env: shellEnv() },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.split('\n').filter(Boolean))),
    );
  });
}

it('completes `mcp st<TAB>` to the commands starting with st', async () => {
  expect(await completeInBash(['mcp', 'st'])).toEqual(['start', 'stop']);
});

it('completes a registered server name', async () => {
  expect(await completeInBash(['mcp', 'start', sandbox.name('gi')])).toEqual([sandbox.name('github')]);
  expect((await completeInBash(['mcp', 'get', ''])).sort()).toEqual([sandbox.name('fetch'), sandbox.name('github')].sort());
});

it('completes flags of the command, and host aliases after --host', async () => {
  expect(await completeInBash(['mcp', 'start', '--dr'])).toEqual(['--dry-run']);
  expect(await completeInBash(['mcp', 'list', '--js'])).toEqual(['--json']);
  expect(await completeInBash(['mcp', 'add', 'x', '--host', ''])).toEqual(['localhost', 'alpha-box']);
});

it('completes subcommands and shells', async () => {
  expect(await completeInBash(['mcp', 'hosts', 'a'])).toEqual(['add']);
  expect(await completeInBash(['mcp', 'hosts', 'remove', 'al'])).toEqual(['alpha-box']);
  expect(await completeInBash(['mcp', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
});

it('prints zsh and fish scripts that ask the same completer', async () => {
  for (const shell of ['zsh', 'fish']) {
    const result = await sandbox.mcp(['completion', shell]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('mcp __complete --');
  }
  const bad = await sandbox.mcp(['completion', 'tcsh']);
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toContain('no completion for shell "tcsh"');
});

/** fish's candidates for a command line (`complete -C`), with the script installed as its docs say. */
function completeInFish(line: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('fish', ['--no-config', '-c', 'mcp completion fish | source; complete -C $argv[1]', line], { cwd: sandbox.dir, env: shellEnv() }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.split('\n').filter(Boolean)),
    );
  });
}

it('completes in fish: commands, server names, flags', async () => {
  expect(await completeInFish('mcp st')).toEqual(['start', 'stop']);
  expect(await completeInFish(`mcp start ${sandbox.name('gi')}`)).toEqual([sandbox.name('github')]);
  expect(await completeInFish('mcp list --js')).toEqual(['--json']);
});

describe('zsh at a terminal', () => {
  const socket = `msm-zsh-${process.pid}`;
  const tmux = (...args: string[]) =>
    new Promise<string>((resolve, reject) => execFile('tmux', ['-L', socket, ...args], (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout))));
  const line = async () => (await tmux('capture-pane', '-p', '-t', 'zsh')).split('\n').filter((row) => row.startsWith('% ')).at(-1) ?? '';

  afterAll(async () => {
    await tmux('kill-server').catch(() => undefined);
  });

  it('Tab completes a command, then a registered server name', async () => {
    const env = Object.entries(shellEnv())
      .filter(([name]) => ['PATH', 'MSM_REGISTRY', 'MSM_HOSTS', 'HOME'].includes(name))
      .map(([name, value]) => `${name}='${value}'`)
      .join(' ');
    await tmux('new-session', '-d', '-s', 'zsh', '-x', '160', '-y', '20', `env ${env} PS1='%% ' zsh -f`);
    await tmux('send-keys', '-t', 'zsh', 'autoload -U compinit && compinit -u && source <(mcp completion zsh) && echo ready', 'Enter');
    await waitFor('zsh to load the completion', async () => ((await tmux('capture-pane', '-p', '-t', 'zsh')).includes('\nready') ? true : undefined));
    await tmux('send-keys', '-t', 'zsh', 'mcp sto', 'Tab');
    await waitFor('`mcp sto<TAB>` to become `mcp stop `', async () => ((await line()) === '% mcp stop' ? true : undefined));
    await tmux('send-keys', '-t', 'zsh', sandbox.name('gi'), 'Tab');
    await waitFor('the server name', async () => ((await line()) === `% mcp stop ${sandbox.name('github')}` ? true : undefined));
  }, 60_000);
});
