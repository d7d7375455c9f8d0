/**
 * What `mcp serve`'s gateway routes stand on: for each registered server, how its MCP is reached
 * from the service, kept for the service's life.
 * - stdio, shared (the default): one StdioMultiplexer per server, over one `docker attach` of its
 *   managed container, so no second reader ever attaches to a container this bridge owns;
 * - stdio, per-session: a fresh one-session container for each MCP session;
 * - HTTP: the URL of its MCP endpoint from here (a tunnel through the host's SSH connection when
 *   needed), re-resolved after a failure.
 * One connection per host, opened on first use and opened again after it failed.
 */
import type { ServerRegistry } from '../../data/models.js';
import type { RegistryStore } from '../../data/registryStore.js';
import { requireServer } from '../../data/registryStore.js';
import { HostUnreachableError } from '../../errors.js';
import { DockerClient } from '../dockerClient.js';
import { needsHomeDir, type RunContext } from '../docker/runPlan.js';
import type { HostConnection, HostConnector } from '../exec/connector.js';
import { isLocalHost } from '../hostRef.js';
import { toTarget, type Target } from '../target.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { sessionTransport, StdioMultiplexer } from './multiplexer.js';
import { attachManaged, httpEndpointOf, openSessionContainer, type Link } from './serverLinks.js';
import { requireServerKind } from './serverKind.js';

const REGISTRY_REUSE_MS = 1000;

export type GatewayRoute =
  | { kind: 'stdio-shared'; name: string; mux: StdioMultiplexer }
  | { kind: 'stdio-per-session'; name: string; open: () => Promise<Link> }
  | { kind: 'http'; name: string; url: () => Promise<URL>; forget: () => void };

export interface GatewayHubOptions {
  registry: RegistryStore;
  connector: HostConnector;
  variables: RunContext['variables'];
  /** The id this registry's containers are labelled with. */
  registryId: (registry: ServerRegistry) => string;
  onLog?: (line: string) => void;
}

export class GatewayHub {
  private readonly connections = new Map<string, Promise<HostConnection>>();
  private readonly muxes = new Map<string, StdioMultiplexer>();
  private readonly urls = new Map<string, Promise<URL>>();
  private readonly targets = new Map<string, { entry: string; target: Target }>();
  private registry: { at: number; read: Promise<ServerRegistry> } | undefined;

  constructor(private readonly options: GatewayHubOptions) {}

  /** How to reach `name`; unknown names throw NotFoundError, servers with no MCP transport ValidationError. */
  async route(name: string): Promise<GatewayRoute> {
    const target = await this.target(name);
    const kind = requireServerKind(target);
    if (kind === 'http') {
      return {
        kind: 'http',
        name,
        url: () => {
          let url = this.urls.get(name);
          if (!url) {
            url = this.withDocker(target, async (docker, connection) => httpEndpointOf(docker, connection, target, await this.registryId()));
            url.catch(() => this.urls.delete(name));
            this.urls.set(name, url);
          }
          return url;
        },
        forget: () => this.urls.delete(name),
      };
    }
    if (target.config.stdio_sessions === 'per-session') {
      return {
        kind: 'stdio-per-session',
        name,
        open: () =>
          this.withDocker(target, async (docker, connection) => {
            const homeDir = needsHomeDir(target.config, target.parsed) ? await connection.executor.homeDir() : '~';
            return openSessionContainer(docker, target, { variables: this.options.variables, homeDir, inlineClientEnv: !isLocalHost(target.host), registryId: await this.registryId() });
          }),
      };
    }
    let mux = this.muxes.get(name);
    if (!mux) {
      mux = new StdioMultiplexer({
        name,
        // The registration is read again on each attach: a re-registered server is attached as it is now.
        connect: async () => {
          const current = await this.target(name);
          return this.withDocker(current, async (docker) => attachManaged(docker, current, await this.registryId()));
        },
        ...(this.options.onLog ? { onLog: this.options.onLog } : {}),
      });
      this.muxes.set(name, mux);
    }
    return { kind: 'stdio-shared', name, mux };
  }

  /**
   * A new session on a shared stdio server's bridge, when this hub already has one (it owns the
   * container's attach): for health checks, which must not attach a second reader.
   */
  sharedStdioTransport(name: string): Promise<Transport> | undefined {
    const mux = this.muxes.get(name);
    return mux ? Promise.resolve(sessionTransport(mux.openSession())) : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([...this.muxes.values()].map((mux) => mux.close()));
    this.muxes.clear();
    const connections = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(connections.map(async (pending) => (await pending.catch(() => undefined))?.executor.close()));
  }

  private async registryId(): Promise<string> {
    return this.options.registryId(await this.currentRegistry());
  }

  /** registry.yaml, read at most once a second. */
  private currentRegistry(fresh = false): Promise<ServerRegistry> {
    const now = Date.now();
    if (fresh || !this.registry || now - this.registry.at >= REGISTRY_REUSE_MS) {
      const read = this.options.registry.read();
      this.registry = { at: now, read };
      read.catch(() => (this.registry = undefined));
    }
    return this.registry.read;
  }

  /**
   * The registration as it is now, looked up in registry.yaml at most once a second: the gateway
   * asks on every request, and a change (a server removed or re-registered) is seen within that;
   * a name not found is looked up again at once.
   */
  private async target(name: string): Promise<Target> {
    let registry = await this.currentRegistry();
    // A server added a moment ago is not in the reused copy: a miss always reads again.
    if (!Object.hasOwn(registry.servers, name)) registry = await this.currentRegistry(true);
    const entry = requireServer(registry, name);
    const key = JSON.stringify(entry.config);
    const known = this.targets.get(name);
    if (known?.entry === key) return known.target;
    const target = toTarget(entry, this.options.variables);
    this.targets.set(name, { entry: key, target });
    return target;
  }

  /** Work with the host's kept connection; a host that failed is connected again next time. */
  private async withDocker<T>(target: Target, work: (docker: DockerClient, connection: HostConnection) => Promise<T>): Promise<T> {
    let pending = this.connections.get(target.host);
    if (!pending) {
      pending = this.options.connector.open(target.host);
      this.connections.set(target.host, pending);
    }
    try {
      const connection = await pending;
      return await work(new DockerClient(connection.executor, connection.dockerCommand), connection);
    } catch (err) {
      if (err instanceof HostUnreachableError && this.connections.get(target.host) === pending) {
        this.connections.delete(target.host);
        void pending.then((connection) => connection.executor.close()).catch(() => undefined);
      }
      throw err;
    }
  }
}
