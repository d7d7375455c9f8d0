// The one-server view's sections as [term, value] rows, from `GET /servers/{name}`. Pure.
import { DASH, formatBytes, formatLatency, formatPercent, formatTime, shortId } from './format.js';

const or = (value) => (value === undefined || value === null || value === '' ? DASH : String(value));
const mapText = (map) => (map && Object.keys(map).length > 0 ? Object.entries(map).map(([k, v]) => `${k}=${v}`).join('\n') : DASH);
const listText = (list) => (list && list.length > 0 ? list.join('\n') : DASH);

export function portText(port) {
  const published = port.host_port ? `${port.host_ip || '0.0.0.0'}:${port.host_port} → ` : '';
  return `${published}${port.container_port}/${port.protocol}`;
}

export function connectRows(server) {
  const health = server.status?.health;
  const ports = server.status?.container_info?.ports ?? [];
  return [
    ['MCP endpoint', health?.target ?? (server.config.port ? `port ${server.config.port} on ${server.config.host}` : 'not published (stdio or no port)')],
    ['Published ports', ports.length > 0 ? ports.map(portText).join('\n') : DASH],
  ];
}

/** The line an MCP client config launches to reach this server wherever it runs. */
export function connectCommand(name) {
  return `mcp connect ${name}`;
}

export function healthRows(status) {
  const health = status?.health;
  if (!health) return [['Status', 'not checked (the container is not running)']];
  if (health.status === 'unchecked') return [['Status', 'not checked'], ['Why', or(health.error)]];
  return [
    ['Status', health.status, health.status === 'healthy' ? 'good' : health.status === 'unhealthy' ? 'bad' : ''],
    ['Check', `${or(health.type)}${health.target ? ` ${health.target}` : ''}`],
    ['Latency', formatLatency(health.latency_ms)],
    ['Tools', or(health.tool_count)],
    ['Server', health.server_name ? `${health.server_name} ${health.server_version ?? ''}`.trim() : DASH],
    ...(health.error ? [['Error', health.error, 'bad']] : []),
    ['Checked', formatTime(health.checked_at)],
  ];
}

export function resourceRows(status) {
  const usage = status?.resource_usage;
  if (!usage) return [['Usage', 'not sampled (the container is not running)']];
  return [
    ['CPU', formatPercent(usage.cpu_usage)],
    ['Memory', `${formatBytes(usage.memory_usage)}${usage.memory_limit ? ` of ${formatBytes(usage.memory_limit)}` : ''}`],
    ['Network in / out', `${formatBytes(usage.network_rx)} / ${formatBytes(usage.network_tx)}`],
    ['Block read / write', `${formatBytes(usage.block_read)} / ${formatBytes(usage.block_write)}`],
    ['Processes', or(usage.pids)],
  ];
}

export function containerRows(status) {
  const info = status?.container_info;
  const rows = [
    ['State', `${or(status?.status)}${status?.state && status.state !== status.status ? ` (docker: ${status.state})` : ''}`],
    ...(status?.exit_code !== undefined ? [['Exit code', String(status.exit_code)]] : []),
    ['Uptime', or(status?.uptime)],
    ['Started', formatTime(status?.started_at)],
    ...(status?.desired ? [['Desired', status.desired, status.desired !== status.status ? 'warn' : '']] : []),
    ['Drift', status?.drift ? 'the container was made from another command than the registered one (restart to recreate)' : 'none', status?.drift ? 'warn' : ''],
    ...(status?.error ? [['Error', status.error, 'bad']] : []),
  ];
  if (!info) return [...rows, ['Container', 'none']];
  return [
    ...rows,
    ['Container', `${info.container_name} (${shortId(info.container_id)})`],
    ['Image', `${info.image} (${shortId(info.image_id)})`],
    ['Mounts', info.mounts.length > 0 ? info.mounts.map((m) => `${m.source ?? m.type} → ${m.destination}${m.read_only ? ' (read-only)' : ''}`).join('\n') : DASH],
  ];
}

export function configRows(config) {
  return [
    ['Command', config.docker_command, 'code'],
    ['Host', config.host],
    ['Port', or(config.port)],
    ['Description', or(config.description)],
    ['Environment', mapText(config.environment), 'code'],
    ['Volumes', listText(config.volumes), 'code'],
    ['Networks', listText(config.networks)],
    ['Labels', mapText(config.labels), 'code'],
    ['Restart policy', or(config.restart_policy)],
    ['Start with the fleet', config.auto_start ? 'yes (auto_start)' : 'no'],
    ['Health check', config.health_check ? `${config.health_check.type}${config.health_check.path ? ` ${config.health_check.path}` : ''}` : 'default'],
    ['Registered', formatTime(config.created_at)],
    ['Changed', formatTime(config.updated_at)],
  ];
}
