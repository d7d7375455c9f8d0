/**
 * The test image itself: msm-test-mcp must be a real MCP server over Streamable HTTP, reachable
 * through a published port, whose logs say it started. Everything else in the integration suite
 * leans on that, so this is where a broken image shows up first.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const IMAGE = 'msm-test-mcp:latest';
const START_LINE = 'msm-test-mcp listening on :8080';
const container = `msm-it-testserver-${process.pid}-${Date.now().toString(36)}`;

async function docker(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
}

async function dockerLogs(): Promise<string> {
  const { stdout, stderr } = await docker('logs', container);
  return stdout + stderr;
}

async function waitForStartLine(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await dockerLogs()).includes(START_LINE)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${container} did not log "${START_LINE}" within ${timeoutMs} ms:\n${await dockerLogs()}`);
}

describe('msm-test-mcp image', () => {
  let url: URL;
  let client: Client;

  beforeAll(async () => {
    // Cheap when nothing changed; makes the image match the server.ts under test.
    await run('bash', [path.join(ROOT, 'scripts/build-test-images.sh')]);
    // Docker picks the free host port, so parallel runs never race for one.
    await docker('run', '-d', '--name', container, '--label', 'msm.test=testServer', '-p', '127.0.0.1::8080', '-e', 'WHO=alice', IMAGE);
    const { stdout } = await docker('port', container, '8080/tcp');
    const hostPort = stdout.split('\n').find((line) => line.startsWith('127.0.0.1:'));
    if (!hostPort) throw new Error(`no 127.0.0.1 port published for ${container}: ${stdout}`);
    url = new URL(`http://${hostPort}/mcp`);
    await waitForStartLine(20_000);

    client = new Client({ name: 'msm-spec', version: '0.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url));
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await docker('rm', '-f', container).catch(() => undefined);
  });

  it('initializes as msm-test-mcp 1.0.0', () => {
    expect(client.getServerVersion()).toEqual({ name: 'msm-test-mcp', version: '1.0.0' });
  });

  it('lists exactly the whoami and echo tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'whoami']);
  });

  it('answers whoami with the WHO environment variable of the container', async () => {
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'alice' }]);
  });

  it('echoes its text argument', async () => {
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hello there' } });
    expect(result.content).toEqual([{ type: 'text', text: 'hello there' }]);
  });

  it('logs its start-up line and each request to docker logs', async () => {
    const logs = await dockerLogs();
    expect(logs).toContain(START_LINE);
    expect(logs).toContain('request POST /mcp');
  });
});
