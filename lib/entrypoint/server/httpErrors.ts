/**
 * Errors as HTTP answers: `{error: {message, code}}` with the status the error's class means.
 * A user's mistake is always a 4xx with the same message the CLI prints; 5xx is left for the
 * service's own faults (502/504 when a host or docker failed), and those never carry a stack.
 */
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DockerError, FileError, HostUnreachableError, MsmError, NotFoundError, ValidationError } from '../../errors.js';
import { describeSchemaErrors } from '../../data/validate.js';

/** An error that knows its HTTP status (auth, refused commands). */
export class HttpError extends MsmError {
  constructor(
    readonly statusCode: number,
    message: string,
    code: string,
  ) {
    super(message, code, statusCode < 500 ? 2 : 1);
  }
}

const CONFLICT_CODES = new Set(['ALREADY_EXISTS', 'HOST_IN_USE', 'NAME_CONFLICT']);

export function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.statusCode;
  if (err instanceof ValidationError) return CONFLICT_CODES.has(err.code) ? 409 : 400;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof HostUnreachableError) return 502;
  if (err instanceof DockerError) return err.code === 'DOCKER_TIMEOUT' ? 504 : 502;
  if (err instanceof FileError) return 500;
  if (err instanceof MsmError) return CONFLICT_CODES.has(err.code) ? 409 : 500;
  return 500;
}

export interface ErrorBody {
  error: { message: string; code: string };
}

export function errorBody(message: string, code: string): ErrorBody {
  return { error: { message, code } };
}

/** fastify's own errors (bad JSON, too large, wrong content type, schema validation) as 4xx. */
function fromFastify(err: FastifyError): { status: number; body: ErrorBody } | undefined {
  if (err.validation) {
    const where = err.validationContext ?? 'request';
    return { status: 400, body: errorBody(`${where}: ${describeSchemaErrors(err.validation as never)}`, 'INVALID_INPUT') };
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, body: errorBody(err.message, err.code ?? 'BAD_REQUEST') };
  }
  return undefined;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = err instanceof MsmError ? { status: statusOf(err), body: errorBody(err.message, err.code) } : fromFastify(err);
    if (known) {
      if (known.status >= 500) request.log.warn({ code: known.body.error.code, msg: known.body.error.message }, 'request failed');
      return reply.status(known.status).send(known.body);
    }
    request.log.error({ err }, 'internal error');
    return reply.status(500).send(errorBody('internal error (see the service log)', 'INTERNAL'));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody(`no route ${request.method} ${request.url.split('?')[0]}`, 'NO_ROUTE')));
}

/**
 * Requests refused before routing (a path parameter over fastify's length limit, a malformed
 * URL): the same error body as everything else.
 */
export function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  void reply.status(status).send(errorBody(err.message, err.code ?? 'BAD_REQUEST'));
}

/**
 * Requests node's HTTP parser refuses (headers or URL too large, garbage on the wire): answered on
 * the socket directly, in the API's error shape, then closed.
 */
export function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'the request line or headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request was not received in time']
        : [400, 'Bad Request', 'the request could not be parsed'];
  const body = JSON.stringify(errorBody(message, 'BAD_REQUEST'));
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  socket.destroy(err);
}
