/**
 * An MCP transport over an interactive process on some host (`docker attach`, `docker run -i`):
 * messages are lines on its stdin and stdout. The SDK's Client and our bridges speak through it.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { InteractiveProcess } from '../exec/executor.js';
import { LineReader, serializeLine } from './jsonRpcLines.js';

export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;
  private stderrTail = '';

  constructor(private readonly process: InteractiveProcess) {}

  /** Fed with the process's stderr, so an early exit can be explained (docker's reason). */
  noteStderr(chunk: string): void {
    this.stderrTail = (this.stderrTail + chunk).slice(-2000);
  }

  /** The last thing the process said on stderr (docker's reason for failing, usually). */
  get lastError(): string {
    return this.stderrTail.trim().split('\n').at(-1)?.trim() ?? '';
  }

  start(): Promise<void> {
    const reader = new LineReader((message) => this.onmessage?.(message));
    this.process.stdout.on('data', (chunk: Buffer | string) => reader.push(chunk));
    this.process.stdout.on('error', () => undefined);
    void this.process.exited.then(() => this.finish());
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error(this.lastError || 'the connection to the server has ended'));
    return new Promise((resolve, reject) => {
      this.process.stdin.write(serializeLine(message), (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): Promise<void> {
    this.process.stop();
    return this.process.exited.then(() => undefined);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
