/** Finding a client's servers map in its config file, by the client table. */
import { CLIENTS, findClient, CLIENT_IDS, type ClientSpec } from '../../data/clients.js';
import { ValidationError } from '../../errors.js';
import { describeJsonType, isJsonObject, valueAt, type JsonObject } from './jsoncText.js';

export interface LocatedServers {
  client: ClientSpec;
  /** Key path of the servers map inside the file. */
  path: readonly string[];
  servers: JsonObject;
  /** VS Code's declared inputs beside the servers map: id -> description. */
  inputs: Map<string, string>;
}

export function requireClient(id: string): ClientSpec {
  const client = findClient(id);
  if (!client) throw new ValidationError(`unknown client "${id}": use one of ${CLIENT_IDS.join(', ')}`, 'USAGE');
  return client;
}

export function showPath(keys: readonly string[]): string {
  return keys.map((key) => `"${key}"`).join('.');
}

/** The first of the client's server paths present in the file (its first path when none is). */
export function serversPathIn(root: JsonObject, client: ClientSpec): readonly string[] {
  const found = client.serversPaths.find((keys) => valueAt(root, keys) !== undefined);
  return found ?? (client.serversPaths[0] as readonly string[]);
}

export function locateServers(root: JsonObject, clientId: string, file: string): LocatedServers {
  const candidates = clientId === 'auto' ? CLIENTS : [requireClient(clientId)];
  for (const client of candidates) {
    for (const path of client.serversPaths) {
      const servers = valueAt(root, path);
      if (servers === undefined) continue;
      if (!isJsonObject(servers)) {
        throw new ValidationError(
          `${file}: ${showPath(path)} must be an object mapping server names to entries, found ${describeJsonType(servers)}`,
          'BAD_CLIENT_CONFIG',
        );
      }
      return { client, path, servers, inputs: inputsBeside(root, path) };
    }
  }
  const looked = [...new Set(candidates.flatMap((client) => client.serversPaths.map(showPath)))].join(', ');
  const hint = clientId === 'auto' ? '' : ` (the ${clientId} format; try --client auto)`;
  throw new ValidationError(`${file}: no MCP servers map found: looked for ${looked}${hint}`, 'BAD_CLIENT_CONFIG');
}

function inputsBeside(root: JsonObject, serversPath: readonly string[]): Map<string, string> {
  const inputs = new Map<string, string>();
  const declared = valueAt(root, [...serversPath.slice(0, -1), 'inputs']);
  if (!Array.isArray(declared)) return inputs;
  for (const input of declared) {
    if (isJsonObject(input) && typeof input.id === 'string') inputs.set(input.id, typeof input.description === 'string' ? input.description : '');
  }
  return inputs;
}
