/** `mcp export`'s work: choose the servers, gate them on initialize, then print, diff or write. */
import os from 'node:os';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { findClient, type ClientSpec } from '../../data/clients.js';
import { locateStateFile } from '../../data/paths.js';
import { readTextFile, updateTextFile } from '../../data/textFile.js';
import { clientConfigPath } from '../../core/clients/clientPaths.js';
import { answersInitialize, type GateVerdict } from '../../core/clients/exportGate.js';
import { clientEntry, mergeEntries, type EntryOptions } from '../../core/clients/exportPlan.js';
import type { JsonObject } from '../../core/clients/jsoncText.js';
import { showPath } from '../../core/clients/serversMap.js';
import { ValidationError } from '../../errors.js';
import type { ExportArgs } from './commands/export.js';
import type { Context } from './context.js';

export async function runExport(ctx: Context, args: ExportArgs): Promise<void> {
  const client = findClient(args.client) as ClientSpec;
  const names = args.servers?.split(',').map((name) => name.trim()).filter(Boolean);
  if (args.servers !== undefined && names?.length === 0) throw new ValidationError('--servers needs at least one name', 'USAGE');
  const selected = await ctx.manager.resolve(names ? { names } : { all: true });
  if (selected.length === 0) throw new ValidationError(`no servers are registered in ${ctx.registry.file}: nothing to export`, 'USAGE');
  const gatewayUrl = args.gatewayUrl ?? process.env.MSM_GATEWAY;
  const entryOptions: EntryOptions = { via: args.via, ...(gatewayUrl ? { gatewayUrl } : {}), connectFlags: connectFlags(ctx) };
  // Built before anything is checked, so a bad flag fails fast.
  const allEntries = Object.fromEntries(selected.map((entry) => [entry.config.name, clientEntry(client, entry.config.name, entryOptions)]));
  const verdicts: GateVerdict[] = args.force
    ? selected.map((entry) => ({ name: entry.config.name, ok: true }))
    : (await ctx.manager.health({ names: selected.map((entry) => entry.config.name) })).map(answersInitialize);
  const left = verdicts.filter((verdict) => !verdict.ok);
  const entries: Record<string, JsonObject> = {};
  for (const verdict of verdicts) if (verdict.ok) entries[verdict.name] = allEntries[verdict.name] as JsonObject;
  for (const verdict of left) ctx.out.warn(`${verdict.name} left out: ${verdict.reason}`);
  if (Object.keys(entries).length === 0) {
    throw new ValidationError(`no server to export: ${left.length === 1 ? 'it was' : 'all were'} left out (see above; --force writes them anyway)`, 'NOTHING_TO_EXPORT');
  }
  const file = args.write === undefined ? undefined : args.write === '' ? clientConfigPath(client, process.platform, process.env, os.homedir()) : path.resolve(args.write);
  const skipped = left.map(({ name, reason }) => ({ name, reason }));
  if (file === undefined && !args.dryRun) {
    printEntries(ctx, client, entries, skipped);
  } else {
    const target = file ?? clientConfigPath(client, process.platform, process.env, os.homedir());
    await writeOrDiff(ctx, client, target, entries, skipped, Boolean(args.dryRun));
  }
  if (left.length > 0) process.exitCode = 3;
}

/**
 * `mcp connect` started by the client finds the registry and hosts file the default way; when this
 * command used other ones, the entry names them.
 */
function connectFlags(ctx: Context): string[] {
  const defaults = { env: { HOME: os.homedir(), XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME }, cwd: os.homedir(), exists: () => false };
  const flags: string[] = [];
  if (ctx.registry.file !== locateStateFile('registry', defaults)) flags.push('--registry', ctx.registry.file);
  if (ctx.hosts.file !== locateStateFile('hosts', defaults)) flags.push('--hosts-file', ctx.hosts.file);
  return flags;
}

function printEntries(ctx: Context, client: ClientSpec, entries: Record<string, JsonObject>, skipped: unknown[]): void {
  const [first] = client.serversPaths;
  const snippet = (first ?? ['mcpServers']).reduceRight<unknown>((inner, key) => ({ [key]: inner }), entries);
  if (ctx.out.json) ctx.out.printJson({ client: client.id, entries, snippet, skipped });
  else ctx.out.line(JSON.stringify(snippet, null, 2));
}

async function writeOrDiff(ctx: Context, client: ClientSpec, file: string, entries: Record<string, JsonObject>, skipped: unknown[], dryRun: boolean): Promise<void> {
  let before: string | undefined;
  let merged: ReturnType<typeof mergeEntries>;
  if (dryRun) {
    before = await readTextFile(file);
    merged = mergeEntries(before, file, client, entries);
  } else {
    let result: ReturnType<typeof mergeEntries> | undefined;
    ({ before } = await updateTextFile(file, (current) => {
      result = mergeEntries(current, file, client, entries);
      return result.text;
    }));
    merged = result as ReturnType<typeof mergeEntries>;
  }
  const diff = createTwoFilesPatch(file, file, before ?? '', merged.text, before === undefined ? '(new file)' : 'now', dryRun ? 'after export' : 'written');
  if (ctx.out.json) {
    ctx.out.printJson({ client: client.id, file, dry_run: dryRun, written: !dryRun, added: merged.added, replaced: merged.replaced, entries, skipped, ...(dryRun ? { diff } : {}) });
    return;
  }
  if (dryRun) {
    ctx.out.line(diff.trimEnd());
    ctx.out.line(ctx.out.colors.dim(`Dry run: ${file} was not changed.`));
    return;
  }
  const { colors } = ctx.out;
  const parts = [merged.added.length > 0 ? `added ${merged.added.join(', ')}` : '', merged.replaced.length > 0 ? `replaced ${merged.replaced.join(', ')}` : ''].filter(Boolean);
  ctx.out.line(`${colors.green('✔')} ${parts.join('; ')} in ${file} (${showPath(merged.path)})${before === undefined ? '' : `; previous version in ${file}.bak`}`);
  ctx.out.line(`  restart ${client.title.split(' (')[0]} to pick up the change`);
}
