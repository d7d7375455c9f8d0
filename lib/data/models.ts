/** TypeScript types derived from the schemas (never written twice). */
import type { FromSchema } from 'json-schema-to-ts';
import type { resultRecordSchema } from './outputSchemas.js';
import type {
  containerInfoSchema,
  containerLogsSchema,
  healthCheckSchema,
  healthResultSchema,
  hostEntrySchema,
  hostsFileSchema,
  mountSchema,
  portBindingSchema,
  registrySchema,
  resourceUsageSchema,
  serverConfigSchema,
  serverDataSchema,
  serverStatusDetailSchema,
  serverStatusSchema,
  tokenEntrySchema,
  tokenRoleSchema,
  tokensFileSchema,
} from './schemas.js';

export type ServerStatus = FromSchema<typeof serverStatusSchema>;
export type HealthCheck = FromSchema<typeof healthCheckSchema>;
export type HealthResult = FromSchema<typeof healthResultSchema>;
export type MCPServerConfig = FromSchema<typeof serverConfigSchema>;
export type PortBinding = FromSchema<typeof portBindingSchema>;
export type Mount = FromSchema<typeof mountSchema>;
export type ContainerInfo = FromSchema<typeof containerInfoSchema>;
export type ContainerLogs = FromSchema<typeof containerLogsSchema>;
export type ResourceUsage = FromSchema<typeof resourceUsageSchema>;
export type MCPServerStatus = FromSchema<typeof serverStatusDetailSchema>;
export type MCPServerData = FromSchema<typeof serverDataSchema>;
export type ServerRegistry = FromSchema<typeof registrySchema>;
export type HostEntry = FromSchema<typeof hostEntrySchema>;
export type HostsFile = FromSchema<typeof hostsFileSchema>;
export type TokenRole = FromSchema<typeof tokenRoleSchema>;
export type TokenEntry = FromSchema<typeof tokenEntrySchema>;
export type TokensFile = FromSchema<typeof tokensFileSchema>;
/** One server's outcome as start, stop, restart, add, remove and pull print it with --json. */
export type ResultRecord = FromSchema<typeof resultRecordSchema>;

export const LOCALHOST = 'localhost';
