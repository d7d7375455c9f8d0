// Benchmarks of the built `mcp` against the floor it runs on, each pair measured in the same run,
// alternating (mcp, floor, mcp, floor, ...) and reported as medians. Writes BENCHMARKS.md; the
// section `serve` runs scripts/bench-serve.mjs (the `mcp serve` figures, their own part of the
// file) and `gateway` scripts/bench-gateway.mjs (the MCP gateway's, likewise). Needs: a running docker engine, the test images and the namespace test hosts (scripts/bench
// sets them up). Benchmarks are not tests: nothing here fails on a slow figure; it reports.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, ROOT, countingPath, docker, mcpOut as runMcp, median, writeReport as writeBenchmarks } from './bench-lib.mjs';

const IMAGE = 'msm-busybox:latest';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SLOW_RUNS = Number(process.env.BENCH_SLOW_RUNS ?? 3);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'msm-bench-'));
const prefix = `bench${process.pid.toString(36)}`;
const results = [];

function log(line) {
  process.stderr.write(`bench: ${line}\n`);
}

/** Wall time of one command in ms; throws when it fails. */
function timeOnce(file, args, env = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(file, args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'], cwd: work });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return ms;
}

/**
 * Alternate `subject` and `floor` `runs` times (after one warm-up of each) and record the medians.
 * Each side is a function that returns its own elapsed ms (so set-up can stay outside the clock).
 */
function compare({ figure, subject, floor, runs = RUNS, target, note = '' }) {
  subject();
  floor();
  const s = [];
  const f = [];
  for (let i = 0; i < runs; i++) {
    s.push(subject());
    f.push(floor());
  }
  const row = { figure, subject: median(s), floor: median(f), runs, target, note };
  row.ratio = row.subject / row.floor;
  results.push(row);
  log(`${figure}: ${row.subject.toFixed(0)} ms vs ${row.floor.toFixed(0)} ms (${row.ratio.toFixed(2)}x)`);
  return row;
}

function mcpEnv(registry, extra = {}) {
  return { MSM_REGISTRY: registry, MSM_HOSTS: path.join(work, 'hosts.yaml'), ...extra };
}

function mcp(args, env) {
  return timeOnce(process.execPath, [CLI, ...args], env);
}

function mcpOut(args, env) {
  return runMcp(args, { env, cwd: work });
}

/** A registry with `count` busybox servers on `host`, all started; returns their names. */
function fleet(registry, count, { host = 'localhost', tag = host, start = true } = {}) {
  const names = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${tag}-${i}`;
    names.push(name);
    mcpOut(['add', name, '--host', host, '--command', `docker run --init ${IMAGE} sleep 3600`], mcpEnv(registry));
  }
  if (start) mcpOut(['start', '--all'], mcpEnv(registry));
  return names;
}

function cleanup(registry) {
  try {
    mcpOut(['stop', '--all', '--json'], mcpEnv(registry));
  } catch {
    /* best effort */
  }
  const ids = docker(['ps', '-aq', '--filter', 'label=msm.name']).split('\n').filter(Boolean);
  for (const id of ids) {
    // The engine is shared: another run's container may be gone between ps and inspect.
    let name = '';
    try {
      name = docker(['inspect', '--format', '{{index .Config.Labels "msm.name"}}', id]).trim();
    } catch {
      continue;
    }
    if (name.startsWith(prefix)) docker(['rm', '-f', id]);
  }
}

/** The note for a count of docker processes and its target. */
function processes(count, target) {
  return `${count} docker process${count === 1 ? '' : 'es'} (target ≤ ${target})`;
}

function peakRssMiB(args, env) {
  const out = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', cwd: work });
  const kib = Number(out.stderr.trim().split('\n').at(-1));
  return kib / 1024;
}

// ---------------------------------------------------------------------------------------------

function benchStartup() {
  const node = () => timeOnce(process.execPath, ['-e', '0']);
  compare({ figure: '`mcp --version` vs `node -e 0`', subject: () => mcp(['--version']), floor: node, target: 2.5 });
  compare({ figure: '`mcp --help` vs `node -e 0`', subject: () => mcp(['--help']), floor: node, target: null });
}

function benchList() {
  const counter = countingPath(work);
  for (const count of [1, 10, 50]) {
    const registry = path.join(work, `list-${count}.yaml`);
    const names = fleet(registry, count, { tag: `l${count}` });
    const env = mcpEnv(registry);
    compare({
      figure: `\`mcp list --json\`, ${count} server${count > 1 ? 's' : ''}`,
      subject: () => mcp(['list', '--json'], env),
      floor: () => timeOnce('sh', ['-c', 'node -e 0 && docker inspect "$@" >/dev/null', 'sh', ...names]),
      target: 1.8,
    });
    mcp(['list', '--json'], { ...env, ...counter.env });
    results.at(-1).note = processes(counter.take(), 3);
    if (count === 1 || count === 50) {
      // The first run after an install or an upgrade (or with MSM_CACHE=off): no compiled code and no
      // parsed registry in the cache yet; that run writes them.
      compare({
        figure: `\`mcp list --json\`, ${count} server${count > 1 ? 's' : ''}, first run (empty cache)`,
        subject: () => mcp(['list', '--json'], { ...env, MSM_CACHE: fs.mkdtempSync(path.join(work, 'cache-')) }),
        floor: () => timeOnce('sh', ['-c', 'node -e 0 && docker inspect "$@" >/dev/null', 'sh', ...names]),
        target: null,
      });
    }
    if (count === 10) {
      compare({
        figure: '`mcp list --stats --json`, 10 servers',
        subject: () => mcp(['list', '--stats', '--json'], env),
        floor: () => timeOnce('docker', ['stats', '--no-stream', ...names]),
        runs: SLOW_RUNS,
        target: null,
      });
      mcp(['list', '--stats', '--json'], { ...env, ...counter.env });
      results.at(-1).note = processes(counter.take(), 4);
    }
    if (count === 50) {
      const rss = peakRssMiB(['list', '--json'], env);
      results.push({ figure: '`mcp list --json`, 50 servers: peak RSS', value: `${rss.toFixed(1)} MiB`, target: '< 150 MiB', met: rss < 150 });
      log(`peak RSS ${rss.toFixed(1)} MiB`);
    }
    cleanup(registry);
  }
}

function benchStartStop() {
  const count = 20;
  const registry = path.join(work, 'startstop.yaml');
  const names = fleet(registry, count, { tag: 'ss', start: false });
  const env = mcpEnv(registry);
  const removeAll = () => {
    const ids = names.flatMap((name) => docker(['ps', '-aq', '--filter', `name=^${name}$`]).split('\n').filter(Boolean));
    if (ids.length) docker(['rm', '-f', ...ids]);
  };
  const xargs = (verb) => {
    const lines = verb === 'run' ? names.map((n) => `run -d --init --name ${n} ${IMAGE} sleep 3600`) : names.map((n) => `stop ${n}`);
    return timeOnce('sh', ['-c', `printf '%s\\n' "$@" | xargs -P4 -L1 docker >/dev/null`, 'sh', ...lines]);
  };
  removeAll();
  compare({
    figure: `\`mcp start --all\`, ${count} servers (create)`,
    subject: () => {
      removeAll();
      return mcp(['start', '--all', '--json'], env);
    },
    floor: () => {
      removeAll();
      // A start is judged after its settle window (2 s): a container that dies at once is a failure.
      return xargs('run') + timeOnce('sleep', ['2']);
    },
    runs: SLOW_RUNS,
    target: 1.3,
    note: 'floor: `docker run -d` of the same commands, 4 at a time (xargs -P4), then the 2 s settle window',
  });
  compare({
    figure: `\`mcp stop --all\`, ${count} servers`,
    subject: () => {
      removeAll();
      mcpOut(['start', '--all', '--json'], env);
      return mcp(['stop', '--all', '--json'], env);
    },
    floor: () => {
      removeAll();
      xargs('run');
      return xargs('stop');
    },
    runs: SLOW_RUNS,
    target: 1.3,
    note: 'floor: `docker stop`, 4 at a time (xargs -P4)',
  });
  removeAll();
  cleanup(registry);
}

function benchFleet() {
  const envFile = '/var/lib/msm-test-hosts/env.json';
  const hostsEnv = JSON.parse(fs.readFileSync(envFile, 'utf8'));
  const home = path.join(work, 'home');
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const key = path.join(home, '.ssh/id_ed25519');
  fs.copyFileSync(hostsEnv.clientKey, key);
  fs.chmodSync(key, 0o600);
  fs.writeFileSync(path.join(home, '.ssh/known_hosts'), hostsEnv.hosts.map((h) => `${h.address} ${h.hostKey}`).join('\n') + '\n');
  fs.writeFileSync(
    path.join(work, 'hosts.yaml'),
    `hosts:\n${hostsEnv.hosts.map((h) => `  ${h.name}:\n    address: ${h.address}\n    user: ${h.user}\n`).join('')}`,
  );
  const registry = path.join(work, 'fleet.yaml');
  const env = mcpEnv(registry, { HOME: home, SSH_AUTH_SOCK: '' });
  const byHost = new Map();
  for (const h of hostsEnv.hosts) {
    const names = [];
    for (let i = 0; i < 10; i++) {
      const name = `${prefix}-${h.name}-${i}`;
      names.push(name);
      execFileSync(process.execPath, [CLI, 'add', name, '--host', h.name, '--command', `docker run --init ${IMAGE} sleep 3600`], { env: { ...process.env, ...env } });
    }
    byHost.set(h, names);
  }
  execFileSync(process.execPath, [CLI, 'start', '--all', '--json'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  execFileSync('bash', [path.join(ROOT, 'scripts/test-hosts.sh'), 'latency', '50ms'], { stdio: 'ignore' });
  try {
    const sshInspect = (h, names) =>
      timeOnce('ssh', ['-i', key, '-o', `UserKnownHostsFile=${path.join(home, '.ssh/known_hosts')}`, '-o', 'BatchMode=yes', `${h.user}@${h.address}`, 'docker', 'inspect', ...names]);
    compare({
      figure: '`mcp list --json`, 3 SSH hosts × 10 servers, +50 ms per link',
      subject: () => mcp(['list', '--json'], env),
      floor: () => Math.max(...[...byHost].map(([h, names]) => sshInspect(h, names))),
      runs: SLOW_RUNS + 2,
      target: 1.5,
      note: 'floor: the slowest single `ssh host docker inspect <its 10>` (new connection each)',
    });
  } finally {
    execFileSync('bash', [path.join(ROOT, 'scripts/test-hosts.sh'), 'latency', 'off'], { stdio: 'ignore' });
    spawnSync(process.execPath, [CLI, 'stop', '--all', '--json'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    for (const [h, names] of byHost) spawnSync('docker', ['rm', '-f', ...names], { env: { ...process.env, DOCKER_HOST: h.dockerHost }, stdio: 'ignore' });
  }
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  const dockerVersion = docker(['version', '--format', 'client {{.Client.Version}}, engine {{.Server.Version}}']).trim();
  const storage = docker(['info', '--format', '{{.Driver}}']).trim();
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; node ${process.version}; docker ${dockerVersion} (${storage})`;
}

function writeReport() {
  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts/bench.mjs). Each figure is measured side by side with its',
    'floor in the same run, alternating the two; medians of the runs shown. Ratios over the target',
    'are marked and explained below.',
    '',
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| figure | mcp | floor | ratio | target | runs | notes |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    if (r.value !== undefined) {
      lines.push(`| ${r.figure} | ${r.value} | | | ${r.target} ${r.met ? '✔' : '✘'} | 1 | |`);
      continue;
    }
    const target = r.target === null ? '—' : `≤ ${r.target}× ${r.ratio <= r.target ? '✔' : '✘'}`;
    lines.push(`| ${r.figure} | ${fmt(r.subject)} | ${fmt(r.floor)} | ${r.ratio.toFixed(2)}× | ${target} | ${r.runs} | ${r.note} |`);
  }
  lines.push('');
  // Why a missed target is missed and what would fix it: written by hand after a run.
  const notesFile = path.join(ROOT, 'scripts/bench-notes.md');
  const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8') : '';
  // The `mcp serve` and MCP gateway figures are written by scripts/bench-serve.mjs and
  // scripts/bench-gateway.mjs into their own marked sections, which are kept.
  writeBenchmarks(`${lines.join('\n')}\n\n${notes}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
try {
  if (want('startup')) benchStartup();
  if (want('list')) benchList();
  if (want('startstop')) benchStartStop();
  if (want('fleet')) benchFleet();
  if (only.length === 0 || only.some((name) => name !== 'serve' && name !== 'gateway')) writeReport();
  // `mcp serve` (scripts/bench-serve.mjs; alone: npm run bench:serve).
  if (want('serve')) execFileSync(process.execPath, [path.join(ROOT, 'scripts/bench-serve.mjs')], { stdio: 'inherit' });
  // The MCP gateway (scripts/bench-gateway.mjs; alone: npm run bench:gateway).
  if (want('gateway')) execFileSync(process.execPath, [path.join(ROOT, 'scripts/bench-gateway.mjs')], { stdio: 'inherit' });
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
