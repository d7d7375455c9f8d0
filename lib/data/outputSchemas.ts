/**
 * The contract of every `--json` document, one JSON Schema per command, built from the model
 * schemas (schemas.ts). Published as docs/schemas/<command>.json by scripts/gen-schemas.mjs and
 * printed by `mcp schema <command>`; tests validate real output against them.
 */
import { healthResultSchema, hostEntrySchema, serverConfigSchema, serverDataSchema, serverStatusSchema } from './schemas.js';

const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

const nullableString = { type: ['string', 'null'] } as const;

/** One server's outcome in start, stop, restart, add, remove and pull. */
export const resultRecordSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'host', 'ok', 'action', 'status', 'error'],
  properties: {
    name: { type: 'string' },
    host: { type: 'string' },
    ok: { type: 'boolean' },
    /** created, started, already running, recreated, stopped, restarted, added, removed, pulled; null when it failed. */
    action: nullableString,
    status: { anyOf: [serverStatusSchema, { type: 'null' }] },
    container_id: nullableString,
    /** pull only: the image as registered and the reference pulled. */
    image: nullableString,
    reference: nullableString,
    error: nullableString,
  },
} as const;

const resultListSchema = { type: 'array', items: resultRecordSchema } as const;

export const logLineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['stream', 'time', 'text'],
  properties: {
    stream: { type: 'string', enum: ['stdout', 'stderr'] },
    time: { type: 'string', description: 'RFC 3339 with nanoseconds, as docker prints it; empty when docker gave none' },
    text: { type: 'string' },
  },
} as const;

export const serverLogsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'host', 'ok', 'lines', 'error'],
  properties: {
    name: { type: 'string' },
    host: { type: 'string' },
    ok: { type: 'boolean' },
    lines: { type: 'array', items: logLineSchema },
    error: nullableString,
  },
} as const;

const healthRecordSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'host', 'ok', 'status'],
  properties: { name: { type: 'string' }, host: { type: 'string' }, ok: { type: 'boolean' }, ...healthResultSchema.properties },
} as const;

const hostRecordSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['alias', 'address'],
  properties: { alias: { type: 'string' }, ...hostEntrySchema.properties },
} as const;

export const hostCheckSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'ok'],
  properties: {
    host: { type: 'string' },
    ok: { type: 'boolean' },
    docker_version: { type: 'string' },
    latency_ms: { type: 'number', minimum: 0 },
    error: { type: 'string' },
  },
} as const;

const dryRunSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'host'],
    properties: { name: { type: 'string' }, host: { type: 'string' }, argv: { type: 'array', items: { type: 'string' } }, error: { type: 'string' } },
  },
} as const;

const configChangeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'host', 'changed', 'config'],
  properties: {
    name: { type: 'string' },
    host: { type: 'string' },
    /** The config fields that changed (empty: nothing to change). */
    changed: { type: 'array', items: { type: 'string' } },
    config: serverConfigSchema,
  },
} as const;

const moveSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'from', 'to', 'ok', 'step', 'status', 'error'],
  properties: {
    name: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    ok: { type: 'boolean' },
    /** Where a failed move stopped: stop (nothing changed), start (back on the old host), remove (moved; old container left). */
    step: { anyOf: [{ type: 'string', enum: ['stop', 'start', 'remove'] }, { type: 'null' }] },
    status: nullableString,
    error: nullableString,
  },
} as const;

/** What a command prints on stderr with --json when it fails as a whole. */
export const errorDocumentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['message', 'code'],
      properties: { message: { type: 'string' }, code: { type: 'string' } },
    },
  },
} as const;

const stringList = { type: 'array', items: { type: 'string' } } as const;

/** `mcp import --json`: what was (or, with --dry-run, would be) registered; secret values never appear. */
const importSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['file', 'client', 'servers_path', 'dry_run', 'registry', 'registered', 'skipped', 'dotenv'],
  properties: {
    file: { type: 'string' },
    /** The client layout the file was read as (a row of lib/data/clients.ts). */
    client: { type: 'string' },
    servers_path: stringList,
    dry_run: { type: 'boolean' },
    registry: { type: 'string' },
    registered: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'host', 'docker_command', 'environment', 'replaced', 'dotenv', 'variables', 'ignored_env', 'inline_secrets'],
        properties: {
          name: { type: 'string' },
          host: { type: 'string' },
          docker_command: { type: 'string' },
          /** References only (`${NAME}`), never a value. */
          environment: { type: 'object', additionalProperties: { type: 'string' } },
          replaced: { type: 'boolean' },
          /** Names of the variables this import writes to .env for the server. */
          dotenv: stringList,
          variables: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'missing'],
              properties: { name: { type: 'string' }, from: { type: 'string' }, missing: { type: 'boolean' } },
            },
          },
          ignored_env: stringList,
          inline_secrets: stringList,
        },
      },
    },
    skipped: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'code', 'reason'],
        properties: {
          name: { type: 'string' },
          code: { type: 'string', enum: ['NOT_DOCKER', 'REMOTE', 'NOT_DOCKER_RUN', 'EXISTS', 'INVALID_NAME'] },
          reason: { type: 'string' },
        },
      },
    },
    dotenv: {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'added'],
      properties: { file: { type: 'string' }, added: stringList },
    },
  },
} as const;

const leftOutSchema = {
  type: 'array',
  items: { type: 'object', additionalProperties: false, required: ['name', 'reason'], properties: { name: { type: 'string' }, reason: { type: 'string' } } },
} as const;

/** Entries in the client's own shape, by server name. */
const clientEntriesSchema = { type: 'object', additionalProperties: { type: 'object' } } as const;

/** `mcp export --json`: the entries printed, or what --write did (--dry-run: would do, with the diff). */
const exportSchema = {
  anyOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['client', 'entries', 'snippet', 'skipped'],
      properties: { client: { type: 'string' }, entries: clientEntriesSchema, snippet: { type: 'object' }, skipped: leftOutSchema },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['client', 'file', 'dry_run', 'written', 'added', 'replaced', 'entries', 'skipped'],
      properties: {
        client: { type: 'string' },
        file: { type: 'string' },
        dry_run: { type: 'boolean' },
        written: { type: 'boolean' },
        added: stringList,
        replaced: stringList,
        entries: clientEntriesSchema,
        skipped: leftOutSchema,
        diff: { type: 'string' },
      },
    },
  ],
} as const;

function document(title: string, description: string, body: object): object {
  return { $schema: SCHEMA_DIALECT, title, description, ...body };
}

/** One schema per command (and `error` for the stderr document), keyed by how `mcp schema` names it. */
export const OUTPUT_SCHEMAS: Record<string, object> = {
  add: document('mcp add --json', 'the registered server (with --start: the start result)', resultListSchema),
  remove: document('mcp remove --json', 'one record per server removed', resultListSchema),
  start: document('mcp start --json', 'one record per server; with --dry-run, the docker argv each would run', { anyOf: [resultListSchema, dryRunSchema] }),
  stop: document('mcp stop --json', 'one record per server', resultListSchema),
  restart: document('mcp restart --json', 'one record per server', resultListSchema),
  pull: document('mcp pull --json', 'one record per server', resultListSchema),
  up: document('mcp up --json', 'one record per server brought to its desired state (with --dry-run: what would be done)', resultListSchema),
  get: document('mcp get --json', 'one server (one name given) or an array of them (several)', { anyOf: [serverDataSchema, { type: 'array', items: serverDataSchema }] }),
  list: document('mcp list --json', 'every selected server', { type: 'array', items: serverDataSchema }),
  log: document('mcp log --json', "one server's recent lines (one name) or an array of them (several, --all)", { anyOf: [serverLogsSchema, { type: 'array', items: serverLogsSchema }] }),
  'log-follow': document('mcp log -f --json', 'NDJSON: one such object per line, as the lines arrive', {
    type: 'object',
    additionalProperties: false,
    required: ['time', 'host', 'name', 'stream', 'line'],
    properties: { time: { type: 'string' }, host: { type: 'string' }, name: { type: 'string' }, stream: logLineSchema.properties.stream, line: { type: 'string' } },
  }),
  set: document('mcp set --json', 'the fields that changed and the config now registered', configChangeSchema),
  edit: document('mcp edit --json', 'the fields that changed and the config now registered', configChangeSchema),
  move: document('mcp move --json', 'how the move went', moveSchema),
  health: document('mcp health --json', 'one health result per server', { type: 'array', items: healthRecordSchema }),
  'hosts-list': document('mcp hosts list --json', 'the hosts inventory', { type: 'array', items: hostRecordSchema }),
  'hosts-add': document('mcp hosts add --json', 'the host added', hostRecordSchema),
  'hosts-remove': document('mcp hosts remove --json', 'the host removed', {
    type: 'object',
    additionalProperties: false,
    required: ['alias', 'removed'],
    properties: { alias: { type: 'string' }, removed: { type: 'boolean' } },
  }),
  'hosts-check': document('mcp hosts check --json', 'one result per host', { type: 'array', items: hostCheckSchema }),
  version: document('mcp version --json', 'versions of mcp, Node.js and the local docker client (null when absent)', {
    type: 'object',
    additionalProperties: false,
    required: ['version', 'node', 'docker'],
    properties: { version: { type: 'string' }, node: { type: 'string' }, docker: nullableString },
  }),
  doctor: document('mcp doctor --json', 'every check, in order; ok is false when any check failed', {
    type: 'object',
    additionalProperties: false,
    required: ['ok', 'checks'],
    properties: {
      ok: { type: 'boolean' },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['check', 'status', 'detail', 'fix'],
          properties: { check: { type: 'string' }, status: { type: 'string', enum: ['ok', 'warn', 'fail'] }, detail: { type: 'string' }, fix: nullableString },
        },
      },
    },
  }),
  import: document('mcp import --json', 'the servers registered from a client config, and those skipped with why', importSchema),
  export: document('mcp export --json', 'the client entries printed, or merged into its config file with --write', exportSchema),
  error: document('error document (stderr, --json)', 'what any command prints on stderr when it fails as a whole', errorDocumentSchema),
};
