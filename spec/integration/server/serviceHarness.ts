/**
 * `mcp serve` for tests: the built CLI started as a real process on a free loopback port, with the
 * sandbox's registry (and its tokens.yaml and audit.log beside it), and helpers to make tokens and
 * call the API over real HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { CLI, freePort, type Sandbox } from '../harness.js';

export interface Service {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM and wait: resolves with the exit code. */
  stop: () => Promise<number | null>;
}

export interface StartOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** The scheme the service is expected to announce. */
  listen?: string;
}

export async function startService(sandbox: Sandbox, options: StartOptions = {}): Promise<Service> {
  const listen = options.listen ?? `127.0.0.1:${await freePort()}`;
  const child = spawn(process.execPath, [CLI, 'serve', '--listen', listen, '--json', ...(options.args ?? [])], {
    cwd: sandbox.dir,
    env: { ...process.env, NO_COLOR: '1', MSM_REGISTRY: sandbox.registry, MSM_HOSTS: path.join(sandbox.dir, 'hosts.yaml'), XDG_STATE_HOME: sandbox.stateHome, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mcp serve did not start within 20 s: ${stderr}`)), 20_000);
    const check = () => {
      try {
        const doc = JSON.parse(stdout) as { listening?: string };
        if (doc.listening) {
          clearTimeout(timer);
          resolve(doc.listening);
        }
      } catch {
        /* not complete yet */
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`mcp serve exited (${code}) before listening: ${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A new token through the CLI (`mcp token create --json`); returns its secret. */
export async function createToken(sandbox: Sandbox, name: string, role: string, extra: string[] = []): Promise<string> {
  const made = await sandbox.mcpJson<{ token: string }>(['token', 'create', name, '--role', role, ...extra]);
  return made.token;
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One API call; the body is parsed when it is JSON. */
export async function call<T = unknown>(url: string, init: { method?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: init.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}
