/**
 * Errors as HTTP answers: `{error: {message, code}}` with the status the error's class means.
 * A user's mistake is always a 4xx with the same message the CLI prints; 5xx is left for the
 * service's own faults (502/504 when a host or docker failed), and those never carry a stack.
 */
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MsmError } from '../../errors.js';
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

/**
 * The HTTP status each error code means, the same whether the error was thrown or came back as
 * one target's failure. Codes not listed are a user's input refused (400): every code the service
 * or a host can fail with is listed, so a fault is never answered as the caller's mistake.
 */
const STATUS_BY_CODE: ReadonlyMap<string, number> = new Map([
  ...codes(404, 'NOT_FOUND', 'NO_CONTAINER', 'NO_SUCH_HOST', 'NO_ROUTE'),
  // The state the request met: taken, in use, someone else's container, another mcp at work.
  ...codes(409, 'ALREADY_EXISTS', 'CONFLICT', 'HOST_IN_USE', 'NAME_CONFLICT', 'NOT_OURS', 'NOT_RUNNING', 'BUSY'),
  // Well-formed, but the command or the registered config cannot be run as it is.
  ...codes(422, 'COMMAND_REFUSED', 'MISSING_VARIABLE'),
  ...codes(503, 'INTERRUPTED'),
  ...codes(500, 'ERROR', 'INTERNAL', 'BAD_FILE', 'FILE_CHANGED', 'FILE_CORRUPT', 'FILE_INVALID', 'FILE_LOCKED', 'FILE_UNREADABLE', 'FILE_UNWRITABLE'),
  // The host's or docker's failure: unreachable, refused, docker failed or the container did.
  ...codes(
    502,
    'HOST_UNREACHABLE', 'ENGINE_UNREACHABLE', 'PROGRAM_NOT_FOUND', 'SSH_AUTH', 'SSH_CONFIG', 'SSH_CONNECT', 'SSH_EXEC', 'HOST_KEY_REJECTED',
    'DOCKER_FAILED', 'DOCKER_KILLED', 'RECREATE_FAILED', 'EXITED_AFTER_START', 'NOT_READY', 'UNHEALTHY',
  ),
  ...codes(504, 'DOCKER_TIMEOUT', 'TIMED_OUT'),
]);

function codes(status: number, ...names: string[]): Array<[string, number]> {
  return names.map((name) => [name, status]);
}

export function statusForCode(code: string): number {
  return STATUS_BY_CODE.get(code) ?? 400;
}

export function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.statusCode;
  if (err instanceof MsmError) return statusForCode(err.code);
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
