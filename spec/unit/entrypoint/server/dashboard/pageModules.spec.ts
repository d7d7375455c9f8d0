/** The dashboard's pure browser modules: formats, the event-stream parser, the sparkline, logs. */
import { describeResult, progressLabel } from '../../../../../lib/entrypoint/server/dashboard/static/actions.js';
import { formatBytes, formatLatency, formatPercent, healthSummary, shortId } from '../../../../../lib/entrypoint/server/dashboard/static/format.js';
import { HealthHistory } from '../../../../../lib/entrypoint/server/dashboard/static/healthHistory.js';
import { lineMatches, timeKey } from '../../../../../lib/entrypoint/server/dashboard/static/logs.js';
import { configRows, containerRows, healthRows, portText } from '../../../../../lib/entrypoint/server/dashboard/static/serverModel.js';
import { sparklineGeometry, sparklineSummary } from '../../../../../lib/entrypoint/server/dashboard/static/sparkline.js';
import { EventStreamParser } from '../../../../../lib/entrypoint/server/dashboard/static/sse.js';

describe('formats', () => {
  it('bytes, percent, latency, ids', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatLatency(3.14159)).toBe('3.1 ms');
    expect(formatLatency(154.4)).toBe('154 ms');
    expect(shortId('sha256:0123456789abcdef')).toBe('0123456789ab');
  });

  it('health in one phrase', () => {
    expect(healthSummary({ status: 'healthy', latency_ms: 12, tool_count: 1 })).toBe('healthy · 12 ms · 1 tool');
    expect(healthSummary({ status: 'unhealthy', error: 'x' })).toBe('unhealthy');
    expect(healthSummary({ status: 'unchecked' })).toBe('—');
    expect(healthSummary(undefined)).toBe('—');
  });
});

describe('EventStreamParser', () => {
  it('joins events split anywhere across chunks, skips comments, keeps event types', () => {
    const parser = new EventStreamParser();
    const text = ': following\n\ndata: {"text":"a"}\n\nevent: error\ndata: {"error":1}\n\n: keepalive\n\ndata: line one\ndata: line two\r\n\r\n';
    const events = [];
    for (let i = 0; i < text.length; i += 3) events.push(...parser.push(text.slice(i, i + 3)));
    expect(events).toEqual([
      { type: 'message', data: '{"text":"a"}' },
      { type: 'error', data: '{"error":1}' },
      { type: 'message', data: 'line one\nline two' },
    ]);
  });

  it('holds back an event until its blank line arrives', () => {
    const parser = new EventStreamParser();
    expect(parser.push('data: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ type: 'message', data: 'x' }]);
  });

  it('keeps markup in data as it is (the page shows it as text)', () => {
    expect(new EventStreamParser().push('data: <img src=x onerror=alert(1)>\n\n')).toEqual([{ type: 'message', data: '<img src=x onerror=alert(1)>' }]);
  });
});

describe('sparkline', () => {
  it('scales healthy latencies into the box and marks failures at the bottom', () => {
    const geometry = sparklineGeometry(
      [
        { ok: true, latency: 10 },
        { ok: false, latency: null },
        { ok: true, latency: 20 },
      ],
      100,
      50,
    );
    expect(geometry.line).toBe('4.0,25.0 96.0,4.0');
    expect(geometry.failures).toEqual([50]);
    expect(geometry.last).toEqual({ x: 96, y: 4 });
  });

  it('a single check is a point in the middle', () => {
    const geometry = sparklineGeometry([{ ok: true, latency: 5 }], 100, 50);
    expect(geometry.line).toBe('50.0,4.0');
  });

  it('summarises the session', () => {
    expect(sparklineSummary([])).toMatch(/No health checks/);
    expect(sparklineSummary([{ ok: true, latency: 3 }, { ok: true, latency: 120 }, { ok: false, latency: null }])).toBe('3 checks this session; latency 3.0–120 ms, last 120 ms; 1 failed');
  });

  it('history records each check once and keeps the last 60', () => {
    const history = new HealthHistory();
    history.record('s', { status: 'healthy', latency_ms: 1, checked_at: 'a' });
    history.record('s', { status: 'healthy', latency_ms: 1, checked_at: 'a' });
    history.record('s', { status: 'unchecked' });
    expect(history.points('s')).toEqual([{ at: 'a', ok: true, latency: 1 }]);
    for (let i = 0; i < 70; i++) history.record('s', { status: 'unhealthy', checked_at: String(i) });
    expect(history.points('s')).toHaveLength(60);
    expect(history.points('s').at(-1)).toEqual({ at: '69', ok: false, latency: null });
  });
});

describe('log lines', () => {
  it('orders docker times whose nanoseconds lost their trailing zeros', () => {
    // As plain strings, .1Z sorts after .12Z although it is earlier.
    expect('2026-01-01T00:00:05.1Z' > '2026-01-01T00:00:05.12Z').toBe(true);
    expect(timeKey('2026-01-01T00:00:05.1Z') < timeKey('2026-01-01T00:00:05.12Z')).toBe(true);
    expect(timeKey('2026-01-01T00:00:05Z') < timeKey('2026-01-01T00:00:05.000000001Z')).toBe(true);
    expect(timeKey('')).toBe('');
  });

  it('filters on text, ignoring case', () => {
    expect(lineMatches({ text: 'Listening on :8080' }, 'listening')).toBe(true);
    expect(lineMatches({ text: 'request GET /' }, 'POST')).toBe(false);
    expect(lineMatches({ text: 'x' }, '')).toBe(true);
  });
});

describe('one server\'s sections', () => {
  it('ports, health, container and config rows', () => {
    expect(portText({ container_port: 8080, protocol: 'tcp', host_ip: '127.0.0.1', host_port: 5000 })).toBe('127.0.0.1:5000 → 8080/tcp');
    expect(portText({ container_port: 53, protocol: 'udp' })).toBe('53/udp');
    expect(healthRows({ status: 'running', health: { status: 'unchecked', error: 'no health check configured' } })).toEqual([
      ['Status', 'not checked'],
      ['Why', 'no health check configured'],
    ]);
    expect(containerRows({ status: 'stopped', state: 'exited', exit_code: 137, desired: 'running' })).toEqual(
      expect.arrayContaining([
        ['State', 'stopped (docker: exited)'],
        ['Exit code', '137'],
        ['Desired', 'running', 'warn'],
        ['Container', 'none'],
      ]),
    );
    expect(configRows({ name: 'n', host: 'localhost', docker_command: 'docker run x', environment: { A: '1', B: '${SECRET}' } })).toEqual(
      expect.arrayContaining([
        ['Command', 'docker run x', 'code'],
        ['Environment', 'A=1\nB=${SECRET}', 'code'],
      ]),
    );
  });
});

describe('action results', () => {
  it('one sentence per result, the error when it failed', () => {
    expect(describeResult('stop', 'web', { ok: true, action: 'stopped', status: 'stopped' })).toBe('web: stopped, now stopped');
    expect(describeResult('start', 'web', { ok: true, action: 'created', status: 'running' })).toBe('web: created, now running');
    expect(describeResult('pull', 'web', { ok: true, action: 'pulled', reference: 'img@sha256:1' })).toBe('web: pulled img@sha256:1');
    expect(describeResult('restart', 'web', { ok: false, error: 'host unreachable' })).toBe('restart web failed: host unreachable');
    expect(progressLabel('stop')).toBe('Stopping…');
  });
});
