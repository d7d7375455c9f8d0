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

export class LogManager {
  constructor(
    private readonly docker: DockerClient,
    private readonly registryId: string,
  ) {}

  /** The last lines (both streams, in order), filtered by the query. */
  async recent(target: Target, query: LogQuery = {}, knownId?: string): Promise<LogLine[]> {
    const id = knownId ?? (await containerIdOf(this.docker, target, this.registryId));
    const args = buildLogs(id, { tail: query.tail ?? 100, timestamps: true, ...(query.since ? { since: query.since } : {}) });
    const result = await this.docker.exec(args);
    if (result.exitCode !== 0) throw this.docker.failed(args, result);
    return mergeLogStreams(result.stdout, result.stderr).filter((line) => matchesQuery(line, query));
  }

  /** Follow new output until `signal` aborts; each matching line goes to `onLine` as it arrives. */
  async follow(target: Target, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    const id = await containerIdOf(this.docker, target, this.registryId);
    const args = buildLogs(id, { tail: query.tail ?? 100, timestamps: true, follow: true, ...(query.since ? { since: query.since } : {}) });
    const splitter = (stream: LogStream) =>
      new LineSplitter((raw) => {
        const line = parseLogLine(raw, stream);
        if (matchesQuery(line, query)) onLine(line);
      });
    const out = splitter('stdout');
    const err = splitter('stderr');
    const result = await this.docker.stream(args, { onStdout: (c) => out.push(c), onStderr: (c) => err.push(c), signal });
    out.flush();
    err.flush();
    if (!signal.aborted && result.exitCode !== 0) throw this.docker.failed(args, result);
  }
}
