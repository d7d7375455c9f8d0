import type { ContainerSnapshot, DockerState } from '../../../../lib/core/docker/parseInspect.js';
import { describeState, formatDuration, toServerStatus, uptimeSecondsOf } from '../../../../lib/core/docker/state.js';

/** The uptime as get and list show it. */
function uptimeOf(container: ContainerSnapshot | undefined, now: Date): string | undefined {
  const seconds = uptimeSecondsOf(container, now);
  return seconds === undefined ? undefined : formatDuration(seconds);
}

function snapshot(state: DockerState, extra: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
  return {
    id: 'c0ffee',
    name: 'srv',
    image: 'img:1',
    imageId: 'sha256:abc',
    labels: {},
    state,
    exitCode: 0,
    oomKilled: false,
    restartCount: 0,
    ports: [],
    mounts: [],
    ...extra,
  };
}

describe('toServerStatus', () => {
  it('an absent container (undefined) is stopped', () => {
    expect(toServerStatus(undefined)).toBe('stopped');
  });

  it.each<[DockerState, string]>([
    ['running', 'running'],
    ['created', 'stopped'],
    ['paused', 'stopped'],
    ['restarting', 'error'],
    ['dead', 'error'],
    ['removing', 'stopping'],
  ])('%s -> %s', (state, status) => {
    expect(toServerStatus(snapshot(state))).toBe(status);
  });

  it('falls back to unknown for a state outside the table', () => {
    expect(toServerStatus(snapshot('frozen' as DockerState))).toBe('unknown');
  });

  describe('exited', () => {
    it.each([
      [0, 'stopped'],
      [130, 'stopped'],
      [137, 'stopped'],
      [143, 'stopped'],
      [1, 'error'],
      [2, 'error'],
      [125, 'error'],
      [126, 'error'],
      [127, 'error'],
      [139, 'error'],
      [255, 'error'],
      [-1, 'error'],
    ])('with exit code %d -> %s', (exitCode, status) => {
      expect(toServerStatus(snapshot('exited', { exitCode }))).toBe(status);
    });

    it('OOM-killed (137) is an error, not a stop', () => {
      expect(toServerStatus(snapshot('exited', { exitCode: 137, oomKilled: true }))).toBe('error');
    });

    it('OOM-killed with any code is an error', () => {
      expect(toServerStatus(snapshot('exited', { exitCode: 0, oomKilled: true }))).toBe('error');
      expect(toServerStatus(snapshot('exited', { exitCode: 1, oomKilled: true }))).toBe('error');
    });
  });

  it('ignores the exit code and OOM flag of a running container', () => {
    expect(toServerStatus(snapshot('running', { exitCode: 1, oomKilled: true }))).toBe('running');
  });
});

describe('describeState', () => {
  it('absent for no container', () => {
    expect(describeState(undefined)).toBe('absent');
  });

  it.each<DockerState>(['created', 'running', 'restarting', 'paused', 'dead', 'removing'])('%s is its own word', (state) => {
    expect(describeState(snapshot(state, { exitCode: 3 }))).toBe(state);
  });

  it.each([
    [0, false, 'exited (0)'],
    [1, false, 'exited (1)'],
    [137, false, 'exited (137)'],
    [143, false, 'exited (143)'],
    [137, true, 'exited (137) OOM-killed'],
  ])('exited with code %d, oom %s -> %s', (exitCode, oomKilled, text) => {
    expect(describeState(snapshot('exited', { exitCode, oomKilled }))).toBe(text);
  });
});

describe('uptimeOf', () => {
  const now = new Date('2024-05-01T12:00:00Z');

  it.each([
    ['2024-05-01T11:59:59Z', '1s'],
    ['2024-05-01T11:59:15.123456789Z', '44s'],
    ['2024-05-01T11:57:30Z', '2m 30s'],
    ['2024-05-01T08:48:00Z', '3h 12m'],
    ['2024-04-28T09:00:00Z', '3d 3h'],
    ['2024-05-01T12:00:00Z', '0s'],
    ['2024-05-01T14:00:00+02:00', '0s'],
    ['2024-05-01T13:30:00+02:00', '30m 0s'],
  ])('running since %s -> %s', (startedAt, text) => {
    expect(uptimeOf(snapshot('running', { startedAt }), now)).toBe(text);
  });

  it('clamps a start in the future (clock skew between hosts) to 0s', () => {
    expect(uptimeOf(snapshot('running', { startedAt: '2024-05-01T12:05:00Z' }), now)).toBe('0s');
  });

  it('is undefined when the container is not running, has no start time, or is absent', () => {
    expect(uptimeOf(undefined, now)).toBeUndefined();
    expect(uptimeOf(snapshot('running'), now)).toBeUndefined();
    for (const state of ['created', 'exited', 'paused', 'restarting', 'dead', 'removing'] as const) {
      expect(uptimeOf(snapshot(state, { startedAt: '2024-05-01T11:00:00Z' }), now)).toBeUndefined();
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1s'],
    [59, '59s'],
    [60, '1m 0s'],
    [61, '1m 1s'],
    [3599, '59m 59s'],
    [3600, '1h 0m'],
    [3661, '1h 1m'],
    [86399, '23h 59m'],
    [86400, '1d 0h'],
    [90061, '1d 1h'],
    [400 * 86400 + 5 * 3600 + 7, '400d 5h'],
  ])('%d seconds -> %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
