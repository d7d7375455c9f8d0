import fs from 'node:fs';
import { normaliseCpu, parsePair, parsePercent, parseSize, parseStats, parseStatsLine } from '../../../../lib/core/docker/parseStats.js';

const fixture = fs.readFileSync(new URL('../../../fixtures/docker/stats.jsonl', import.meta.url), 'utf8');

describe('parseSize', () => {
  it.each([
    ['0B', 0],
    ['806B', 806],
    ['1.04kB', 1040],
    ['1kB', 1000],
    ['2.5MB', 2_500_000],
    ['1GB', 1e9],
    ['320KiB', 320 * 1024],
    ['22.09MiB', Math.round(22.09 * 1024 ** 2)],
    ['23.54GiB', Math.round(23.54 * 1024 ** 3)],
    ['1TiB', 1024 ** 4],
    [' 12.5 MiB ', Math.round(12.5 * 1024 ** 2)],
    ['--', 0],
    ['', 0],
    ['7XB', 0],
  ])('%s -> %d', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
});

it('parsePair splits "used / limit"', () => {
  expect(parsePair('1.04kB / 0B')).toEqual([1040, 0]);
  expect(parsePair('320KiB / 23.54GiB')).toEqual([327680, Math.round(23.54 * 1024 ** 3)]);
  expect(parsePair(undefined)).toEqual([0, 0]);
});

it('parsePercent reads docker percentages', () => {
  expect(parsePercent('0.00%')).toBe(0);
  expect(parsePercent('153.27%')).toBe(153.27);
  expect(parsePercent('--')).toBe(0);
  expect(parsePercent(undefined)).toBe(0);
});

describe('normaliseCpu (docker reports per core; the model is 0..100 of the host)', () => {
  it.each([
    [0, 2, 0],
    [50, 1, 50],
    [150, 2, 75],
    [390, 4, 97.5],
    [800, 4, 100],
    [12.345, 2, 6.17],
    [-1, 2, 0],
    [50, 0, 50],
  ])('%d%% on %d cpus -> %d', (percent, cpus, expected) => {
    expect(normaliseCpu(percent, cpus)).toBe(expected);
  });
});

describe('recorded docker stats output', () => {
  const lines = fixture.split('\n').filter(Boolean);

  it('parses every recorded line into a full ResourceUsage', () => {
    const stats = parseStats(fixture, 2);
    expect(stats).toHaveLength(lines.length);
    for (const [index, sample] of stats.entries()) {
      const raw = JSON.parse(lines[index] as string) as { ID: string; Name: string; PIDs: string };
      expect(sample.id).toBe(raw.ID);
      expect(sample.name).toBe(raw.Name);
      expect(Object.keys(sample.usage).sort()).toEqual(['block_read', 'block_write', 'cpu_usage', 'memory_limit', 'memory_usage', 'network_rx', 'network_tx', 'pids']);
      expect(sample.usage.pids).toBe(Number(raw.PIDs));
    }
  });

  it('reads the running container exactly', () => {
    const running = parseStats(fixture, 2).find((s) => s.name === 'msm-fixture-running');
    expect(running?.usage).toEqual({
      cpu_usage: 0,
      memory_usage: Math.round(22.09 * 1024 ** 2),
      memory_limit: Math.round(23.54 * 1024 ** 3),
      network_rx: 806,
      network_tx: 0,
      block_read: 0,
      block_write: 0,
      pids: 7,
    });
  });

  it('gives zeros for an exited container', () => {
    const line = '{"BlockIO":"0B / 0B","CPUPerc":"0.00%","Container":"x","ID":"abc","MemPerc":"0.00%","MemUsage":"0B / 0B","Name":"x","NetIO":"0B / 0B","PIDs":"0"}';
    expect(parseStatsLine(line, 4).usage).toEqual({ cpu_usage: 0, memory_usage: 0, memory_limit: 0, network_rx: 0, network_tx: 0, block_read: 0, block_write: 0, pids: 0 });
  });

  it('skips lines that are not JSON objects (docker warnings)', () => {
    expect(parseStats(`WARNING: something\n${lines[0]}\n\n`, 2)).toHaveLength(1);
  });
});
