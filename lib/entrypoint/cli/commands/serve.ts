/** `mcp serve`: the management HTTP API (and what extensions add) until SIGTERM/SIGINT. */
import type { CommandModule } from 'yargs';
import { ValidationError } from '../../../errors.js';
import type { GlobalArgs } from '../context.js';
import { outputFor } from '../output.js';

interface ServeArgs extends GlobalArgs {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  tokensFile?: string;
  auditLog?: string;
  allowInsecureHttp?: boolean;
  openapi?: boolean;
  reuseMs: number;
  maxFollows: number;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'serve the management API over HTTP(S), authenticated by tokens',
  builder: (yargs) =>
    yargs
      .option('listen', { type: 'string', default: '127.0.0.1:8765', describe: 'ADDRESS:PORT to listen on (loopback unless TLS or --allow-insecure-http)' })
      .option('tls-cert', { type: 'string', describe: 'certificate (PEM) for HTTPS' })
      .option('tls-key', { type: 'string', describe: 'private key (PEM) for HTTPS' })
      .option('tokens-file', { type: 'string', describe: 'token file (default: $MSM_TOKENS, else tokens.yaml beside the registry)' })
      .option('audit-log', { type: 'string', describe: 'audit log, JSON lines (default: $MSM_AUDIT_LOG, else audit.log beside the registry)' })
      .option('allow-insecure-http', { type: 'boolean', describe: 'allow plain HTTP on a non-loopback address (e.g. behind a TLS proxy)' })
      .option('reuse-ms', { type: 'number', default: 1000, describe: 'reuse a host\'s observed status for up to this long, shared by concurrent requests (0: ask docker every time)' })
      .option('max-follows', { type: 'number', default: 64, describe: 'log follows (server-sent event streams) open at once; more get 429' })
      .option('openapi', { type: 'boolean', describe: 'print the OpenAPI 3.1 document of the API and exit' })
      .example('$0 token create me --role admin && $0 serve', 'serve on 127.0.0.1:8765')
      .example('$0 serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem --json', 'HTTPS on every interface, JSON logs for journald')
      .example('curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8765/api/v1/servers', 'call it') as never,
  handler: async (args) => {
    const out = outputFor(args);
    const [{ parseListen }, { serve }, { locateServiceFiles }] = await Promise.all([
      import('../../server/listen.js'),
      import('../../server/serve.js'),
      import('../../server/services.js'),
    ]);
    if (!Number.isFinite(args.reuseMs) || args.reuseMs < 0 || args.reuseMs > 60_000) {
      throw new ValidationError(`--reuse-ms ${args.reuseMs}: give a number of milliseconds from 0 to 60000`, 'USAGE');
    }
    if (!Number.isInteger(args.maxFollows) || args.maxFollows < 1 || args.maxFollows > 10_000) {
      throw new ValidationError(`--max-follows ${args.maxFollows}: give a whole number from 1 to 10000`, 'USAGE');
    }
    const files = locateServiceFiles({ registry: args.registry, hostsFile: args.hostsFile, tokensFile: args.tokensFile, auditLog: args.auditLog });
    if (args.openapi) {
      const { openApiDocument } = await import('../../server/serve.js');
      process.stdout.write(`${JSON.stringify(await openApiDocument(files), null, 2)}\n`);
      return;
    }
    const listen = parseListen(args.listen);
    await serve({
      listen,
      tlsCert: args.tlsCert,
      tlsKey: args.tlsKey,
      allowInsecureHttp: Boolean(args.allowInsecureHttp),
      files,
      settings: { reuseMs: args.reuseMs, maxFollows: args.maxFollows, parallel: args.parallel, acceptNewHostKeys: args.acceptNewHostKeys, onAuditError: (err) => out.warn(`audit log ${files.audit}: ${err.message}`) },
      jsonLogs: Boolean(args.json),
      onListening: (url) => {
        if (out.json) out.printJson({ listening: url, registry: files.registry, tokens: files.tokens, audit_log: files.audit });
        else process.stderr.write(`mcp serve: listening on ${url} (registry ${files.registry}, tokens ${files.tokens}); API docs at ${url}/docs\n`);
      },
    });
  },
};
