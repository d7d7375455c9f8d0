/** `mcp token create|list|revoke`: the API tokens `mcp serve` accepts (tokens.yaml, hashes only). */
import type { Argv, CommandModule } from 'yargs';
import type { TokenRole } from '../../../data/models.js';
import { TOKEN_ROLES } from '../../../data/schemas.js';
import type { TokensStore } from '../../../data/tokensStore.js';
import { outputFor, type Output } from '../output.js';
import type { GlobalArgs } from '../context.js';
import { withHelpLayout } from '../help.js';

interface TokenArgs extends GlobalArgs {
  name?: string;
  role?: TokenRole;
  expires?: string;
  servers?: string[];
  tokensFile?: string;
}

async function tokenContext(args: TokenArgs): Promise<{ store: TokensStore; out: Output }> {
  const [{ locateServiceFiles }, { TokensStore }] = await Promise.all([import('../../server/services.js'), import('../../../data/tokensStore.js')]);
  const files = locateServiceFiles({ registry: args.registry, tokensFile: args.tokensFile });
  return { store: new TokensStore(files.tokens), out: outputFor(args) };
}

/** `--servers a,b` or `--servers a --servers b`. */
function serverList(values: readonly string[] | undefined): string[] | undefined {
  const names = (values ?? []).flatMap((value) => String(value).split(',')).map((name) => name.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

const create: CommandModule<object, TokenArgs> = {
  command: 'create <name>',
  describe: 'make a token and print its secret (once: only its hash is kept)',
  builder: (yargs: Argv) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: 'a name for the token (shown in the audit log)' })
      .option('role', { choices: TOKEN_ROLES, demandOption: true, describe: 'client: MCP gateway only; viewer: reads; operator: + start/stop/restart/pull/up; admin: + add/remove/hosts' })
      .option('expires', { type: 'string', describe: 'lifetime, e.g. 12h, 30d, 2w (default: never)' })
      .option('servers', { type: 'string', array: true, describe: 'limit the token to these servers (comma separated); others are invisible to it' })
      .example('$0 token create ci --role operator --expires 30d', 'a token for a CI pipeline')
      .example('$0 token create grafana --role viewer --servers github,fetch --json | jq -r .token', 'read-only, two servers') as never,
  handler: async (args) => {
    const { store, out } = await tokenContext(args);
    const { parseDuration } = await import('../../../data/duration.js');
    const expiresInMs = args.expires !== undefined ? parseDuration(args.expires) : undefined;
    const { secret, summary } = await store.create({ name: String(args.name), role: args.role as TokenRole, expiresInMs, servers: serverList(args.servers) });
    if (out.json) {
      out.printJson({ name: summary.name, role: summary.role, token: secret, expires_at: summary.expires_at ?? null, servers: summary.servers ?? null });
      return;
    }
    out.line(secret);
    process.stderr.write(
      `${out.colors.green('✔')} token ${summary.name} (${summary.role}${summary.expires_at ? `, expires ${summary.expires_at}` : ''}${summary.servers ? `, servers ${summary.servers.join(', ')}` : ''}) stored as a hash in ${store.file}\n  this is the only time the secret is shown: send it as \`Authorization: Bearer <token>\`\n`,
    );
  },
};

const list: CommandModule<object, TokenArgs> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'list tokens (names, roles, expiry; never secrets)',
  handler: async (args) => {
    const { store, out } = await tokenContext(args);
    const tokens = await store.list();
    if (out.json) {
      out.printJson(tokens);
      return;
    }
    if (tokens.length === 0) {
      out.line(`no tokens in ${store.file} (make one with \`mcp token create <name> --role viewer\`)`);
      return;
    }
    out.table(
      ['NAME', 'ROLE', 'CREATED', 'EXPIRES', 'SERVERS'],
      tokens.map((t) => [t.name, t.role, t.created_at, t.expired ? out.colors.red(`expired ${t.expires_at}`) : (t.expires_at ?? 'never'), t.servers?.join(',') ?? 'all']),
    );
  },
};

const revoke: CommandModule<object, TokenArgs> = {
  command: 'revoke <name>',
  describe: 'delete a token; a running `mcp serve` refuses it from the next request',
  builder: (yargs: Argv) => yargs.positional('name', { type: 'string', demandOption: true }).example('$0 token revoke ci', '') as never,
  handler: async (args) => {
    const { store, out } = await tokenContext(args);
    await store.revoke(String(args.name));
    if (out.json) out.printJson({ name: String(args.name), revoked: true });
    else out.line(`${out.colors.green('✔')} revoked token ${String(args.name)}`);
  },
};

export const tokenSubcommands = ([create, list, revoke] as CommandModule[]).map(withHelpLayout);

export const tokenCommand: CommandModule<object, TokenArgs> = {
  command: 'token <command>',
  describe: 'API tokens for mcp serve (create, list, revoke)',
  builder: (yargs) =>
    yargs
      .option('tokens-file', { type: 'string', describe: 'token file (default: $MSM_TOKENS, else tokens.yaml beside the registry)' })
      .command(tokenSubcommands)
      .demandCommand(1) as never,
  handler: () => undefined,
};
