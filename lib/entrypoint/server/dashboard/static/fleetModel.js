// What the fleet table shows, computed from the API's documents without touching the page:
// counts, filters, row order and each row's texts. Pure, so it is unit tested without a browser.
import { DASH, formatBytes, formatPercent, healthSummary } from './format.js';

export const STATUSES = ['running', 'starting', 'stopping', 'stopped', 'error', 'unknown'];

export function statusOf(server) {
  return server.status?.status ?? 'unknown';
}

export function statusCounts(servers) {
  const counts = new Map(STATUSES.map((status) => [status, 0]));
  for (const server of servers) counts.set(statusOf(server), (counts.get(statusOf(server)) ?? 0) + 1);
  return counts;
}

/** Host checks that failed, keyed by host: `POST /hosts/check` results. */
export function unreachableHosts(checks) {
  return new Map(checks.filter((check) => !check.ok).map((check) => [check.host, check.error ?? 'cannot be reached']));
}

export function hostsOf(servers) {
  return [...new Set(servers.map((server) => server.config.host))].sort();
}

/** filter: { host, status, text } where '' means any. */
export function matchesFilter(server, filter) {
  if (filter.host && server.config.host !== filter.host) return false;
  if (filter.status && statusOf(server) !== filter.status) return false;
  if (filter.text && !server.config.name.toLowerCase().includes(filter.text.toLowerCase())) return false;
  return true;
}

/** By name: the table is a list to scan, and a name keeps its place when its status changes. */
export function sortServers(servers) {
  return [...servers].sort((a, b) => a.config.name.localeCompare(b.config.name));
}

/** The drift column: what differs between what was asked for and what runs. */
export function driftText(status) {
  const notes = [];
  if (status?.drift) notes.push('command changed');
  if (status?.desired && status.status && status.desired !== status.status && status.status !== 'unknown') notes.push(`wants ${status.desired}`);
  return notes.length > 0 ? notes.join(', ') : DASH;
}

/** Every cell's text for one server; `unreachable` is the host's error when it could not be asked. */
export function rowTexts(server, unreachable) {
  const status = server.status ?? {};
  const usage = status.resource_usage;
  const memory = usage ? `${formatBytes(usage.memory_usage)}${usage.memory_limit ? ` / ${formatBytes(usage.memory_limit)}` : ''}` : DASH;
  return {
    name: server.config.name,
    host: unreachable ? `${server.config.host} (unreachable)` : server.config.host,
    status: statusOf(server),
    statusDetail: status.error ?? (status.state && status.state !== statusOf(server) ? status.state : ''),
    health: healthSummary(status.health),
    healthDetail: status.health?.status === 'unhealthy' ? (status.health.error ?? '') : '',
    healthClass: status.health?.status === 'healthy' ? 'good' : status.health?.status === 'unhealthy' ? 'bad' : '',
    uptime: status.uptime ?? DASH,
    cpu: usage ? formatPercent(usage.cpu_usage) : DASH,
    memory,
    drift: driftText(status),
  };
}

/** The one lifecycle button a fleet row offers: stop what runs, start anything else. */
export function rowAction(server) {
  const status = statusOf(server);
  if (status === 'unknown') return undefined;
  return status === 'running' || status === 'starting' ? 'stop' : 'start';
}
