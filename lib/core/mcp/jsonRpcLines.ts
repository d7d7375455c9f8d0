/**
 * MCP's stdio framing: one JSON-RPC message per line, UTF-8, no embedded newlines. Lines that are
 * not JSON (a server printing a banner on stdout) are handed to `onNoise` instead of breaking the
 * stream.
 */
import { StringDecoder } from 'node:string_decoder';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export function serializeLine(message: JSONRPCMessage): string {
  return `${JSON.stringify(message)}\n`;
}

export class LineReader {
  private buffered = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly onMessage: (message: JSONRPCMessage) => void,
    private readonly onNoise: (line: string) => void = () => undefined,
  ) {}

  push(chunk: Buffer | string): void {
    this.buffered += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline).replace(/\r$/, '');
      this.buffered = this.buffered.slice(newline + 1);
      if (line.trim() !== '') this.handle(line);
      newline = this.buffered.indexOf('\n');
    }
  }

  private handle(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.onNoise(line);
      return;
    }
    if (typeof parsed === 'object' && parsed !== null && (parsed as { jsonrpc?: unknown }).jsonrpc === '2.0') this.onMessage(parsed as JSONRPCMessage);
    else this.onNoise(line);
  }
}
