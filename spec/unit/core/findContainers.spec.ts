/**
 * Which container is a server's: real `docker ps` and `docker container inspect` output of four
 * containers (this registry's, another registry's, one from before registry ids, and one of ours
 * renamed since), served by a fake executor that records every argv and resolves what inspect is
 * given as docker does: a full ID, else an exact name, else a unique ID prefix.
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
const INSPECT = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'inspect-owners.json'), 'utf8')) as Array<{ Id: string; Name: string }>;
const OURS = '0123456789abcdef';
const THEIRS = 'fedcba9876543210';

/** docker's lookup order for a container reference; a string is docker's error for it. */
function resolve(ref: string): (typeof INSPECT)[number] | string {
  const byId = INSPECT.find((c) => c.Id === ref) ?? INSPECT.find((c) => c.Name === `/${ref}`);
  if (byId) return byId;
  const prefixed = INSPECT.filter((c) => c.Id.startsWith(ref));
  if (prefixed.length === 1 && prefixed[0]) return prefixed[0];
  if (prefixed.length > 1) return `Error response from daemon: multiple IDs found with provided prefix: ${ref}`;
  return `Error: No such container: ${ref}`;
}

function fakeEngine(): { docker: DockerClient; calls: string[][] } {
  const calls: string[][] = [];
  const executor: Executor = {
    host: 'localhost',
    run: async (argv): Promise<ExecResult> => {
      calls.push([...argv]);
      if (argv[1] === 'ps') return { stdout: PS, stderr: '', exitCode: 0 };
      if (argv[1] === 'container' && argv[2] === 'inspect') {
        const answers = argv.slice(3).map(resolve);
        const found = answers.flatMap((answer) => (typeof answer === 'string' ? [] : [answer]));
        const errors = answers.filter((answer): answer is string => typeof answer === 'string');
        return { stdout: JSON.stringify(found, null, 4), stderr: errors.join('\n'), exitCode: errors.length ? 1 : 0 };
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
    // By name first; not all are plainly ours, so one ps by label. "79" and "bb2d" are ID prefixes
    // here: docker answered the inspect for them with lifeb-own and lifeb-renamed-now, and neither
    // was taken for them. Those answers are all the ps chose, so nothing is inspected twice.
    expect(calls.map((argv) => argv.slice(1, 3).join(' '))).toEqual(['container inspect', 'ps --all']);
  });

  it('a container of ours found only by label is inspected by its full ID', async () => {
    const { docker, calls } = fakeEngine();
    const found = await findContainers(docker, ['lifeb-renamed'].map(target), OURS);
    expect(describeFound(found.get('lifeb-renamed'))).toBe('ours lifeb-renamed-now');
    expect(calls.map((argv) => argv.slice(1).join(' '))).toEqual([
      'container inspect lifeb-renamed',
      expect.stringMatching(/^ps --all/),
      'container inspect bb2d256dd94e2931f2c5c5e0884f5a2a23702dd2f7a01097c55dac1ba034fc27',
    ]);
  });

  it('one inspect by name when every server is found under its name with its own labels', async () => {
    const { docker, calls } = fakeEngine();
    const found = await findContainers(docker, ['lifeb-own'].map(target), OURS);
    expect(describeFound(found.get('lifeb-own'))).toBe('ours lifeb-own');
    expect(calls).toEqual([['docker', 'container', 'inspect', 'lifeb-own']]);
  });

  it('a name docker reads as an ID prefix of another server\'s container is not taken for it', async () => {
    const { docker, calls } = fakeEngine();
    // "79" is no container's name, but docker answers `inspect 79` with lifeb-own (ID 79571f4a...).
    const found = await findContainers(docker, ['79', 'lifeb-own'].map(target), OURS);
    expect(describeFound(found.get('79'))).toBe('absent');
    expect(describeFound(found.get('lifeb-own'))).toBe('ours lifeb-own');
    expect(calls.map((argv) => argv.slice(1, 3).join(' '))).toEqual(['container inspect', 'ps --all']);
  });

  it('a container under the name but made by another registry is never taken as ours by the look by name', async () => {
    const { docker, calls } = fakeEngine();
    const found = await findContainers(docker, ['lifeb-theirs', 'lifeb-legacy'].map(target), OURS);
    expect(describeFound(found.get('lifeb-theirs'))).toBe(`foreign lifeb-theirs owner=${THEIRS}`);
    expect(describeFound(found.get('lifeb-legacy'))).toBe('foreign lifeb-legacy owner=none');
    expect(calls.map((argv) => argv.slice(1, 3).join(' '))).toEqual(['container inspect', 'ps --all']);
  });

  it('for the other registry the roles swap', async () => {
    const { docker } = fakeEngine();
    const found = await findContainers(docker, ['lifeb-own', 'lifeb-theirs'].map(target), THEIRS);
    expect(describeFound(found.get('lifeb-own'))).toBe(`foreign lifeb-own owner=${OURS}`);
    expect(describeFound(found.get('lifeb-theirs'))).toBe('ours lifeb-theirs');
  });
});
