/**
 * The whole round trip of issue #12: a Claude Desktop config is imported, its stdio server started,
 * `mcp export --client claude-desktop --write` wires the config back to msm (the server answered
 * initialize, so no --force), and the SDK client started from the written entry lists the tools.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, docker, Sandbox } from './harness.js';
import { privateTestImage } from './mcpHarness.js';

let sandbox: Sandbox;
let image: string;
let client: Client | undefined;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  image = await privateTestImage(sandbox);
}, 180_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await sandbox.dispose();
  await docker(['rmi', image]);
});

it('import, start, export --write into a copy, then the SDK client runs the written entry and lists the tools', async () => {
  const name = sandbox.name('probe');
  const config = [
    '// Claude Desktop',
    '{',
    '  "globalShortcut": "Alt+Space", // mine',
    '  "mcpServers": {',
    `    "${name}": {`,
    '      "command": "docker",',
    `      "args": ["run", "-i", "--rm", "-e", "WHO", "${image}", "--stdio"],`,
    '      "env": { "WHO": "round-trip-user" }, // a literal: goes to .env',
    '    },',
    '    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] },',
    '  },',
    '}',
    '',
  ].join('\n');
  const original = path.join(sandbox.dir, 'claude_desktop_config.json');
  const copy = path.join(sandbox.dir, 'copy.json');
  await fs.writeFile(original, config);
  await fs.writeFile(copy, config);

  expect((await sandbox.mcp(['import', original])).exitCode).toBe(0);
  // No --wait: export's health check is the first attach to the server (see clientImport.spec.ts).
  expect((await sandbox.mcp(['start', name])).exitCode).toBe(0);

  const exported = await sandbox.mcp(['export', '--client', 'claude-desktop', '--servers', name, '--write', copy]);
  expect([exported.exitCode, exported.stderr]).toEqual([0, '']);
  const text = await fs.readFile(copy, 'utf8');
  for (const kept of ['// Claude Desktop', '"globalShortcut": "Alt+Space", // mine', '"memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] },']) expect(text).toContain(kept);
  expect(text).not.toContain('round-trip-user');

  const entry = (parse(text, [], { allowTrailingComma: true }) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers[name];
  expect(entry?.command).toBe('mcp');
  expect(entry?.args.slice(0, 2)).toEqual(['connect', name]);
  // The client runs the entry as written; `mcp` is this tree's built CLI. Nothing in its
  // environment points at the sandbox: the written args name the registry themselves.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MSM_'))) as Record<string, string>;
  client = new Client({ name: 'claude-desktop-stand-in', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, ...(entry?.args ?? [])], env, cwd: '/', stderr: 'ignore' }));
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['whoami', 'echo']));
  const who = await client.callTool({ name: 'whoami', arguments: {} });
  expect(JSON.stringify(who)).toContain('round-trip-user');
});
