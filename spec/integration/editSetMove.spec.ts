/**
 * Changing a registered server: `set` for scripts, `edit` through $EDITOR (validated on save,
 * nothing written when invalid), and `move` to another host (a namespace SSH host) with its container.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { BUSYBOX_IMAGE, CLI, docker, type Sandbox } from './harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts, type TestHost } from './fleetHarness.js';

let sandbox: Sandbox;
let vars: NodeJS.ProcessEnv;
let h1: TestHost;

beforeAll(async () => {
  const env = await readTestHosts();
  h1 = host(env, 'h1');
  ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1', nowhere: env.refused.name } }));
});

afterAll(async () => {
  for (const base of ['mover']) await hostDocker(h1, ['rm', '-f', sandbox.name(base)]);
  for (const base of ['stayer', 'oneshot']) await docker(['rm', '-f', sandbox.name(base)]);
  await sandbox.dispose();
});

const mcp = (args: string[], env: NodeJS.ProcessEnv = {}) => sandbox.mcp(args, { ...vars, ...env });

describe('set', () => {
  it('changes command and port, says what changed, and refuses what add would refuse', async () => {
    const name = sandbox.name('setme');
    const other = sandbox.name('other');
    expect((await mcp(['add', name, '--command', `docker run -d -p 127.0.0.1:18001:80 ${BUSYBOX_IMAGE} sleep 300`])).exitCode).toBe(0);
    expect((await mcp(['add', other, '--command', `docker run -d -p 127.0.0.1:18002:80 ${BUSYBOX_IMAGE} sleep 300`])).exitCode).toBe(0);

    const changed = await mcp(['set', name, '--port', '18003', '--command', `docker run -d -p 127.0.0.1:18003:80 ${BUSYBOX_IMAGE} sleep 300`, '--json']);
    expect(changed.exitCode).toBe(0);
    const record = JSON.parse(changed.stdout) as { name: string; changed: string[]; config: { port: number; docker_command: string } };
    expect(record.changed.sort()).toEqual(['docker_command', 'port']);
    expect(record.config.port).toBe(18003);
    expect(await sandbox.readRegistry()).toContain('18003:80');

    const human = await mcp(['set', name, '--description', 'a test server']);
    expect(human.stdout).toContain('description:');
    expect(human.stdout).toContain('+ a test server');

    const before = await sandbox.readRegistry();
    for (const [args, message] of [
      [['set', name, '--command', 'ls -la'], /docker run/],
      [['set', name, '--command', `docker run -d -p 18002:80 ${BUSYBOX_IMAGE}`], new RegExp(`already published by server "${other}"`)],
      [['set', name], /say what to change/],
      [['set', 'nosuch', '--port', '1'], /no server named "nosuch"/],
      [['set', name, '--port', '0'], /--port takes a whole number of at least 1/],
    ] as const) {
      const result = await mcp([...args]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(await sandbox.readRegistry()).toBe(before);
  });
});

describe('edit', () => {
  it('applies a valid edit and shows it; writes nothing for an invalid one and keeps the edit', async () => {
    const name = sandbox.name('editme');
    expect((await mcp(['add', name, '--description', 'before', '--command', `docker run -d ${BUSYBOX_IMAGE} sleep 300`])).exitCode).toBe(0);

    const edited = await mcp(['edit', name], { EDITOR: "sed -i 's/^description: before$/description: after/'" });
    expect(edited.exitCode).toBe(0);
    expect(edited.stdout).toContain(`updated ${name}`);
    expect(edited.stdout).toContain('- before');
    expect(edited.stdout).toContain('+ after');
    expect(await sandbox.readRegistry()).toContain('description: after');

    const before = await sandbox.readRegistry();
    const invalid = await mcp(['edit', name], { EDITOR: "sed -i 's/^docker_command: .*$/docker_command: rm -rf \\/tmp\\/x/'" });
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toMatch(/docker run/);
    expect(invalid.stderr).toMatch(/nothing written \(your edit is kept in .*\.yaml\)/);
    expect(await sandbox.readRegistry()).toBe(before);

    const broken = await mcp(['edit', name], { EDITOR: "sed -i 's/^host: .*$/host: [unclosed/'" });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toContain('not valid YAML');
    const unchanged = await mcp(['edit', name], { EDITOR: 'true' });
    expect(unchanged.stdout).toContain(`${name}: no changes`);
    const failing = await mcp(['edit', name], { EDITOR: 'false' });
    expect(failing.exitCode).toBe(1);
    expect(failing.stderr).toContain('exited with 1; nothing changed');
    expect(await sandbox.readRegistry()).toBe(before);
  });
});

describe('edit while another change lands', () => {
  it('refuses an edit saved after another process changed the entry, and keeps that change', async () => {
    const name = sandbox.name('raced');
    expect((await mcp(['add', name, '--description', 'before', '--command', `docker run -d ${BUSYBOX_IMAGE} sleep 300`])).exitCode).toBe(0);
    // An "editor" that makes its edit while another `mcp set` changes the same entry.
    const editor = path.join(sandbox.dir, 'racing-editor.sh');
    await fs.writeFile(
      editor,
      ['#!/bin/sh', `sed -i 's/^description: before$/description: mine/' "$1"`, `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} set ${name} --description theirs`, ''].join('\n'),
      { mode: 0o700 },
    );
    const raced = await mcp(['edit', name], { EDITOR: editor });
    expect(raced.exitCode).toBe(2);
    expect(raced.stderr).toContain(`server "${name}" was changed by someone else meanwhile; nothing written`);
    expect(raced.stderr).toMatch(/nothing written \(your edit is kept in .*\.yaml\)/);
    const registry = await sandbox.readRegistry();
    expect(registry).toContain('description: theirs');
    expect(registry).not.toContain('description: mine');
  });

  it('keeps the exit code of an error that is not about the edit (a broken registry is exit 1, not 2)', async () => {
    const name = sandbox.name('broken');
    expect((await mcp(['add', name, '--description', 'before', '--command', `docker run -d ${BUSYBOX_IMAGE} sleep 300`])).exitCode).toBe(0);
    const registry = (await sandbox.readRegistry()) as string;
    // The registry is broken while the entry is being edited (another program wrote it half).
    const editor = path.join(sandbox.dir, 'breaking-editor.sh');
    await fs.writeFile(editor, ['#!/bin/sh', `sed -i 's/^description: before$/description: mine/' "$1"`, `echo 'servers: [' > "$MSM_REGISTRY"`, ''].join('\n'), { mode: 0o700 });
    try {
      const broken = await mcp(['edit', name], { EDITOR: editor });
      expect(broken.stderr).toContain('not valid YAML');
      expect(broken.stderr).toMatch(/nothing written \(your edit is kept in .*\.yaml\)/);
      expect(broken.exitCode).toBe(1);
    } finally {
      await fs.writeFile(sandbox.registry, registry);
    }
  });
});

describe('move', () => {
  it('stops the server here, starts it on the other host, then removes the old container', async () => {
    const name = sandbox.name('mover');
    expect((await mcp(['add', name, '--command', `docker run -d --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
    expect((await mcp(['start', name])).exitCode).toBe(0);
    const moved = await mcp(['move', name, '--host', 'alpha', '--json']);
    expect(moved.exitCode).toBe(0);
    expect(JSON.parse(moved.stdout)).toEqual({ name, from: 'localhost', to: 'alpha', ok: true, step: null, status: 'running', error: null });
    const there = await hostDocker(h1, ['inspect', '--format', '{{.State.Status}} {{index .Config.Labels "msm.name"}}', name]);
    expect(there.stdout.trim()).toBe(`running ${name}`);
    expect((await docker(['inspect', name])).exitCode).not.toBe(0);
    const listed = await sandbox.mcpJson<Array<{ config: { name: string; host: string }; status: { status: string } }>>(['list'], vars);
    expect(listed.find((entry) => entry.config.name === name)).toMatchObject({ config: { host: 'alpha' }, status: { status: 'running' } });

    const same = await mcp(['move', name, '--host', 'alpha']);
    expect(same.exitCode).toBe(2);
    expect(same.stderr).toContain('already on alpha');
  }, 90_000);

  it('when the new host cannot start it, starts it again where it was and says so', async () => {
    const name = sandbox.name('stayer');
    expect((await mcp(['add', name, '--command', `docker run -d --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
    expect((await mcp(['start', name])).exitCode).toBe(0);
    const moved = await mcp(['move', name, '--host', 'nowhere', '--json']);
    expect(moved.exitCode).toBe(1);
    expect(JSON.parse(moved.stdout)).toMatchObject({ ok: false, step: 'start', status: 'running', error: expect.stringMatching(/\(left on localhost, running again\)$/) });
    expect((await docker(['inspect', '--format', '{{.State.Status}}', name])).stdout.trim()).toBe('running');
    expect(await sandbox.readRegistry()).not.toContain('host: nowhere');
  }, 90_000);

  it('does not claim the server is back when starting it again where it was fails too', async () => {
    // Runs once: started again (its container keeps /ran), it exits at once.
    const name = sandbox.name('oneshot');
    const command = `docker run -d --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c '[ -e /ran ] && exit 3; touch /ran; exec sleep 900'`;
    expect((await mcp(['add', name, '--command', command])).exitCode).toBe(0);
    expect((await mcp(['start', name])).exitCode).toBe(0);
    const moved = await mcp(['move', name, '--host', 'nowhere', '--json']);
    expect(moved.exitCode).toBe(1);
    const result = JSON.parse(moved.stdout) as { ok: boolean; step: string; status: string; error: string };
    expect(result).toMatchObject({ ok: false, step: 'start' });
    expect(result.error).toMatch(/\(left on localhost, but not started again there: .*exit.* 3/);
    expect(result.status).not.toBe('running');
    expect(await sandbox.readRegistry()).not.toContain('host: nowhere');
  }, 90_000);
});
