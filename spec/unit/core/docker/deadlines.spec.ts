import { CREATE_DEADLINE_S, deadlines, QUICK_DEADLINE_S, STOP_MARGIN_S, timedOutAfter } from '../../../../lib/core/docker/deadlines.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseInspect } from '../../../../lib/core/docker/parseInspect.js';

const fixture = (name: string) => readFileSync(path.resolve('spec/fixtures/docker', name), 'utf8');

describe('deadlines', () => {
  it('a stop waits for the slowest container\'s own stop timeout plus a margin', () => {
    expect(deadlines().stop([150])).toBe((150 + STOP_MARGIN_S) * 1000);
    expect(deadlines().stop([1, 150, undefined])).toBe((150 + STOP_MARGIN_S) * 1000);
  });

  it('a container without a stop timeout gets docker\'s default of 10 s', () => {
    expect(deadlines().stop([undefined])).toBe((10 + STOP_MARGIN_S) * 1000);
    expect(deadlines().stop([])).toBe(STOP_MARGIN_S * 1000);
  });

  it('a create has room for a pull; the rest answer at once', () => {
    expect(deadlines().create()).toBe(CREATE_DEADLINE_S * 1000);
    expect(deadlines().quick()).toBe(QUICK_DEADLINE_S * 1000);
    expect(CREATE_DEADLINE_S).toBeGreaterThan(QUICK_DEADLINE_S);
  });

  it('--timeout bounds every one of them, and never lengthens one', () => {
    const bounded = deadlines(20);
    expect(bounded.stop([150])).toBe(20_000);
    expect(bounded.create()).toBe(20_000);
    expect(deadlines(600).quick()).toBe(QUICK_DEADLINE_S * 1000);
  });

  it('says how long it waited', () => {
    expect(timedOutAfter(1000)).toBe('timed out after 1 s');
    expect(timedOutAfter(180_000)).toBe('timed out after 180 s');
    expect(timedOutAfter(1500)).toBe('timed out after 1.5 s');
  });
});

describe('the stop timeout from docker inspect', () => {
  const entry = (config: Record<string, unknown>) => JSON.stringify([{ Id: 'a'.repeat(64), Name: '/s', State: { Status: 'running' }, Config: config }]);

  it('is read from Config.StopTimeout when the container has one (recorded: --stop-timeout 150)', () => {
    const [container] = parseInspect(fixture('inspect-stoptimeout.json'));
    expect(container).toMatchObject({ name: 'msm-fixture-stoptimeout', state: 'running', stopTimeout: 150 });
    expect(deadlines().stop([container?.stopTimeout])).toBe((150 + STOP_MARGIN_S) * 1000);
  });

  it('recorded containers without --stop-timeout have none', () => {
    expect('stopTimeout' in (parseInspect(fixture('inspect-noports.json'))[0] ?? {})).toBe(false);
  });

  it('is absent when docker has none (null or missing)', () => {
    expect('stopTimeout' in (parseInspect(entry({ Image: 'i', StopTimeout: null }))[0] ?? {})).toBe(false);
    expect('stopTimeout' in (parseInspect(entry({ Image: 'i' }))[0] ?? {})).toBe(false);
  });
});
