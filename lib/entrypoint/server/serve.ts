/**
 * Runs the service until SIGTERM or SIGINT: then it stops accepting connections, ends long-lived
 * responses (log follows), lets requests in flight finish for up to `graceMs`, closes the hosts'
 * connections and resolves (the CLI exits 0).
 */
import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../errors.js';
import { buildApp } from './app.js';
import { checkExposure, serviceUrl, type ListenAddress } from './listen.js';
import { humanLogStream } from './requestLog.js';
import { createServices, type LocatedFiles, type ServiceSettings } from './services.js';

export interface ServeOptions {
  listen: ListenAddress;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  allowInsecureHttp: boolean;
  files: LocatedFiles;
  settings: ServiceSettings;
  /** Logs as JSON lines (pino's) instead of lines for people. */
  jsonLogs: boolean;
  /** Told the URL once the service listens. */
  onListening: (url: string) => void;
  graceMs?: number;
}

async function readTls(cert: string | undefined, key: string | undefined): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new ValidationError('give both --tls-cert and --tls-key', 'USAGE');
  const read = async (file: string, flag: string) => {
    try {
      return await fs.readFile(file);
    } catch (err) {
      throw new ValidationError(`${flag} ${file}: cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'INVALID_TLS');
    }
  };
  return { cert: await read(cert, '--tls-cert'), key: await read(key, '--tls-key') };
}

/** The OpenAPI document the service serves at /openapi.json, built from the same app. */
export async function openApiDocument(files: LocatedFiles): Promise<unknown> {
  // Nothing runs on a host while the document is built, so there is nothing to warn about.
  const { services, close } = await createServices(files, {}, new AbortController().signal, () => undefined);
  const app = await buildApp({ services, onClose: close });
  try {
    return app.swagger();
  } finally {
    await app.close();
  }
}

export async function serve(options: ServeOptions): Promise<void> {
  const tls = await readTls(options.tlsCert, options.tlsKey);
  checkExposure(options.listen, { tls: Boolean(tls), allowInsecureHttp: options.allowInsecureHttp });
  const shutdown = new AbortController();
  // Warnings come from requests, so only once the app (and its log) exists.
  let app: FastifyInstance | undefined;
  const { services, close } = await createServices(options.files, options.settings, shutdown.signal, (message) => app?.log.warn(message));
  const logger = { level: 'info', stream: options.jsonLogs ? process.stderr : humanLogStream(process.stderr) };
  try {
    app = await buildApp({ services, logger, onClose: close, ...(tls ? { https: tls } : {}) });
  } catch (err) {
    await close();
    if (tls && err instanceof Error && /key|cert|PEM|asn1/i.test(err.message)) {
      throw new ValidationError(`--tls-cert/--tls-key: not a usable certificate and key: ${err.message}`, 'INVALID_TLS');
    }
    throw err;
  }
  try {
    await app.listen({ host: options.listen.host, port: options.listen.port });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      throw new ValidationError(`cannot listen on ${options.listen.host}:${options.listen.port}: ${code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'permission denied' : 'no such local address'}`, 'LISTEN_FAILED');
    }
    throw err;
  }
  // The signal listeners go in before the service says where it listens: whoever waits for that
  // line (a test, a supervisor) may stop it at once, and a SIGTERM with no listener of ours would end
  // it by signal (execa's exit hook, signal-exit, re-raises one that has no other listener). They
  // stay until the end, for the same reason.
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      shutdown.abort();
      const grace = setTimeout(() => app.server.closeAllConnections(), options.graceMs ?? 10_000);
      grace.unref();
      // A keep-alive connection whose last request finishes after the stop began would otherwise
      // hold the server open until the client lets go.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      void app.close().finally(() => {
        clearTimeout(grace);
        clearInterval(sweep);
        resolve();
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : options.listen.port;
  options.onListening(serviceUrl({ host: options.listen.host, port }, Boolean(tls)));
  const live = (await services.tokens.list()).filter((token) => !token.expired);
  if (live.length === 0) app.log.warn(`no usable token in ${services.tokens.file}: every request but /healthz will be refused (make one with \`mcp token create <name> --role viewer\`)`);
  await stopped;
  // The listeners are not removed: a second signal while the process finishes (closing the hosts'
  // connections, flushing logs) would otherwise be re-raised by signal-exit and end it by signal
  // instead of with exit 0.
}
