/** The schemas ajv validates, by name, and the ajv options: shared by runtime and build-time compilation. */
import type { Options } from 'ajv';
import { hostsFileSchema, registrySchema, serverConfigSchema, tokensFileSchema } from './schemas.js';

export const AJV_OPTIONS: Options = { allErrors: false, strict: true };

export const VALIDATED_SCHEMAS = {
  registry: registrySchema,
  hosts: hostsFileSchema,
  serverConfig: serverConfigSchema,
  tokens: tokensFileSchema,
} as const;

export type ValidatorName = keyof typeof VALIDATED_SCHEMAS;
