/**
 * `mcp export`, the pure part: the entry each client needs to reach a server through msm, and the
 * client's config text with those entries merged in (comments and other entries kept).
 *
 * `--via connect`: the client launches `mcp connect <name>`, which bridges stdio to the server
 * wherever it runs. `--via gateway`: the client speaks Streamable HTTP to `mcp serve` at
 * `<base>/mcp/<name>`, authenticated by a bearer token the client reads from its environment
 * (`${MSM_TOKEN}` in the client's own syntax): the token itself is never written.
 */
import type { ClientSpec } from '../../data/clients.js';
import { ValidationError } from '../../errors.js';
import { describeJsonType, isJsonObject, parseJsoncObject, setInText, valueAt, type JsonObject } from './jsoncText.js';
import { serversPathIn, showPath } from './serversMap.js';

export type Via = 'connect' | 'gateway';

export const TOKEN_VARIABLE = 'MSM_TOKEN';

export interface EntryOptions {
  via: Via;
  /** The gateway's base URL (`--via gateway`), checked by gatewayBase. */
  gatewayUrl?: string;
  /** Global flags `mcp connect` needs to find this registry (`--registry FILE`), when not the default. */
  connectFlags?: readonly string[];
}

export function clientEntry(client: ClientSpec, name: string, options: EntryOptions): JsonObject {
  if (options.via === 'connect') {
    return { ...(client.stdio.type ? { type: client.stdio.type } : {}), command: 'mcp', args: ['connect', name, ...(options.connectFlags ?? [])] };
  }
  if (!client.http) {
    throw new ValidationError(`${client.id} takes only command entries in its config file: use --via connect`, 'USAGE');
  }
  if (!options.gatewayUrl) throw new ValidationError('--via gateway needs the gateway URL: --gateway-url http://HOST:PORT (or MSM_GATEWAY)', 'USAGE');
  const token = client.variableForm.replace('NAME', TOKEN_VARIABLE);
  return {
    ...(client.http.type ? { type: client.http.type } : {}),
    [client.http.urlKey]: `${gatewayBase(options.gatewayUrl)}/mcp/${encodeURIComponent(name)}`,
    headers: { Authorization: `Bearer ${token}` },
  };
}

/** The base URL without a trailing slash; refused when it could carry a secret or is not HTTP. */
export function gatewayBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`--gateway-url "${url}" is not a URL: give it as http://HOST:PORT`, 'USAGE');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ValidationError(`--gateway-url must be http:// or https://, not ${parsed.protocol}`, 'USAGE');
  if (parsed.username || parsed.password) throw new ValidationError('--gateway-url must not hold credentials: the token goes in the Authorization header, as ${MSM_TOKEN}', 'USAGE');
  if (parsed.search || parsed.hash) throw new ValidationError('--gateway-url takes no query or fragment: give the base the gateway serves /mcp/<name> under', 'USAGE');
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

export interface MergeResult {
  text: string;
  /** Where the servers map is in the file. */
  path: readonly string[];
  added: string[];
  replaced: string[];
}

/** `text` (the client's config, undefined when there is none yet) with `entries` set in its servers map. */
export function mergeEntries(text: string | undefined, file: string, client: ClientSpec, entries: Readonly<Record<string, JsonObject>>): MergeResult {
  const source = text === undefined || text.trim() === '' ? '{}\n' : text;
  const root = parseJsoncObject(source, file);
  const path = serversPathIn(root, client);
  const servers = valueAt(root, path);
  if (servers !== undefined && !isJsonObject(servers)) {
    throw new ValidationError(`${file}: ${showPath(path)} must be an object mapping server names to entries, found ${describeJsonType(servers)}; nothing was written`, 'BAD_CLIENT_CONFIG');
  }
  let merged = source;
  const added: string[] = [];
  const replaced: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const isNew = servers === undefined || !Object.hasOwn(servers, name);
    try {
      merged = setInText(merged, [...path, name], entry, added.length);
    } catch (err) {
      throw new ValidationError(`${file}: cannot put the servers map at ${showPath(path)}: ${(err as Error).message}; nothing was written`, 'BAD_CLIENT_CONFIG');
    }
    (isNew ? added : replaced).push(name);
  }
  return { text: merged, path, added, replaced };
}
