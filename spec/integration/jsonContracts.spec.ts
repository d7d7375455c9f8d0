/**
 * The published contract (docs/schemas/<command>.json) against what the built CLI really prints
 * with --json, on the real engine: every document must validate, and `mcp schema` prints the same.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { BUSYBOX_IMAGE, freePort, ROOT, Sandbox, TEST_IMAGE } from './harness.js';

let sandbox: Sandbox;
const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();

async function validatorFor(schema: string): Promise<ValidateFunction> {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(JSON.parse(await fs.readFile(path.join(ROOT, 'docs/schemas', `${schema}.json`), 'utf8')) as object);
    validators.set(schema, validate);
  }
  return validate;
}

/** Run with --json, parse stdout, and require it to match the command's published schema. */
async function expectContract(schema: string, args: readonly string[]): Promise<unknown> {
  const result = await sandbox.mcp([...args, '--json']);
  const document = JSON.parse(result.stdout) as unknown;
  const validate = await validatorFor(schema);
  if (!validate(document)) throw new Error(`mcp ${args.join(' ')} --json does not match docs/schemas/${schema}.json: ${ajv.errorsText(validate.errors)}\n${result.stdout}`);
  return document;
}

let web: string;
let idle: string;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  web = sandbox.name('web');
  idle = sandbox.name('idle');
  const port = await freePort();
  await expectContract('add', ['add', web, '--port', String(port), '--command', `docker run -d -p 127.0.0.1:${port}:8080 ${TEST_IMAGE}`]);
  await expectContract('add', ['add', idle, '--command', `docker run -d ${BUSYBOX_IMAGE} sh -c "echo up; sleep 300"`]);
  await expectContract('start', ['start', '--all', '--wait', '--timeout', '60']);
});

afterAll(async () => {
  await sandbox.dispose();
});

it('get, list, log and health documents match their schemas, with the machine-readable fields', async () => {
  const one = (await expectContract('get', ['get', web])) as { status: { uptime_seconds: number; health: { latency_ms: number; status: string }; health_status?: string } };
  expect(one.status.uptime_seconds).toEqual(expect.any(Number));
  expect(one.status.health.status).toBe('healthy');
  expect(one.status.health.latency_ms).toBeGreaterThan(0);
  expect(one.status.health_status).toBeUndefined();
  await expectContract('get', ['get', web, idle]);
  await expectContract('list', ['list']);
  await expectContract('list', ['list', '--stats', '--wide']);
  await expectContract('log', ['log', idle]);
  await expectContract('log', ['log', '--all']);
  await expectContract('health', ['health', '--all']);
  await expectContract('start', ['start', web, '--dry-run']);
  await expectContract('up', ['up', '--all']);
});

it('stop and restart, an exited container, and remove match theirs; exit_code is a number', async () => {
  await expectContract('stop', ['stop', idle]);
  const stopped = (await expectContract('get', ['get', idle])) as { status: { exit_code?: number; status: string } };
  expect(stopped.status.status).toBe('stopped');
  expect(typeof stopped.status.exit_code).toBe('number');
  await expectContract('restart', ['restart', idle]);
  await expectContract('remove', ['remove', idle, '--purge']);
});

it('hosts, version and the error document match theirs', async () => {
  await expectContract('hosts-add', ['hosts', 'add', 'contract-box', '--address', '127.0.0.1', '--user', 'nobody']);
  await expectContract('hosts-list', ['hosts', 'list']);
  await expectContract('hosts-check', ['hosts', 'check', 'localhost']);
  await expectContract('hosts-remove', ['hosts', 'remove', 'contract-box']);
  await expectContract('version', ['version']);
  const failed = await sandbox.mcp(['get', 'nosuch', '--json']);
  expect(failed.exitCode).toBe(2);
  const validate = await validatorFor('error');
  expect(validate(JSON.parse(failed.stderr))).toBe(true);
});

it('`mcp schema <command>` prints the published schema', async () => {
  for (const [args, file] of [[['get'], 'get'], [['hosts', 'check'], 'hosts-check']] as const) {
    const printed = await sandbox.mcp(['schema', ...args]);
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).toBe(await fs.readFile(path.join(ROOT, 'docs/schemas', `${file}.json`), 'utf8'));
  }
  const listed = await sandbox.mcp(['schema']);
  expect(listed.stdout.split('\n')).toEqual(expect.arrayContaining(['get', 'list', 'hosts check', 'error']));
  const unknown = await sandbox.mcp(['schema', 'nosuch']);
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toContain('no schema for "nosuch"');
});
