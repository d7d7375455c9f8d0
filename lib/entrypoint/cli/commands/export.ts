/** `mcp export`: the entries that wire an MCP client to msm's servers, printed or merged into its config. */
import type { CommandModule } from 'yargs';
import { CLIENT_IDS } from '../../../data/clients.js';
import type { GlobalArgs } from '../context.js';
import { context } from './shared.js';

export interface ExportArgs extends GlobalArgs {
  client: string;
  servers?: string;
  via: 'connect' | 'gateway';
  gatewayUrl?: string;
  write?: string;
  dryRun?: boolean;
  force?: boolean;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: "wire an MCP client to msm: print its entries, or merge them into the client's config file",
  builder: (yargs) =>
    yargs
      .option('client', { type: 'string', choices: CLIENT_IDS, demandOption: true, describe: 'the client whose format and config file to use' })
      .option('servers', { type: 'string', describe: 'comma-separated server names (default: every registered server)' })
      .option('via', { type: 'string', choices: ['connect', 'gateway'], default: 'connect', describe: 'connect: the client runs `mcp connect <name>`; gateway: it speaks HTTP to `mcp serve` at <url>/mcp/<name>' })
      .option('gateway-url', { type: 'string', describe: 'base URL of `mcp serve` for --via gateway (default: $MSM_GATEWAY); the token is read by the client from MSM_TOKEN' })
      .option('write', { type: 'string', describe: "merge into the client's config file (default path for the client on this OS, or FILE): comments and other entries kept, .bak kept" })
      .option('dry-run', { type: 'boolean', describe: 'show the change to the config file as a diff; write nothing' })
      .option('force', { type: 'boolean', describe: 'include servers that did not answer MCP initialize just now (or have no check that can tell)' })
      .example('$0 export --client claude-desktop', 'print the mcpServers entries for every healthy server')
      .example('$0 export --client claude-desktop --servers github,fetch --write --dry-run', 'the diff of claude_desktop_config.json')
      .example('$0 export --client vscode --via gateway --gateway-url http://127.0.0.1:8765 --write .vscode/mcp.json', 'VS Code talks to the gateway; Authorization: Bearer ${env:MSM_TOKEN}')
      .example('$0 export --client cursor --force --write', 'write ~/.cursor/mcp.json without checking the servers first') as never,
  handler: async (args) => {
    const [{ runExport }, ctx] = await Promise.all([import('../exportRun.js'), context(args)]);
    await runExport(ctx, args);
  },
};
