// Calls one tool on an MCP server over Streamable HTTP with the official SDK client and prints
// the server's identity and the tool's text result. Usage: node scripts/mcp-call.mjs URL TOOL [JSON-ARGS]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, tool, args = '{}'] = process.argv.slice(2);
if (!url || !tool) {
  console.error('usage: node scripts/mcp-call.mjs URL TOOL [JSON-ARGS]');
  process.exit(2);
}
const client = new Client({ name: 'msm-demo', version: '1.0.0' });
for (let attempt = 1; ; attempt++) {
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    break;
  } catch (err) {
    if (attempt >= 25) throw err;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const server = client.getServerVersion();
const { tools } = await client.listTools();
const result = await client.callTool({ name: tool, arguments: JSON.parse(args) });
console.log(`server ${server?.name} ${server?.version}, ${tools.length} tools: ${tools.map((t) => t.name).join(', ')}`);
console.log(`${tool} -> ${result.content.map((c) => c.text ?? JSON.stringify(c)).join(' ')}`);
await client.close();
