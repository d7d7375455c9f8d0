// Benchmark of the MCP gateway (`/mcp/<name>` in `mcp serve`) against calling the same server
// directly, both in the same run, alternating: tools/call round trips (p50, p90) and calls per
// second with 20 concurrent sessions. Runs on its own (`npm run bench -- gateway`) and writes its
// section of BENCHMARKS.md between the gateway markers. Needs the docker engine and the test image
// (scripts/bench sets them up) and the build. Loopback only; the load is bounded (20 sessions,
// a few seconds).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLI, ROOT, freePort, mcpOut, runCleanups, startService, writeSection as writeMarkedSection } from './bench-lib.mjs';

const IMAGE = 'msm-test-mcp:latest';
const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 10);
const CALLS_PER_ROUND = Number(process.env.BENCH_GATEWAY_CALLS ?? 50);
const SESSIONS = 20;
const LOAD_MS = Number(process.env.BENCH_GATEWAY_LOAD_MS ?? 4000);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'msm-bench-gw-'));
const prefix = `benchgw${process.pid.toString(36)}`;
const env = { ...process.env, NO_COLOR: '1', MSM_REGISTRY: path.join(work, 'registry.yaml'), MSM_HOSTS: path.join(work, 'hosts.yaml') };

function log(line) {
  process.stderr.write(`bench-gateway: ${line}\n`);
}

function mcp(args) {
  return mcpOut(args, { env, cwd: work });
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function connect(transport) {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(transport);
  return client;
}

const httpClient = (url, token) => connect(new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : undefined));

/** Sequential tools/call round trips, in ms. */
async function roundTrips(client, count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}

/** Alternates the two clients round by round; p50/p90 of each side. */
async function compareLatency(figure, subject, floor, note) {
  await roundTrips(subject, 20);
  await roundTrips(floor, 20);
  const s = [];
  const f = [];
  for (let round = 0; round < ROUNDS; round++) {
    s.push(...(await roundTrips(subject, CALLS_PER_ROUND)));
    f.push(...(await roundTrips(floor, CALLS_PER_ROUND)));
  }
  const row = { figure, kind: 'latency', s50: percentile(s, 50), s90: percentile(s, 90), f50: percentile(f, 50), f90: percentile(f, 90), calls: s.length, note };
  row.added = row.s50 - row.f50;
  log(`${figure}: p50 ${row.s50.toFixed(2)} ms vs ${row.f50.toFixed(2)} ms (+${row.added.toFixed(2)} ms)`);
  return row;
}

/**
 * Calls per second: each caller calls in a loop until the time is up. The load uses minimal
 * JSON-RPC callers on both sides (fetch for the gateway, lines on a pipe for stdio), not the SDK
 * client, whose own per-call cost in this one process would be what is measured.
 */
async function throughput(callers, ms) {
  const deadline = Date.now() + ms;
  let calls = 0;
  const started = Date.now();
  await Promise.all(
    callers.map(async (call) => {
      while (Date.now() < deadline) {
        await call({ name: 'echo', arguments: { text: 'load' } });
        calls += 1;
      }
    }),
  );
  return calls / ((Date.now() - started) / 1000);
}

/** One MCP session over Streamable HTTP with plain fetch; returns a tools/call function. */
async function httpCaller(url, token) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const post = async (body, extra = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${text}`);
    return response;
  };
  const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } } });
  const session = { 'mcp-session-id': init.headers.get('mcp-session-id'), 'mcp-protocol-version': '2025-06-18' };
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
  let id = 1;
  return (params) => post({ jsonrpc: '2.0', id: id++, method: 'tools/call', params }, session);
}

/** One stdio connection (`docker run -i`) shared by any number of callers, answers matched by id. */
async function stdioCaller(name) {
  const child = spawn('docker', ['run', '-i', '--rm', '--name', name, IMAGE, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map();
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    }
  });
  let id = 0;
  const request = (method, params) =>
    new Promise((resolve) => {
      id += 1;
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return { call: (params) => request('tools/call', params), close: () => child.stdin.end() };
}

function writeSection(rows) {
  const lines = [
    '## MCP gateway (`npm run bench -- gateway`, scripts/bench-gateway.mjs)',
    '',
    `tools/call (\`echo\`) round trips through \`mcp serve\`'s \`/mcp/<name>\` and directly to the same kind of server, alternating in ${ROUNDS} rounds of ${CALLS_PER_ROUND} calls each; one SDK client per side, loopback. Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| figure | gateway | direct | added | target | notes |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    if (r.kind === 'latency') {
      const target = r.target === undefined ? '—' : `≤ ${r.target} ms ${r.added <= r.target ? '✔' : '✘'}`;
      lines.push(`| ${r.figure}: p50 (p90) | ${r.s50.toFixed(2)} ms (${r.s90.toFixed(2)}) | ${r.f50.toFixed(2)} ms (${r.f90.toFixed(2)}) | +${r.added.toFixed(2)} ms | ${target} | ${r.note} |`);
    } else {
      lines.push(`| ${r.figure} | ${r.subject.toFixed(0)} calls/s | ${r.floor.toFixed(0)} calls/s | ${(r.subject / r.floor).toFixed(2)}× of direct | — | ${r.note} |`);
    }
  }
  lines.push('', `Load while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) on ${os.cpus().length} cores, shared with other jobs.`);
  const notes = path.join(ROOT, 'scripts/bench-gateway-notes.md');
  if (fs.existsSync(notes)) lines.push('', fs.readFileSync(notes, 'utf8').trimEnd());
  writeMarkedSection('gateway', lines.join('\n'));
}

const cleanups = [];
try {
  // This tree's test image (with its stdio mode), whatever another checkout built last.
  execFileSync('bash', [path.join(ROOT, 'scripts/build-test-images.sh')], { stdio: 'ignore' });
  const stdioName = `${prefix}-stdio`;
  const httpName = `${prefix}-http`;
  const httpPort = await freePort();
  mcp(['add', stdioName, '--command', `docker run -i --rm ${IMAGE} --stdio`]);
  mcp(['add', httpName, '--port', String(httpPort), '--command', `docker run -d -p 127.0.0.1:${httpPort}:8080 ${IMAGE}`]);
  cleanups.push(() => execFileSync('docker', ['rm', '-f', stdioName, httpName], { stdio: 'ignore' }));
  mcp(['start', stdioName, httpName, '--wait', '--timeout', '60']);
  const token = JSON.parse(mcp(['token', 'create', 'bench', '--role', 'client', '--json'])).token;
  const service = await startService({ env, cwd: work });
  cleanups.push(service.stop);
  const rows = [];

  // stdio: through the shared attach vs an SDK client on its own `docker run -i` of the same image.
  const viaGateway = await httpClient(`${service.url}/mcp/${stdioName}`, token);
  const direct = await connect(new StdioClientTransport({ command: 'docker', args: ['run', '-i', '--rm', '--name', `${prefix}-direct`, IMAGE, '--stdio'], stderr: 'ignore' }));
  cleanups.push(() => execFileSync('docker', ['rm', '-f', `${prefix}-direct`], { stdio: 'ignore' }));
  rows.push({ ...(await compareLatency(`stdio server, \`/mcp/${'<name>'}\` vs stdio`, viaGateway, direct, 'direct: the SDK stdio client on `docker run -i` of the same image')), target: 5 });

  const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => httpCaller(`${service.url}/mcp/${stdioName}`, token)));
  const pipe = await stdioCaller(`${prefix}-load`);
  cleanups.push(() => execFileSync('docker', ['rm', '-f', `${prefix}-load`], { stdio: 'ignore' }));
  const rates = { gateway: [], direct: [] };
  for (let round = 0; round < 2; round++) {
    rates.gateway.push(await throughput(sessions, LOAD_MS / 2));
    rates.direct.push(await throughput(Array.from({ length: SESSIONS }, () => pipe.call), LOAD_MS / 2));
  }
  pipe.close();
  const gatewayRate = rates.gateway.reduce((a, b) => a + b) / rates.gateway.length;
  const directRate = rates.direct.reduce((a, b) => a + b) / rates.direct.length;
  log(`${SESSIONS} sessions: ${gatewayRate.toFixed(0)} calls/s vs ${directRate.toFixed(0)} calls/s direct`);
  rows.push({ figure: `stdio server, ${SESSIONS} concurrent sessions, one shared container`, kind: 'rate', subject: gatewayRate, floor: directRate, note: `direct: ${SESSIONS} concurrent callers on one stdio pipe to \`docker run -i\`; plain JSON-RPC callers on both sides, 2 × ${LOAD_MS / 2000} s each, alternating` });

  // HTTP: proxied vs straight to its published port.
  const httpViaGateway = await httpClient(`${service.url}/mcp/${httpName}`, token);
  const httpDirect = await httpClient(`http://127.0.0.1:${httpPort}/mcp`);
  rows.push(await compareLatency('HTTP server, `/mcp/<name>` vs its port', httpViaGateway, httpDirect, 'the test server is stateless: each call is a new server on its side'));

  for (const client of [viaGateway, direct, httpViaGateway, httpDirect]) await client.close().catch(() => undefined);
  writeSection(rows);
} finally {
  await runCleanups(cleanups);
  try {
    execFileSync(process.execPath, [CLI, 'stop', '--all'], { env, stdio: 'ignore' });
  } catch {
    /* best effort */
  }
  fs.rmSync(work, { recursive: true, force: true });
}
