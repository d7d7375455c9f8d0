/** Whether a local TCP port can be bound: what `mcp doctor` asks before a server would fail to start. */
import net from 'node:net';

export function portFree(port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: address, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
