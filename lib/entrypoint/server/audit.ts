/**
 * The audit log: one JSON line per mutating request (who, what, on which servers, how it ended,
 * how long it took), appended to a file beside the registry. The token itself is never written:
 * only its name and role.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface AuditRecord {
  time: string;
  token: string | null;
  role: string | null;
  method: string;
  route: string;
  targets: string[];
  result: number;
  duration_ms: number;
}

export class AuditLog {
  private stream: fs.WriteStream | undefined;

  constructor(
    readonly file: string,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  write(record: AuditRecord): void {
    if (!this.stream) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.stream = fs.createWriteStream(this.file, { flags: 'a', mode: 0o600 });
      this.stream.on('error', this.onError);
    }
    this.stream.write(`${JSON.stringify(record)}\n`);
  }

  close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    return stream ? new Promise((resolve) => stream.end(resolve)) : Promise.resolve();
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Writes the audit record of every mutating request once its response is sent. */
export function installAudit(app: FastifyInstance): void {
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (request.is404 || !(config.audit ?? !READ_METHODS.has(request.method))) return;
    app.msm.audit.write({
      time: new Date().toISOString(),
      token: request.principal?.name ?? null,
      role: request.principal?.role ?? null,
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      targets: targetsOf(request),
      result: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime),
    });
  });
}

/** The servers a request names: its `:name`, or a bulk body's names, `all` or host. */
function targetsOf(request: FastifyRequest): string[] {
  const params = request.params as { name?: unknown } | undefined;
  if (typeof params?.name === 'string') return [params.name];
  const body = request.body as { name?: unknown; names?: unknown; all?: unknown; host?: unknown } | undefined;
  if (!body || typeof body !== 'object') return [];
  if (Array.isArray(body.names)) return body.names.filter((n): n is string => typeof n === 'string');
  if (typeof body.name === 'string') return [body.name];
  if (body.all === true) return ['*'];
  if (typeof body.host === 'string') return [`host:${body.host}`];
  return [];
}
