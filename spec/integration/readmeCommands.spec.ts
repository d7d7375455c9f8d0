/**
 * Commands pasted from real MCP servers' READMEs survive `add` and come out of
 * `start --dry-run --json` with the same image and the same trailing arguments.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDockerCommand } from '../../lib/core/docker/parseRun.js';
import { dropsAutoRemove } from '../../lib/core/docker/runPlan.js';
import { ROOT, Sandbox } from './harness.js';

interface ReadmeCommand {
  source: string;
  command: string;
  image: string;
  args: string[];
}

const commands = JSON.parse(fs.readFileSync(path.join(ROOT, 'spec/fixtures/readme-commands.json'), 'utf8')) as ReadmeCommand[];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.create();
});
afterAll(async () => {
  await sandbox.dispose();
});

it('has 20 commands', () => {
  expect(commands).toHaveLength(20);
});

it.each(commands.map((c, i) => [c.source, i, c] as const))('%s: add then start --dry-run keeps image and arguments', async (_source, index, entry) => {
  const name = `readme-${index}`;
  const add = await sandbox.mcp(['add', name, '--command', entry.command]);
  // None of these images is on the test engine (no registry is reachable), which add points out;
  // and most READMEs say --rm, which mcp leaves out (add says so too).
  const parsed = parseDockerCommand(entry.command);
  const rmNotice = dropsAutoRemove(parsed)
    ? 'warning: --rm is left out when mcp starts this server: a managed container outlives a crash so `mcp get`/`mcp log` can show its exit code and logs\n'
    : '';
  expect(add.stderr).toBe(`${rmNotice}warning: image ${parsed.image} is not found locally on localhost; \`mcp pull ${name}\` or \`mcp start ${name} --pull\`\n`);
  expect(add.exitCode).toBe(0);
  // Give every referenced variable a value so the plan can be made (the values never show).
  const referenced = [...entry.command.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
  const passedThrough = parseDockerCommand(entry.command)
    .options.filter((o) => o.long === 'env' && o.value !== undefined && !o.value.includes('='))
    .map((o) => o.value as string);
  const variables = Object.fromEntries([...referenced, ...passedThrough].map((v) => [v, 'x']));
  const plan = await sandbox.mcp(['start', name, '--dry-run', '--json'], { ...variables, HOME: '/home/test' });
  expect(plan.exitCode).toBe(0);
  const [planned] = JSON.parse(plan.stdout) as Array<{ argv: string[] }>;
  const argv = planned?.argv ?? [];
  const tail = argv.slice(argv.length - entry.args.length - 1);
  expect(tail).toEqual([entry.image, ...entry.args]);
  expect(argv.slice(0, 3)).toEqual(['docker', 'run', '--detach']);
  expect(argv).toContain(`--label=msm.name=${name}`);
});
