/**
 * `mcp import`, against the files: plans over the registry and `.env` as they are, and applies a
 * plan all-or-nothing (the `.env` lines it added are taken out when the registry write fails).
 */
import { addDotenvValues, readDotenv, removeDotenvValues } from '../../data/dotenvFile.js';
import type { MCPServerData } from '../../data/models.js';
import type { RegistryStore } from '../../data/registryStore.js';
import { planImport, type ImportOptions, type ImportPlan } from './importPlan.js';

export type ImportRequest = Pick<ImportOptions, 'file' | 'client' | 'host' | 'replace'>;

export class ClientImporter {
  constructor(
    private readonly registry: RegistryStore,
    private readonly dotenvFile: string,
    private readonly environment: Readonly<Record<string, string | undefined>>,
  ) {}

  async plan(text: string, request: ImportRequest): Promise<ImportPlan> {
    const [registry, dotenv] = await Promise.all([this.registry.read(), readDotenv(this.dotenvFile)]);
    return planImport(text, {
      ...request,
      existingNames: new Set(Object.keys(registry.servers)),
      dotenv,
      variables: { ...dotenv, ...this.environment },
    });
  }

  async apply(plan: ImportPlan, { replace = false } = {}): Promise<MCPServerData[]> {
    if (plan.servers.length === 0) return [];
    const added = Object.keys(plan.dotenv).length > 0 ? await addDotenvValues(this.dotenvFile, plan.dotenv) : [];
    try {
      return await this.registry.addAll(plan.servers.map((server) => server.config), { replace });
    } catch (err) {
      await removeDotenvValues(this.dotenvFile, added, plan.dotenv);
      throw err;
    }
  }
}
