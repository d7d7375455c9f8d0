/**
 * ajv validators compiled from the schemas, and one formatter that turns ajv's errors into a
 * single line naming the file and the path inside it (`registry.yaml: servers.s1.config.port must
 * be <= 65535`).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { getValidator } from './compiledValidators.js';
import type { HostsFile, MCPServerConfig, ServerRegistry, TokensFile } from './models.js';

export const validateRegistry = () => getValidator('registry') as ValidateFunction<ServerRegistry>;
export const validateHostsFile = () => getValidator('hosts') as ValidateFunction<HostsFile>;
export const validateServerConfig = () => getValidator('serverConfig') as ValidateFunction<MCPServerConfig>;
export const validateTokensFile = () => getValidator('tokens') as ValidateFunction<TokensFile>;

/** `/servers/s1/config/port` -> `servers.s1.config.port` */
function dottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/**
 * One line for the most telling of ajv's errors: for a bad map key ajv reports the key's pattern
 * failure first and the `propertyNames` error (which knows the key) after it.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const list = errors ?? [];
  return describeSchemaError(list.find((error) => error.keyword === 'propertyNames') ?? list[0]);
}

export function describeSchemaError(error: ErrorObject | undefined): string {
  if (!error) return 'is invalid';
  const where = dottedPath(error.instancePath);
  let what = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    what = `has an unknown field "${String(error.params.additionalProperty)}"`;
  } else if (error.keyword === 'enum') {
    what = `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  } else if (error.keyword === 'propertyNames') {
    what = `has an invalid name "${String(error.params.propertyName)}"`;
  } else if (error.keyword === 'pattern' && where.endsWith('.name')) {
    what = 'must start with a letter or digit and contain only letters, digits, "_", "." and "-"';
  }
  return where ? `${where} ${what}` : what;
}
