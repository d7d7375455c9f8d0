/**
 * Shell completion. The scripts `mcp completion <shell>` prints ask the CLI itself
 * (`mcp __complete -- <words>`) for candidates, so commands, flags, server names and host aliases
 * come from the same modules and files the commands use and never go stale.
 */
import { existsSync } from 'node:fs';
import { HostsStore } from '../../data/hostsStore.js';
import { LOCALHOST } from '../../data/models.js';
import { locateStateFile } from '../../data/paths.js';
import { RegistryStore } from '../../data/registryStore.js';
import { flagsOf, nonFlagWords, resolvePath, type CommandEntry } from './catalog.js';
import { SHELLS } from './completionScripts.js';

/** Where the candidates for a word come from, beside commands and flags. */
export interface CompletionSources {
  serverNames(): Promise<string[]>;
  hostAliases(): Promise<string[]>;
}

/** Flags whose value is a file: the shell completes those itself. */
const FILE_FLAGS = new Set(['--registry', '--hosts-file', '--output', '-o', '--identity-file']);

/** Candidates for the last word of `words` (the words after `mcp`; the last may be empty). */
export async function completeWords(words: readonly string[], catalog: readonly CommandEntry[], sources: CompletionSources): Promise<string[]> {
  const current = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const previous = before[before.length - 1];
  const matching = (candidates: readonly string[]) => [...new Set(candidates)].filter((candidate) => candidate.startsWith(current));
  if (previous !== undefined && FILE_FLAGS.has(previous)) return [];
  if (previous === '--host') return matching([LOCALHOST, ...(await sources.hostAliases())]);
  const { chain } = resolvePath(catalog, before);
  const command = chain[chain.length - 1];
  if (current.startsWith('-')) return matching(flagsOf(command).filter((flag) => flag.length > 1).map((flag) => `--${flag}`));
  const level = command ? command.children : catalog;
  if (level.length > 0) return matching(level.filter((entry) => !entry.hidden).map((entry) => entry.name));
  if (!command) return [];
  // Which positional the word is: the non-flag words after the command's own name.
  const given = nonFlagWords(before).length - chain.length;
  const positional = command.positionals[Math.min(given, command.positionals.length - 1)];
  switch (positional) {
    case 'name':
    case 'names':
      return matching(await sources.serverNames());
    case 'alias':
    case 'aliases':
      return matching(await sources.hostAliases());
    case 'shell':
      return matching(SHELLS);
    default:
      return [];
  }
}

/** Server names and aliases from the files the command line would use (--registry, $MSM_REGISTRY, ...). */
export function fileSources(words: readonly string[]): CompletionSources {
  const flag = (name: string) => {
    const index = words.lastIndexOf(name);
    return index >= 0 ? words[index + 1] : undefined;
  };
  const locate = { env: process.env, cwd: process.cwd(), exists: existsSync };
  // A broken file must not make the shell print an error under the prompt: no candidates instead.
  const quietly = async (read: () => Promise<string[]>) => read().catch(() => []);
  return {
    serverNames: () => quietly(async () => Object.keys((await new RegistryStore(locateStateFile('registry', { ...locate, flag: flag('--registry') })).read()).servers)),
    hostAliases: () => quietly(async () => Object.keys((await new HostsStore(locateStateFile('hosts', { ...locate, flag: flag('--hosts-file') })).read()).hosts)),
  };
}
