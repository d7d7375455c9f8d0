/**
 * Issue #9, defects 12 and 13 (except numeric flags): relative paths for remote hosts refused at
 * add (and `~/` honoured there instead), `log -o` that cannot write or whose command fails, a
 * registry key that is not its server's name, per-server failures in `list`, and an alias bomb.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { MCPServerData } from '../../lib/data/models.js';
import { BUSYBOX_IMAGE, Sandbox } from './harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts, type TestHost } from './fleetHarness.js';

const SLEEP = `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`;

describe('relative paths for a remote host (defect 12)', () => {
  let sandbox: Sandbox;
  let vars: NodeJS.ProcessEnv;
  let h1: TestHost;
  const homeFile = `msm-it-${process.pid}-${Date.now()}.env`;

  beforeAll(async () => {
    const env = await readTestHosts();
    h1 = host(env, 'h1');
    ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1' } }));
  });

  afterAll(async () => {
    const names = (await hostDocker(h1, ['ps', '-a', '--filter', 'label=msm.name', '--format', '{{.Names}}'])).stdout.split('\n');
    for (const name of names.filter((n) => n.startsWith(sandbox.prefix))) await hostDocker(h1, ['rm', '-f', name]);
    await fs.rm(path.join('/var/lib/msm-test-hosts/home-msm', homeFile), { force: true });
    await sandbox.dispose();
  });

  it.each([
    ['--env-file in the command', ['--command', `docker run --env-file vars.env ${BUSYBOX_IMAGE} true`], '--env-file "vars.env" is a relative path'],
    ['-v ./data in the command', ['--command', `docker run -v ./data:/data ${BUSYBOX_IMAGE} true`], 'the volume source "./data" is a relative path'],
    ['--volume ../x given to add', ['--volume', '../x:/x', '--command', `docker run ${BUSYBOX_IMAGE} true`], 'the volume source "../x" is a relative path'],
  ])('%s is refused, naming it and the fix; nothing is stored', async (_what, args, message) => {
    const result = await sandbox.mcp(['add', sandbox.name('rel'), '--host', 'alpha', ...args], vars);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('use an absolute path or one starting with ~/');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await sandbox.readRegistry()).toBeUndefined();
  });

  it('named volumes, absolute paths and ~/ are accepted; the same relative path is fine on localhost', async () => {
    expect((await sandbox.mcp(['add', sandbox.name('named'), '--host', 'alpha', '--command', `docker run -v data:/data -v /srv/x:/x ${BUSYBOX_IMAGE} true`], vars)).exitCode).toBe(0);
    expect((await sandbox.mcp(['add', sandbox.name('local'), '--command', `docker run --env-file vars.env ${BUSYBOX_IMAGE} true`], vars)).exitCode).toBe(0);
  });

  it('--env-file ~/file reads the file in the home directory on the remote host', async () => {
    await fs.writeFile(path.join('/var/lib/msm-test-hosts/home-msm', homeFile), 'GREETING=from-h1-home\n');
    const name = sandbox.name('homeenv');
    expect((await sandbox.mcp(['add', name, '--host', 'alpha', '--command', `docker run --stop-timeout=1 --env-file ~/${homeFile} ${BUSYBOX_IMAGE} sleep 600`], vars)).exitCode).toBe(0);
    const started = await sandbox.mcp(['start', name], vars);
    expect(started.stdout).toContain('created');
    expect(started.exitCode).toBe(0);
    const env = (await hostDocker(h1, ['inspect', '--format', '{{json .Config.Env}}', name])).stdout;
    expect(env).toContain('GREETING=from-h1-home');
  });
});

describe('small ones (defect 13)', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await Sandbox.create();
  });

  afterEach(async () => {
    await sandbox.dispose();
  });

  it('log -o into a missing directory is a clear usage error, no stack trace', async () => {
    const name = sandbox.name('lg');
    expect((await sandbox.mcp(['add', name, '--command', SLEEP])).exitCode).toBe(0);
    const result = await sandbox.mcp(['log', name, '-o', '/nonexistent/x']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('error: --output /nonexistent/x: the directory /nonexistent does not exist\n');
  });

  it('log -o leaves the file as it was when the command fails, and writes it when it succeeds', async () => {
    const name = sandbox.name('lg2');
    const out = path.join(sandbox.dir, 'saved.log');
    await fs.writeFile(out, 'yesterday\n');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c 'echo today; sleep 600'`])).exitCode).toBe(0);
    const failed = await sandbox.mcp(['log', name, '-o', out]);
    // Every target failed (1), as for any per-server command; not a usage error.
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('has no container');
    expect(await fs.readFile(out, 'utf8')).toBe('yesterday\n');
    expect((await sandbox.mcp(['start', name])).exitCode).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await sandbox.mcp(['log', name, '-o', out])).exitCode).toBe(0);
    expect(await fs.readFile(out, 'utf8')).toBe('today\n');
    expect((await fs.readdir(sandbox.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a registry key that differs from its config.name is refused, naming the file and both names', async () => {
    await fs.writeFile(sandbox.registry, `version: 1\nservers:\n  db:\n    config:\n      name: other\n      docker_command: ${SLEEP}\n      host: localhost\n`);
    const result = await sandbox.mcp(['list']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`error: ${sandbox.registry}: servers.db.config.name is "other"; it must equal the key "db"\n`);
  });

  it('list says why each server failed, and does not call a bad registration an unreachable host', async () => {
    const good = sandbox.name('good');
    const bad = sandbox.name('bad');
    expect((await sandbox.mcp(['add', good, '--command', SLEEP])).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', good])).exitCode).toBe(0);
    // A registration edited by hand into a command that does not parse.
    const text = (await sandbox.readRegistry()) ?? '';
    await fs.writeFile(sandbox.registry, `${text}  ${bad}:\n    config:\n      name: ${bad}\n      docker_command: "docker run 'unbalanced"\n      host: localhost\n`);
    const list = await sandbox.mcp(['list']);
    expect(list.exitCode).toBe(3);
    expect(list.stdout).not.toContain('host unreachable');
    expect(list.stdout).toMatch(new RegExp(`${good}\\s+localhost\\s+running`));
    expect(list.stdout).toContain(`! ${bad}: `);
    expect(list.stdout).toContain('quote');
    const json = await sandbox.mcpJson<MCPServerData[]>(['list']);
    expect(json.map((s) => s.status?.status)).toEqual(['running', 'unknown']);
  });

  it('an alias bomb is refused with an error naming the file', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    await fs.writeFile(sandbox.registry, `${lines.join('\n')}\n`);
    const result = await sandbox.mcp(['list']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.startsWith(`error: ${sandbox.registry}: not valid YAML: `)).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
