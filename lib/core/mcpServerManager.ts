/**
 * The facade both entrypoints use (CLI now, HTTP API later). Resolves targets from the registry,
 * groups them by host, opens one executor per host, runs hosts in parallel (bounded), and returns
 * per-target results. One failing host never stops the others; a host that cannot be asked leaves
 * its servers' registry entries untouched.
 */
import { LOCALHOST, type HealthResult, type HostEntry, type HostsFile, type MCPServerConfig, type MCPServerData, type MCPServerStatus, type ServerRegistry } from '../data/models.js';
import type { RegistryStore } from '../data/registryStore.js';
import type { HostsStore } from '../data/hostsStore.js';
import { pathDerivedId, requireServer } from '../data/registryStore.js';
import { StateStore, type DesiredState, type ServerState } from '../data/stateStore.js';
import { LOCK_WAIT_MS, ServerLocks } from '../data/serverLocks.js';
import { HOST_ALIAS_PATTERN } from '../data/schemas.js';
import { autoRemoveNotice, checkServerConfig, ConfigManager, portConflict, unpublishedPortWarning, type AddInput } from './configManager.js';
import { ContainerManager, type BoundOptions, type Outcome, type StartOptions } from './containerManager.js';
import { DockerClient } from './dockerClient.js';
import type { LogLine } from './docker/parseLogs.js';
import { needsHomeDir, planRun, type RunContext } from './docker/runPlan.js';
import { errorMessage, HostUnreachableError, InterruptedError, MsmError, NotFoundError, ServerBusyError, ValidationError } from '../errors.js';
import type { HostConnection, HostConnector } from './exec/connector.js';
import { LogManager, type LogQuery } from './logManager.js';
import { groupBy, mapBounded } from './pool.js';
import { readiness, readinessReason, StatusMonitor, unknownStatus, type ObserveOptions } from './statusMonitor.js';
import { toTarget, type Target, type TargetResult } from './target.js';
import { parseDockerPrefix } from './exec/sshTarget.js';
import { isLocalHost, validateHostRef } from './hostRef.js';
import { imagePresent, pullImages, type PullOutcome } from './imageManager.js';
import { parseDockerCommand } from './docker/parseRun.js';
import { buildEngineFacts, buildServerVersion } from './docker/commands.js';
import { parseEngineFacts } from './docker/parseEngineFacts.js';
import type { ObservationCache } from './observationCache.js';

export interface HostFacts {
  host: string;
  ok: boolean;
  docker_version?: string;
  /** The host's clock minus ours, at the moment it answered (half the round trip allowed for). */
  clock_skew_ms?: number;
  latency_ms?: number;
  error?: string;
  /** null: not checked (an image named by a variable, or the check failed). */
  images: { server: string; image: string; present: boolean | null; error?: string }[];
}

export interface MoveResult {
  name: string;
  from: string;
  to: string;
  ok: boolean;
  /** Where a failed move stopped: stop (nothing changed), start (back on the old host; error says whether it runs there again), remove (moved; old container left). */
  step?: 'stop' | 'start' | 'remove';
  status?: string;
  error?: string;
}
import { openHttp, openSessionContainer, requireServerKind, type Link } from './mcp/serverLinks.js';
import { GatewayHub } from './mcp/gatewayHub.js';
import { endpointOf } from './mcp/endpoint.js';
import type { StdioHealthBridge } from './statusMonitor.js';

export interface Selector {
  names?: readonly string[];
  all?: boolean;
  host?: string;
}

export interface HostCheck {
  host: string;
  ok: boolean;
  docker_version?: string;
  latency_ms?: number;
  error?: string;
}

export interface ManagerOptions {
  registry: RegistryStore;
  hosts: HostsStore;
  connector: HostConnector;
  /** Values for `$VAR` references (environment over `.env`). */
  variables: RunContext['variables'];
  /** How many hosts are worked on at once. */
  parallel?: number;
  /**
   * Aborted when the user interrupts the command: no host or target not yet begun is begun, the
   * docker commands in flight finish, and their results are returned.
   */
  interrupted?: AbortSignal;
  /** Called when a host's targets are done, for progress display. */
  onHostDone?: (host: string, results: readonly TargetResult[]) => void;
  /** Where the state file of the registry with this id lives. */
  stateFile: (registryId: string) => string;
  /** Something went wrong that does not fail the command (e.g. the state file could not be written). */
  onWarning?: (message: string) => void;
  /**
   * For a long-running service: share and briefly reuse per-host observations; changes made
   * through this manager drop them. The CLI observes afresh each time.
   */
  observations?: ObservationCache;
}

export interface PlannedRun {
  argv: string[];
}

const HOST_ALIAS = new RegExp(HOST_ALIAS_PATTERN);

/** Work on one host: its docker, its targets, and the open connection (for tunnels, home dir). */
type HostWork<T> = (docker: DockerClient, targets: Target[], connection: HostConnection) => Promise<TargetResult<T>[]>;

export class MCPServerManager {
  private gatewayBase: string | undefined;
  private stdioHealthBridge: StdioHealthBridge | undefined;
  private readonly config: ConfigManager;

  constructor(private readonly options: ManagerOptions) {
    this.config = new ConfigManager(options.registry);
  }

  add(input: AddInput): Promise<MCPServerData> {
    return this.config.add(input);
  }

  /**
   * What is worth saying about a server just registered: a --port its command does not publish,
   * an image its host does not have yet. Warnings only; an unreachable host is one of them.
   */
  async addWarnings(config: MCPServerConfig): Promise<string[]> {
    const warnings: string[] = [];
    for (const warning of [unpublishedPortWarning(config), autoRemoveNotice(config)]) if (warning) warnings.push(warning);
    const { image } = parseDockerCommand(config.docker_command);
    if (image.includes('$')) return warnings;
    try {
      const present = await this.withConnection(config.host, (docker) => imagePresent(docker, image));
      if (!present) warnings.push(`image ${image} is not found locally on ${config.host}; \`mcp pull ${config.name}\` or \`mcp start ${config.name} --pull\``);
    } catch (err) {
      warnings.push(`could not check for image ${image} on ${config.host}: ${errorMessage(err)}`);
    }
    return warnings;
  }

  /** Unregister one server (see `removeMany`). */
  async remove(name: string, options: { purge?: boolean } = {}): Promise<TargetResult<Outcome>> {
    const [result] = await this.removeMany({ names: [name] }, options);
    return result as TargetResult<Outcome>;
  }

  /**
   * Unregister the selected servers; with `purge` their containers go first, one connection per
   * host, and a server whose container could not be removed stays registered. The registry and
   * the state file are each written once.
   */
  async removeMany(selector: Selector, { purge = false } = {}): Promise<TargetResult<Outcome>[]> {
    const { entries, registry } = await this.resolveIn(selector);
    const registryId = this.observedRegistryId(registry);
    const results = purge ? await this.onHosts(entries, async (docker, targets, connection) => (await this.containers(docker, targets, connection, registryId)).remove(targets), 'change') : await this.lastStatuses(entries, registryId);
    const removed = results.filter((result) => result.ok);
    if (removed.length === 0) return results;
    await this.config.remove(removed.map((result) => result.name));
    await this.saveState((servers) => {
      for (const result of removed) delete servers[result.name];
    }, registryId);
    this.options.observations?.invalidate(new Set(removed.map((result) => result.host)));
    return results;
  }

  /**
   * Change a server's registered config (set, edit); validated, nothing written when wrong or
   * unchanged, or when the entry is no longer `from` (the config the change was made from).
   */
  async updateConfig(name: string, next: MCPServerConfig, from?: MCPServerConfig): Promise<{ before: MCPServerConfig; after: MCPServerConfig; changed: string[] }> {
    const result = await this.config.update(name, next, from);
    this.options.observations?.invalidate(new Set([result.before.host, result.after.host]));
    return result;
  }

  /**
   * Move a server to another host: stop it where it runs, register the new host, start it there,
   * then remove the old container. If it cannot be started on the new host, the old host is
   * registered again and the server started there again when it was running.
   */
  async move(name: string, host: string): Promise<MoveResult> {
    const { entries, registry } = await this.resolveIn({ names: [name] });
    const entry = entries[0] as MCPServerData;
    const from = entry.config.host;
    const next: MCPServerConfig = { ...entry.config, host: validateHostRef(host) };
    if (next.host === from) throw new ValidationError(`server "${name}" is already on ${from}`, 'INVALID_INPUT');
    // Everything that can refuse the move is checked before the server is stopped.
    checkServerConfig(next);
    const conflict = portConflict(next, registry);
    if (conflict) throw new ValidationError(conflict, 'PORT_IN_USE');
    const [stopped] = await this.stop({ names: [name] });
    if (!stopped?.ok) return { name, from, to: next.host, ok: false, step: 'stop', error: stopped?.error?.message ?? 'not stopped' };
    // 'stopped' (not 'already stopped'): it was running, so a failed move starts it again.
    const wasRunning = (stopped.value as Outcome | undefined)?.action === 'stopped';
    await this.updateConfig(name, next);
    const [started] = await this.start({ names: [name] });
    if (!started?.ok) {
      await this.updateConfig(name, entry.config);
      const error = started?.error?.message ?? 'not started';
      if (!wasRunning) return { name, from, to: next.host, ok: false, step: 'start', error: `${error} (left on ${from}, stopped as it was)` };
      const [restarted] = await this.start({ names: [name] });
      const status = (restarted?.value as Outcome | undefined)?.status.status ?? 'unknown';
      if (restarted?.ok) return { name, from, to: next.host, ok: false, step: 'start', status, error: `${error} (left on ${from}, running again)` };
      return { name, from, to: next.host, ok: false, step: 'start', status, error: `${error} (left on ${from}, but not started again there: ${restarted?.error?.message ?? 'not started'})` };
    }
    const registryId = this.observedRegistryId(await this.options.registry.read());
    const [removed] = await this.onHosts([entry], async (docker, targets, connection) => (await this.containers(docker, targets, connection, registryId)).remove(targets));
    const status = (started.value as Outcome | undefined)?.status.status ?? 'unknown';
    if (!removed?.ok) return { name, from, to: next.host, ok: false, step: 'remove', status, error: `started on ${next.host}, but the old container on ${from} was not removed: ${removed?.error?.message}` };
    return { name, from, to: next.host, ok: true, status };
  }

  /** Start (and record that the servers should run). */
  start(selector: Selector, options: StartOptions = {}): Promise<TargetResult<Outcome>[]> {
    return this.lifecycle(selector, 'running', (manager, targets) => manager.start(targets, options));
  }

  /** Stop (and record that the servers should stay stopped). */
  stop(selector: Selector, options: BoundOptions = {}): Promise<TargetResult<Outcome>[]> {
    return this.lifecycle(selector, 'stopped', (manager, targets) => manager.stop(targets, options));
  }

  restart(selector: Selector, options: Pick<StartOptions, 'settleMs' | 'timeoutS'> = {}): Promise<TargetResult<Outcome>[]> {
    return this.lifecycle(selector, 'running', (manager, targets) => manager.restart(targets, options));
  }

  /**
   * Bring the selected servers to their desired state (the last start/stop, else auto_start):
   * run or start those that should run, recreating drifted ones, stop those that should not, and
   * leave alone those with no desired state. Records nothing new as desired.
   */
  async up(selector: Selector): Promise<TargetResult<Outcome>[]> {
    const desired = await this.desiredStates(await this.lifecycleRegistryId());
    return this.lifecycle(selector, undefined, (manager, targets) => manager.converge(targets, (target) => desired(target.config)));
  }

  /** What `up` would do, per server, without doing it. */
  async planUp(selector: Selector): Promise<TargetResult<Outcome>[]> {
    const { entries, registry } = await this.resolveIn(selector);
    const registryId = this.observedRegistryId(registry);
    const desired = await this.desiredStates(registryId);
    return this.onHosts(entries, async (docker, targets, connection) =>
      (await this.containers(docker, targets, connection, registryId)).planConverge(targets, (target) => desired(target.config)),
    );
  }

  /** Pull every selected server's image on its own host, once per image per host. */
  pull(selector: Selector): Promise<TargetResult<PullOutcome>[]> {
    return this.resolve(selector).then((entries) =>
      this.onHosts(entries, (docker, targets) => pullImages(docker, targets, this.displayContext()), 'change'),
    );
  }

  /** The exact docker argv `start` would run, secrets shown as references. Runs nothing. */
  async plan(selector: Selector): Promise<TargetResult<PlannedRun>[]> {
    const { entries, registry } = await this.resolveIn(selector);
    const context = this.displayContext(this.observedRegistryId(registry));
    return Promise.all(
      entries.map(async (entry) => {
        try {
          const target = toTarget(entry, this.options.variables);
          const plan = planRun(target.config, target.parsed, context);
          return { name: target.name, host: target.host, ok: true, value: { argv: [...(await this.options.connector.dockerCommand(target.host)), ...plan.display] } };
        } catch (err) {
          return failure<PlannedRun>(entry, err);
        }
      }),
    );
  }

  /** Every selected server with its live status (unknown where the host could not be asked). */
  async list(selector: Selector = { all: true }, options: ObserveOptions = {}): Promise<MCPServerData[]> {
    const { entries, registry } = await this.resolveIn({ all: true, ...selector });
    return this.observe(entries, options, this.observedRegistryId(registry));
  }

  /** One server: config, live status, resources, health and its last log lines. */
  async get(name: string, { logLines = 20 } = {}): Promise<MCPServerData> {
    const registry = await this.options.registry.read();
    const [data] = await this.observe([requireServer(registry, name)], { stats: true, health: true, logLines }, this.observedRegistryId(registry));
    return data as MCPServerData;
  }

  /** Several servers at once, observed together (one inspect and one stats call per host). */
  async getMany(names: readonly string[], { logLines = 20 } = {}): Promise<MCPServerData[]> {
    const { entries, registry } = await this.resolveIn({ names });
    return this.observe(entries, { stats: true, health: true, logLines }, this.observedRegistryId(registry));
  }

  /** The hosts inventory, by alias. */
  async hostsInventory(): Promise<HostsFile['hosts']> {
    return (await this.options.hosts.read()).hosts;
  }

  /** Add a host to the inventory: an alias that is not "localhost", an address and docker prefix that are safe. */
  async addHost(alias: string, entry: HostEntry): Promise<HostEntry> {
    if (alias === LOCALHOST) throw new ValidationError('"localhost" is this machine and cannot be an alias', 'INVALID_HOST');
    if (!HOST_ALIAS.test(alias)) throw new ValidationError(`invalid host alias "${alias}": use letters, digits, "_", "." and "-", starting with a letter or digit`, 'INVALID_HOST');
    const checked = { ...entry, address: validateHostRef(entry.address) };
    if (checked.docker !== undefined) parseDockerPrefix(checked.docker, alias);
    await this.options.hosts.add(alias, checked);
    return checked;
  }

  /** Remove a host from the inventory; refused while registered servers use it. */
  async removeHost(alias: string): Promise<HostEntry> {
    const users = Object.values((await this.options.registry.read()).servers).filter((s) => s.config.host === alias).map((s) => s.config.name);
    if (users.length > 0) throw new ValidationError(`host "${alias}" is used by ${users.join(', ')}; remove or move those servers first`, 'HOST_IN_USE');
    return this.options.hosts.remove(alias);
  }

  /**
   * Connect to each host (every host of hosts.yaml and of the registry when none is named) and ask
   * its engine for its version: SSH, host key, authentication and docker in one go.
   */
  async checkHosts(names?: readonly string[]): Promise<HostCheck[]> {
    let hosts = names ? [...names] : undefined;
    if (!hosts) {
      const [inventory, registry] = await Promise.all([this.options.hosts.read(), this.options.registry.read()]);
      hosts = [...new Set([...Object.keys(inventory.hosts), ...Object.values(registry.servers).map((s) => s.config.host)])];
    }
    return mapBounded(hosts, this.options.parallel ?? 8, async (host) => {
      const started = Date.now();
      try {
        const version = await this.withConnection(host, (docker) => docker.check(buildServerVersion()));
        return { host, ok: true, docker_version: version.trim(), latency_ms: Date.now() - started };
      } catch (err) {
        return { host, ok: false, error: errorMessage(err) };
      }
    });
  }

  /**
   * For `mcp doctor`: each host of hosts.yaml and the registry, one connection each: the engine's
   * version, its clock against ours, and whether each registered server's image is there.
   */
  async hostFacts(): Promise<HostFacts[]> {
    const [inventory, registry] = await Promise.all([this.options.hosts.read(), this.options.registry.read()]);
    const servers = Object.values(registry.servers);
    const hosts = [...new Set([LOCALHOST, ...Object.keys(inventory.hosts), ...servers.map((s) => s.config.host)])];
    return mapBounded(hosts, this.options.parallel ?? 8, async (host): Promise<HostFacts> => {
      try {
        return await this.withConnection(host, async (docker) => {
          const asked = Date.now();
          const facts = parseEngineFacts(await docker.check(buildEngineFacts()));
          const answered = Date.now();
          if (!facts) throw new MsmError(`${host}: docker info gave no version`, 'DOCKER_FAILED');
          const skewMs = Date.parse(facts.systemTime) - (asked + answered) / 2;
          const images = await mapBounded(
            servers.filter((s) => s.config.host === host),
            4,
            async (server) => {
              const { image } = parseDockerCommand(server.config.docker_command);
              if (image.includes('$')) return { server: server.config.name, image, present: null };
              try {
                return { server: server.config.name, image, present: await imagePresent(docker, image) };
              } catch (err) {
                return { server: server.config.name, image, present: null, error: errorMessage(err) };
              }
            },
          );
          return { host, ok: true, docker_version: facts.version, clock_skew_ms: Math.round(skewMs), latency_ms: answered - asked, images };
        });
      } catch (err) {
        return { host, ok: false, error: errorMessage(err), images: [] };
      }
    });
  }

  /** Run the configured health checks of the selected servers. */
  async health(selector: Selector): Promise<TargetResult<HealthResult>[]> {
    const { entries, registry } = await this.resolveIn(selector);
    const observed = await this.observe(entries, { health: true }, this.observedRegistryId(registry));
    return observed.map(({ config, status }) => {
      const health = status?.health ?? { status: 'unchecked', error: status?.error ?? 'not checked' };
      const ok = health.status === 'healthy';
      return { name: config.name, host: config.host, ok, value: health, ...(ok ? {} : { error: { message: health.error ?? health.status, code: 'UNHEALTHY' } }) };
    });
  }

  /**
   * Wait until the named servers are running and, where a health check is configured, healthy.
   * A container that stops or crashes fails at once; otherwise each fails at the deadline with
   * the last reason seen.
   */
  async waitUntilReady(names: readonly string[], timeoutMs: number, pollMs = 500): Promise<TargetResult<MCPServerStatus>[]> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(names);
    const done = new Map<string, TargetResult<MCPServerStatus>>();
    const { entries, registry } = await this.resolveIn({ names });
    const registryId = this.observedRegistryId(registry);
    for (;;) {
      if (this.options.interrupted?.aborted) {
        for (const entry of entries.filter((e) => pending.has(e.config.name))) done.set(entry.config.name, failure(entry, new InterruptedError('interrupted while waiting for it to be ready')));
        break;
      }
      const observed = await this.observe(entries.filter((entry) => pending.has(entry.config.name)), { health: true }, registryId);
      for (const { config, status } of observed) {
        const verdict = readiness(status);
        if (verdict === 'waiting' && Date.now() < deadline) continue;
        pending.delete(config.name);
        const ok = verdict === 'ready';
        const reason = ok ? undefined : `${verdict === 'waiting' ? `not ready after ${Math.round(timeoutMs / 1000)} s: ` : ''}${readinessReason(status)}`;
        done.set(config.name, { name: config.name, host: config.host, ok, ...(status ? { value: status } : {}), ...(reason ? { error: { message: reason, code: 'NOT_READY' } } : {}) });
      }
      if (pending.size === 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    }
    return names.map((name) => done.get(name) as TargetResult<MCPServerStatus>);
  }

  /**
   * Live status of `entries`, host by host: one inspect per host, then (as asked) one stats
   * sample per host, the health checks and recent logs.
   */
  private async observe(entries: readonly MCPServerData[], options: ObserveOptions, registryId: string): Promise<MCPServerData[]> {
    const [results, desired] = await Promise.all([
      this.onHosts(entries, (docker, targets, connection) => {
        const observe = () => new StatusMonitor(docker, connection, this.stdioHealthBridge).observe(targets, options, registryId, (target) => this.expectedHash(target, registryId));
        const cache = this.options.observations;
        if (!cache) return observe();
        const question = JSON.stringify([options, targets.map((target) => target.name)]);
        return cache.get(targets[0]?.host ?? '', question, observe);
      }),
      this.desiredStates(registryId),
    ]);
    return entries.map((entry, index) => {
      const status = statusOf(results[index]);
      const want = desired(entry.config);
      const endpoint = endpointOf(entry.config, this.gatewayBase);
      return { config: entry.config, status: { ...status, ...(want ? { desired: want } : {}), ...(endpoint ? { endpoint } : {}) } };
    });
  }

  async logs(name: string, query: LogQuery): Promise<LogLine[]> {
    return this.withTarget(name, (docker, target, registryId) => new LogManager(docker, registryId).recent(target, query));
  }

  /** The recent lines of each selected server: one connection per host, hosts in parallel. */
  async recentLogs(selector: Selector, query: LogQuery): Promise<TargetResult<LogLine[]>[]> {
    const { entries, registry } = await this.resolveIn(selector);
    const registryId = this.observedRegistryId(registry);
    return this.onHosts(entries, (docker, targets) =>
      Promise.all(
        targets.map(async (target): Promise<TargetResult<LogLine[]>> => {
          try {
            return { name: target.name, host: target.host, ok: true, value: await new LogManager(docker, registryId).recent(target, query) };
          } catch (err) {
            return failure(target, err);
          }
        }),
      ),
    );
  }

  /**
   * Follow the selected servers' output together until `signal` aborts: one connection per host,
   * one `docker logs --follow` per server. A server whose logs cannot be followed is reported in
   * the results; the others keep streaming.
   */
  async followLogs(
    selector: Selector,
    query: LogQuery,
    onLine: (target: Target, line: LogLine) => void,
    signal: AbortSignal,
    onReattach?: (target: Target, containerId: string) => void,
  ): Promise<TargetResult[]> {
    const { entries, registry } = await this.resolveIn(selector);
    const registryId = this.observedRegistryId(registry);
    return this.onHosts(entries, (docker, targets) =>
      Promise.all(
        targets.map(async (target): Promise<TargetResult> => {
          try {
            const reattached = onReattach ? { onReattach: (id: string) => onReattach(target, id) } : {};
            await new LogManager(docker, registryId).follow(target, query, (line) => onLine(target, line), signal, reattached);
            return { name: target.name, host: target.host, ok: true };
          } catch (err) {
            return failure(target, err);
          }
        }),
      ),
    );
  }

  /**
   * A live MCP link to a server, for `mcp connect`: a stdio server gets a one-session container
   * of its command on its host (removed when the link closes); an HTTP server, Streamable HTTP to
   * its port (through the host's SSH connection when not reachable from here). The host's
   * connection stays open for the link's life and closes with it.
   */
  async openMcp(name: string, options: { onStderr?: (chunk: string) => void } = {}): Promise<Link> {
    const registry = await this.options.registry.read();
    const target = toTarget(requireServer(registry, name), this.options.variables);
    const registryId = this.observedRegistryId(registry);
    const kind = requireServerKind(target);
    const connection = await this.options.connector.open(target.host);
    const docker = new DockerClient(connection.executor, connection.dockerCommand);
    try {
      const link =
        kind === 'http'
          ? await openHttp(docker, connection, target, registryId)
          : await openSessionContainer(docker, target, { ...(await this.hostRunContext([target], connection)), registryId }, options.onStderr);
      return {
        ...link,
        close: async () => {
          try {
            await link.close();
          } finally {
            await connection.executor.close();
          }
        },
      };
    } catch (err) {
      await connection.executor.close();
      throw err;
    }
  }

  /**
   * The gateway's view of the servers (for `mcp serve`), on this manager's registry and hosts.
   * From then on, health checks of shared stdio servers go through its bridge (a session of the
   * one attach it owns) instead of attaching a second reader to their containers.
   */
  createGatewayHub(onLog?: (line: string) => void): GatewayHub {
    const hub = new GatewayHub({
      registry: this.options.registry,
      connector: this.options.connector,
      variables: this.options.variables,
      registryId: (registry) => this.observedRegistryId(registry),
      ...(onLog ? { onLog } : {}),
    });
    this.stdioHealthBridge = (target) => hub.sharedStdioTransport(target.name);
    return hub;
  }

  /** The base URL of the MCP gateway clients should use (`<base>/mcp/<name>`), shown as each server's endpoint. */
  advertiseGateway(base: string | undefined): void {
    this.gatewayBase = base;
  }

  // ---------------------------------------------------------------------------------------------

  /** How `docker run` argv is planned on this host: its home directory only when some `~` needs it. */
  private async hostRunContext(targets: readonly Target[], connection: HostConnection): Promise<RunContext> {
    const homeDir = targets.some((t) => needsHomeDir(t.config, t.parsed)) ? await connection.executor.homeDir() : '~';
    return { variables: this.options.variables, homeDir, inlineClientEnv: !isLocalHost(connection.executor.host) };
  }

  /** The home directory is asked of the host only when some command has a `~` volume source. */
  private async containers(docker: DockerClient, targets: readonly Target[], connection: HostConnection, registryId: string): Promise<ContainerManager> {
    return new ContainerManager(docker, { ...(await this.hostRunContext(targets, connection)), registryId }, this.options.interrupted);
  }

  /** Planning without a host: `~` stays `~`, as --dry-run shows it and the hash is taken. */
  private displayContext(registryId?: string): RunContext {
    return { variables: this.options.variables, homeDir: '~', ...(registryId ? { registryId } : {}) };
  }

  private expectedHash(target: Target, registryId: string): string | undefined {
    try {
      return planRun(target.config, target.parsed, this.displayContext(registryId)).hash;
    } catch {
      return undefined;
    }
  }

  /**
   * Observing never writes registry.yaml: a registry without an id yet owns no container made
   * with one (its id would have been stored when the first was made), except under the path id a
   * read-only registry gets.
   */
  private observedRegistryId(registry: { id?: string }): string {
    return registry.id ?? pathDerivedId(this.options.registry.file);
  }

  /** The id containers are labelled with; stored in registry.yaml on first need. */
  private async lifecycleRegistryId(registry?: ServerRegistry): Promise<string> {
    if (registry?.id) return registry.id;
    const { id, stored, error } = await this.options.registry.ensureId();
    if (!stored) this.warn(`could not store a registry id in ${this.options.registry.file} (${error}); using one derived from its path`);
    return id;
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  /** The state file's content; unreadable is a warning and reads as empty. */
  private async savedState(registryId: string): Promise<Record<string, ServerState>> {
    try {
      return (await this.stateStore(registryId).read()).servers;
    } catch (err) {
      this.warn(`${errorMessage(err)}; ignoring the saved state`);
      return {};
    }
  }

  /** Each server's last status recorded in the state file, as the outcome of leaving its container alone. */
  private async lastStatuses(entries: readonly MCPServerData[], registryId: string): Promise<TargetResult<Outcome>[]> {
    const saved = await this.savedState(registryId);
    return entries.map((entry) => ({ name: entry.config.name, host: entry.config.host, ok: true, value: { status: saved[entry.config.name]?.last ?? { status: 'unknown' } } }));
  }

  /** Change the state file; failing to is a warning, never a failed command. */
  private async saveState(change: (servers: Record<string, ServerState>) => void, registryId: string): Promise<void> {
    try {
      await this.stateStore(registryId).update(change);
    } catch (err) {
      this.warn(`state not saved: ${errorMessage(err)}`);
    }
  }

  private stateStore(registryId: string): StateStore {
    return new StateStore(this.options.stateFile(registryId), this.options.registry.file);
  }

  /** Desired state per server: the last start/stop recorded, else running when auto_start. */
  private async desiredStates(registryId: string): Promise<(config: MCPServerData['config']) => DesiredState | undefined> {
    const saved = await this.savedState(registryId);
    return (config) => (Object.hasOwn(saved, config.name) ? saved[config.name]?.desired : undefined) ?? (config.auto_start ? 'running' : undefined);
  }

  private async lifecycle(
    selector: Selector,
    desired: DesiredState | undefined,
    act: (manager: ContainerManager, targets: Target[]) => Promise<TargetResult<Outcome>[]>,
  ): Promise<TargetResult<Outcome>[]> {
    const { entries, registry } = await this.resolveIn(selector);
    const registryId = await this.lifecycleRegistryId(registry);
    // Another mcp working on one of these servers is waited for: then its result is what we see.
    const locks = await ServerLocks.besideStateFile(this.options.stateFile(registryId))
      .acquire(entries.map((entry) => entry.config.name), { signal: this.options.interrupted })
      .catch((err: unknown) => {
        // Like the state file beside them: a place we cannot write is a warning, not a failed command.
        this.warn(`server locks not taken (${errorMessage(err)}); another mcp working on the same servers now could collide`);
        return { busy: [], release: () => Promise.resolve() };
      });
    let results: TargetResult<Outcome>[];
    try {
      const busy = new Set(locks.busy);
      const free = entries.filter((entry) => !busy.has(entry.config.name));
      const done = new Map((await this.onHosts(free, async (docker, targets, connection) => act(await this.containers(docker, targets, connection, registryId), targets), 'change')).map((r) => [r.name, r]));
      const unlocked = entries.filter((entry) => busy.has(entry.config.name)).map((entry) => failure<Outcome>(entry, this.options.interrupted?.aborted ? new InterruptedError() : new ServerBusyError(entry.config.name, LOCK_WAIT_MS)));
      for (const [host, hostResults] of groupBy(unlocked, (result) => result.host)) this.options.onHostDone?.(host, hostResults);
      results = entries.map((entry) => done.get(entry.config.name) ?? unlocked.find((result) => result.name === entry.config.name) ?? failure(entry, new MsmError('no result')));
    } finally {
      await locks.release();
    }
    this.options.observations?.invalidate(new Set(entries.map((entry) => entry.config.host)));
    const now = new Date().toISOString();
    await this.saveState((servers) => {
      for (const result of results) {
        const entry: ServerState = { ...(Object.hasOwn(servers, result.name) ? servers[result.name] : {}) };
        // What was asked is recorded even when doing it failed: `up` retries it.
        if (desired) Object.assign(entry, { desired, desired_at: now });
        const status = result.value?.status;
        if (status && status.status !== 'unknown') entry.last = persistable(status, result.error?.message);
        servers[result.name] = entry;
      }
    }, registryId);
    return results;
  }

  private async withTarget<T>(name: string, work: (docker: DockerClient, target: Target, registryId: string) => Promise<T>): Promise<T> {
    const registry = await this.options.registry.read();
    const target = toTarget(requireServer(registry, name), this.options.variables);
    return this.withConnection(target.host, (docker) => work(docker, target, this.observedRegistryId(registry)));
  }

  /** Open the host's connection, work with it, and close it whatever happens. */
  private async withConnection<T>(host: string, work: (docker: DockerClient, connection: HostConnection) => Promise<T>): Promise<T> {
    const connection = await this.options.connector.open(host);
    try {
      return await work(new DockerClient(connection.executor, connection.dockerCommand), connection);
    } finally {
      await connection.executor.close();
    }
  }

  /** Registry entries for a selector; unknown names fail the whole command before anything runs. */
  async resolve(selector: Selector): Promise<MCPServerData[]> {
    return (await this.resolveIn(selector)).entries;
  }

  /** `resolve`, with the registry it read (one read, one parse per command). */
  private async resolveIn(selector: Selector): Promise<{ entries: MCPServerData[]; registry: ServerRegistry }> {
    const registry = await this.options.registry.read();
    const names = selector.names ?? [];
    if (names.length > 0 && selector.all) throw new ValidationError('give server names or --all, not both', 'USAGE');
    let entries: MCPServerData[];
    if (names.length > 0) {
      const unknown = names.filter((name) => !Object.hasOwn(registry.servers, name));
      if (unknown.length > 0) {
        const list = unknown.map((name) => `"${name}"`).join(', ');
        throw new NotFoundError(`no server named ${list} is registered (see \`mcp list\`)`);
      }
      entries = [...new Set(names)].map((name) => registry.servers[name] as MCPServerData);
    } else if (selector.all) {
      entries = Object.values(registry.servers);
    } else {
      throw new ValidationError('name at least one server, or use --all', 'USAGE');
    }
    if (!selector.host) return { entries, registry };
    const onHost = entries.filter((entry) => entry.config.host === selector.host);
    if (onHost.length === 0) await this.requireKnownHost(selector.host, registry);
    return { entries: onHost, registry };
  }

  /** A --host that is not localhost, not an alias and not where any server runs is a typo, not an empty fleet. */
  private async requireKnownHost(host: string, registry: ServerRegistry): Promise<void> {
    if (isLocalHost(host) || Object.values(registry.servers).some((entry) => entry.config.host === host)) return;
    const { hosts } = await this.options.hosts.read();
    if (Object.hasOwn(hosts, host)) return;
    const known = Object.keys(hosts);
    throw new NotFoundError(`no such host "${host}": not in ${this.options.hosts.file}${known.length > 0 ? ` (hosts: ${known.join(', ')})` : ''} and no server is registered on it`, 'NO_SUCH_HOST');
  }

  /**
   * Group entries by host and run `work` once per host with that host's executor, hosts in
   * parallel. Results come back in the order of `entries`. Work that changes hosts (`change`) is
   * reported host by host as it finishes, and not begun on a host once the command is interrupted.
   */
  private async onHosts<T>(entries: readonly MCPServerData[], work: HostWork<T>, kind: 'change' | 'read' = 'read'): Promise<TargetResult<T>[]> {
    const results = new Map<string, TargetResult<T>>();
    const targets: Target[] = [];
    for (const entry of entries) {
      try {
        targets.push(toTarget(entry, this.options.variables));
      } catch (err) {
        results.set(entry.config.name, failure(entry, err));
      }
    }
    const byHost = groupBy(targets, (target) => target.host);
    await mapBounded([...byHost], this.options.parallel ?? 8, async ([host, hostTargets]) => {
      let hostResults: TargetResult<T>[];
      try {
        if (kind === 'change' && this.options.interrupted?.aborted) throw new InterruptedError();
        hostResults = await this.withConnection(host, (docker, connection) => work(docker, hostTargets, connection));
      } catch (err) {
        hostResults = hostTargets.map((target) => failure(target, err));
      }
      for (const result of hostResults) results.set(result.name, result);
      if (kind === 'change') this.options.onHostDone?.(host, hostResults);
    });
    return entries.map((entry) => results.get(entry.config.name) ?? failure(entry, new MsmError('no result')));
  }
}

function failure<T>(subject: MCPServerData | Target, err: unknown): TargetResult<T> {
  const { name, host } = subject.config;
  const code = err instanceof MsmError ? err.code : 'ERROR';
  const result: TargetResult<T> = { name, host, ok: false, error: { message: errorMessage(err), code } };
  if (err instanceof HostUnreachableError) {
    (result as TargetResult<{ status: MCPServerStatus }>).value = { status: unknownStatus(errorMessage(err), new Date()) };
  }
  return result;
}

/** A status for the data model from a per-target result; failures become `unknown` with the reason. */
function statusOf(result: TargetResult | undefined): MCPServerStatus {
  if (result?.ok) return result.value as MCPServerStatus;
  const nested = (result?.value as { status?: MCPServerStatus } | undefined)?.status;
  return nested ?? unknownStatus(result?.error?.message ?? 'not checked', new Date());
}

/**
 * What the state file keeps of a status: the last state seen, its exit code, when, and the last
 * error. Not the container details: the live ones always come from docker.
 */
function persistable(status: MCPServerStatus, error: string | undefined): MCPServerStatus {
  const { status: state, state: dockerState, exit_code, last_check } = status;
  const lastError = error ?? status.error;
  return {
    status: state,
    ...(dockerState ? { state: dockerState } : {}),
    ...(exit_code !== undefined ? { exit_code } : {}),
    ...(last_check ? { last_check } : {}),
    ...(lastError ? { error: lastError } : {}),
  };
}
