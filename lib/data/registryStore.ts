/** registry.yaml: every registered server, its config and its last recorded status. */
import { NotFoundError, ValidationError } from '../errors.js';
import type { MCPServerConfig, MCPServerData, MCPServerStatus, ServerRegistry } from './models.js';
import { validateRegistry } from './validate.js';
import { YamlFile } from './yamlFile.js';

export class RegistryStore {
  private readonly yaml: YamlFile<ServerRegistry>;

  constructor(readonly file: string) {
    this.yaml = new YamlFile(file, validateRegistry, () => ({ version: 1, servers: {} }));
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
    return this.yaml.update((registry) => {
      if (Object.hasOwn(registry.servers, config.name)) {
        throw new ValidationError(`server "${config.name}" already exists (remove it first, or pick another name)`, 'ALREADY_EXISTS');
      }
      const entry: MCPServerData = { config, status: { status: 'stopped' } };
      return { next: stamp({ ...registry, servers: { ...registry.servers, [config.name]: entry } }), result: entry };
    });
  }

  /**
   * Register several servers in one write: all of them or none. A name taken meanwhile fails the
   * whole write, unless `replace`, which swaps the config and keeps the last status recorded.
   */
  addAll(configs: readonly MCPServerConfig[], { replace = false } = {}): Promise<MCPServerData[]> {
    return this.yaml.update((registry) => {
      const servers = { ...registry.servers };
      const added = configs.map((config) => {
        const existing = Object.hasOwn(servers, config.name) ? servers[config.name] : undefined;
        if (existing && !replace) {
          throw new ValidationError(`server "${config.name}" already exists (remove it first, or pick another name)`, 'ALREADY_EXISTS');
        }
        const entry: MCPServerData = { config, status: existing?.status ?? { status: 'stopped' } };
        servers[config.name] = entry;
        return entry;
      });
      return { next: stamp({ ...registry, servers }), result: added };
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
