import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseInspect, parseInspectEntry, parsePorts, type ContainerSnapshot } from '../../../../lib/core/docker/parseInspect.js';
import { crashFacts, describeState, toServerStatus } from '../../../../lib/core/docker/state.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A trimmed-down but real-shaped `docker container inspect` entry. */
function rawEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Id: '4f1c2b7e9a0d4f1c2b7e9a0d4f1c2b7e9a0d4f1c2b7e9a0d4f1c2b7e9a0d1234',
    Created: '2024-05-01T11:00:00.000000000Z',
    Name: '/srv',
    Image: 'sha256:9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a',
    RestartCount: 0,
    State: {
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 4242,
      ExitCode: 0,
      Error: '',
      StartedAt: '2024-05-01T11:00:01.123456789Z',
      FinishedAt: ZERO_TIME,
    },
    Config: { Image: 'acme/mcp:1.0', Labels: { 'msm.name': 'srv', 'msm.hash': 'abcdef012345' } },
    NetworkSettings: { Ports: {} },
    Mounts: [],
    ...overrides,
  };
}

function parseOne(entry: Record<string, unknown>): ContainerSnapshot {
  const [snapshot, ...rest] = parseInspect(JSON.stringify([entry]));
  expect(rest).toEqual([]);
  if (!snapshot) throw new Error('nothing parsed');
  return snapshot;
}

describe('parseInspect (shapes)', () => {
  it.each(['', '   \n', '[]', '[]\n', ' [ ] '])('%j is no containers', (stdout) => {
    expect(parseInspect(stdout)).toEqual([]);
  });

  it('rejects output that is not a JSON array', () => {
    expect(() => parseInspect('{"Id":"x"}')).toThrow('docker inspect did not print a JSON array');
    expect(() => parseInspect('null')).toThrow('docker inspect did not print a JSON array');
  });

  it('rejects output that is not JSON', () => {
    expect(() => parseInspect('Error: No such container: x')).toThrow(SyntaxError);
  });

  it('parses a running container into a full snapshot', () => {
    expect(parseOne(rawEntry())).toEqual<ContainerSnapshot>({
      id: '4f1c2b7e9a0d4f1c2b7e9a0d4f1c2b7e9a0d4f1c2b7e9a0d4f1c2b7e9a0d1234',
      name: 'srv',
      image: 'acme/mcp:1.0',
      imageId: 'sha256:9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a9b2d6f0a',
      labels: { 'msm.name': 'srv', 'msm.hash': 'abcdef012345' },
      state: 'running',
      exitCode: 0,
      oomKilled: false,
      startedAt: '2024-05-01T11:00:01.123456789Z',
      restartCount: 0,
      ports: [],
      mounts: [],
    });
  });

  it('keeps several entries in docker order', () => {
    const stdout = JSON.stringify([rawEntry({ Name: '/b' }), rawEntry({ Name: '/a' })]);
    expect(parseInspect(stdout).map((snapshot) => snapshot.name)).toEqual(['b', 'a']);
  });

  it('drops docker zero times and keeps real ones', () => {
    const snapshot = parseOne(
      rawEntry({ State: { Status: 'created', ExitCode: 0, StartedAt: ZERO_TIME, FinishedAt: '0001-01-01T00:00:00.000000000Z' } }),
    );
    expect(snapshot.startedAt).toBeUndefined();
    expect(snapshot.finishedAt).toBeUndefined();
    expect('startedAt' in snapshot).toBe(false);
    const exited = parseOne(
      rawEntry({ State: { Status: 'exited', ExitCode: 3, StartedAt: '2024-05-01T11:00:00Z', FinishedAt: '2024-05-01T11:05:00Z' } }),
    );
    expect(exited).toMatchObject({ state: 'exited', exitCode: 3, startedAt: '2024-05-01T11:00:00Z', finishedAt: '2024-05-01T11:05:00Z' });
  });

  it('reads health, error, OOM and restart count', () => {
    const snapshot = parseOne(
      rawEntry({
        RestartCount: 4,
        State: {
          Status: 'exited',
          ExitCode: 137,
          OOMKilled: true,
          Error: 'oci runtime error',
          Health: { Status: 'unhealthy', FailingStreak: 3, Log: [] },
        },
      }),
    );
    expect(snapshot).toMatchObject({ state: 'exited', exitCode: 137, oomKilled: true, error: 'oci runtime error', health: 'unhealthy', restartCount: 4 });
  });

  it('leaves out an empty error and an absent health', () => {
    const snapshot = parseOne(rawEntry());
    expect('error' in snapshot).toBe(false);
    expect('health' in snapshot).toBe(false);
  });

  it('treats null labels, ports and mounts as empty', () => {
    const snapshot = parseOne(rawEntry({ Config: { Image: 'x', Labels: null }, NetworkSettings: { Ports: null }, Mounts: null }));
    expect(snapshot).toMatchObject({ labels: {}, ports: [], mounts: [] });
  });

  it('fills a near-empty entry with safe defaults', () => {
    expect(parseInspectEntry({})).toEqual({
      id: '',
      name: '',
      image: '',
      imageId: '',
      labels: {},
      state: 'unknown',
      exitCode: 0,
      oomKilled: false,
      restartCount: 0,
      ports: [],
      mounts: [],
    });
  });

  it.each(['created', 'running', 'restarting', 'paused', 'exited', 'dead', 'removing'] as const)('keeps the docker state %s', (status) => {
    expect(parseOne(rawEntry({ State: { Status: status } })).state).toBe(status);
  });

  // design.md §4: one table maps docker states to ServerStatus "with `unknown` as the fallback".
  // A state this version does not know is kept as 'unknown', which the table maps to 'unknown'.
  it('a state docker may add later is unknown, not an error', () => {
    expect(toServerStatus(parseOne(rawEntry({ State: { Status: 'hibernating' } })))).toBe('unknown');
  });

  it('parses mounts: bind, volume, read-only, tmpfs without source', () => {
    const snapshot = parseOne(
      rawEntry({
        Mounts: [
          { Type: 'bind', Source: '/home/alice/data', Destination: '/data', Mode: '', RW: true, Propagation: 'rprivate' },
          { Type: 'volume', Name: 'cache', Source: '/var/lib/docker/volumes/cache/_data', Destination: '/cache', Driver: 'local', RW: false },
          { Type: 'tmpfs', Source: '', Destination: '/tmp', RW: true },
          { Destination: '/odd' },
        ],
      }),
    );
    expect(snapshot.mounts).toEqual([
      { type: 'bind', source: '/home/alice/data', destination: '/data', read_only: false },
      { type: 'volume', source: '/var/lib/docker/volumes/cache/_data', destination: '/cache', read_only: true },
      { type: 'tmpfs', destination: '/tmp', read_only: false },
      { type: 'unknown', destination: '/odd' },
    ]);
  });
});

describe('parsePorts', () => {
  it('is empty for null, undefined or no ports', () => {
    expect(parsePorts(null)).toEqual([]);
    expect(parsePorts(undefined)).toEqual([]);
    expect(parsePorts({})).toEqual([]);
  });

  it('reads published ports for IPv4 and IPv6, exposed-only ports, protocols, and sorts them', () => {
    expect(
      parsePorts({
        '9000/udp': [{ HostIp: '0.0.0.0', HostPort: '19000' }],
        '8080/tcp': [
          { HostIp: '0.0.0.0', HostPort: '18080' },
          { HostIp: '::', HostPort: '18080' },
        ],
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8081' }],
        '443/tcp': null,
        '53/sctp': [],
      }),
    ).toEqual([
      { container_port: 53, protocol: 'sctp' },
      { container_port: 80, protocol: 'tcp', host_ip: '127.0.0.1', host_port: 8081 },
      { container_port: 443, protocol: 'tcp' },
      { container_port: 8080, protocol: 'tcp', host_ip: '0.0.0.0', host_port: 18080 },
      { container_port: 8080, protocol: 'tcp', host_ip: '::', host_port: 18080 },
      { container_port: 9000, protocol: 'udp', host_ip: '0.0.0.0', host_port: 19000 },
    ]);
  });

  it('orders bindings of one container port by host port', () => {
    expect(
      parsePorts({
        '80/tcp': [
          { HostIp: '127.0.0.1', HostPort: '9002' },
          { HostIp: '127.0.0.1', HostPort: '9001' },
        ],
      }),
    ).toEqual([
      { container_port: 80, protocol: 'tcp', host_ip: '127.0.0.1', host_port: 9001 },
      { container_port: 80, protocol: 'tcp', host_ip: '127.0.0.1', host_port: 9002 },
    ]);
  });

  it('leaves out an empty host port and keeps an empty host ip', () => {
    expect(parsePorts({ '80/tcp': [{ HostIp: '', HostPort: '' }] })).toEqual([{ container_port: 80, protocol: 'tcp', host_ip: '' }]);
  });

  it('defaults the protocol to tcp', () => {
    expect(parsePorts({ '80': [{ HostIp: '0.0.0.0', HostPort: '80' }] })).toEqual([
      { container_port: 80, protocol: 'tcp', host_ip: '0.0.0.0', host_port: 80 },
    ]);
  });
});

describe('state helpers over parsed entries', () => {
  it('an exited OOM-killed container is an error and says so', () => {
    const snapshot = parseOne(rawEntry({ State: { Status: 'exited', ExitCode: 137, OOMKilled: true } }));
    expect(toServerStatus(snapshot)).toBe('error');
    expect(describeState(snapshot)).toBe('exited (137) OOM-killed');
  });
});


// ---------------------------------------------------------------------------------------------
// Real `docker inspect` output recorded by scripts/record-fixtures.sh. Values docker picks at random
// (ids, host ports, times) are read from the raw JSON; everything the parser decides is literal.

const FIXTURES = path.resolve('spec/fixtures/docker');

interface RawFixture {
  Id: string;
  Image: string;
  RestartCount: number;
  State: { StartedAt: string; FinishedAt: string };
  Config: { Labels: Record<string, string> };
  NetworkSettings: { Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> };
}

function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

function rawFixture(name: string, index = 0): RawFixture {
  const entries = JSON.parse(fixtureText(name)) as RawFixture[];
  const entry = entries[index];
  if (!entry) throw new Error(`${name} has no entry ${index}`);
  return entry;
}

function fixture(name: string): ContainerSnapshot {
  const snapshots = parseInspect(fixtureText(name));
  expect(snapshots).toHaveLength(1);
  return snapshots[0] as ContainerSnapshot;
}

function hostPort(raw: RawFixture, key: string, index = 0): number {
  const binding = raw.NetworkSettings.Ports[key]?.[index];
  if (!binding) throw new Error(`no binding ${key}[${index}]`);
  return Number(binding.HostPort);
}

describe('parseInspect (recorded fixtures)', () => {
  it('the recorded fixtures are all there', () => {
    const names = readdirSync(FIXTURES);
    for (const name of [
      'inspect-running.json',
      'inspect-noports.json',
      'inspect-manyports.json',
      'inspect-exited.json',
      'inspect-restarting.json',
      'inspect-unhealthy.json',
      'inspect-healthy.json',
      'inspect-paused.json',
      'inspect-created.json',
      'inspect-multi.json',
      'inspect-oomkilled.json',
      'inspect-starterror.json',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('running: the full snapshot', () => {
    const raw = rawFixture('inspect-running.json');
    expect(raw.Id).toMatch(/^[0-9a-f]{64}$/);
    expect(raw.Image).toMatch(/^sha256:[0-9a-f]{64}$/);
    const snapshot = fixture('inspect-running.json');
    expect(snapshot).toEqual<ContainerSnapshot>({
      id: raw.Id,
      name: 'msm-fixture-running',
      image: 'msm-test-mcp:latest',
      imageId: raw.Image,
      labels: raw.Config.Labels,
      state: 'running',
      exitCode: 0,
      oomKilled: false,
      startedAt: raw.State.StartedAt,
      restartCount: 0,
      ports: [{ container_port: 8080, protocol: 'tcp', host_ip: '127.0.0.1', host_port: hostPort(raw, '8080/tcp') }],
      mounts: [],
    });
    expect(snapshot.labels['msm.name']).toBe('msm-fixture-running');
    expect(snapshot.labels['msm.managed']).toBe('true');
    expect(snapshot.ports[0]?.host_port).toBeGreaterThan(0);
    expect(toServerStatus(snapshot)).toBe('running');
    expect(describeState(snapshot)).toBe('running');
  });

  it('no ports: an empty list, no finish time, no health', () => {
    const raw = rawFixture('inspect-noports.json');
    expect(fixture('inspect-noports.json')).toEqual<ContainerSnapshot>({
      id: raw.Id,
      name: 'msm-fixture-noports',
      image: 'msm-busybox:latest',
      imageId: raw.Image,
      labels: raw.Config.Labels,
      state: 'running',
      exitCode: 0,
      oomKilled: false,
      startedAt: raw.State.StartedAt,
      restartCount: 0,
      ports: [],
      mounts: [],
    });
  });

  it('many ports: every binding, udp and an exposed-only port, sorted by container port', () => {
    const raw = rawFixture('inspect-manyports.json');
    const snapshot = fixture('inspect-manyports.json');
    expect(snapshot.ports).toEqual([
      { container_port: 5353, protocol: 'udp', host_ip: '127.0.0.1', host_port: hostPort(raw, '5353/udp') },
      { container_port: 7000, protocol: 'tcp' },
      { container_port: 8080, protocol: 'tcp', host_ip: '127.0.0.1', host_port: hostPort(raw, '8080/tcp') },
      { container_port: 9000, protocol: 'tcp', host_ip: '127.0.0.1', host_port: hostPort(raw, '9000/tcp') },
      { container_port: 9001, protocol: 'tcp', host_ip: '127.0.0.1', host_port: hostPort(raw, '9001/tcp') },
      { container_port: 9002, protocol: 'tcp', host_ip: '127.0.0.1', host_port: hostPort(raw, '9002/tcp') },
    ]);
    for (const port of snapshot.ports.filter((p) => p.container_port !== 7000)) expect(port.host_port).toBeGreaterThan(1024);
    expect(snapshot).toMatchObject({ name: 'msm-fixture-manyports', state: 'running', mounts: [] });
  });

  it('exited with code 3: an error, with both times', () => {
    const raw = rawFixture('inspect-exited.json');
    const snapshot = fixture('inspect-exited.json');
    expect(snapshot).toEqual<ContainerSnapshot>({
      id: raw.Id,
      name: 'msm-fixture-exited',
      image: 'msm-busybox:latest',
      imageId: raw.Image,
      labels: raw.Config.Labels,
      state: 'exited',
      exitCode: 3,
      oomKilled: false,
      startedAt: raw.State.StartedAt,
      finishedAt: raw.State.FinishedAt,
      restartCount: 0,
      ports: [],
      mounts: [],
    });
    expect(snapshot.finishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(toServerStatus(snapshot)).toBe('error');
    expect(describeState(snapshot)).toBe('exited (3)');
  });

  it('restarting: an error, with its restart count and last exit code', () => {
    const raw = rawFixture('inspect-restarting.json');
    const snapshot = fixture('inspect-restarting.json');
    expect(snapshot).toMatchObject({ name: 'msm-fixture-restarting', state: 'restarting', exitCode: 1, oomKilled: false, restartCount: raw.RestartCount });
    expect(snapshot.restartCount).toBeGreaterThan(0);
    expect(toServerStatus(snapshot)).toBe('error');
    expect(describeState(snapshot)).toBe('restarting');
  });

  it.each([
    ['inspect-unhealthy.json', 'msm-fixture-unhealthy', 'unhealthy'],
    ['inspect-healthy.json', 'msm-fixture-healthy', 'healthy'],
  ])('%s: health %s', (file, name, health) => {
    const raw = rawFixture(file);
    const snapshot = fixture(file);
    expect(snapshot).toEqual<ContainerSnapshot>({
      id: raw.Id,
      name,
      image: 'msm-busybox:latest',
      imageId: raw.Image,
      labels: raw.Config.Labels,
      state: 'running',
      exitCode: 0,
      oomKilled: false,
      startedAt: raw.State.StartedAt,
      health,
      restartCount: 0,
      ports: [],
      mounts: [],
    });
    expect(toServerStatus(snapshot)).toBe('running');
  });

  it('paused: stopped', () => {
    const snapshot = fixture('inspect-paused.json');
    expect(snapshot).toMatchObject({ name: 'msm-fixture-paused', state: 'paused', exitCode: 0, oomKilled: false });
    expect(snapshot.startedAt).toBe(rawFixture('inspect-paused.json').State.StartedAt);
    expect(toServerStatus(snapshot)).toBe('stopped');
    expect(describeState(snapshot)).toBe('paused');
  });

  it('created: never started, so no start or finish time', () => {
    const raw = rawFixture('inspect-created.json');
    expect(raw.State.StartedAt.startsWith('0001-01-01')).toBe(true);
    const snapshot = fixture('inspect-created.json');
    expect(snapshot).toEqual<ContainerSnapshot>({
      id: raw.Id,
      name: 'msm-fixture-created',
      image: 'msm-test-mcp:latest',
      imageId: raw.Image,
      labels: raw.Config.Labels,
      state: 'created',
      exitCode: 0,
      oomKilled: false,
      restartCount: 0,
      ports: [],
      mounts: [],
    });
    expect('startedAt' in snapshot).toBe(false);
    expect('finishedAt' in snapshot).toBe(false);
    expect(toServerStatus(snapshot)).toBe('stopped');
  });

  it('multi: one call, three containers, in the order asked', () => {
    const snapshots = parseInspect(fixtureText('inspect-multi.json'));
    expect(snapshots.map((s) => [s.name, s.state, s.exitCode])).toEqual([
      ['msm-fixture-running', 'running', 0],
      ['msm-fixture-exited', 'exited', 3],
      ['msm-fixture-created', 'created', 0],
    ]);
    expect(snapshots.map((s) => s.labels['msm.name'])).toEqual(['msm-fixture-running', 'msm-fixture-exited', 'msm-fixture-created']);
    expect(snapshots.map((s) => s.id)).toEqual([0, 1, 2].map((i) => rawFixture('inspect-multi.json', i).Id));
  });
});

describe('crash forensics (recorded fixtures)', () => {
  it('exited with code 3: the exit code, when it finished, not OOM-killed, no restarts', () => {
    const raw = rawFixture('inspect-exited.json');
    expect(crashFacts(fixture('inspect-exited.json'))).toEqual({ exit_code: 3, finished_at: raw.State.FinishedAt, oom_killed: false, restart_count: 0 });
  });

  it('OOM-killed: exit code 137, flagged, an error', () => {
    const raw = rawFixture('inspect-oomkilled.json');
    const snapshot = fixture('inspect-oomkilled.json');
    expect(snapshot).toMatchObject({ name: 'msm-fixture-oomkilled', state: 'exited', exitCode: 137, oomKilled: true });
    expect(crashFacts(snapshot)).toEqual({ exit_code: 137, finished_at: raw.State.FinishedAt, oom_killed: true, restart_count: 0 });
    expect(toServerStatus(snapshot)).toBe('error');
    expect(describeState(snapshot)).toBe('exited (137) OOM-killed');
  });

  it('a start docker refused: still created, with docker\'s error and exit code 127, an error', () => {
    const snapshot = fixture('inspect-starterror.json');
    expect(snapshot).toMatchObject({ name: 'msm-fixture-starterror', state: 'created', exitCode: 127 });
    expect('finishedAt' in snapshot).toBe(false);
    const facts = crashFacts(snapshot);
    expect(facts).toMatchObject({ exit_code: 127, oom_killed: false, restart_count: 0 });
    expect(facts.docker_error).toContain('exec: "/nonexistent": stat /nonexistent: no such file or directory');
    expect(toServerStatus(snapshot)).toBe('error');
    expect(describeState(snapshot)).toBe('start failed (127)');
  });

  it('restarting under its policy: the restart count and the last exit', () => {
    const raw = rawFixture('inspect-restarting.json');
    const facts = crashFacts(fixture('inspect-restarting.json'));
    expect(facts.restart_count).toBe(raw.RestartCount);
    expect(facts.restart_count).toBeGreaterThan(0);
    expect(facts).toMatchObject({ exit_code: 1, oom_killed: false });
  });

  it('never exited, never failed: only the restart count', () => {
    expect(crashFacts(fixture('inspect-running.json'))).toEqual({ restart_count: 0 });
    expect(crashFacts(fixture('inspect-created.json'))).toEqual({ restart_count: 0 });
  });
});
