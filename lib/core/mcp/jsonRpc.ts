/** Small shape checks and builders for JSON-RPC 2.0 messages, without loading the SDK's schemas. */
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

export interface RpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface RpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}

export interface RpcResponse {
  jsonrpc: '2.0';
  id: RequestId;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

type Loose = { id?: unknown; method?: unknown };

export function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & RpcRequest {
  const m = message as Loose;
  return typeof m.method === 'string' && m.id !== undefined;
}

export function isNotification(message: JSONRPCMessage): message is JSONRPCMessage & RpcNotification {
  const m = message as Loose;
  return typeof m.method === 'string' && m.id === undefined;
}

export function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & RpcResponse {
  const m = message as Loose;
  return m.method === undefined && m.id !== undefined;
}

/** JSON-RPC's "server error" range: the gateway's own failures (server down, not running). */
export const SERVER_UNAVAILABLE = -32000;
export const METHOD_NOT_FOUND = -32601;

export function errorResponse(id: RequestId, code: number, message: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: { code, message } } as JSONRPCMessage;
}

export function resultResponse(id: RequestId, result: Record<string, unknown>): JSONRPCMessage {
  return { jsonrpc: '2.0', id, result } as JSONRPCMessage;
}
