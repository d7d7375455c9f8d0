// Benchmarks of `mcp serve` (issue #10), each beside its floor in the same run. Loopback only,
// bounded in count and time. Run alone with `npm run bench:serve [api] [fleet50]`; `npm run bench`
// runs it too. Writes its own section of BENCHMARKS.md (between the serve markers).
//
//   api      50 concurrent clients × 10 s of GET /api/v1/servers over 20 running servers:
//            requests/s, p50/p99, errors, and docker processes started per host per second
//            (a counting `docker` first on the service's PATH). Floor: GET /healthz under the same
//            load (the HTTP stack and auth alone). Also with --reuse-ms 0 (single flight only).
//   fleet50  GET /api/v1/servers over 50 SSH hosts × 10 servers with warm connections vs a cold
//            `mcp list` in the same run. The 50 hosts are 50 sshd ports on 127.0.0.1 (4 sshd,
//            at most 16 ListenAddress each) logging in as the test hosts' user msm (/bin/sh, group
//            docker) and sharing the local engine. Floor: the 50 `docker inspect`s alone.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { CLI, countingPath, docker, freePort, mcpOut, median, runCleanups, startService as startServe, writeSection as writeMarkedSection } from './bench-lib.mjs';

const IMAGE = 'msm-busybox:latest';
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const CLIENTS = 50;
const RUNS = Number(process.env.BENCH_SLOW_RUNS ?? 5);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'msm-bench-serve-'));
const prefix = `bsrv${process.pid.toString(36)}`;
const rows = [];
const cleanups = [];

function log(line) {
  process.stderr.write(`bench-serve: ${line}\n`);
}

function mcpSync(args, env) {
  return mcpOut(args, { env, cwd: work });
}

/** `mcp serve` on a free loopback port, stopped at the end if not before. */
async function startService(env, args = []) {
  const service = await startServe({ env, cwd: work, args });
  cleanups.push(service.stop);
  return service;
}

function load(url, token) {
  return autocannon({ url, connections: CLIENTS, duration: LOAD_SECONDS, headers: { authorization: `Bearer ${token}` } });
}

function summarize(result) {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  };
}

function removeContainers(names) {
  for (let i = 0; i < names.length; i += 100) spawnSync('docker', ['rm', '-f', ...names.slice(i, i + 100)], { stdio: 'ignore' });
}

// ---------------------------------------------------------------------------------------------

async function benchApi() {
  const registry = path.join(work, 'api.yaml');
  const env = { MSM_REGISTRY: registry, MSM_HOSTS: path.join(work, 'hosts.yaml') };
  const names = Array.from({ length: 20 }, (_, i) => `${prefix}-api-${i}`);
  cleanups.push(() => removeContainers(names));
  for (const name of names) mcpSync(['add', name, '--command', `docker run --init --stop-timeout=1 ${IMAGE} sleep 3600`], env);
  mcpSync(['start', '--all', '--json'], env);
  const token = JSON.parse(mcpSync(['token', 'create', 'bench-api', '--role', 'viewer', '--json'], env)).token;
  const counter = countingPath(work);

  for (const reuse of ['1000', '0']) {
    const service = await startService({ ...env, ...counter.env }, ['--reuse-ms', reuse]);
    // Warm up (first registry read, first inspect), then count only the measured window.
    await fetch(`${service.url}/api/v1/servers`, { headers: { authorization: `Bearer ${token}` } });
    counter.take();
    const floor = summarize(await load(`${service.url}/healthz`, token));
    const subject = summarize(await load(`${service.url}/api/v1/servers`, token));
    const dockerPerSecond = counter.take() / LOAD_SECONDS;
    await service.stop();
    log(`GET /api/v1/servers (reuse ${reuse} ms): ${subject.rps.toFixed(0)} req/s p50 ${subject.p50} ms p99 ${subject.p99} ms, ${subject.errors} errors, ${dockerPerSecond.toFixed(2)} docker/s; /healthz ${floor.rps.toFixed(0)} req/s`);
    rows.push({
      figure: `GET /api/v1/servers, 20 servers, ${CLIENTS} clients × ${LOAD_SECONDS} s${reuse === '0' ? ', --reuse-ms 0 (single flight only)' : ''}`,
      subject: `${subject.rps.toFixed(0)} req/s; p50 ${subject.p50} ms, p99 ${subject.p99} ms; ${subject.errors} errors`,
      floor: `GET /healthz: ${floor.rps.toFixed(0)} req/s; p50 ${floor.p50} ms, p99 ${floor.p99} ms`,
      target: reuse === '0' ? '—' : `errors 0 ${subject.errors === 0 ? '✔' : '✘'}; ≤ 2 docker/host/s ${dockerPerSecond <= 2 ? '✔' : '✘'}`,
      note: `${dockerPerSecond.toFixed(2)} docker processes per host per second (${subject.total} requests)`,
    });
  }
  mcpSync(['stop', '--all', '--json'], env);
}

// ---------------------------------------------------------------------------------------------

function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** 50 sshd ports on 127.0.0.1 (4 daemons), a client HOME that trusts them, and hosts.yaml. */
async function simulatedHosts(count) {
  const dir = path.join(work, 'sshd');
  fs.mkdirSync(dir, { recursive: true });
  // sshd reads the authorized keys as the user logging in, through every directory above them.
  fs.chmodSync(work, 0o755);
  fs.chmodSync(dir, 0o755);
  const hostKey = path.join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const home = path.join(work, 'home');
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const clientKey = path.join(home, '.ssh/id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o644);
  const ports = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const hostPub = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  fs.writeFileSync(path.join(home, '.ssh/known_hosts'), ports.map((port) => `[127.0.0.1]:${port} ${hostPub}`).join('\n') + '\n');
  for (let d = 0; d * 16 < ports.length; d++) {
    const mine = ports.slice(d * 16, d * 16 + 16);
    const config = path.join(dir, `sshd_config_${d}`);
    fs.writeFileSync(
      config,
      [
        ...mine.map((port) => `ListenAddress 127.0.0.1:${port}`),
        `HostKey ${hostKey}`,
        `PidFile ${path.join(dir, `sshd_${d}.pid`)}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        // The key files live under /tmp (world-writable, sticky), which StrictModes refuses.
        'StrictModes no',
        'AllowUsers msm',
        'MaxStartups 200:30:400',
        'MaxSessions 100',
        'UseDNS no',
        'PrintMotd no',
        'LogLevel ERROR',
      ].join('\n') + '\n',
    );
    const sshd = spawn('/usr/sbin/sshd', ['-D', '-f', config, '-E', path.join(dir, `sshd_${d}.log`)], { stdio: 'ignore' });
    cleanups.push(() => sshd.kill('SIGTERM'));
  }
  const deadline = Date.now() + 15_000;
  for (const port of ports) {
    while (!(await accepts(port))) {
      if (Date.now() > deadline) throw new Error(`sshd on 127.0.0.1:${port} did not come up; see ${dir}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const hostsYaml = ['hosts:', ...ports.flatMap((port, i) => [`  sim${String(i).padStart(2, '0')}:`, '    address: 127.0.0.1', `    port: ${port}`, '    user: msm'])];
  fs.writeFileSync(path.join(work, 'fleet-hosts.yaml'), hostsYaml.join('\n') + '\n');
  return { home, aliases: ports.map((_, i) => `sim${String(i).padStart(2, '0')}`) };
}

async function benchFleet50() {
  const { home, aliases } = await simulatedHosts(50);
  const registry = path.join(work, 'fleet50.yaml');
  const env = { MSM_REGISTRY: registry, MSM_HOSTS: path.join(work, 'fleet-hosts.yaml'), HOME: home, SSH_AUTH_SOCK: '' };
  // 500 registrations written at once (500 `mcp add`s would take minutes); each server's container
  // is created, not started: listing inspects it the same way, without 500 running processes.
  const stamp = new Date().toISOString();
  const names = [];
  const lines = ['version: 1', 'servers:'];
  for (const alias of aliases) {
    for (let j = 0; j < 10; j++) {
      const name = `${prefix}-${alias}-${j}`;
      names.push(name);
      lines.push(`  ${name}:`, '    config:', `      name: ${name}`, `      docker_command: docker run --init ${IMAGE} sleep 3600`, `      host: ${alias}`, `      created_at: "${stamp}"`, `      updated_at: "${stamp}"`, '    status:', '      status: stopped');
    }
  }
  fs.writeFileSync(registry, lines.join('\n') + '\n');
  cleanups.push(() => removeContainers(names));
  log('creating 500 containers (created, not started)');
  execFileSync('sh', ['-c', `printf '%s\\n' "$@" | xargs -P4 -I{} docker create --name {} --label msm.name={} ${IMAGE} sleep 3600 >/dev/null`, 'sh', ...names], { stdio: 'ignore' });
  const byHost = aliases.map((_, i) => names.slice(i * 10, i * 10 + 10));

  const token = JSON.parse(mcpSync(['token', 'create', 'bench-fleet', '--role', 'viewer', '--json'], env)).token;
  // Hosts at once: the service can afford all 50 (warm); `mcp list` keeps its default (8).
  const service = await startService(env, ['--reuse-ms', '0', '--parallel', '50']);
  const get = async () => {
    const started = performance.now();
    const response = await fetch(`${service.url}/api/v1/servers`, { headers: { authorization: `Bearer ${token}` } });
    const servers = await response.json();
    const ms = performance.now() - started;
    const unknown = servers.filter((s) => s.status?.status === 'unknown').length;
    if (response.status !== 200 || servers.length !== 500 || unknown > 0) throw new Error(`GET /api/v1/servers: ${response.status}, ${servers.length} servers, ${unknown} unknown (${servers.find((s) => s.status?.status === "unknown")?.status?.error})`);
    return ms;
  };
  const cold = () => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [CLI, 'list', '--json'], { env: { ...process.env, ...env }, cwd: work, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
    if (result.status !== 0) throw new Error(`mcp list failed (${result.status}): ${result.stderr}`);
    return performance.now() - started;
  };
  const inspectFloor = () => {
    const started = performance.now();
    execFileSync('sh', ['-c', `printf '%s\\n' "$@" | xargs -P50 -L1 docker inspect >/dev/null`, 'sh', ...byHost.map((group) => group.join(' '))]);
    return performance.now() - started;
  };
  log('warming the connections');
  await get();
  const warm = [];
  const colds = [];
  const floors = [];
  for (let i = 0; i < RUNS; i++) {
    warm.push(await get());
    colds.push(cold());
    floors.push(inspectFloor());
  }
  await service.stop();
  const w = median(warm);
  const c = median(colds);
  const f = median(floors);
  log(`50 hosts × 10: warm GET ${w.toFixed(0)} ms, cold mcp list ${c.toFixed(0)} ms, 50 docker inspects alone ${f.toFixed(0)} ms`);
  rows.push({
    figure: 'GET /api/v1/servers, 50 SSH hosts × 10 servers, warm connections (--reuse-ms 0, --parallel 50)',
    subject: `${w.toFixed(0)} ms`,
    floor: `cold \`mcp list --json\`: ${c.toFixed(0)} ms; the 50 \`docker inspect\`s alone, all at once, no SSH: ${f.toFixed(0)} ms`,
    target: `≤ 500 ms ${w <= 500 ? '✔' : '✘'}`,
    note: `medians of ${RUNS} runs, alternating; ${(c / w).toFixed(1)}× faster than cold`,
  });
}

// ---------------------------------------------------------------------------------------------

// Why a missed target is missed: written by hand after a run, kept with the code that measures.
const NOTES = [
  '**50 hosts in ≤ 0.5 s (missed here, by the machine).** The 50 simulated hosts share this',
  "machine's 2 cores, so their 50 `docker inspect` processes (the docker CLI costs about 40 ms of",
  'CPU each) cannot run at once: the floor beside the figure, the same 50 inspects started all at',
  'once with no SSH and no mcp, takes as long or longer than the warm request. The warm connections',
  'do their part: the handshakes are gone (the cold `mcp list` pays 50 of them, 8 at a time) and',
  'what is left is one exec round trip per host. On a real fleet each host runs its own inspect on',
  'its own CPU, so the request costs about one round trip plus one inspect (about 0.1 s on loopback),',
  'well inside the target. The service takes `--parallel 50` here; its default (8) is the CLI\'s.',
  '',
  '**GET /servers under load.** Requests are served from the shared observation (at most one',
  'inspect per host per second); p99 is set by the requests that queue behind the refresh once a',
  'second. With `--reuse-ms 0` every request still shares the inspect in flight (single flight)',
  'but starts a new one as soon as it lands, hence more docker processes and lower throughput.',
  '',
];

function writeSection() {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, docker ${docker(['version', '--format', '{{.Server.Version}}']).trim()}`;
  const section = [
    '## `mcp serve`',
    '',
    `Written by \`npm run bench:serve\` (scripts/bench-serve.mjs) on ${new Date().toISOString().slice(0, 10)}, ${machine}. Loopback only.`,
    '',
    '| figure | mcp serve | floor (same run) | target | notes |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.subject} | ${r.floor} | ${r.target} | ${r.note} |`),
    '',
    ...NOTES,
  ].join('\n');
  writeMarkedSection('serve', section);
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
try {
  if (want('api')) await benchApi();
  if (want('fleet50')) await benchFleet50();
  writeSection();
} finally {
  await runCleanups(cleanups);
  fs.rmSync(work, { recursive: true, force: true });
}
