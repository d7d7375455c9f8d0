/**
 * registry.yaml: what the user declares. Every registered server's config, and the registry's id.
 * Observed state (statuses, desired state recorded by start/stop) lives in the state file
 * (stateStore.ts), so lifecycle commands never rewrite this file. Writes edit the YAML document
 * in place, keeping the user's comments and key order.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Document } from 'yaml';
import { isMap } from 'yaml';
import { NotFoundError, ValidationError } from '../errors.js';
import type { MCPServerConfig, MCPServerData, ServerRegistry } from './models.js';
import { validateRegistry } from './validate.js';
import { YamlFile, type YamlFileOptions } from './yamlFile.js';

export class RegistryStore {
  private readonly yaml: YamlFile<ServerRegistry>;

  constructor(readonly file: string, options: Pick<YamlFileOptions<ServerRegistry>, 'cacheReads' | 'parsedCopy'> = {}) {
    this.yaml = new YamlFile(file, validateRegistry, () => ({ version: 1, servers: {} }), { ...options, check: keyMismatch });
  }

  read(): Promise<ServerRegistry> {
    return this.yaml.read();
  }

  async get(name: string): Promise<MCPServerData> {
    const registry = await this.read();
    return requireServer(registry, name);
  }

  /** Register a new server; fails (and writes nothing) when the name is taken. */
  add(config: MCPServerConfig): Promise<MCPServerData> {
    return this.yaml.update((doc, registry) => {
      if (Object.hasOwn(registry.servers, config.name)) {
        throw new ValidationError(`server "${config.name}" already exists (remove it first, or pick another name)`, 'ALREADY_EXISTS');
      }
      if (!registry.id) setTopLevel(doc, 'id', newRegistryId());
      const entry: MCPServerData = { config };
      doc.setIn(['servers', config.name], doc.createNode(entry));
      stamp(doc);
      return entry;
    });
  }

  /**
   * Register several servers in one write: all of them or none. A name taken meanwhile fails the
   * whole write, unless `replace`, which swaps that server's config (the entry's comments stay).
   */
  addAll(configs: readonly MCPServerConfig[], { replace = false } = {}): Promise<MCPServerData[]> {
    return this.yaml.update((doc, registry) => {
      const added = configs.map((config) => {
        const exists = Object.hasOwn(registry.servers, config.name);
        if (exists && !replace) {
          throw new ValidationError(`server "${config.name}" already exists (remove it first, or pick another name)`, 'ALREADY_EXISTS');
        }
        const entry: MCPServerData = { config };
        if (exists) doc.setIn(['servers', config.name, 'config'], doc.createNode(config));
        else doc.setIn(['servers', config.name], doc.createNode(entry));
        return entry;
      });
      if (!registry.id) setTopLevel(doc, 'id', newRegistryId());
      stamp(doc);
      return added;
    });
  }

  async remove(name: string): Promise<MCPServerData> {
    return (await this.removeAll([name]))[0] as MCPServerData;
  }

  /** Unregister several servers in one write: all of them, or none when one is not registered. */
  removeAll(names: readonly string[]): Promise<MCPServerData[]> {
    return this.yaml.update((doc, registry) => {
      const entries = names.map((name) => requireServer(registry, name));
      for (const name of names) doc.deleteIn(['servers', name]);
      stamp(doc);
      return entries;
    });
  }

  /**
   * Replace a server's config, key by key so that comments on untouched keys stay. `expected` is
   * the config the change was made from: if another process changed the entry meanwhile, nothing
   * is written.
   */
  replaceConfig(name: string, expected: MCPServerConfig, config: MCPServerConfig): Promise<MCPServerData> {
    return this.yaml.update((doc, registry) => {
      const entry = requireServer(registry, name);
      if (JSON.stringify(entry.config) !== JSON.stringify(expected)) {
        throw new ValidationError(`server "${name}" was changed by someone else meanwhile; nothing written, try again`, 'CONFLICT');
      }
      const before = entry.config as Record<string, unknown>;
      const after = config as Record<string, unknown>;
      for (const key of Object.keys(before)) if (!(key in after)) doc.deleteIn(['servers', name, 'config', key]);
      for (const [key, value] of Object.entries(after)) {
        if (JSON.stringify(before[key]) !== JSON.stringify(value)) doc.setIn(['servers', name, 'config', key], doc.createNode(value));
      }
      stamp(doc);
      return { ...entry, config };
    });
  }

  /**
   * The registry's id, generated and stored on first need (registries written before ids existed
   * have none). A registry that cannot be written gets an id derived from its path instead (see
   * `pathDerivedId`), and `stored` says so.
   */
  async ensureId(): Promise<{ id: string; stored: boolean; error?: string }> {
    const current = await this.read();
    if (current.id) return { id: current.id, stored: true };
    try {
      const id = await this.yaml.update((doc, registry) => {
        if (registry.id) return registry.id;
        const fresh = newRegistryId();
        setTopLevel(doc, 'id', fresh);
        return fresh;
      });
      return { id, stored: true };
    } catch (err) {
      return { id: pathDerivedId(this.file), stored: false, error: (err as Error).message };
    }
  }
}

export function requireServer(registry: ServerRegistry, name: string): MCPServerData {
  const entry = Object.hasOwn(registry.servers, name) ? registry.servers[name] : undefined;
  if (!entry) throw new NotFoundError(`no server named "${name}" is registered (see \`mcp list\`)`);
  return entry;
}

function newRegistryId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * For a registry without an id that cannot be written (read-only): a stable id from its real
 * path, so repeated commands agree on which containers are theirs. Once the file can be written,
 * `ensureId` stores a random id and containers made under the path id must be adopted; this is
 * rare (a read-only registry from before ids) and says so in a warning.
 */
export function pathDerivedId(file: string): string {
  let real = file;
  try {
    real = fs.realpathSync(file);
  } catch {
    // a missing file keeps its given path
  }
  return `p${createHash('sha256').update(real).digest('hex').slice(0, 15)}`;
}

/** The key a server is filed under must be its name: the name is what docker and the user see. */
function keyMismatch(registry: ServerRegistry): string | undefined {
  for (const [key, entry] of Object.entries(registry.servers)) {
    if (entry.config.name !== key) return `servers.${key}.config.name is "${entry.config.name}"; it must equal the key "${key}"`;
  }
  return undefined;
}

/** Set a top-level key; a new one goes after `version` and `id` (above the servers), where a reader looks. */
function setTopLevel(doc: Document, key: string, value: string): void {
  if (doc.has(key) || !isMap(doc.contents)) {
    doc.set(key, value);
    return;
  }
  const items = doc.contents.items;
  const keyOf = (pair: (typeof items)[number]) => String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
  const after = Math.max(...['version', 'id'].map((head) => items.findIndex((pair) => keyOf(pair) === head)));
  items.splice(after + 1, 0, doc.createPair(key, value) as (typeof items)[number]);
}

function stamp(doc: Document): void {
  setTopLevel(doc, 'last_updated', new Date().toISOString());
}
