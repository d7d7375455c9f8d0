/**
 * Shell completion, for real in bash: the script `mcp completion bash` prints is sourced, and its
 * function is driven the way bash drives it (COMP_WORDS, COMP_CWORD), with `mcp` on PATH.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLI, Sandbox } from './harness.js';

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

/** COMPREPLY after completing the last of `words` (words[0] is "mcp"), one candidate a line. */
function completeInBash(words: readonly string[]): Promise<string[]> {
  const array = words.map((word) => `'${word}'`).join(' ');
  const script = `source <(mcp completion bash) && COMP_WORDS=(${array}) && COMP_CWORD=${words.length - 1} && _mcp_completion && printf '%s\\n' "\${COMPREPLY[@]}"`;
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['--norc', '--noprofile', '-c', script],
      { cwd: sandbox.dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, MSM_REGISTRY: sandbox.registry, MSM_HOSTS: path.join(sandbox.dir, 'hosts.yaml') } },
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
