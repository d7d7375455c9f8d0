/** Gateway failures as JSON-RPC errors, so an MCP client shows the reason instead of a bare status. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SERVER_UNAVAILABLE } from '../../../core/mcp/jsonRpc.js';

/** The id of a single JSON-RPC request body, or null (notifications, batches, GET). */
function requestIdOf(body: unknown): string | number | null {
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * A request with an id gets 200 and a JSON-RPC error response (its answer); anything else gets
 * `status` with the same body, as the Streamable HTTP transport does for its own errors. With
 * `always`, the status is kept whatever the request (an unknown session is 404 so clients
 * initialize again).
 */
export function replyRpcError(request: FastifyRequest, reply: FastifyReply, status: number, message: string, code = SERVER_UNAVAILABLE, always = false): FastifyReply {
  const id = requestIdOf(request.body);
  return reply
    .status(id === null || always ? status : 200)
    .header('content-type', 'application/json')
    .send({ jsonrpc: '2.0', id, error: { code, message } });
}
