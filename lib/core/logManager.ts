/** Container output: recent lines, filtered, or followed live. */
import type { DockerClient } from './dockerClient.js';
import { buildLogs } from './docker/commands.js';
import { LineSplitter, looksLikeError, mergeLogStreams, parseLogLine, type LogLine, type LogStream } from './docker/parseLogs.js';
import { MsmError, NotFoundError } from '../errors.js';
import { findContainers, foreignContainerMessage } from './statusMonitor.js';
import type { Target } from './target.js';

export interface LogQuery {
  tail?: number | 'all';
  since?: string;
  grep?: string;
  errorsOnly?: boolean;
}

export function matchesQuery(line: LogLine, query: LogQuery): boolean {
  if (query.errorsOnly && !looksLikeError(line)) return false;
  if (query.grep !== undefined && !line.text.includes(query.grep)) return false;
  return true;
}

/** Reading is harmless, so a pre-id container made for this server is read too; another registry's is not. */
async function containerIdOf(docker: DockerClient, target: Target, registryId: string): Promise<string> {
  const found = (await findContainers(docker, [target], registryId)).get(target.name);
  if (found?.kind === 'ours' || (found?.kind === 'foreign' && found.owner === undefined)) return found.container.id;
  if (found?.kind === 'foreign') throw new MsmError(foreignContainerMessage(target, found.owner), 'NOT_OURS');
  throw new NotFoundError(`server "${target.name}" has no container on ${target.host} (start it with \`mcp start ${target.name}\`)`, 'NO_CONTAINER');
}

/** A container's last lines (both streams, in order), filtered by the query. */
export async function recentLines(docker: DockerClient, id: string, query: LogQuery = {}): Promise<LogLine[]> {
  const args = buildLogs(id, { tail: query.tail ?? 100, timestamps: true, ...(query.since ? { since: query.since } : {}) });
  const result = await docker.exec(args);
  if (result.exitCode !== 0) throw docker.failed(args, result);
  return mergeLogStreams(result.stdout, result.stderr).filter((line) => matchesQuery(line, query));
}

export class LogManager {
  constructor(
    private readonly docker: DockerClient,
    private readonly registryId: string,
  ) {}

  /** The server's container's last lines, filtered by the query. */
  async recent(target: Target, query: LogQuery = {}): Promise<LogLine[]> {
    return recentLines(this.docker, await containerIdOf(this.docker, target, this.registryId), query);
  }

  /**
   * Follow new output until `signal` aborts; each matching line goes to `onLine` as it arrives.
   * When the container stops or is replaced (restart, recreate, crash), wait for one of ours to
   * run again and go on from just after the last line seen, so a follow lasts until Ctrl-C.
   */
  async follow(target: Target, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal, options: FollowOptions = {}): Promise<void> {
    let id = await containerIdOf(this.docker, target, this.registryId);
    let window: { tail: number | 'all'; since?: string } = { tail: query.tail ?? 100, ...(query.since ? { since: query.since } : {}) };
    let last: string | undefined;
    for (;;) {
      const args = buildLogs(id, { ...window, timestamps: true, follow: true });
      const splitter = (stream: LogStream) =>
        new LineSplitter((raw) => {
          const line = parseLogLine(raw, stream);
          // `--since` includes its own instant: the line seen last before re-attaching comes again.
          if (last !== undefined && line.time && !isAfter(line.time, last)) return;
          if (line.time) last = line.time;
          if (matchesQuery(line, query)) onLine(line);
        });
      const out = splitter('stdout');
      const err = splitter('stderr');
      const result = await this.docker.stream(args, { onStdout: (c) => out.push(c), onStderr: (c) => err.push(c), signal });
      out.flush();
      err.flush();
      if (signal.aborted) return;
      if (result.exitCode !== 0) throw this.docker.failed(args, result);
      if (options.reattach === false) return;
      const running = await this.waitForRunning(target, signal, options.pollMs ?? 1000);
      if (!running) return;
      options.onReattach?.(running.id);
      id = running.id;
      window = { tail: 'all', since: last ?? running.startedAt ?? new Date().toISOString() };
    }
  }

  /** Poll until one of ours runs for the target; undefined when aborted first. */
  private async waitForRunning(target: Target, signal: AbortSignal, pollMs: number): Promise<{ id: string; startedAt?: string } | undefined> {
    while (!signal.aborted) {
      const found = (await findContainers(this.docker, [target], this.registryId).catch(() => undefined))?.get(target.name);
      if (found?.kind === 'ours' && found.container.state === 'running') {
        return { id: found.container.id, ...(found.container.startedAt ? { startedAt: found.container.startedAt } : {}) };
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
    return undefined;
  }
}

export interface FollowOptions {
  /** Keep following across restarts and recreations (default true). */
  reattach?: boolean;
  pollMs?: number;
  /** Told the new container's id each time the follow moves on to it. */
  onReattach?: (containerId: string) => void;
}

/** Whether docker time `a` is later than `b` (RFC 3339, UTC; docker trims trailing zeros of the nanoseconds). */
export function isAfter(a: string, b: string): boolean {
  const padded = (time: string) => time.replace(/(\.\d+)?Z$/, (_, fraction: string | undefined) => `.${(fraction ?? '.').slice(1).padEnd(9, '0')}Z`);
  return padded(a) > padded(b);
}
