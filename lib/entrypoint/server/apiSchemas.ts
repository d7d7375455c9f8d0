/**
 * The HTTP API's schemas, built from the models in lib/data/schemas.ts (one definition of every
 * model for the files, the CLI's --json and the API). Models get an `$id` and become OpenAPI
 * components; routes refer to them as `{ $ref: 'ServerData#' }`.
 */
import {
  containerInfoSchema,
  healthCheckSchema,
  healthResultSchema,
  resourceUsageSchema,
  SERVER_NAME_PATTERN,
  serverConfigSchema,
  serverDataSchema,
  serverStatusDetailSchema,
  serverStatusSchema,
  tokenRoleSchema,
} from '../../data/schemas.js';
import { errorDocumentSchema, hostCheckSchema, logLineSchema, resultRecordSchema } from '../../data/outputSchemas.js';

/** The CLI's --json shapes that the API answers with as they are. */
export { hostCheckSchema, logLineSchema };

/** Every model the API names, with the `$id` it is referred to by. */
export const MODEL_SCHEMAS = [
  { $id: 'ServerStatus', ...serverStatusSchema },
  { $id: 'HealthCheck', ...healthCheckSchema },
  { $id: 'HealthResult', ...healthResultSchema },
  { $id: 'ContainerInfo', ...containerInfoSchema },
  { $id: 'ResourceUsage', ...resourceUsageSchema },
  { $id: 'ServerConfig', ...serverConfigSchema },
  { $id: 'ServerStatusDetail', ...serverStatusDetailSchema },
  { $id: 'ServerData', ...serverDataSchema },
  { $id: 'Error', ...errorDocumentSchema },
  {
    $id: 'TargetResult',
    description: 'What happened to one server, as `mcp start --json` prints it.',
    ...resultRecordSchema,
  },
  {
    $id: 'TokenRole',
    ...tokenRoleSchema,
  },
] as const;

export const ref = (id: (typeof MODEL_SCHEMAS)[number]['$id']) => ({ $ref: `${id}#` }) as const;

/** Responses every authenticated route may give besides its own. */
export const errorResponses = {
  400: ref('Error'),
  401: ref('Error'),
  403: ref('Error'),
  404: ref('Error'),
} as const;

export const serverNameParams = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', pattern: SERVER_NAME_PATTERN, maxLength: 128 } },
} as const;

const configFields = serverConfigSchema.properties;

/** The config's fields a user gives, as `mcp add` takes them: all but the command and the stamps. */
function userFields(): Omit<typeof configFields, 'docker_command' | 'created_at' | 'updated_at'> {
  const storedOnly = new Set(['docker_command', 'created_at', 'updated_at']);
  return Object.fromEntries(Object.entries(configFields).filter(([key]) => !storedOnly.has(key))) as never;
}

/** `POST /servers`: what `mcp add` takes, with `command` for the docker run line. */
export const addServerBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'command'],
  properties: {
    ...userFields(),
    command: { type: 'string', minLength: 1, maxLength: 8192, description: 'the docker run command, as in the server\'s README' },
    // Bounds for input the registry's own schema need not repeat.
    host: { type: 'string', minLength: 1, maxLength: 255 },
    description: { type: 'string', maxLength: 4096 },
    health_check: ref('HealthCheck'),
  },
} as const;

/** Bulk lifecycle: `{names: [...]}`, `{all: true}` or `{host: "..."}` (every server on it). */
export const bulkSelectorBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    names: { type: 'array', minItems: 1, maxItems: 1000, items: serverNameParams.properties.name },
    all: { type: 'boolean' },
    host: { type: 'string', minLength: 1, maxLength: 255 },
    recreate: { type: 'boolean', description: 'start/restart: recreate the containers even when the command is unchanged' },
  },
} as const;

export const startOptionsBody = {
  type: 'object',
  additionalProperties: false,
  properties: { recreate: bulkSelectorBody.properties.recreate },
} as const;
