/**
 * The ways to reach a registered server's MCP from here, each an SDK Transport:
 * - a one-session container (`docker run -i --rm` of its command, attached, on its host);
 * - an attach to its running managed container (stdio servers);
 * - Streamable HTTP to its published port (directly, or through the host's SSH connection).
 */
import { randomBytes } from 'node:crypto';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { MsmError, ValidationError } from '../../errors.js';
import { buildAttach, buildRemove } from '../docker/commands.js';
import { planSessionRun, type RunContext } from '../docker/runPlan.js';
import { describeState } from '../docker/state.js';
import type { DockerClient } from '../dockerClient.js';
import type { HostConnection } from '../exec/connector.js';
import { endpointUrl, mcpPathOf } from '../health.js';
import { findContainers } from '../statusMonitor.js';
import type { Target } from '../target.js';
import { spawnDockerTransport } from './spawnTransport.js';
export { requireServerKind, serverKindOf, type ServerKind } from './serverKind.js';
import type { ProcessTransport } from './processTransport.js';

/** The server is registered but its container is not running: requests to it cannot be served. */
export class NotRunningError extends MsmError {
  constructor(
    readonly server: string,
    readonly state: string,
  ) {
    super(`server "${server}" is not running (${state}); start it with \`mcp start ${server}\``, 'NOT_RUNNING', 1);
  }
}

export interface Link {
  transport: Transport;
  /** What it connects to, for diagnostics. */
  describe: string;
  /** Ends the link and whatever it started on the host. */
  close(): Promise<void>;
}

/**
 * A fresh container for one session, removed when the session ends (`--rm`, and a `docker rm -f`
 * in case the container outlived its client, e.g. one that ignores EOF on stdin).
 */
export async function openSessionContainer(docker: DockerClient, target: Target, ctx: RunContext, onStderr?: (chunk: string) => void): Promise<Link> {
  const containerName = `${target.containerName}-session-${randomBytes(4).toString('hex')}`;
  const plan = planSessionRun(target.config, target.parsed, ctx, containerName);
  const transport = await spawnDockerTransport(docker, plan.args, {
    display: plan.display,
    ...(Object.keys(plan.clientEnv).length > 0 ? { env: plan.clientEnv } : {}),
    ...(onStderr ? { onStderr } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    transport,
    describe: `a one-session container ${containerName} on ${target.host}`,
    close: () =>
      (closing ??= (async () => {
        await transport.close().catch(() => undefined);
        await docker.exec(buildRemove(containerName, { force: true }), { timeoutMs: 10_000 }).catch(() => undefined);
      })()),
  };
}

/** The running managed container of a stdio server, attached (its stdin and stdout). */
export async function attachManaged(docker: DockerClient, target: Target, registryId: string): Promise<ProcessTransport> {
  const found = (await findContainers(docker, [target], registryId)).get(target.name);
  const container = found?.kind === 'ours' ? found.container : undefined;
  if (!container || container.state !== 'running') throw new NotRunningError(target.name, describeState(container));
  return spawnDockerTransport(docker, buildAttach(container.id));
}

/** The URL, from here, of a running HTTP server's MCP endpoint (a tunnel when not reachable directly). */
export async function httpEndpointOf(docker: DockerClient, connection: HostConnection, target: Target, registryId: string): Promise<URL> {
  const port = target.config.port;
  if (port === undefined) throw new ValidationError(`server "${target.name}" has no registered port`);
  const found = (await findContainers(docker, [target], registryId)).get(target.name);
  const container = found?.kind === 'ours' ? found.container : undefined;
  if (!container || container.state !== 'running') throw new NotRunningError(target.name, describeState(container));
  const bind = container.ports.find((binding) => binding.host_port === port)?.host_ip;
  const endpoint = await connection.endpoint(bind, port);
  return new URL(endpointUrl(endpoint, mcpPathOf(target.config.health_check)));
}

export async function openHttp(docker: DockerClient, connection: HostConnection, target: Target, registryId: string): Promise<Link> {
  const url = await httpEndpointOf(docker, connection, target, registryId);
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const transport = new StreamableHTTPClientTransport(url);
  return { transport, describe: url.toString(), close: () => endHttpSession(transport) };
}

/** Ends a Streamable HTTP session politely (DELETE, so the server frees it now), then the transport. */
export async function endHttpSession(transport: { sessionId?: string | undefined; terminateSession(): Promise<void>; close(): Promise<void> }): Promise<void> {
  if (transport.sessionId) await transport.terminateSession().catch(() => undefined);
  await transport.close();
}
