/**
 * Container lifecycle on ONE host: start (create, start or recreate), stop, restart, remove.
 * Reads the host's containers once before acting and once after, whatever the number of servers.
 */
import type { MCPServerStatus } from '../data/models.js';
import type { DockerClient } from './dockerClient.js';
import { buildRemove, buildRestart, buildStart, buildStop } from './docker/commands.js';
import { HASH_LABEL, planRun, type RunContext } from './docker/runPlan.js';
import { ContainerCreator } from './containerCreator.js';
import { DEFAULT_SETTLE_MS, watchSettle } from './settle.js';
import { DockerError, errorMessage, InterruptedError, MsmError } from '../errors.js';
import { dockerErrorLine } from './docker/dockerErrors.js';
import { mapBounded } from './pool.js';
import { findContainers, foreignContainerMessage, statusFromFound, type Found } from './statusMonitor.js';
import type { Target, TargetResult } from './target.js';

export type Action =
  | 'created'
  | 'started'
  | 'recreated'
  | 'restarted'
  | 'already running'
  | 'stopped'
  | 'already stopped'
  | 'removed'
  | 'nothing to remove';

export interface Outcome {
  /** What was done; absent when the step failed. */
  action?: Action;
  /** The container's state after the operation, whether it succeeded or not. */
  status: MCPServerStatus;
}

export interface StartOptions {
  /** Recreate the container even when the command is unchanged (e.g. after rotating a secret). */
  recreate?: boolean;
  /** How long a started container must keep running to count as started (DEFAULT_SETTLE_MS; 0: not watched). */
  settleMs?: number;
}

/**
 * docker calls on one engine at once. dockerd works on containers in parallel; stops in particular
 * spend their time waiting for processes to exit, so 8 beats 4 (see BENCHMARKS.md) while a small
 * host is not swamped.
 */
const PER_HOST_CONCURRENCY = 8;

type Step = (target: Target, found: Found | undefined, before: ReadonlyMap<string, Found>) => Promise<Action>;

const STOPPABLE = new Set(['running', 'restarting', 'paused']);

export class ContainerManager {
  constructor(
    private readonly docker: DockerClient,
    private readonly ctx: RunContext,
    /** Once aborted, no new target is begun; those in flight finish and are reported. */
    private readonly interrupted?: AbortSignal,
  ) {}

  start(targets: readonly Target[], options: StartOptions = {}): Promise<TargetResult<Outcome>[]> {
    return this.startingApply(targets, 'started', options);
  }

  restart(targets: readonly Target[], options: StartOptions = {}): Promise<TargetResult<Outcome>[]> {
    return this.startingApply(targets, 'restarted', options);
  }

  /** Start or restart, then hold every container started to the settle window (one wait, one inspect). */
  private async startingApply(targets: readonly Target[], verb: 'started' | 'restarted', options: StartOptions): Promise<TargetResult<Outcome>[]> {
    const started = new Started();
    return this.apply(
      targets,
      (target, found) => this.ensureRunning(target, found, verb, options, started),
      () => watchSettle(this.docker, started.list, started.last, options.settleMs ?? DEFAULT_SETTLE_MS).then((failures) => started.byTarget(failures)),
    );
  }

  /**
   * One `docker stop` for all of the host's running targets: the docker CLI stops them in parallel
   * itself, and the engine largely serialises stops anyway, so one process beats one per server.
   */
  stop(targets: readonly Target[]): Promise<TargetResult<Outcome>[]> {
    let batch: Promise<Map<string, string>> | undefined;
    return this.apply(targets, async (target, found, before) => {
      const container = ours(target, found);
      if (!container || !STOPPABLE.has(container.state)) return 'already stopped';
      batch ??= this.stopAll(before);
      const failure = (await batch).get(container.id);
      if (failure !== undefined) throw new DockerError(`docker stop failed on ${this.docker.host}: ${failure}`);
      return 'stopped';
    });
  }

  /** Stop every running container of ours in `found`; returns the failures by container id. */
  private async stopAll(found: ReadonlyMap<string, Found>): Promise<Map<string, string>> {
    const ids = [...found.values()].flatMap((f) => (f.kind === 'ours' && STOPPABLE.has(f.container.state) ? [f.container.id] : []));
    const result = await this.docker.exec(buildStop(ids));
    const stopped = new Set(result.stdout.split('\n').map((line) => line.trim()));
    const errorLines = result.stderr.split('\n').filter(Boolean);
    const failures = new Map<string, string>();
    for (const id of ids) {
      if (stopped.has(id)) continue;
      failures.set(id, errorLines.find((line) => line.includes(id.slice(0, 12))) ?? dockerErrorLine(result.stderr));
    }
    return failures;
  }

  /** Remove the containers (for `mcp remove --purge`); a foreign container is left alone. */
  remove(targets: readonly Target[]): Promise<TargetResult<Outcome>[]> {
    return this.apply(targets, async (target, found) => {
      const container = ours(target, found);
      if (!container) return 'nothing to remove';
      await this.docker.check(buildRemove(container.id, { force: true }));
      return 'removed';
    });
  }

  private async ensureRunning(target: Target, found: Found | undefined, verb: 'started' | 'restarted', options: StartOptions, started: Started): Promise<Action> {
    const plan = planRun(target.config, target.parsed, this.ctx);
    const container = ours(target, found);
    const creator = new ContainerCreator(this.docker);
    const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    if (!container) {
      started.add(target, await creator.createAndStart(plan));
      return 'created';
    }
    if (options.recreate || container.labels[HASH_LABEL] !== plan.hash) {
      // Judged here rather than with the others: a replacement that dies must bring the old one back.
      await creator.replace(container, plan, async (id) => {
        const failure = (await watchSettle(this.docker, [{ target, id }], Date.now(), settleMs)).get(id);
        if (failure) throw failure;
      });
      return 'recreated';
    }
    if (verb === 'restarted') {
      await this.docker.check(buildRestart(container.id));
      started.add(target, container.id);
      return 'restarted';
    }
    if (container.state === 'running') return 'already running';
    await this.docker.check(container.state === 'paused' ? ['unpause', container.id] : buildStart(container.id));
    started.add(target, container.id);
    return 'started';
  }

  /**
   * Look once, act on each target (bounded), look once more for the outcome. A host whose engine
   * cannot be asked fails every target with that reason.
   */
  private async apply(targets: readonly Target[], step: Step, judge?: () => Promise<Map<string, Error>>): Promise<TargetResult<Outcome>[]> {
    const before = await findContainers(this.docker, targets);
    const stepped = await mapBounded(targets, PER_HOST_CONCURRENCY, async (target) => {
      if (this.interrupted?.aborted) return { target, error: new InterruptedError() };
      try {
        return { target, action: await step(target, before.get(target.name), before) };
      } catch (err) {
        // A docker client that a Ctrl-C caught at its spawn, before it left our process group, died
        // before it could act: the target was not begun.
        const caughtAtSpawn = this.interrupted?.aborted && err instanceof MsmError && err.code === 'DOCKER_KILLED';
        return { target, error: caughtAtSpawn ? new InterruptedError() : err };
      }
    });
    const verdicts = judge ? await judge() : new Map<string, Error>();
    const actions = stepped.map((done) => {
      const failure = verdicts.get(done.target.name);
      return failure ? { target: done.target, error: failure } : done;
    });
    const after = await findContainers(this.docker, targets);
    const now = new Date();
    return actions.map(({ target, action, error }) => {
      const status = statusFromFound(target, after.get(target.name), now);
      if (action) return { name: target.name, host: target.host, ok: true, value: { action, status } };
      const code = error instanceof MsmError ? error.code : 'ERROR';
      return { name: target.name, host: target.host, ok: false, value: { status }, error: { message: errorMessage(error), code } };
    });
  }
}

/** The containers a start or restart set going on this host, for the settle window. */
class Started {
  readonly list: Array<{ target: Target; id: string }> = [];
  /** When the last of them was started (ms since epoch). */
  last = 0;

  add(target: Target, id: string): void {
    this.list.push({ target, id });
    this.last = Date.now();
  }

  /** Failures by container id -> by server name. */
  byTarget(failures: ReadonlyMap<string, Error>): Map<string, Error> {
    return new Map(this.list.flatMap(({ target, id }) => {
      const failure = failures.get(id);
      return failure ? [[target.name, failure] as const] : [];
    }));
  }
}

function ours(target: Target, found: Found | undefined) {
  if (found?.kind === 'foreign') throw new MsmError(foreignContainerMessage(target), 'NAME_CONFLICT');
  return found?.kind === 'ours' ? found.container : undefined;
}
