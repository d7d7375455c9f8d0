import { driftText, hostsOf, matchesFilter, rowAction, rowTexts, sortServers, statusCounts, unreachableHosts } from '../../../../../lib/entrypoint/server/dashboard/static/fleetModel.js';

type Server = Parameters<typeof rowTexts>[0];

const server = (name: string, host: string, status: Record<string, unknown> | undefined): Server => ({ config: { name, host, docker_command: 'docker run x' }, ...(status ? { status } : {}) }) as Server;

const fleet = [
  server('web', 'localhost', { status: 'running', uptime: '3m 2s', resource_usage: { cpu_usage: 12.345, memory_usage: 10 * 1024 * 1024, memory_limit: 1024 ** 3 }, health: { status: 'healthy', latency_ms: 3.21, tool_count: 2, checked_at: 't' } }),
  server('api', 'h1', { status: 'stopped', state: 'exited', exit_code: 0 }),
  server('db', 'h4', { status: 'unknown', error: 'h4: cannot connect: connect ECONNREFUSED' }),
  server('Cache', 'h1', undefined),
];

describe('fleet counts, hosts and filters', () => {
  it('counts every status, unknown for servers never observed', () => {
    expect(Object.fromEntries(statusCounts(fleet))).toEqual({ running: 1, starting: 0, stopping: 0, stopped: 1, error: 0, unknown: 2 });
  });

  it('lists each host once, sorted', () => {
    expect(hostsOf(fleet)).toEqual(['h1', 'h4', 'localhost']);
  });

  it('filters by host, status and name text (case-insensitive), empty meaning any', () => {
    const names = (filter: { host: string; status: string; text: string }) => fleet.filter((s) => matchesFilter(s, filter)).map((s) => s.config.name);
    expect(names({ host: '', status: '', text: '' })).toEqual(['web', 'api', 'db', 'Cache']);
    expect(names({ host: 'h1', status: '', text: '' })).toEqual(['api', 'Cache']);
    expect(names({ host: 'h1', status: 'stopped', text: '' })).toEqual(['api']);
    expect(names({ host: '', status: 'unknown', text: 'CA' })).toEqual(['Cache']);
  });

  it('sorts by name without changing the input', () => {
    expect(sortServers(fleet).map((s) => s.config.name)).toEqual(['api', 'Cache', 'db', 'web']);
    expect(fleet[0]?.config.name).toBe('web');
  });

  it('knows the hosts whose check failed', () => {
    const failed = unreachableHosts([{ host: 'localhost', ok: true }, { host: 'h4', ok: false, error: 'connect ECONNREFUSED' }, { host: 'h5', ok: false }]);
    expect([...failed]).toEqual([['h4', 'connect ECONNREFUSED'], ['h5', 'cannot be reached']]);
  });
});

describe('row texts', () => {
  it('a running, healthy server with resources', () => {
    expect(rowTexts(fleet[0] as Server, undefined)).toEqual({
      name: 'web',
      host: 'localhost',
      status: 'running',
      statusDetail: '',
      health: 'healthy · 3.2 ms · 2 tools',
      healthDetail: '',
      healthClass: 'good',
      uptime: '3m 2s',
      cpu: '12.3 %',
      memory: '10.0 MiB / 1.0 GiB',
      drift: '—',
    });
  });

  it('a stopped server shows docker\'s word and dashes', () => {
    expect(rowTexts(fleet[1] as Server, undefined)).toMatchObject({ status: 'stopped', statusDetail: 'exited', health: '—', uptime: '—', cpu: '—', memory: '—' });
  });

  it('a server on a host that could not be asked says so, with the error', () => {
    expect(rowTexts(fleet[2] as Server, 'connect ECONNREFUSED')).toMatchObject({ host: 'h4 (unreachable)', status: 'unknown', statusDetail: 'h4: cannot connect: connect ECONNREFUSED' });
  });

  it('an unhealthy server shows why', () => {
    const sick = server('s', 'localhost', { status: 'running', health: { status: 'unhealthy', error: 'connection refused' } });
    expect(rowTexts(sick, undefined)).toMatchObject({ health: 'unhealthy', healthDetail: 'connection refused', healthClass: 'bad' });
  });

  it('drift: a changed command and a desired state that differs from the actual one', () => {
    expect(driftText({ status: 'running', drift: true })).toBe('command changed');
    expect(driftText({ status: 'stopped', desired: 'running' })).toBe('wants running');
    expect(driftText({ status: 'running', desired: 'stopped', drift: true })).toBe('command changed, wants stopped');
    expect(driftText({ status: 'running', desired: 'running' })).toBe('—');
    // An unknown status is not a difference: the host could not be asked.
    expect(driftText({ status: 'unknown', desired: 'running' })).toBe('—');
  });

  it('offers stop for what runs, start for the rest, nothing when the state is unknown', () => {
    expect(fleet.map(rowAction)).toEqual(['stop', 'start', undefined, undefined]);
    expect(rowAction(server('x', 'localhost', { status: 'error' }))).toBe('start');
  });
});
