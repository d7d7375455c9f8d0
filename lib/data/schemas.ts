/**
 * The data models of design.md §3 as JSON Schemas: the single source. TypeScript types are derived
 * from them (models.ts), ajv validates files and inputs with them (validate.ts), and the HTTP API
 * will document itself from them. Field names stay snake_case, as in the files and --json output.
 */

export const SERVER_NAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_.-]+$';
/** A host alias in hosts.yaml (and as a server's host). */
export const HOST_ALIAS_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$';

export const serverStatusSchema = {
  type: 'string',
  enum: ['running', 'stopped', 'error', 'unknown', 'starting', 'stopping'],
} as const;

export const healthCheckSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['mcp', 'http', 'tcp', 'none'] },
    path: { type: 'string', pattern: '^/' },
    timeout_ms: { type: 'integer', minimum: 1 },
  },
} as const;

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;

export const serverConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'docker_command', 'host'],
  properties: {
    name: { type: 'string', pattern: SERVER_NAME_PATTERN, maxLength: 128 },
    docker_command: { type: 'string', minLength: 1 },
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    description: { type: 'string' },
    environment: stringMap,
    volumes: stringList,
    networks: stringList,
    labels: stringMap,
    auto_start: { type: 'boolean' },
    restart_policy: { type: 'string', pattern: '^(no|always|unless-stopped|on-failure(:[0-9]+)?)$' },
    health_check: healthCheckSchema,
    /**
     * stdio servers through the gateway: one container shared by every MCP session (ids
     * rewritten), or a fresh container per session for servers that keep per-client state.
     */
    stdio_sessions: { type: 'string', enum: ['shared', 'per-session'] },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
} as const;

export const portBindingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['container_port', 'protocol'],
  properties: {
    container_port: { type: 'integer' },
    protocol: { type: 'string' },
    host_ip: { type: 'string' },
    host_port: { type: 'integer' },
  },
} as const;

export const mountSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'destination'],
  properties: {
    type: { type: 'string' },
    source: { type: 'string' },
    destination: { type: 'string' },
    read_only: { type: 'boolean' },
  },
} as const;

export const containerInfoSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['container_id', 'container_name', 'image', 'image_id', 'ports', 'mounts'],
  properties: {
    container_id: { type: 'string' },
    container_name: { type: 'string' },
    image: { type: 'string' },
    image_id: { type: 'string' },
    ports: { type: 'array', items: portBindingSchema },
    mounts: { type: 'array', items: mountSchema },
  },
} as const;

export const containerLogsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['logs'],
  properties: { logs: stringList },
} as const;

export const resourceUsageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['cpu_usage', 'memory_usage'],
  properties: {
    cpu_usage: { type: 'number', minimum: 0, maximum: 100 },
    memory_usage: { type: 'integer', minimum: 0 },
    memory_limit: { type: 'integer', minimum: 0 },
    network_rx: { type: 'integer', minimum: 0 },
    network_tx: { type: 'integer', minimum: 0 },
    block_read: { type: 'integer', minimum: 0 },
    block_write: { type: 'integer', minimum: 0 },
    pids: { type: 'integer', minimum: 0 },
  },
} as const;

export const healthResultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['healthy', 'unhealthy', 'unchecked'] },
    type: { type: 'string', enum: ['mcp', 'http', 'tcp', 'none'] },
    /** What was probed: the URL or host:port. */
    target: { type: 'string' },
    latency_ms: { type: 'number', minimum: 0 },
    server_name: { type: 'string' },
    server_version: { type: 'string' },
    tool_count: { type: 'integer', minimum: 0 },
    http_status: { type: 'integer' },
    error: { type: 'string' },
    checked_at: { type: 'string' },
  },
} as const;

export const serverStatusDetailSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: {
    status: serverStatusSchema,
    /** docker's own word for the state (running, exited, absent, ...), for humans. */
    state: { type: 'string' },
    /** The last exit code, once the container has exited at least once (or docker failed to start it). */
    exit_code: { type: 'integer' },
    /** When the container last exited (docker's FinishedAt). */
    finished_at: { type: 'string' },
    /** Whether the kernel killed it for going over its memory limit, the last time it exited. */
    oom_killed: { type: 'boolean' },
    /** How often docker restarted it under its restart policy. */
    restart_count: { type: 'integer', minimum: 0 },
    /** docker's own error for the container, e.g. why it could not be started. */
    docker_error: { type: 'string' },
    container_info: containerInfoSchema,
    container_logs: containerLogsSchema,
    resource_usage: resourceUsageSchema,
    /** For people ("3h 12m"); uptime_seconds is the same for scripts. */
    uptime: { type: 'string' },
    uptime_seconds: { type: 'integer', minimum: 0 },
    started_at: { type: 'string' },
    /** docker's own HEALTHCHECK verdict (healthy, unhealthy, starting), when the image has one. */
    health_status: { type: 'string' },
    /** msm's configured health check (get, health), with its latency and what the server said. */
    health: healthResultSchema,
    last_check: { type: 'string' },
    /** true when the running container was made from another command than the registered one. */
    drift: { type: 'boolean' },
    /**
     * Where an MCP client connects: the transport the server speaks, the command a client
     * launches (`mcp connect <name>`), and the gateway URL when one is known (mcp serve, or
     * $MSM_GATEWAY).
     */
    endpoint: {
      type: 'object',
      additionalProperties: false,
      required: ['transport', 'connect'],
      properties: {
        transport: { type: 'string', enum: ['stdio', 'http'] },
        connect: { type: 'string' },
        gateway_url: { type: 'string' },
      },
    },
    /** What the last start/stop asked for (or auto_start): what `mcp up` converges to. */
    desired: { type: 'string', enum: ['running', 'stopped'] },
    error: { type: 'string' },
  },
} as const;

export const serverDataSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['config'],
  properties: {
    config: serverConfigSchema,
    status: serverStatusDetailSchema,
  },
} as const;

export const registrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'servers'],
  properties: {
    version: { type: 'integer', const: 1 },
    /** This registry's identity on every engine: containers carry it as the msm.registry label. */
    id: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$', maxLength: 64 },
    last_updated: { type: 'string' },
    servers: {
      type: 'object',
      propertyNames: { pattern: SERVER_NAME_PATTERN },
      additionalProperties: serverDataSchema,
    },
  },
} as const;

export const hostEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['address'],
  properties: {
    address: { type: 'string', pattern: '^[A-Za-z0-9_\\[:][A-Za-z0-9_.:\\[\\]-]*$' },
    user: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    identity_file: { type: 'string', minLength: 1 },
    docker: { type: 'string', pattern: '^[A-Za-z0-9_@%+=:,./][A-Za-z0-9_@%+=:,./ -]*$' },
    known_hosts_file: { type: 'string', minLength: 1 },
    accept_new_host_keys: { type: 'boolean' },
    labels: stringMap,
  },
} as const;

export const hostsFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['hosts'],
  properties: {
    hosts: {
      type: 'object',
      propertyNames: { pattern: HOST_ALIAS_PATTERN },
      additionalProperties: hostEntrySchema,
    },
  },
} as const;

/**
 * API token roles, weakest first: `client` may only use the MCP gateway; each later role may do
 * everything the earlier ones may (viewer reads, operator runs lifecycle, admin changes config).
 */
export const TOKEN_ROLES = ['client', 'viewer', 'operator', 'admin'] as const;
export const TOKEN_NAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$';

export const tokenRoleSchema = { type: 'string', enum: TOKEN_ROLES } as const;

/** One token in tokens.yaml: the SHA-256 of the secret, never the secret. */
export const tokenEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['hash', 'role', 'created_at'],
  properties: {
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    role: tokenRoleSchema,
    created_at: { type: 'string' },
    expires_at: { type: 'string' },
    /** Limits the token to these servers; the others are absent to it. */
    servers: { type: 'array', items: { type: 'string', pattern: SERVER_NAME_PATTERN } },
  },
} as const;

export const tokensFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tokens'],
  properties: {
    tokens: {
      type: 'object',
      propertyNames: { pattern: TOKEN_NAME_PATTERN, maxLength: 64 },
      additionalProperties: tokenEntrySchema,
    },
  },
} as const;
