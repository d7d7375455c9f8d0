/** `mcp version`: this tool, Node and the docker client, as text and as JSON. */
import fs from 'node:fs/promises';
import { docker, ROOT, Sandbox } from './harness.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.create();
});

afterAll(async () => {
  await sandbox.dispose();
});

it('reports the package, Node and docker client versions', async () => {
  const pkg = JSON.parse(await fs.readFile(`${ROOT}/package.json`, 'utf8')) as { version: string };
  const client = (await docker(['version', '--format', '{{.Client.Version}}'])).stdout.trim();
  const versions = await sandbox.mcpJson<Record<string, unknown>>(['version']);
  expect(versions).toEqual({ version: pkg.version, node: process.versions.node, docker: client });
  const text = await sandbox.mcp(['version']);
  expect(text.stdout).toBe(`mcp ${pkg.version}\nnode ${process.versions.node}\ndocker ${client}\n`);
});

it('says when there is no docker client', async () => {
  const versions = await sandbox.mcpJson<Record<string, unknown>>(['version'], { PATH: '/nonexistent' });
  expect(versions.docker).toBeNull();
});
