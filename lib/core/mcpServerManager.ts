/**
 * The facade both entrypoints use (CLI now, HTTP API later). Resolves targets from the registry,
 * groups them by host, opens one executor per host, runs hosts in parallel (bounded), and returns
 * per-target results. One failing host never stops the others; a host that cannot be asked leaves
 * its servers' registry entries untouched.
 */
import type { HealthResult, MCPServerData, MCPServerStatus } from '../data/models.js';
import type { RegistryStore } from '../data/registryStore.js';
import type { HostsStore } from '../data/hostsStore.js';
import { requireServer } from '../data/registryStore.js';
import { ConfigManager, type AddInput } from './configManager.js';
import { ContainerManager, type Outcome, type StartOptions } from './containerManager.js';
import { DockerClient } from './dockerClient.js';
import type { LogLine } from './docker/parseLogs.js';
import { needsHomeDir, planRun, type RunContext } from './docker/runPlan.js';
import { errorMessage, HostUnreachableError, InterruptedError, MsmError, NotFoundError, ValidationError } from '../errors.js';
import type { HostConnection, HostConnector } from './exec/connector.js';
import { LogManager, type LogQuery } from './logManager.js';
import { groupBy, mapBounded } from './pool.js';
import { readiness, readinessReason, StatusMonitor, unknownStatus, type ObserveOptions } from './statusMonitor.js';
import { toTarget, type Target, type TargetResult } from './target.js';
import { isLocalHost } from './hostRef.js';
import { pullImages, type PullOutcome } from './imageManager.js';
import type { ObservationCache } from './observationCache.js';

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
  /**
   * For a long-running service: share and briefly reuse per-host observations; changes made
   * through this manager drop them. The CLI observes afresh each time.
   */
  observations?: ObservationCache;
}

export interface PlannedRun {
  argv: string[];
}

/** Work on one host: its docker, its targets, and the open connection (for tunnels, home dir). */
type HostWork<T> = (docker: DockerClient, targets: Target[], connection: HostConnection) => Promise<TargetResult<T>[]>;

export class MCPServerManager {
  private readonly config: ConfigManager;

  constructor(private readonly options: ManagerOptions) {
    this.config = new ConfigManager(options.registry);
  }

  add(input: AddInput): Promise<MCPServerData> {
    return this.config.add(input);
  }

  /** Unregister; with `purge` the container goes first, and a failure to remove it keeps the entry. */
  async remove(name: string, { purge = false } = {}): Promise<TargetResult<Outcome>> {
    const entry = requireServer(await this.options.registry.read(), name);
    let outcome: Outcome = { status: entry.status ?? { status: 'unknown' } };
    if (purge) {
      const [result] = await this.onHosts([entry], async (docker, targets, connection) => (await this.containers(docker, targets, connection)).remove(targets), 'change');
      if (!result?.ok) return result ?? failure(entry, new MsmError('nothing happened'));
      outcome = result.value as Outcome;
    }
    await this.config.remove(name);
    this.options.observations?.invalidate([entry.config.host]);
    return { name, host: entry.config.host, ok: true, value: outcome };
  }

  start(selector: Selector, options: StartOptions = {}): Promise<TargetResult<Outcome>[]> {
    return this.lifecycle(selector, (manager, targets) => manager.start(targets, options));
  }

  stop(selector: Selector): Promise<TargetResult<Outcome>[]> {
    return this.lifecycle(selector, (manager, targets) => manager.stop(targets));
  }

  restart(selector: Selector, options: Pick<StartOptions, 'settleMs'> = {}): Promise<TargetResult<Outcome>[]> {
    return this.lifecycle(selector, (manager, targets) => manager.restart(targets, options));
  }

  /** Pull every selected server's image on its own host, once per image per host. */
  pull(selector: Selector): Promise<TargetResult<PullOutcome>[]> {
    return this.resolve(selector).then((entries) =>
      this.onHosts(entries, (docker, targets) => pullImages(docker, targets, this.displayContext()), 'change'),
    );
  }

  /** The exact docker argv `start` would run, secrets shown as references. Runs nothing. */
  async plan(selector: Selector): Promise<TargetResult<PlannedRun>[]> {
    const entries = await this.resolve(selector);
    return entries.map((entry) => {
      try {
        const target = toTarget(entry, this.options.variables);
        const plan = planRun(target.config, target.parsed, this.displayContext());
        return { name: target.name, host: target.host, ok: true, value: { argv: ['docker', ...plan.display] } };
      } catch (err) {
        return failure(entry, err);
      }
    });
  }

  /** Every selected server with its live status (unknown where the host could not be asked). */
  async list(selector: Selector = { all: true }, options: ObserveOptions = {}): Promise<MCPServerData[]> {
    const entries = await this.resolve({ all: true, ...selector });
    return this.observe(entries, options);
  }

  /** One server: config, live status, resources, health and its last log lines. */
  async get(name: string, { logLines = 20 } = {}): Promise<MCPServerData> {
    const entry = requireServer(await this.options.registry.read(), name);
    const [data] = await this.observe([entry], { stats: true, health: true, logLines });
    return data as MCPServerData;
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
        const version = await this.withConnection(host, (docker) => docker.check(['version', '--format', '{{.Server.Version}}']));
        return { host, ok: true, docker_version: version.trim(), latency_ms: Date.now() - started };
      } catch (err) {
        return { host, ok: false, error: errorMessage(err) };
      }
    });
  }

  /** Run the configured health checks of the selected servers. */
  async health(selector: Selector): Promise<TargetResult<HealthResult>[]> {
    const entries = await this.resolve(selector);
    const observed = await this.observe(entries, { health: true });
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
    const entries = await this.resolve({ names });
    for (;;) {
      if (this.options.interrupted?.aborted) {
        for (const entry of entries.filter((e) => pending.has(e.config.name))) done.set(entry.config.name, failure(entry, new InterruptedError('interrupted while waiting for it to be ready')));
        break;
      }
      const observed = await this.observe(entries.filter((entry) => pending.has(entry.config.name)), { health: true });
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
  private async observe(entries: readonly MCPServerData[], options: ObserveOptions): Promise<MCPServerData[]> {
    const results = await this.onHosts(entries, (docker, targets, connection) => {
      const observe = () => new StatusMonitor(docker, connection).observe(targets, options, (target) => this.expectedHash(target));
      const cache = this.options.observations;
      if (!cache) return observe();
      const question = JSON.stringify([options, targets.map((target) => target.name)]);
      return cache.get(targets[0]?.host ?? '', question, observe);
    });
    return entries.map((entry, index) => ({ config: entry.config, status: statusOf(results[index]) }));
  }

  async logs(name: string, query: LogQuery): Promise<LogLine[]> {
    return this.withTarget(name, (docker, target) => new LogManager(docker).recent(target, query));
  }

  /**
   * Follow the selected servers' output together until `signal` aborts: one connection per host,
   * one `docker logs --follow` per server. A server whose logs cannot be followed is reported in
   * the results; the others keep streaming.
   */
  async followLogs(selector: Selector, query: LogQuery, onLine: (target: Target, line: LogLine) => void, signal: AbortSignal): Promise<TargetResult[]> {
    const entries = await this.resolve(selector);
    return this.onHosts(entries, (docker, targets) =>
      Promise.all(
        targets.map(async (target): Promise<TargetResult> => {
          try {
            await new LogManager(docker).follow(target, query, (line) => onLine(target, line), signal);
            return { name: target.name, host: target.host, ok: true };
          } catch (err) {
            return failure(target, err);
          }
        }),
      ),
    );
  }

  // ---------------------------------------------------------------------------------------------

  /** The home directory is asked of the host only when some command has a `~` volume source. */
  private async containers(docker: DockerClient, targets: readonly Target[], connection: HostConnection): Promise<ContainerManager> {
    const homeDir = targets.some((t) => needsHomeDir(t.config, t.parsed)) ? await connection.executor.homeDir() : '~';
    return new ContainerManager(docker, { variables: this.options.variables, homeDir, inlineClientEnv: !isLocalHost(connection.executor.host) }, this.options.interrupted);
  }

  /** Planning without a host: `~` stays `~`, as --dry-run shows it and the hash is taken. */
  private displayContext(): RunContext {
    return { variables: this.options.variables, homeDir: '~' };
  }

  private expectedHash(target: Target): string | undefined {
    try {
      return planRun(target.config, target.parsed, this.displayContext()).hash;
    } catch {
      return undefined;
    }
  }

  private async lifecycle(
    selector: Selector,
    act: (manager: ContainerManager, targets: Target[]) => Promise<TargetResult<Outcome>[]>,
  ): Promise<TargetResult<Outcome>[]> {
    const entries = await this.resolve(selector);
    const results = await this.onHosts(entries, async (docker, targets, connection) => act(await this.containers(docker, targets, connection), targets), 'change');
    this.options.observations?.invalidate(new Set(entries.map((entry) => entry.config.host)));
    const learned = new Map<string, MCPServerStatus>();
    for (const result of results) {
      const status = result.value?.status;
      if (status && status.status !== 'unknown') learned.set(result.name, persistable(status));
    }
    await this.options.registry.recordStatuses(learned);
    return results;
  }

  private async withTarget<T>(name: string, work: (docker: DockerClient, target: Target) => Promise<T>): Promise<T> {
    const entry = requireServer(await this.options.registry.read(), name);
    const target = toTarget(entry, this.options.variables);
    return this.withConnection(target.host, (docker) => work(docker, target));
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
    return selector.host ? entries.filter((entry) => entry.config.host === selector.host) : entries;
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
 * What the registry keeps of a status: the last state seen and when. Not the container details:
 * the live ones always come from docker, and every line stored is parsed again by every command
 * (registry.yaml is read on each start; YAML parsing is the largest per-server cost of `list`).
 */
function persistable(status: MCPServerStatus): MCPServerStatus {
  const { status: state, state: dockerState, last_check } = status;
  return {
    status: state,
    ...(dockerState ? { state: dockerState } : {}),
    ...(last_check ? { last_check } : {}),
  };
}
