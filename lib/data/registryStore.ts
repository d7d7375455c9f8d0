/** registry.yaml: every registered server, its config and its last recorded status. */
import fs from 'node:fs/promises';
import { NotFoundError, ValidationError } from '../errors.js';
import type { MCPServerConfig, MCPServerData, MCPServerStatus, ServerRegistry } from './models.js';
import { validateRegistry } from './validate.js';
import { YamlFile } from './yamlFile.js';

export class RegistryStore {
  private readonly yaml: YamlFile<ServerRegistry>;
  private cached: { key: string; registry: Promise<ServerRegistry>; checkedAt: number } | undefined;

  constructor(readonly file: string) {
    this.yaml = new YamlFile(file, validateRegistry, () => ({ version: 1, servers: {} }));
  }

  read(): Promise<ServerRegistry> {
    return this.yaml.read();
  }

  /**
   * The registry for a long-running service that looks servers up on every request (the MCP
   * gateway): parsed again only when the file changed on disk (inode, size, mtime), and the file
   * looked at no more than once per `maxAgeMs`, so a change is seen within that time.
   */
  async readIfChanged(maxAgeMs = 1000, now = Date.now()): Promise<ServerRegistry> {
    if (this.cached && now - this.cached.checkedAt < maxAgeMs) return this.cached.registry;
    let key = 'absent';
    try {
      const stat = await fs.stat(this.file, { bigint: true });
      key = `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (this.cached?.key !== key) {
      const registry = this.read();
      this.cached = { key, registry, checkedAt: now };
      registry.catch(() => (this.cached = undefined));
    } else {
      this.cached.checkedAt = now;
    }
    return this.cached.registry;
  }

  async get(name: string): Promise<MCPServerData> {
    const registry = await this.read();
    return requireServer(registry, name);
  }

  /** Register a new server; fails (and writes nothing) when the name is taken. */
  add(config: MCPServerConfig): Promise<MCPServerData> {
    return this.yaml.update((registry) => {
      if (Object.hasOwn(registry.servers, config.name)) {
        throw new ValidationError(`server "${config.name}" already exists (remove it first, or pick another name)`, 'ALREADY_EXISTS');
      }
      const entry: MCPServerData = { config, status: { status: 'stopped' } };
      return { next: stamp({ ...registry, servers: { ...registry.servers, [config.name]: entry } }), result: entry };
    });
  }

  remove(name: string): Promise<MCPServerData> {
    return this.yaml.update((registry) => {
      const entry = requireServer(registry, name);
      const { [name]: _removed, ...rest } = registry.servers;
      return { next: stamp({ ...registry, servers: rest }), result: entry };
    });
  }

  /**
   * Record what an operation learned about servers (status, container id). Servers removed
   * meanwhile by another process are skipped: an operation never brings an entry back.
   */
  recordStatuses(statuses: ReadonlyMap<string, MCPServerStatus>): Promise<void> {
    if (statuses.size === 0) return Promise.resolve();
    return this.yaml.update((registry) => {
      const servers = { ...registry.servers };
      for (const [name, status] of statuses) {
        const entry = servers[name];
        if (entry) servers[name] = { ...entry, status };
      }
      return { next: stamp({ ...registry, servers }), result: undefined };
    });
  }
}

export function requireServer(registry: ServerRegistry, name: string): MCPServerData {
  const entry = Object.hasOwn(registry.servers, name) ? registry.servers[name] : undefined;
  if (!entry) throw new NotFoundError(`no server named "${name}" is registered (see \`mcp list\`)`);
  return entry;
}

function stamp(registry: ServerRegistry): ServerRegistry {
  return { ...registry, version: 1, last_updated: new Date().toISOString() };
}
