// What the benchmark scripts (bench.mjs, bench-serve.mjs, bench-gateway.mjs) share: running the
// built CLI and docker, a `docker` that counts its calls, a free port, `mcp serve` on loopback,
// cleanup in reverse order, and their marked sections of BENCHMARKS.md.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CLI = path.join(ROOT, 'dist/mcp.js');
const REPORT = path.join(ROOT, 'BENCHMARKS.md');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs the built CLI to completion; returns its stdout, throws when it fails. */
export function mcpOut(args, { env = {}, cwd }) {
  return execFileSync(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
}

export function docker(args, env = {}) {
  return execFileSync('docker', args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** A PATH (under `dir`) whose first `docker` counts its calls; take() returns the count so far and resets it. */
export function countingPath(dir) {
  const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
  const real = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  const calls = path.join(bin, 'calls');
  fs.writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\necho x >> '${calls}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  return {
    env: { PATH: `${bin}:${process.env.PATH}` },
    take() {
      const n = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean).length : 0;
      fs.rmSync(calls, { force: true });
      return n;
    },
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `mcp serve` on a free loopback port; resolves with its URL and a stop() that waits for it to exit. */
export function startService({ env = {}, cwd, args = [] }) {
  const child = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0', '--json', ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mcp serve did not start: ${err}`)), 20_000);
    const onData = (chunk) => {
      out += chunk;
      const url = /"listening":\s*"([^"]+)"/.exec(out)?.[1];
      if (!url) return;
      clearTimeout(timer);
      // From here on stdout (the request log) is only drained, never kept.
      child.stdout.off('data', onData);
      child.stdout.resume();
      const stop = () => new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done() : (child.once('exit', done), child.kill('SIGTERM'))));
      resolve({ url, stop });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`mcp serve exited ${code}: ${err}`)));
  });
}

/** Runs the cleanups, last first, each best effort. */
export async function runCleanups(cleanups) {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch {
      /* best effort */
    }
  }
}

const marker = (name, end) => `<!-- bench:${name}:${end ? 'end' : 'start'} -->`;

/** The marked sections of BENCHMARKS.md that bench-serve.mjs and bench-gateway.mjs wrote, in order. */
export function markedSections() {
  const text = fs.existsSync(REPORT) ? fs.readFileSync(REPORT, 'utf8') : '';
  return [...text.matchAll(/<!-- bench:([\w-]+):start -->[\s\S]*?<!-- bench:\1:end -->/g)].map((match) => match[0]);
}

/** Writes `body` as the section `name` of BENCHMARKS.md (replacing it, else appended); prints it. */
export function writeSection(name, body) {
  const section = `${marker(name, false)}\n${body}\n${marker(name, true)}`;
  const text = fs.existsSync(REPORT) ? fs.readFileSync(REPORT, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(marker(name, false));
  const end = text.indexOf(marker(name, true));
  const next = start >= 0 && end > start ? `${text.slice(0, start)}${section}${text.slice(end + marker(name, true).length)}` : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(REPORT, next);
  process.stdout.write(`${section}\n`);
}

/** BENCHMARKS.md itself (bench.mjs): `head`, then the marked sections already there, kept. */
export function writeReport(head) {
  const kept = markedSections().map((section) => `\n${section}\n`).join('');
  fs.writeFileSync(REPORT, `${head}${kept}`);
}
