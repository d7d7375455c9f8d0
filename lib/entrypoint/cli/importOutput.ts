/** What `mcp import` prints: one JSON document, or one block per entry. Secret values never appear. */
import type { ImportPlan } from '../../core/clients/importPlan.js';
import { showPath } from '../../core/clients/serversMap.js';
import type { Context } from './context.js';

const MASK = '********';

export function renderImport(ctx: Context, plan: ImportPlan, { dryRun, dotenvFile }: { dryRun: boolean; dotenvFile: string }): void {
  const dotenvNames = Object.keys(plan.dotenv);
  if (ctx.out.json) {
    ctx.out.printJson({
      file: plan.file,
      client: plan.client,
      servers_path: plan.serversPath,
      dry_run: dryRun,
      registry: ctx.registry.file,
      registered: plan.servers.map((server) => ({
        name: server.config.name,
        host: server.config.host,
        docker_command: server.config.docker_command,
        environment: server.config.environment ?? {},
        replaced: server.replaces,
        dotenv: server.secrets,
        variables: server.variables,
        ignored_env: server.ignoredEnv,
        inline_secrets: server.inlineSecrets,
      })),
      skipped: plan.skipped,
      dotenv: { file: dotenvFile, added: dotenvNames },
    });
    return;
  }
  const { colors } = ctx.out;
  const would = dryRun ? 'would ' : '';
  const count = plan.servers.length + plan.skipped.length;
  ctx.out.line(`${plan.file}: ${count} ${count === 1 ? 'entry' : 'entries'} in ${showPath(plan.serversPath)} (read as ${plan.client})`);
  for (const server of plan.servers) {
    const { config } = server;
    ctx.out.line(`${colors.green('✔')} ${colors.bold(config.name)} ${would}${server.replaces ? 'replace' : 'register'}${dryRun ? '' : server.replaces ? 'd' : 'ed'} @${config.host}: ${config.docker_command}`);
    for (const [key, value] of Object.entries(config.environment ?? {})) ctx.out.line(`    environment ${key}=${value}`);
    for (const name of server.secrets) ctx.out.line(`    .env ${name}=${MASK}`);
    for (const variable of server.variables.filter((v) => !server.secrets.includes(v.name))) {
      const state = variable.missing ? colors.yellow('not set yet') : 'set';
      ctx.out.line(`    needs ${variable.name}${variable.from ? ` (${variable.from})` : ''}: ${state}`);
    }
    for (const key of server.inlineSecrets) ctx.out.warn(`${config.name}: the args set ${key} inline, so its value is stored in the registry as written; move it to "env" (and -e ${key}) to keep it in .env`);
    for (const key of server.ignoredEnv) ctx.out.line(`    ${colors.dim(`env ${key} ignored: the args pass no -e ${key}, so the container never sees it`)}`);
  }
  for (const skip of plan.skipped) {
    const mark = skip.code === 'INVALID_NAME' ? colors.red('✖') : colors.dim('-');
    ctx.out.line(`${mark} ${colors.bold(skip.name)} ${skip.code === 'INVALID_NAME' ? 'not imported' : 'skipped'}: ${skip.reason}`);
  }
  if (dotenvNames.length > 0) ctx.out.line(`${dryRun ? 'Would add' : 'Added'} ${dotenvNames.join(', ')} to ${dotenvFile} (mode 0600)`);
  const missing = [...new Set(plan.servers.flatMap((server) => server.variables.filter((v) => v.missing && !server.secrets.includes(v.name)).map((v) => v.name)))];
  if (missing.length > 0) ctx.out.line(`Set before starting (environment or ${dotenvFile}): ${missing.join(', ')}`);
  if (dryRun) ctx.out.line(colors.dim('Dry run: nothing was changed.'));
  else if (plan.servers.length > 0) ctx.out.line(`Start them with: mcp start ${plan.servers.map((server) => server.config.name).join(' ')}`);
}
