/**
 * One log line per request, after the response: method, route, status, time and the token's name
 * (never the token). fastify's own two lines per request are turned off in favour of this one.
 * Human-readable lines by default; JSON lines (pino's) with --json, for journald and log shippers.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), token: request.principal?.name },
      'request',
    );
  });
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** pino writes JSON lines; this turns each into `time level message key=value ...` for people. */
export function humanLogStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          out.write(`${formatRecord(JSON.parse(line) as Record<string, unknown>)}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'v']);

function formatRecord(record: Record<string, unknown>): string {
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString() : '';
  const level = LEVELS[record.level as number] ?? String(record.level);
  if (record.msg === 'request') {
    return `${time} ${level} ${record.method} ${record.url} ${record.status} ${record.ms} ms${record.token ? ` token=${record.token}` : ''}`;
  }
  const extra = Object.entries(record)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [time, level, record.msg, ...extra].filter(Boolean).join(' ');
}
