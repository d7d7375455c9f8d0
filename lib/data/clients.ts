/**
 * The MCP clients msm reads and writes, as data: where each keeps its config file on each OS,
 * where the servers map lives inside it, and the shape of its entries. Adding a client is adding a
 * row; the importer and exporter read only this table.
 *
 * Paths follow the clients' own documentation and ToolHive's `thv client` table
 * (pkg/client/config.go). `~` is the user's home; `%APPDATA%` is Windows' roaming app data.
 * Only clients whose config is JSON (with comments allowed) are listed.
 */

export type Platform = 'linux' | 'darwin' | 'win32';

/** How a client wants a variable written where it expands one (headers, env). */
export type VariableForm = '${NAME}' | '${env:NAME}';

export interface ClientSpec {
  /** The name used with --client. */
  id: string;
  title: string;
  /** The default config file per OS. */
  paths: Record<Platform, string>;
  /**
   * Where the servers map can be, as key paths; the first one found in a file is used, the first
   * of all when the file has none yet. (A key may itself contain a dot, as Amp's `amp.mcpServers`.)
   */
  serversPaths: readonly (readonly string[])[];
  /** Extra fields of a stdio (command) entry, such as VS Code's `"type": "stdio"`. */
  stdio: { type?: string };
  /** The entry for a server reached over HTTP; absent when the client's file takes only commands. */
  http?: { type?: string; urlKey: string };
  variableForm: VariableForm;
}

const VSCODE_SPEC_BASE = {
  serversPaths: [['servers'], ['mcp', 'servers']],
  stdio: { type: 'stdio' },
  http: { type: 'http', urlKey: 'url' },
  variableForm: '${env:NAME}',
} as const;

function appConfigPaths(relative: string): Record<Platform, string> {
  return {
    linux: `~/.config/${relative}`,
    darwin: `~/Library/Application Support/${relative}`,
    win32: `%APPDATA%/${relative}`,
  };
}

function homePaths(relative: string): Record<Platform, string> {
  return { linux: `~/${relative}`, darwin: `~/${relative}`, win32: `~/${relative}` };
}

export const CLIENTS: readonly ClientSpec[] = [
  {
    id: 'claude-desktop',
    title: 'Claude Desktop',
    paths: appConfigPaths('Claude/claude_desktop_config.json'),
    serversPaths: [['mcpServers']],
    stdio: {},
    // Remote servers are added in the app (connectors), not in this file.
    variableForm: '${NAME}',
  },
  {
    id: 'claude-code',
    title: 'Claude Code (~/.claude.json; a project .mcp.json has the same shape)',
    paths: homePaths('.claude.json'),
    serversPaths: [['mcpServers']],
    stdio: { type: 'stdio' },
    http: { type: 'http', urlKey: 'url' },
    variableForm: '${NAME}',
  },
  {
    id: 'vscode',
    title: 'Visual Studio Code (mcp.json "servers", or settings.json "mcp": {"servers"})',
    paths: appConfigPaths('Code/User/mcp.json'),
    ...VSCODE_SPEC_BASE,
  },
  {
    id: 'vscode-insiders',
    title: 'Visual Studio Code Insiders',
    paths: appConfigPaths('Code - Insiders/User/mcp.json'),
    ...VSCODE_SPEC_BASE,
  },
  {
    id: 'cursor',
    title: 'Cursor (~/.cursor/mcp.json; a project .cursor/mcp.json has the same shape)',
    paths: homePaths('.cursor/mcp.json'),
    serversPaths: [['mcpServers']],
    stdio: {},
    http: { urlKey: 'url' },
    variableForm: '${env:NAME}',
  },
  {
    id: 'windsurf',
    title: 'Windsurf',
    paths: homePaths('.codeium/windsurf/mcp_config.json'),
    serversPaths: [['mcpServers']],
    stdio: {},
    http: { urlKey: 'serverUrl' },
    variableForm: '${env:NAME}',
  },
  {
    id: 'cline',
    title: 'Cline (VS Code extension)',
    paths: appConfigPaths('Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json'),
    serversPaths: [['mcpServers']],
    stdio: {},
    http: { type: 'streamableHttp', urlKey: 'url' },
    variableForm: '${env:NAME}',
  },
  {
    id: 'gemini-cli',
    title: 'Gemini CLI',
    paths: homePaths('.gemini/settings.json'),
    serversPaths: [['mcpServers']],
    stdio: {},
    http: { urlKey: 'httpUrl' },
    variableForm: '${NAME}',
  },
  {
    id: 'kiro',
    title: 'Kiro',
    paths: homePaths('.kiro/settings/mcp.json'),
    serversPaths: [['mcpServers']],
    stdio: {},
    http: { urlKey: 'url' },
    variableForm: '${NAME}',
  },
  {
    id: 'lm-studio',
    title: 'LM Studio',
    paths: homePaths('.lmstudio/mcp.json'),
    serversPaths: [['mcpServers']],
    stdio: {},
    http: { urlKey: 'url' },
    variableForm: '${NAME}',
  },
  {
    id: 'amp',
    title: 'Sourcegraph Amp',
    paths: { linux: '~/.config/amp/settings.json', darwin: '~/.config/amp/settings.json', win32: '%APPDATA%/amp/settings.json' },
    serversPaths: [['amp.mcpServers']],
    stdio: {},
    http: { urlKey: 'url' },
    variableForm: '${NAME}',
  },
];

export const CLIENT_IDS = CLIENTS.map((client) => client.id);

export function findClient(id: string): ClientSpec | undefined {
  return CLIENTS.find((client) => client.id === id);
}
