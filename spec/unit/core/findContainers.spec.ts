/**
 * Which container is a server's: real `docker ps` and `docker container inspect` output of four
 * containers (this registry's, another registry's, one from before registry ids, and one of ours
 * renamed since), served by a fake executor that records every argv.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerClient } from '../../../lib/core/dockerClient.js';
import type { ExecResult, Executor } from '../../../lib/core/exec/executor.js';
import { findContainers, type Found } from '../../../lib/core/statusMonitor.js';
import { toTarget } from '../../../lib/core/target.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/docker');
const PS = fs.readFileSync(path.join(FIXTURES, 'ps-owners.txt'), 'utf8');
const INSPECT = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'inspect-owners.json'), 'utf8')) as Array<{ Id: string }>;
const OURS = '0123456789abcdef';
const THEIRS = 'fedcba9876543210';

function fakeEngine(): { docker: DockerClient; calls: string[][] } {
  const calls: string[][] = [];
  const executor: Executor = {
    host: 'localhost',
    run: async (argv): Promise<ExecResult> => {
      calls.push([...argv]);
      if (argv[1] === 'ps') return { stdout: PS, stderr: '', exitCode: 0 };
      if (argv[1] === 'container' && argv[2] === 'inspect') {
        const wanted = new Set(argv.slice(3));
        return { stdout: JSON.stringify(INSPECT.filter((c) => wanted.has(c.Id))), stderr: '', exitCode: 0 };
      }
      return { stdout: '', stderr: `unexpected ${argv.join(' ')}`, exitCode: 1 };
    },
    spawn: async () => {
      throw new Error('findContainers never starts an interactive process');
    },
    stream: async () => ({ stdout: '', stderr: '', exitCode: 0 }),
    homeDir: async () => '/root',
    close: async () => undefined,
  };
  return { docker: new DockerClient(executor), calls };
}

const target = (name: string) => toTarget({ config: { name, docker_command: 'docker run msm-busybox:latest sleep 1', host: 'localhost' } }, {});

function describeFound(found: Found | undefined): string {
  if (!found || found.kind === 'absent') return 'absent';
  if (found.kind === 'ours') return `ours ${found.container.name}`;
  return `foreign ${found.container.name} owner=${found.owner ?? 'none'}`;
}

describe('findContainers', () => {
  const names = ['lifeb-own', 'lifeb-theirs', 'lifeb-legacy', 'lifeb-renamed', 'lifeb-absent', '79', 'bb2d'];

  it('for this registry: its own (renamed ones too, by label), the others as foreign with their owner', async () => {
    const { docker, calls } = fakeEngine();
    const found = await findContainers(docker, names.map(target), OURS);
    expect(names.map((name) => describeFound(found.get(name)))).toEqual([
      'ours lifeb-own',
      `foreign lifeb-theirs owner=${THEIRS}`,
      'foreign lifeb-legacy owner=none',
      'ours lifeb-renamed-now',
      'absent',
      'absent',
      'absent',
    ]);
    // One ps by label, one inspect by full IDs only: "79" and "bb2d" are ID prefixes here.
    expect(calls.map((argv) => argv.slice(1, 3).join(' '))).toEqual(['ps --all', 'container inspect']);
    const inspected = calls[1]?.slice(3) ?? [];
    expect(inspected.length).toBeGreaterThan(0);
    for (const ref of inspected) expect(ref).toMatch(/^[0-9a-f]{64}$/);
  });

  it('for the other registry the roles swap', async () => {
    const { docker } = fakeEngine();
    const found = await findContainers(docker, ['lifeb-own', 'lifeb-theirs'].map(target), THEIRS);
    expect(describeFound(found.get('lifeb-own'))).toBe(`foreign lifeb-own owner=${OURS}`);
    expect(describeFound(found.get('lifeb-theirs'))).toBe('ours lifeb-theirs');
  });
});
