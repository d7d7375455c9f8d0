/**
 * `mcp connect`'s relay: MCP lines from a client's stream (our stdin) to a server transport, and
 * the server's messages back as lines (our stdout). Nothing else is ever written to `output`.
 * Requests are relayed as they come, not one after the other, so a slow tool call never holds up
 * the next request; a request that cannot be delivered is answered with an error at once.
 */
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../../errors.js';
import { errorResponse, isRequest, SERVER_UNAVAILABLE } from './jsonRpc.js';
import { LineReader, serializeLine } from './jsonRpcLines.js';

export type BridgeEnd = 'client' | 'server';

export interface BridgeOptions {
  input: Readable;
  output: Writable;
  transport: Transport;
  /** Lines on the input that are not JSON-RPC, and delivery failures: for stderr. */
  onDiagnostic?: (line: string) => void;
}

/** Relays until one side ends; resolves with the side that ended first. */
export function bridgeStdio({ input, output, transport, onDiagnostic }: BridgeOptions): Promise<BridgeEnd> {
  return new Promise<BridgeEnd>((resolve, reject) => {
    let ended = false;
    const end = (side: BridgeEnd) => {
      if (ended) return;
      ended = true;
      input.pause();
      resolve(side);
    };
    const write = (message: JSONRPCMessage) => {
      if (!ended && output.writable) output.write(serializeLine(message));
    };
    // The negotiated protocol version, for transports that send it with every request (HTTP).
    const initializeIds = new Set<unknown>();
    const fromServer = (message: JSONRPCMessage) => {
      const id = (message as { id?: unknown }).id;
      if (initializeIds.delete(id)) {
        const version = (message as { result?: { protocolVersion?: unknown } }).result?.protocolVersion;
        if (typeof version === 'string') transport.setProtocolVersion?.(version);
      }
      write(message);
    };
    const deliver = (message: JSONRPCMessage) => {
      if (isRequest(message) && message.method === 'initialize') initializeIds.add(message.id);
      transport.send(message).catch((err: unknown) => {
        onDiagnostic?.(`could not deliver a message to the server: ${errorMessage(err)}`);
        if (isRequest(message)) write(errorResponse(message.id, SERVER_UNAVAILABLE, errorMessage(err)));
      });
    };
    const reader = new LineReader(deliver, (line) => onDiagnostic?.(`ignored a line that is not JSON-RPC: ${line.slice(0, 200)}`));
    transport.onmessage = fromServer;
    transport.onclose = () => end('server');
    transport.onerror = (err) => onDiagnostic?.(err.message);
    output.on('error', () => end('client'));
    input.on('data', (chunk: Buffer | string) => reader.push(chunk));
    input.on('end', () => end('client'));
    input.on('close', () => end('client'));
    transport.start().catch((err: unknown) => {
      ended = true;
      reject(err as Error);
    });
  });
}
