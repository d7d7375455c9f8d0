/**
 * Container lifecycle on ONE host: start (create, start or recreate), stop, restart, remove.
 * Reads the host's containers once before acting and once after, whatever the number of servers.
 */
import type { MCPServerStatus } from '../data/models.js';
import type { DesiredState } from '../data/stateStore.js';
import type { DockerClient } from './dockerClient.js';
import { buildRemove, buildRestart, buildStart, buildStop, buildUnpause } from './docker/commands.js';
import { HASH_LABEL, planRun, type RunContext } from './docker/runPlan.js';
import { DockerError, errorMessage, InterruptedError, MsmError } from '../errors.js';
import { ContainerCreator } from './containerCreator.js';
import { deadlines, timedOutAfter, type Deadlines } from './docker/deadlines.js';
import type { ContainerSnapshot } from './docker/parseInspect.js';
import { DEFAULT_SETTLE_MS, judgeSettled, settleWindow, watchSettle } from './settle.js';
import { dockerErrorLine } from './docker/dockerErrors.js';
import { mapBounded } from './pool.js';
import { findContainers, foreignContainerMessage, statusFromFound, type Found } from './statusMonitor.js';
import type { Target, TargetResult } from './target.js';

export type Action =
  | 'created'
  | 'started'
  | 'recreated'
  | 'adopted'
  | 'restarted'
  | 'already running'
  | 'stopped'
  | 'already stopped'
  | 'removed'
  | 'nothing to remove'
  | 'no desired state';

export interface Outcome {
  /** What was done; absent when the step failed. */
  action?: Action;
  /** The container's state after the operation, whether it succeeded or not. */
  status: MCPServerStatus;
}

/** What bounds the docker commands of one operation. */
export interface BoundOptions {
  /** The user's --timeout: no docker command waits longer (seconds); else each has its own deadline. */
  timeoutS?: number;
}

/**
 * A docker command that ran out of time. Whether it failed is decided by the state read afterwards:
 * the engine may have finished the work (a stop, say) after we stopped waiting.
 */
class DeadlineError extends MsmError {
  constructor(
    message: string,
    readonly action: Action,
    readonly reached: (container: ContainerSnapshot | undefined) => boolean,
  ) {
    super(message, 'TIMED_OUT', 1);
  }
}

export interface StartOptions extends BoundOptions {
  /** Recreate the container even when the command is unchanged (e.g. after rotating a secret). */
  recreate?: boolean;
  /**
   * Take over a container of the server's name that this registry does not own (another
   * registry's, or one made before registries had ids): it is recreated with this registry's labels.
   */
  adopt?: boolean;
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
  private readonly registryId: string;

  constructor(
    private readonly docker: DockerClient,
    private readonly ctx: RunContext & { registryId: string },
    /** Once aborted, no new target is begun; those in flight finish and are reported. */
    private readonly interrupted?: AbortSignal,
  ) {
    this.registryId = ctx.registryId;
  }

  start(targets: readonly Target[], options: StartOptions = {}): Promise<TargetResult<Outcome>[]> {
    const started = new Started();
    return this.apply(targets, (target, found) => this.ensureRunning(target, found, 'started', options, started), this.settleJudge(started, options));
  }

  restart(targets: readonly Target[], options: StartOptions = {}): Promise<TargetResult<Outcome>[]> {
    const started = new Started();
    return this.apply(targets, (target, found) => this.ensureRunning(target, found, 'restarted', options, started), this.settleJudge(started, options));
  }

  /**
   * Holds every container started to the settle window (one wait for the host), then judges them
   * from the state apply reads afterwards anyway: no inspect of its own.
   */
  private settleJudge(started: Started, options: StartOptions): SettleJudge {
    const windowMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    return {
      wait: () => (started.list.length > 0 ? settleWindow(started.last, windowMs) : Promise.resolve()),
      judge: async (after) => started.byTarget(await judgeSettled(this.docker, started.list, snapshotsById(after), windowMs)),
    };
  }

  /**
   * One `docker stop` for all of the host's running targets: the docker CLI stops them in parallel
   * itself, and the engine largely serialises stops anyway, so one process beats one per server.
   */
  stop(targets: readonly Target[], options: BoundOptions = {}): Promise<TargetResult<Outcome>[]> {
    return this.apply(targets, this.stopStep(() => true, deadlines(options.timeoutS)));
  }

  /**
   * Each target to its desired state: started (created, recreated when drifted) when it should
   * run, stopped when it should not, left alone when nothing says.
   */
  converge(targets: readonly Target[], desiredOf: (target: Target) => DesiredState | undefined, options: Pick<StartOptions, 'settleMs' | 'timeoutS'> = {}): Promise<TargetResult<Outcome>[]> {
    const stop = this.stopStep((name) => targets.some((t) => t.name === name && desiredOf(t) === 'stopped'), deadlines(options.timeoutS));
    const started = new Started();
    return this.apply(
      targets,
      async (target, found, before) => {
        const want = desiredOf(target);
        if (want === 'running') return this.ensureRunning(target, found, 'started', options, started);
        if (want === 'stopped') return stop(target, found, before);
        return 'no desired state';
      },
      this.settleJudge(started, options),
    );
  }

  /** What `converge` would do for each target, from one look at the host; changes nothing. */
  async planConverge(targets: readonly Target[], desiredOf: (target: Target) => DesiredState | undefined): Promise<TargetResult<Outcome>[]> {
    const found = await findContainers(this.docker, targets, this.registryId);
    const now = new Date();
    return targets.map((target) => {
      const seen = found.get(target.name);
      const status = statusFromFound(target, seen, now);
      try {
        const want = desiredOf(target);
        const container = ours(target, seen);
        let action: Action = 'no desired state';
        if (want === 'stopped') action = container && STOPPABLE.has(container.state) ? 'stopped' : 'already stopped';
        if (want === 'running') {
          if (!container) action = 'created';
          else if (container.labels[HASH_LABEL] !== planRun(target.config, target.parsed, this.ctx).hash) action = 'recreated';
          else action = container.state === 'running' ? 'already running' : 'started';
        }
        return { name: target.name, host: target.host, ok: true, value: { action, status } };
      } catch (err) {
        const code = err instanceof MsmError ? err.code : 'ERROR';
        return { name: target.name, host: target.host, ok: false, value: { status }, error: { message: errorMessage(err), code } };
      }
    });
  }

  /** A stop step that stops, in one docker call, every running container of ours among `included`. */
  private stopStep(included: (name: string) => boolean, limits: Deadlines): Step {
    let batch: Promise<{ failures: Map<string, string>; timedOut: boolean }> | undefined;
    return async (target, found, before) => {
      const container = ours(target, found);
      if (!container || !STOPPABLE.has(container.state)) return 'already stopped';
      batch ??= this.stopAll(before, included, limits);
      const { failures, timedOut } = await batch;
      const failure = failures.get(container.id);
      if (failure === undefined) return 'stopped';
      const message = `docker stop on ${this.docker.host} ${failure}`;
      if (timedOut) throw new DeadlineError(message, 'stopped', (after) => after === undefined || !STOPPABLE.has(after.state));
      throw new DockerError(`docker stop failed on ${this.docker.host}: ${failure}`);
    };
  }

  /** Stop every running container of ours in `found` whose server is included; returns the failures by container id. */
  private async stopAll(found: ReadonlyMap<string, Found>, included: (name: string) => boolean, limits: Deadlines): Promise<{ failures: Map<string, string>; timedOut: boolean }> {
    const containers = [...found].flatMap(([name, f]) => (f.kind === 'ours' && included(name) && STOPPABLE.has(f.container.state) ? [f.container] : []));
    // Long enough for the slowest container's own stop timeout (docker kills it after that).
    const timeoutMs = limits.stop(containers.map((c) => c.stopTimeout));
    const result = await this.docker.exec(buildStop(containers.map((c) => c.id)), { timeoutMs });
    const stopped = new Set(result.stdout.split('\n').map((line) => line.trim()));
    const errorLines = result.stderr.split('\n').filter(Boolean);
    const failures = new Map<string, string>();
    for (const { id } of containers) {
      if (stopped.has(id)) continue;
      failures.set(id, result.timedOut ? timedOutAfter(timeoutMs) : (errorLines.find((line) => line.includes(id.slice(0, 12))) ?? dockerErrorLine(result.stderr)));
    }
    return { failures, timedOut: Boolean(result.timedOut) };
  }

  /** Remove the containers (for `mcp remove --purge`); a foreign container is left alone. */
  remove(targets: readonly Target[]): Promise<TargetResult<Outcome>[]> {
    return this.apply(targets, async (target, found) => {
      const container = ours(target, found);
      if (!container) return 'nothing to remove';
      await this.docker.check(buildRemove(container.id, { force: true }), { timeoutMs: deadlines().quick() });
      return 'removed';
    });
  }

  private async ensureRunning(target: Target, found: Found | undefined, verb: 'started' | 'restarted', options: StartOptions, started: Started): Promise<Action> {
    const plan = planRun(target.config, target.parsed, this.ctx);
    const adopted = options.adopt && found?.kind === 'foreign' ? found.container : undefined;
    const container = adopted ?? ours(target, found);
    const limits = deadlines(options.timeoutS);
    const creator = new ContainerCreator(this.docker, limits);
    if (!container) {
      started.add(target, await creator.createAndStart(plan));
      return 'created';
    }
    if (adopted || options.recreate || container.labels[HASH_LABEL] !== plan.hash) {
      // Judged here rather than with the others: a replacement that dies must bring the old one back.
      await creator.replace(container, plan, async (id) => {
        const failure = (await watchSettle(this.docker, [{ target, id }], Date.now(), options.settleMs ?? DEFAULT_SETTLE_MS)).get(id);
        if (failure) throw failure;
      });
      return adopted ? 'adopted' : 'recreated';
    }
    if (verb === 'restarted') {
      await this.docker.check(buildRestart(container.id), { timeoutMs: limits.stop([container.stopTimeout]) + limits.quick() });
      started.add(target, container.id);
      return 'restarted';
    }
    if (container.state === 'running') return 'already running';
    await this.docker.check(container.state === 'paused' ? buildUnpause(container.id) : buildStart(container.id), { timeoutMs: limits.quick() });
    started.add(target, container.id);
    return 'started';
  }

  /**
   * Look once, act on each target (bounded), look once more for the outcome (after the settle
   * window, when there is one, which is judged from that same look). A host whose engine cannot
   * be asked fails every target with that reason.
   */
  private async apply(targets: readonly Target[], step: Step, settle?: SettleJudge): Promise<TargetResult<Outcome>[]> {
    const before = await findContainers(this.docker, targets, this.registryId);
    const stepped = await mapBounded(targets, PER_HOST_CONCURRENCY, async (target) => {
      if (this.interrupted?.aborted) return { target, error: new InterruptedError() };
      try {
        return { target, action: await step(target, before.get(target.name), before) };
      } catch (err) {
        // A docker client ended by a signal was caught by the user's Ctrl-C at its spawn, before it
        // left our process group (our own handler may not have run yet): it died before it could
        // act, so the target was not begun.
        const caughtAtSpawn = err instanceof MsmError && err.code === 'DOCKER_KILLED';
        return { target, error: caughtAtSpawn ? new InterruptedError() : err };
      }
    });
    await settle?.wait();
    const after = await findContainers(this.docker, targets, this.registryId);
    // A started container that did not survive the settle window turns its success into a failure.
    const verdicts = settle ? await settle.judge(after) : new Map<string, Error>();
    const actions = stepped.map((done) => {
      const failure = verdicts.get(done.target.name);
      return failure ? { target: done.target, error: failure } : done;
    });
    const now = new Date();
    return actions.map(({ target, action, error }) => {
      const seen = after.get(target.name);
      const status = statusFromFound(target, seen, now);
      if (action) return { name: target.name, host: target.host, ok: true, value: { action, status } };
      if (error instanceof DeadlineError) {
        // The engine may have finished after we stopped waiting: the state read now decides.
        const container = seen?.kind === 'ours' ? seen.container : undefined;
        if (error.reached(container)) return { name: target.name, host: target.host, ok: true, value: { action: error.action, status } };
        const message = `${error.message}; it is still ${status.state ?? status.status} (docker may still be working on it)`;
        return { name: target.name, host: target.host, ok: false, value: { status }, error: { message, code: error.code } };
      }
      const code = error instanceof MsmError ? error.code : 'ERROR';
      return { name: target.name, host: target.host, ok: false, value: { status }, error: { message: errorMessage(error), code } };
    });
  }
}

/** The settle window of a start: waited for before apply's last look, then judged from it. */
interface SettleJudge {
  wait(): Promise<void>;
  judge(after: ReadonlyMap<string, Found>): Promise<Map<string, Error>>;
}

/** The containers of a look at the host, by id. */
function snapshotsById(found: ReadonlyMap<string, Found>): Map<string, ContainerSnapshot> {
  return new Map([...found.values()].flatMap((f) => (f.kind === 'absent' ? [] : [[f.container.id, f.container] as const])));
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
    return new Map(
      this.list.flatMap(({ target, id }) => {
        const failure = failures.get(id);
        return failure ? [[target.name, failure] as const] : [];
      }),
    );
  }
}

/** The container this registry owns, if any; another's (or an unadopted one) is never touched. */
function ours(target: Target, found: Found | undefined) {
  if (found?.kind === 'foreign') throw new MsmError(foreignContainerMessage(target, found.owner), 'NOT_OURS');
  return found?.kind === 'ours' ? found.container : undefined;
}
