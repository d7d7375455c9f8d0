/** `add` checks what it can before storing: a host port another server publishes, an unpublished --port, a missing image. */
import { freePort, Sandbox, TEST_IMAGE } from './harness.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.create();
});

afterAll(async () => {
  await sandbox.dispose();
});

it('a server whose image is here and whose --port is published is added without a word', async () => {
  const port = await freePort();
  const result = await sandbox.mcp(['add', sandbox.name('first'), '--port', String(port), '--command', `docker run -d -p 127.0.0.1:${port}:8080 ${TEST_IMAGE}`]);
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toBe('');

  // The same host port again, on the same host: refused, naming the server that has it.
  const before = await sandbox.readRegistry();
  const clash = await sandbox.mcp(['add', sandbox.name('second'), '--command', `docker run -d -p ${port}:9090 ${TEST_IMAGE}`]);
  expect(clash.exitCode).toBe(2);
  expect(clash.stderr).toContain(`host port ${port}/tcp on localhost is already published by server "${sandbox.name('first')}"`);
  expect(await sandbox.readRegistry()).toBe(before);
});

it('warns about a --port the command does not publish', async () => {
  const port = await freePort();
  const result = await sandbox.mcp(['add', sandbox.name('unpublished'), '--port', String(port), '--command', `docker run -d ${TEST_IMAGE}`]);
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toContain(`warning: --port ${port} is not published by the command (it publishes: none)`);
});

it('says when the image is not on the host, and still registers the server', async () => {
  const name = sandbox.name('absent-image');
  const result = await sandbox.mcp(['add', name, '--command', 'docker run -d msm-no-such-image:1.0']);
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toContain(`warning: image msm-no-such-image:1.0 is not found locally on localhost; \`mcp pull ${name}\` or \`mcp start ${name} --pull\``);
  expect(await sandbox.readRegistry()).toContain(name);
});
