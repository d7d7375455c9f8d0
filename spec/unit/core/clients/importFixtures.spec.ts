/**
 * `mcp import` over real client configs from MCP servers' READMEs (spec/fixtures/clients/README.md
 * lists their sources). The expectations are read from the fixtures independently of the importer:
 * the servers map is found by hand and the args compared word for word.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import { planImport, type ImportPlan, type SkipCode } from '../../../../lib/core/clients/importPlan.js';
import { parseDockerCommand } from '../../../../lib/core/docker/parseRun.js';
import { planRun } from '../../../../lib/core/docker/runPlan.js';
import { splitCommand } from '../../../../lib/core/docker/shellwords.js';
import { ROOT } from '../../../integration/harness.js';

const FIXTURES = path.join(ROOT, 'spec/fixtures/clients');

interface Entry {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
}

interface Expected {
  skipped?: Record<string, SkipCode>;
  /** Variables written to .env. */
  dotenv?: string[];
  /** Registry environment maps (references only). */
  environment?: Record<string, Record<string, string>>;
  ignoredEnv?: Record<string, string[]>;
  /** Variables to set before start that this import does not provide. */
  missing?: string[];
  /** Secret-looking -e NAME=value args, by server. */
  inlineSecrets?: Record<string, string[]>;
  /** Args whose stored word differs from the client's text (references), by server. */
  storedArgs?: Record<string, Record<string, string>>;
}

const EXPECTED: Record<string, Expected> = {
  'claude-desktop/fetch.json': {},
  'claude-desktop/fetch-uvx.json': { skipped: { fetch: 'NOT_DOCKER' } },
  'claude-desktop/filesystem.json': {},
  'claude-desktop/filesystem-npx.json': { skipped: { filesystem: 'NOT_DOCKER' } },
  'claude-desktop/time.json': { missing: ['LOCAL_TIMEZONE'] },
  'claude-desktop/memory.json': {},
  'claude-desktop/sequentialthinking.json': {},
  'claude-desktop/postgres.json': {},
  'claude-desktop/brave-search.json': { dotenv: ['BRAVE_API_KEY'] },
  'claude-desktop/slack.json': { dotenv: ['SLACK_BOT_TOKEN', 'SLACK_TEAM_ID', 'SLACK_CHANNEL_IDS'] },
  'claude-desktop/gitlab.json': { dotenv: ['GITLAB_PERSONAL_ACCESS_TOKEN', 'GITLAB_API_URL'] },
  'claude-desktop/google-maps.json': { dotenv: ['GOOGLE_MAPS_API_KEY'] },
  'claude-desktop/puppeteer.json': {},
  'claude-desktop/redis.json': {},
  'claude-desktop/sentry.json': {},
  'claude-desktop/grafana.json': {
    dotenv: ['GRAFANA_URL', 'GRAFANA_SERVICE_ACCOUNT_TOKEN'],
    ignoredEnv: { grafana: ['GRAFANA_USERNAME', 'GRAFANA_PASSWORD', 'GRAFANA_ORG_ID'] },
  },
  'claude-desktop/playwright.json': {},
  'claude-desktop/notion.json': { dotenv: ['OPENAPI_MCP_HEADERS'] },
  'claude-desktop/notion-inline.json': { inlineSecrets: { notionApi: ['OPENAPI_MCP_HEADERS'] } },
  'claude-desktop/atlassian.json': { dotenv: ['CONFLUENCE_URL', 'CONFLUENCE_USERNAME', 'CONFLUENCE_API_TOKEN', 'JIRA_URL', 'JIRA_USERNAME', 'JIRA_API_TOKEN'] },
  'claude-desktop/github.json': { dotenv: ['GITHUB_PERSONAL_ACCESS_TOKEN'] },
  'claude-code/grafana.json': { dotenv: ['GRAFANA_URL', 'GRAFANA_SERVICE_ACCOUNT_TOKEN'] },
  'cursor/grafana.json': { dotenv: ['GRAFANA_URL', 'GRAFANA_SERVICE_ACCOUNT_TOKEN'] },
  'cursor/github-oauth.json': { dotenv: ['GITHUB_OAUTH_CALLBACK_PORT'] },
  'windsurf/github.json': { dotenv: ['GITHUB_PERSONAL_ACCESS_TOKEN'] },
  'gemini-cli/github.json': { environment: { github: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_MCP_PAT}' } }, missing: ['GITHUB_MCP_PAT'] },
  'cline/github-oauth.json': { dotenv: ['GITHUB_OAUTH_CALLBACK_PORT'] },
  'vscode/github.json': { environment: { github: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' } }, missing: ['GITHUB_TOKEN'] },
  'vscode/github-settings.json': { environment: { github: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' } }, missing: ['GITHUB_TOKEN'] },
  'vscode/github-remote.json': { skipped: { github: 'REMOTE' } },
  'vscode/filesystem.json': { missing: ['workspaceFolder'] },
  'vscode/memory.json': {},
  'vscode/fetch-settings.json': {},
  'vscode/brave-search-settings.json': { missing: ['BRAVE_API_KEY'] },
  'vscode/postgres-settings.json': { missing: ['PG_URL'], storedArgs: { postgres: { '${input:pg_url}': '${PG_URL}' } } },
  'vscode/slack-settings.json': { ignoredEnv: { slack: ['SLACK_BOT_TOKEN', 'SLACK_TEAM_ID'] } },
  'vscode/terraform.json': {
    missing: ['TFE_TOKEN', 'TFE_ADDRESS'],
    storedArgs: { terraform: { 'TFE_TOKEN=${input:tfe_token}': 'TFE_TOKEN=${TFE_TOKEN}', 'TFE_ADDRESS=${input:tfe_address}': 'TFE_ADDRESS=${TFE_ADDRESS}' } },
  },
  'vscode/terraform-settings.json': {
    missing: ['TFE_TOKEN', 'TFE_ADDRESS'],
    storedArgs: { terraform: { 'TFE_TOKEN=${input:tfe_token}': 'TFE_TOKEN=${TFE_TOKEN}', 'TFE_ADDRESS=${input:tfe_address}': 'TFE_ADDRESS=${TFE_ADDRESS}' } },
  },
};

function fixtureFiles(): string[] {
  const files: string[] = [];
  for (const dir of fs.readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === 'bad') continue;
    for (const file of fs.readdirSync(path.join(FIXTURES, dir.name))) files.push(`${dir.name}/${file}`);
  }
  return files.sort();
}

/** The servers map, found the way a reader of the README would. */
function serversOf(text: string): Record<string, Entry> {
  const doc = parse(text, [], { allowTrailingComma: true }) as { mcpServers?: unknown; servers?: unknown; mcp?: { servers?: unknown } };
  return (doc.mcpServers ?? doc.servers ?? doc.mcp?.servers) as Record<string, Entry>;
}

function isDockerRun(entry: Entry): boolean {
  return entry.command === 'docker' && entry.args?.[0] === 'run';
}

function importFixture(file: string): { plan: ImportPlan; servers: Record<string, Entry> } {
  const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  const plan = planImport(text, { file, client: 'auto', existingNames: new Set(), dotenv: {}, variables: {}, now: new Date('2026-01-01T00:00:00Z') });
  return { plan, servers: serversOf(text) };
}

describe('import of real client configs', () => {
  it('covers at least 20 fixtures, every one with expectations', () => {
    expect(fixtureFiles().length).toBeGreaterThanOrEqual(20);
    expect(fixtureFiles()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(fixtureFiles())('%s', (file) => {
    const expected = EXPECTED[file] ?? {};
    const { plan, servers } = importFixture(file);

    it('registers every docker run entry under its key and reports the others', () => {
      const dockerNames = Object.keys(servers).filter((name) => isDockerRun(servers[name] as Entry));
      expect(plan.servers.map((server) => server.config.name)).toEqual(dockerNames);
      expect(Object.fromEntries(plan.skipped.map((skip) => [skip.name, skip.code]))).toEqual(expected.skipped ?? {});
      for (const skip of plan.skipped) expect(skip.reason.length).toBeGreaterThan(20);
    });

    it('stores a docker_command that splits back to exactly the args', () => {
      for (const server of plan.servers) {
        const entry = servers[server.config.name] as Entry;
        const stored = expected.storedArgs?.[server.config.name] ?? {};
        const args = (entry.args ?? []).map((arg) => stored[arg] ?? arg);
        expect(splitCommand(server.config.docker_command)).toEqual(['docker', ...args]);
      }
    });

    it('puts literal env values in .env only, keeps references, and ignores env the container never sees', () => {
      expect(Object.keys(plan.dotenv)).toEqual(expected.dotenv ?? []);
      for (const server of plan.servers) {
        const entry = servers[server.config.name] as Entry;
        for (const name of server.secrets) expect(plan.dotenv[name]).toBe(entry.env?.[name]);
        expect(server.config.environment ?? {}).toEqual(expected.environment?.[server.config.name] ?? {});
        expect(server.ignoredEnv).toEqual(expected.ignoredEnv?.[server.config.name] ?? []);
        expect(server.inlineSecrets).toEqual(expected.inlineSecrets?.[server.config.name] ?? []);
        const stored = JSON.stringify(server.config);
        for (const value of Object.values(plan.dotenv)) {
          if (!(entry.args ?? []).some((arg) => arg.includes(value))) expect(stored).not.toContain(value);
        }
      }
    });

    it('names the variables still to set, and plans a start once they are', () => {
      const missing = plan.servers.flatMap((server) => server.variables.filter((v) => v.missing).map((v) => v.name));
      expect(missing).toEqual(expected.missing ?? []);
      const variables: Record<string, string> = { ...plan.dotenv, ...Object.fromEntries(missing.map((name) => [name, `value-of-${name}`])) };
      for (const server of plan.servers) {
        const run = planRun(server.config, parseDockerCommand(server.config.docker_command), { variables, homeDir: '/home/u' });
        expect(run.args).toContain(`--label=msm.name=${server.config.name}`);
        for (const secret of Object.values(plan.dotenv)) {
          if (secret.length > 4 && !(servers[server.config.name]?.args ?? []).some((arg) => arg.includes(secret))) expect(run.display.join(' ')).not.toContain(secret);
        }
      }
    });
  });
});
