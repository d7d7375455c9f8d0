/** `mcp import`: register the docker-based servers of an MCP client's config file. */
import type { CommandModule } from 'yargs';
import { CLIENT_IDS } from '../../../data/clients.js';
import { LOCALHOST } from '../../../data/models.js';
import type { GlobalArgs } from '../context.js';
import { context } from './shared.js';

interface ImportArgs extends GlobalArgs {
  file: string;
  client: string;
  host: string;
  dryRun?: boolean;
  replace?: boolean;
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <file>',
  describe: "register the docker-based servers of an MCP client's config file",
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: "the client's config (JSON; comments and trailing commas allowed)" })
      .option('client', { type: 'string', choices: ['auto', ...CLIENT_IDS], default: 'auto', describe: 'the file\'s format; auto finds the servers map ("mcpServers", "servers", "mcp"."servers", ...)' })
      .option('host', { type: 'string', nargs: 1, default: LOCALHOST, describe: 'where the imported servers run: localhost, a hosts.yaml alias, or an address' })
      .option('dry-run', { type: 'boolean', describe: 'show what would be registered and which variables would go to .env (values masked); change nothing' })
      .option('replace', { type: 'boolean', describe: 'overwrite servers already registered under the same name (else they are skipped)' })
      .example('$0 import ~/Library/Application\\ Support/Claude/claude_desktop_config.json --dry-run', 'see what Claude Desktop has that mcp can run')
      .example('$0 import .vscode/mcp.json', 'VS Code: ${input:github_token} becomes the variable GITHUB_TOKEN, set at start time')
      .example('$0 import ~/.cursor/mcp.json --host alpha --json', 'register them to run on host alpha')
      .epilogue(
        'Entries that run `docker run ...` are registered under their key. Literal env values go to the .env file beside the registry ' +
          '(mode 0600), never into the registry and never printed; references stay references. npx, uvx and url entries are listed as skipped.',
      ) as never,
  handler: async (args) => {
    const [{ readClientFile }, ctx] = await Promise.all([import('../clientFiles.js'), context(args)]);
    const { ClientImporter } = await import('../../../core/clients/clientImporter.js');
    const { dotenvPathFor } = await import('../../../data/dotenvFile.js');
    const file = String(args.file);
    const dotenvFile = dotenvPathFor(ctx.registry.file);
    const importer = new ClientImporter(ctx.registry, dotenvFile, process.env);
    const plan = await importer.plan(await readClientFile(file), { file, client: args.client, host: args.host, replace: Boolean(args.replace) });
    if (!args.dryRun) await importer.apply(plan, { replace: Boolean(args.replace) });
    const { renderImport } = await import('../importOutput.js');
    renderImport(ctx, plan, { dryRun: Boolean(args.dryRun), dotenvFile });
    const invalid = plan.skipped.filter((skip) => skip.code === 'INVALID_NAME').length;
    if (invalid > 0) process.exitCode = plan.servers.length > 0 ? 3 : 2;
  },
};
