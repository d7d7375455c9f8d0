/**
 * MCP clients for the gateway tests: the official SDK client spawning `mcp connect` the way an MCP
 * client application does, and the stdio-capable test image on the namespace hosts.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, docker, ROOT, type Sandbox, TEST_IMAGE } from './harness.js';
import { hostDocker, type TestHost } from './fleetHarness.js';

const run = promisify(execFile);

/** The SDK client with `node dist/mcp.js connect <name>` as its server process. */
export async function connectClient(sandbox: Sandbox, name: string, vars: NodeJS.ProcessEnv = {}): Promise<Client> {
  const client = new Client({ name: 'msm-gateway-spec', version: '0.0.0' });
  const env = { ...process.env, MSM_REGISTRY: sandbox.registry, MSM_HOSTS: path.join(sandbox.dir, 'hosts.yaml'), ...vars } as Record<string, string>;
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'connect', name], env, cwd: sandbox.dir, stderr: 'ignore' }));
  return client;
}

export function textOf(result: unknown): string {
  const content = (result as { content?: unknown }).content as Array<{ type: string; text?: string }> | undefined;
  return content?.map((part) => part.text ?? '').join('') ?? '';
}

/** The test image as this tree's scripts/test-server builds it (other trees may have rebuilt it). */
export async function buildTestImage(): Promise<void> {
  await run('bash', [path.join(ROOT, 'scripts/build-test-images.sh')], { maxBuffer: 16 * 1024 * 1024 });
}

/**
 * This tree's test image under a tag of the sandbox's own, which no other tree's rebuild of the
 * shared tag can change under a running test. Remove it with `docker rmi` when done.
 */
export async function privateTestImage(sandbox: Sandbox): Promise<string> {
  await buildTestImage();
  const tag = `${TEST_IMAGE.split(':')[0]}:${sandbox.prefix}`;
  const tagged = await docker(['tag', TEST_IMAGE, tag]);
  if (tagged.exitCode !== 0) throw new Error(`docker tag ${TEST_IMAGE} ${tag} failed: ${tagged.stderr}`);
  return tag;
}

/** Copies the test image into a namespace host's engine when its id differs there. */
export async function ensureTestImageOn(h: TestHost): Promise<void> {
  const want = (await docker(['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE])).stdout.trim();
  const have = (await hostDocker(h, ['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE])).stdout.trim();
  if (want === have) return;
  await run('sh', ['-c', `docker save ${TEST_IMAGE} | DOCKER_HOST=${h.dockerHost} docker load -q`], { maxBuffer: 16 * 1024 * 1024 });
}

/** Command lines of the processes on this machine (the namespace hosts share its PID namespace). */
export async function processLines(): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'args'], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.split('\n');
}
