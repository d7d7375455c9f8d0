/**
 * `mcp connect --gateway URL`: Streamable HTTP to `mcp serve`'s `/mcp/<name>`, with the token as a
 * bearer header. The token never travels in the URL (which proxies and logs keep), so a URL
 * carrying credentials is refused.
 */
import { ValidationError } from '../../errors.js';
import { endHttpSession, type Link } from './serverLinks.js';

export function gatewayUrl(base: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new ValidationError(`--gateway "${base}" is not a URL (e.g. http://127.0.0.1:7800)`, 'INVALID_GATEWAY');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError(`--gateway must be an http:// or https:// URL, got "${url.protocol}"`, 'INVALID_GATEWAY');
  if (url.username || url.password || url.search) {
    throw new ValidationError('--gateway must not carry credentials or a query: put the token in MSM_TOKEN', 'INVALID_GATEWAY');
  }
  return new URL(`${url.pathname.replace(/\/+$/, '')}/mcp/${encodeURIComponent(name)}`, url);
}

export async function openGateway(base: string, name: string, token: string | undefined): Promise<Link> {
  const url = gatewayUrl(base, name);
  if (!token) throw new ValidationError('going through a gateway needs a token: set MSM_TOKEN (never put it on the command line)', 'NO_TOKEN');
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  return { transport, describe: url.toString(), close: () => endHttpSession(transport) };
}
