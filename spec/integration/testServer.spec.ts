/**
 * The test image itself: msm-test-mcp must be a real MCP server over Streamable HTTP, reachable
 * through a published port, whose logs say it started; with `--stdio`, one on stdin/stdout that
 * leaves when stdin closes. Everything else in the integration suite leans on that, so this is
 * where a broken image shows up first.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
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

describe('msm-test-mcp image in stdio mode', () => {
  let client: Client;
  const stdioContainer = `${container}-stdio`;

  beforeAll(async () => {
    await run('bash', [path.join(ROOT, 'scripts/build-test-images.sh')]);
    client = new Client({ name: 'msm-spec', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({ command: 'docker', args: ['run', '-i', '--rm', '--name', stdioContainer, '--label', 'msm.test=testServer', IMAGE, '--stdio'], stderr: 'ignore' }),
    );
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await docker('rm', '-f', stdioContainer).catch(() => undefined);
  });

  it('adds the sleep and started tools to whoami and echo', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'sleep', 'started', 'whoami']);
  });

  it('answers concurrent sleeps each with its own tag, the shorter first', async () => {
    const order: string[] = [];
    const call = (tag: string, ms: number) =>
      client.callTool({ name: 'sleep', arguments: { ms, tag } }).then((result) => {
        order.push(tag);
        return result.content;
      });
    const [slow, fast] = await Promise.all([call('slow', 600), call('fast', 50)]);
    expect(slow).toEqual([{ type: 'text', text: 'slow after 600 ms' }]);
    expect(fast).toEqual([{ type: 'text', text: 'fast after 50 ms' }]);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('ends, and its --rm container goes, when stdin closes', async () => {
    await client.close();
    await waitForGone(stdioContainer, 10_000);
  });
});

async function waitForGone(name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout } = await docker('ps', '-aq', '--filter', `name=^${name}$`);
    if (stdout.trim() === '') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`container ${name} still exists after ${timeoutMs} ms`);
}
