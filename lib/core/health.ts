/**
 * Health checks, from the server's health_check config: `mcp` speaks MCP with the official SDK
 * client (initialize, then tools/list) over Streamable HTTP; `http` GETs a path and wants a 2xx or
 * 3xx; `tcp` wants a connection. Each check is bounded by a timeout and never throws: the verdict
 * carries the reason.
 */
import net from 'node:net';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { HealthCheck, HealthResult, MCPServerConfig } from '../data/models.js';
import { errorMessage, ValidationError } from '../errors.js';

export const DEFAULT_HEALTH_TIMEOUT_MS = 5000;

/** Where a check connects to: the host's address and port as seen from here (or a tunnel). */
export interface HealthEndpoint {
  address: string;
  port: number;
}

export function effectiveHealthCheck(config: MCPServerConfig): HealthCheck | undefined {
  if (config.health_check) return config.health_check.type === 'none' ? undefined : config.health_check;
  return undefined;
}

/** The URL of a path on an endpoint; an IPv6 address goes in brackets. */
export function endpointUrl(endpoint: HealthEndpoint, path: string): string {
  const host = endpoint.address.includes(':') ? `[${endpoint.address}]` : endpoint.address;
  return `http://${host}:${endpoint.port}${path}`;
}

/** Where an HTTP server speaks MCP: the path its MCP check asks, else /mcp (the SDK's usual). */
export function mcpPathOf(check: HealthCheck | undefined): string {
  return (check?.type === 'mcp' ? check.path : undefined) ?? '/mcp';
}

/** initialize + tools/list with the SDK client over whatever transport reaches the server. */
async function checkMcpOver(open: (signal: AbortSignal) => Promise<Transport>, timeoutMs: number): Promise<Partial<HealthResult>> {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const client = new Client({ name: 'mcp-health', version: '1.0.0' });
  const signal = AbortSignal.timeout(timeoutMs);
  let transport: Transport | undefined;
  try {
    transport = await open(signal);
    await client.connect(transport, { timeout: timeoutMs, signal });
    const { tools } = await client.listTools(undefined, { timeout: timeoutMs, signal });
    const server = client.getServerVersion();
    return {
      status: 'healthy',
      ...(server?.name ? { server_name: server.name } : {}),
      ...(server?.version ? { server_version: server.version } : {}),
      tool_count: tools.length,
    };
  } finally {
    await client.close().catch(() => undefined);
    await transport?.close().catch(() => undefined);
  }
}

async function checkMcp(url: string, timeoutMs: number): Promise<Partial<HealthResult>> {
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  return checkMcpOver(async (signal) => new StreamableHTTPClientTransport(new URL(url), { requestInit: { signal } }), timeoutMs);
}

async function checkHttp(url: string, timeoutMs: number): Promise<Partial<HealthResult>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  await response.body?.cancel();
  const ok = response.status >= 200 && response.status < 400;
  return { status: ok ? 'healthy' : 'unhealthy', http_status: response.status, ...(ok ? {} : { error: `HTTP ${response.status}` }) };
}

function checkTcp(endpoint: HealthEndpoint, timeoutMs: number): Promise<Partial<HealthResult>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: endpoint.address, port: endpoint.port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no connection within ${timeoutMs} ms`)));
    socket.once('connect', () => {
      socket.destroy();
      resolve({ status: 'healthy' });
    });
    socket.once('error', reject);
  });
}

/** Names the usual causes instead of undici's bare "fetch failed". */
function describeFailure(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause ?? (err as { code?: string; message?: string });
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (nothing listening on that port)';
  if (cause?.code === 'ECONNRESET') return 'connection reset (is it an HTTP server on that port?)';
  if (typeof cause?.code === 'string' && cause.message) return cause.message;
  if ((err as Error).name === 'TimeoutError' || /timed? ?out|aborted/i.test(errorMessage(err))) return 'timed out';
  return errorMessage(err);
}

export async function runHealthCheck(check: HealthCheck, endpoint: HealthEndpoint, now = () => Date.now()): Promise<HealthResult> {
  const timeoutMs = check.timeout_ms ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const target = check.type === 'tcp' ? `${endpoint.address}:${endpoint.port}` : endpointUrl(endpoint, check.type === 'mcp' ? mcpPathOf(check) : (check.path ?? '/'));
  const started = now();
  let verdict: Partial<HealthResult>;
  try {
    if (check.type === 'mcp') verdict = await checkMcp(target, timeoutMs);
    else if (check.type === 'http') verdict = await checkHttp(target, timeoutMs);
    else verdict = await checkTcp(endpoint, timeoutMs);
  } catch (err) {
    verdict = { status: 'unhealthy', error: describeFailure(err) };
  }
  return {
    status: verdict.status ?? 'unhealthy',
    type: check.type,
    target,
    latency_ms: now() - started,
    ...verdict,
    checked_at: new Date().toISOString(),
  } as HealthResult;
}

/**
 * The MCP check of a stdio server, over a connection to its running container (an attach): no
 * port needed. `target` says what was probed.
 */
export async function runStdioHealthCheck(check: HealthCheck, target: string, open: () => Promise<Transport & { readonly lastError?: string }>, now = () => Date.now()): Promise<HealthResult> {
  const timeoutMs = check.timeout_ms ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const started = now();
  let verdict: Partial<HealthResult>;
  let transport: (Transport & { readonly lastError?: string }) | undefined;
  try {
    verdict = await checkMcpOver(async () => (transport = await open()), timeoutMs);
  } catch (err) {
    const said = transport?.lastError;
    verdict = { status: 'unhealthy', error: said ? `${describeFailure(err)} (${said})` : describeFailure(err) };
  }
  return { status: verdict.status ?? 'unhealthy', type: 'mcp', target, latency_ms: now() - started, ...verdict, checked_at: new Date().toISOString() } as HealthResult;
}

/** `--health` flag value -> config: `mcp`, `mcp:/path`, `http:/path`, `tcp`, `none`. */
export function parseHealthFlag(value: string): HealthCheck {
  const [type, ...rest] = value.split(':');
  const path = rest.join(':');
  if (type === 'none' || type === 'tcp') {
    if (path) throw new ValidationError(`--health ${type} takes no path`);
    return { type };
  }
  if (type === 'mcp' || type === 'http') {
    if (path && !path.startsWith('/')) throw new ValidationError(`--health ${type}:PATH needs a path starting with "/", got "${path}"`);
    return path ? { type, path } : { type };
  }
  throw new ValidationError(`--health must be mcp[:/path], http:/path, tcp or none, got "${value}"`);
}
