/**
 * `docker logs --timestamps` output -> log lines. docker writes the container's stdout to its
 * stdout and the container's stderr to its stderr; with timestamps on both, the two streams can be
 * merged back into the order the container wrote them. Pure.
 */

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  stream: LogStream;
  /** RFC 3339 with nanoseconds, as docker prints it; empty when the line had none. */
  time: string;
  text: string;
}

const TIMESTAMPED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/s;

export function parseLogLine(line: string, stream: LogStream): LogLine {
  const match = TIMESTAMPED.exec(line);
  return match ? { stream, time: match[1] ?? '', text: match[2] ?? '' } : { stream, time: '', text: line };
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Merge both streams by time (stable: same-time lines keep their stream's order). */
export function mergeLogStreams(stdout: string, stderr: string): LogLine[] {
  const lines = [
    ...splitLines(stdout).map((line) => parseLogLine(line, 'stdout')),
    ...splitLines(stderr).map((line) => parseLogLine(line, 'stderr')),
  ];
  return lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => (a.line.time < b.line.time ? -1 : a.line.time > b.line.time ? 1 : a.index - b.index))
    .map(({ line }) => line);
}

/** Lines a reader hunting for a failure wants: everything on stderr, and stdout lines that say error. */
const ERROR_WORDS = /\b(error|fatal|panic|exception|traceback|failed|failure|critical)\b/i;

export function looksLikeError(line: LogLine): boolean {
  return line.stream === 'stderr' || ERROR_WORDS.test(line.text);
}

/**
 * Splits a live stream into whole lines: feed it chunks, it calls back once per complete line and
 * keeps the unfinished tail for the next chunk.
 */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.replace(/\r$/, ''));
  }

  flush(): void {
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}
