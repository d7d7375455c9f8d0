/**
 * `docker stats --no-stream --format '{{json .}}'` lines -> ResourceUsage. Pure.
 *
 * docker prints human sizes: memory in binary units ("556KiB / 23.5GiB"), network and block I/O in
 * decimal ones ("1.04kB / 0B"); both are turned back into bytes. CPUPerc is a share of ONE core, so
 * it reaches N x 100% on N cores; cpu_usage is normalised to the whole host (0..100) by dividing by
 * the host's CPU count (`docker info` NCPU), and clamped to 100.
 */
import type { ResourceUsage } from '../../data/models.js';

interface RawStats {
  ID?: string;
  Container?: string;
  Name?: string;
  CPUPerc?: string;
  MemUsage?: string;
  NetIO?: string;
  BlockIO?: string;
  PIDs?: string;
}

export interface ContainerStats {
  id: string;
  name: string;
  usage: ResourceUsage;
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5,
};

/** "1.04kB" -> 1040, "23.5GiB" -> 25232932864, "0B" -> 0, "--" -> 0 */
export function parseSize(text: string): number {
  const match = /^\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!match) return 0;
  const factor = UNITS[(match[2] || 'b').toLowerCase()];
  return factor === undefined ? 0 : Math.round(Number(match[1]) * factor);
}

/** "1.04kB / 0B" -> [1040, 0] */
export function parsePair(text: string | undefined): [number, number] {
  const [left = '', right = ''] = (text ?? '').split('/');
  return [parseSize(left), parseSize(right)];
}

export function parsePercent(text: string | undefined): number {
  const value = Number.parseFloat((text ?? '').replace('%', ''));
  return Number.isFinite(value) ? value : 0;
}

export function normaliseCpu(percentOfOneCore: number, cpus: number): number {
  const share = percentOfOneCore / Math.max(1, cpus);
  return Math.min(100, Math.max(0, Math.round(share * 100) / 100));
}

export function parseStatsLine(line: string, cpus: number): ContainerStats {
  const raw = JSON.parse(line) as RawStats;
  const [memory_usage, memory_limit] = parsePair(raw.MemUsage);
  const [network_rx, network_tx] = parsePair(raw.NetIO);
  const [block_read, block_write] = parsePair(raw.BlockIO);
  const pids = Number.parseInt(raw.PIDs ?? '', 10);
  return {
    id: raw.ID ?? raw.Container ?? '',
    name: raw.Name ?? '',
    usage: {
      cpu_usage: normaliseCpu(parsePercent(raw.CPUPerc), cpus),
      memory_usage,
      memory_limit,
      network_rx,
      network_tx,
      block_read,
      block_write,
      pids: Number.isFinite(pids) ? pids : 0,
    },
  };
}

export function parseStats(stdout: string, cpus: number): ContainerStats[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('{'))
    .map((line) => parseStatsLine(line, cpus));
}
