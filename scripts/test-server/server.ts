// A small, real MCP server for integration tests: bundled by scripts/build-test-images.sh into the
// `msm-test-mcp` image (FROM scratch, node is PID 1, so it must end itself on SIGTERM).
//
// Streamable HTTP on $PORT by default; with the argument `--stdio` (or MCP_TRANSPORT=stdio) it
// speaks MCP on stdin/stdout instead, as `docker run -i --rm msm-test-mcp --stdio`, and ends when
// stdin closes. Only stdio mode adds the `sleep` and `started` tools (HTTP mode keeps exactly
// whoami and echo, which existing tests count): `sleep` answers after a delay with its tag, so
// concurrency tests can show that each caller gets its own answer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod/v4';

const port = Number(process.env.PORT ?? '8080');
const stdioMode = process.argv.includes('--stdio') || process.env.MCP_TRANSPORT === 'stdio';
// Tells restarted containers apart in tests (a new process, a new value).
const startedAt = new Date().toISOString();
// Log tests need stderr lines to filter (`mcp log --errors`): one at start, one per request.
const emitStderr = process.env.EMIT_STDERR !== undefined;

function buildMcpServer(): McpServer {
  const server = new McpServer({ name: 'msm-test-mcp', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'Returns the WHO environment variable of the container, or "nobody"' },
    async () => ({ content: [{ type: 'text', text: process.env.WHO || 'nobody' }] }),
  );
  server.registerTool(
    'echo',
    { description: 'Returns its text argument', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  if (stdioMode) registerStdioTools(server);
  return server;
}

function registerStdioTools(server: McpServer): void {
  server.registerTool(
    'sleep',
    {
      description: 'Waits ms milliseconds (at most 60000), then returns "<tag> after <ms> ms"',
      inputSchema: { ms: z.number().int().min(0).max(60_000), tag: z.string().default('') },
    },
    async ({ ms, tag }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { content: [{ type: 'text', text: `${tag} after ${ms} ms` }] };
    },
  );
  server.registerTool(
    'started',
    { description: 'Returns when this server process started (ISO time)' },
    async () => ({ content: [{ type: 'text', text: startedAt }] }),
  );
}

/** stdout belongs to MCP in stdio mode: diagnostics go to stderr. */
async function serveStdio(): Promise<void> {
  const server = buildMcpServer();
  const transport = new StdioServerTransport();
  process.stdin.on('end', () => process.exit(0));
  await server.connect(transport);
  console.error('msm-test-mcp speaking MCP on stdio');
  if (emitStderr) console.error('error: emitted on start (EMIT_STDERR is set)');
}

// Stateless mode: the SDK refuses to reuse a stateless transport, so each POST gets its own
// transport and server, both closed when the response ends.
async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const server = buildMcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
}

const httpServer = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  console.log(`request ${req.method} ${path}`);
  if (emitStderr) console.error(`error: emitted on request ${req.method} ${path}`);
  if (path === '/healthz' && req.method === 'GET') {
    sendText(res, 200, 'ok');
  } else if (path === '/mcp' && req.method === 'POST') {
    handleMcp(req, res).catch((error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error');
    });
  } else if (path === '/mcp') {
    sendText(res, 405, 'method not allowed');
  } else {
    sendText(res, 404, 'not found');
  }
});

function shutdown(): void {
  if (stdioMode) process.exit(0);
  httpServer.close(() => process.exit(0));
  httpServer.closeAllConnections();
  // Never let a hung connection turn `docker stop` into a 10 s wait for SIGKILL.
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

if (stdioMode) {
  serveStdio().catch((error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
} else {
  if (emitStderr) console.error('error: emitted on start (EMIT_STDERR is set)');
  httpServer.listen(port, '0.0.0.0', () => {
    console.log(`msm-test-mcp listening on :${port}`);
  });
}
