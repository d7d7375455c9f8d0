/**
 * `mcp connect <name>`: what an MCP client launches. Speaks MCP on stdin/stdout and bridges it to
 * the server wherever it runs. stdout carries MCP messages only; everything else goes to stderr.
 * When the client goes away (stdin closes, or it was killed), everything this started on the host
 * ends with it.
 */
import type { CommandModule } from 'yargs';
import type { Link } from '../../../core/mcp/serverLinks.js';
import type { GlobalArgs } from '../context.js';
import { untilSignalled } from '../interruption.js';
import { context } from './shared.js';

interface ConnectArgs extends GlobalArgs {
  name: string;
  gateway?: string;
}

export const connectCommand: CommandModule<object, ConnectArgs> = {
  command: 'connect <name>',
  describe: 'speak MCP on stdin/stdout, bridged to the server wherever it runs (what an MCP client launches)',
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: 'registered server name' })
      .option('gateway', {
        type: 'string',
        nargs: 1,
        describe: 'go through `mcp serve` at this URL (default: $MSM_GATEWAY); the token comes from $MSM_TOKEN',
      })
      .example('$0 connect fetch', 'a stdio server: a one-session container of its command on its host, removed afterwards')
      .example('$0 connect github', 'an HTTP server: Streamable HTTP to its port, through SSH when it is remote')
      .example('MSM_TOKEN=... $0 connect fetch --gateway http://127.0.0.1:7800', "through mcp serve's shared bridge")
      .example('{"command": "mcp", "args": ["connect", "fetch"]}', 'in an MCP client configuration') as never,
  handler: async (args) => {
    const gateway = args.gateway ?? process.env.MSM_GATEWAY;
    const onStderr = (chunk: string) => process.stderr.write(chunk);
    let link: Link;
    if (gateway) {
      const { openGateway } = await import('../../../core/mcp/gatewayLink.js');
      link = await openGateway(gateway, String(args.name), process.env.MSM_TOKEN);
    } else {
      const ctx = await context(args);
      link = await ctx.manager.openMcp(String(args.name), { onStderr });
    }
    if (args.verbose) process.stderr.write(`mcp connect: ${args.name} through ${link.describe}\n`);
    const { bridgeStdio } = await import('../../../core/mcp/stdioBridge.js');
    await untilSignalled(['SIGINT', 'SIGTERM', 'SIGHUP'], async (stopped) => {
      // The bridge ends as when the client goes away: its stdin closes.
      stopped.addEventListener('abort', () => process.stdin.destroy(), { once: true });
      try {
        const ended = await bridgeStdio({
          input: process.stdin,
          output: process.stdout,
          transport: link.transport,
          ...(args.verbose ? { onDiagnostic: (line: string) => process.stderr.write(`mcp connect: ${line}\n`) } : {}),
        });
        if (ended === 'server') {
          const said = (link.transport as { lastError?: string }).lastError;
          process.stderr.write(`mcp connect: ${args.name}: the server ended the connection${said ? `: ${said}` : ''}\n`);
          process.exitCode = 1;
        }
      } finally {
        await link.close().catch(() => undefined);
      }
    });
  },
};
