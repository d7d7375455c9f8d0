// How values read on the page; the same units as the CLI's tables.

export const DASH = '—';

export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatPercent(value) {
  return typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(1)} %` : DASH;
}

export function formatLatency(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return DASH;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatTime(iso) {
  if (!iso) return DASH;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

export function shortId(id) {
  if (!id) return DASH;
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** "healthy · 3.1 ms · 2 tools", or "unhealthy"; a dash when no check ran. */
export function healthSummary(health) {
  if (!health || health.status === 'unchecked') return DASH;
  if (health.status !== 'healthy') return health.status;
  const parts = ['healthy', formatLatency(health.latency_ms)];
  if (typeof health.tool_count === 'number') parts.push(`${health.tool_count} ${health.tool_count === 1 ? 'tool' : 'tools'}`);
  return parts.join(' · ');
}
