import { planImport, type ImportOptions } from '../../../../lib/core/clients/importPlan.js';
import { splitCommand } from '../../../../lib/core/docker/shellwords.js';
import { validationError } from '../../../helpers/errors.js';

const FILE = '/home/u/claude_desktop_config.json';
const SECRET = 'ghp_S3cr3tT0ken';

function options(extra: Partial<ImportOptions> = {}): ImportOptions {
  return { file: FILE, client: 'auto', existingNames: new Set(), dotenv: {}, variables: {}, ...extra };
}

function plan(doc: unknown, extra: Partial<ImportOptions> = {}) {
  return planImport(typeof doc === 'string' ? doc : JSON.stringify(doc), options(extra));
}

function refusal(doc: unknown, extra: Partial<ImportOptions> = {}): string {
  return validationError(() => plan(doc, extra)).message;
}

const docker = (...args: string[]) => ({ command: 'docker', args: ['run', '-i', '--rm', ...args] });

describe('planImport', () => {
  describe('bad files are refused naming the file (and line, entry)', () => {
    test.each<[string, unknown, string]>([
      ['not JSON', '{"mcpServers": {"a": }', `${FILE}:1:22: not valid JSON (ValueExpected)`],
      ['empty', '  \n', `${FILE}: the file is empty (expected a JSON object)`],
      ['a top-level array', '[]', `${FILE}: expected a JSON object at the top, found an array`],
      ['a servers map that is an array', { mcpServers: [docker('img')] }, `${FILE}: "mcpServers" must be an object mapping server names to entries, found an array`],
      ['a servers map that is a string', { servers: 'x' }, `${FILE}: "servers" must be an object mapping server names to entries, found a string`],
      ['no servers map', { theme: 'dark' }, `${FILE}: no MCP servers map found: looked for "mcpServers", "servers", "mcp"."servers", "amp.mcpServers"`],
      ['an entry that is not an object', { mcpServers: { a1: 'docker run img' } }, `${FILE}: entry "a1" must be an object, found a string`],
      ['a command that is not a string', { mcpServers: { a1: { command: ['docker'] } } }, `${FILE}: entry "a1": "command" must be a string, found an array`],
      ['args that are not an array', { mcpServers: { a1: { command: 'docker', args: 'run img' } } }, `${FILE}: entry "a1": "args" must be an array of strings, found a string`],
      ['an arg that is not a string', { mcpServers: { a1: { command: 'docker', args: ['run', 5, 'img'] } } }, `${FILE}: entry "a1": args[1] must be a string, found a number`],
      ['no command and no url', { mcpServers: { a1: { args: [] } } }, `${FILE}: entry "a1" has neither "command" nor "url"`],
      ['env that is not an object', { mcpServers: { a1: { ...docker('img'), env: ['A=1'] } } }, `${FILE}: entry "a1": "env" must be an object of strings, found an array`],
      ['an env value that is not a string', { mcpServers: { a1: { ...docker('-e', 'N', 'img'), env: { N: 1 } } } }, `${FILE}: entry "a1": env "N" must be a string, found a number`],
      ['an unknown docker flag', { mcpServers: { a1: docker('--bogus', 'img') } }, `${FILE}: entry "a1": unknown flag: --bogus (docker run has no such option)`],
      ['--rm with a restart policy', { mcpServers: { a1: docker('--restart', 'always', 'img') } }, `${FILE}: entry "a1": --rm cannot be combined with a restart policy (docker refuses both); drop one of them`],
    ])('%s', (_, doc, message) => {
      expect(refusal(doc)).toBe(message);
    });

    test.each([
      ['&&', ['img', '&&', 'echo', 'hi']],
      [';', ['img;', 'rm', '-rf', '/']],
      ['|', ['img', '|', 'tee', 'log']],
      ['>', ['img', '>', '/tmp/out']],
      ['`', ['img', '`id`']],
      ['$(', ['-e', 'T=$(cat /token)', 'img']],
    ])('shell operator %s in args', (operator, args) => {
      const message = refusal({ mcpServers: { a1: docker(...args) } });
      expect(message).toMatch(new RegExp(`^${FILE}: entry "a1": args\\[\\d+\\] contains the shell operator "${operator.replace(/[|$(]/g, '\\$&')}": `));
    });

    it('a README placeholder in args, without echoing the rest of the argument', () => {
      const message = refusal({ mcpServers: { tf: docker('-e', `TFE_TOKEN=<<PASTE>>${SECRET}`, 'img') } });
      expect(message).toBe(`${FILE}: entry "tf": args[4] holds "<<PASTE>>", a README placeholder: replace it with the value, or with a \${VARIABLE} reference and the value in env`);
      expect(message).not.toContain(SECRET);
    });

    it('shell operators even in an entry that would be skipped for its name', () => {
      expect(validationError(() => plan({ mcpServers: { a1: docker('img', '&&', 'id') } })).code).toBe('BAD_CLIENT_CONFIG');
      expect(refusal({ mcpServers: { 'my server': docker('img;', 'id') } })).toMatch(/^\/home\/u\/claude_desktop_config.json: entry "my server": args\[3\] contains the shell operator ";"/);
      expect(refusal({ mcpServers: { fetch: docker('img', '|', 'tee') } }, { existingNames: new Set(['fetch']) })).toContain('entry "fetch": args[4] contains the shell operator "|"');
    });

    it('a line break in an argument', () => {
      expect(refusal({ mcpServers: { a1: docker('img', 'a\nb') } })).toBe(`${FILE}: entry "a1": args[4] contains a line break or NUL character: docker arguments are one line`);
    });

    it('an env value .env cannot hold, without the value', () => {
      const message = refusal({ mcpServers: { a1: { ...docker('-e', 'KEY', 'img'), env: { KEY: `${SECRET}\nline` } } } });
      expect(message).toBe(`${FILE}: entry "a1": the value of KEY spans lines (or holds NUL): the .env file cannot hold it; set KEY in the environment instead`);
    });

    it('a format that does not match --client, with a hint', () => {
      expect(refusal({ mcpServers: {} }, { client: 'vscode' })).toBe(`${FILE}: no MCP servers map found: looked for "servers", "mcp"."servers" (the vscode format; try --client auto)`);
    });
  });

  describe('entries msm does not register', () => {
    it('reports npx, uvx, url and non-run docker entries with the reason', () => {
      const result = plan({
        mcpServers: {
          mem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
          fetch: { command: 'uvx', args: ['mcp-server-fetch'] },
          remote: { url: 'https://api.githubcopilot.com/mcp/' },
          wind: { serverUrl: 'https://x.example/mcp' },
          gateway: { command: 'docker', args: ['mcp', 'gateway', 'run'] },
          node: { command: '/usr/bin/node', args: ['server.js'] },
        },
      });
      expect(result.servers).toEqual([]);
      expect(result.skipped).toEqual([
        { name: 'mem', code: 'NOT_DOCKER', reason: "runs Node.js (npx), not Docker: msm manages containers (register the server's docker image with mcp add, if it has one)" },
        { name: 'fetch', code: 'NOT_DOCKER', reason: "runs Python (uvx), not Docker: msm manages containers (register the server's docker image with mcp add, if it has one)" },
        { name: 'remote', code: 'REMOTE', reason: 'a remote server reached at its URL (url): nothing to run' },
        { name: 'wind', code: 'REMOTE', reason: 'a remote server reached at its URL (serverUrl): nothing to run' },
        { name: 'gateway', code: 'NOT_DOCKER_RUN', reason: '"docker mcp gateway run" is not a docker run command' },
        { name: 'node', code: 'NOT_DOCKER', reason: "runs Node.js, not Docker: msm manages containers (register the server's docker image with mcp add, if it has one)" },
      ]);
    });

    it('reports a key docker refuses as a name, suggesting one', () => {
      const result = plan({ mcpServers: { 'GitHub Copilot': docker('img'), x: docker('img'), ok: docker('img') } });
      expect(result.servers.map((server) => server.config.name)).toEqual(['ok']);
      expect(result.skipped.map(({ name, code }) => [name, code])).toEqual([['GitHub Copilot', 'INVALID_NAME'], ['x', 'INVALID_NAME']]);
      expect(result.skipped[0]?.reason).toContain('e.g. GitHub-Copilot, with mcp add');
      expect(result.skipped[1]?.reason).toContain('e.g. server-x, with mcp add');
    });

    it('skips names already registered, unless replace', () => {
      const doc = { mcpServers: { fetch: docker('mcp/fetch') } };
      expect(plan(doc, { existingNames: new Set(['fetch']) }).skipped).toEqual([
        { name: 'fetch', code: 'EXISTS', reason: 'a server with this name is already registered (--replace to overwrite it)' },
      ]);
      const replaced = plan(doc, { existingNames: new Set(['fetch']), replace: true });
      expect(replaced.servers[0]?.replaces).toBe(true);
    });
  });

  describe('docker entries', () => {
    it('keeps an absolute docker path, reads docker.exe as docker, and takes --host', () => {
      const result = plan({ mcpServers: { a1: { command: '/usr/local/bin/docker', args: ['run', '-i', 'img'] }, b1: { command: 'C:\\Program Files\\Docker\\docker.exe', args: ['run', 'img'] } } }, { host: 'alpha' });
      expect(result.servers.map((server) => server.config.docker_command)).toEqual(['/usr/local/bin/docker run -i img', 'docker run img']);
      expect(result.servers.map((server) => server.config.host)).toEqual(['alpha', 'alpha']);
    });

    it('refuses a host that could reach a shell', () => {
      expect(refusal({ mcpServers: { a1: docker('img') } }, { host: '-oProxyCommand=x' })).toMatch(/^\/home\/u\/claude_desktop_config.json: entry "a1": /);
    });

    it('quotes what needs quoting so the args come back exactly', () => {
      const args = ['-e', 'MSG=hello world', '-e', "Q=it's", '-v', '/my dir:/data', 'img', '--price=$5 each'];
      const [server] = plan({ mcpServers: { a1: docker(...args) } }).servers;
      expect(server?.config.docker_command).toBe("docker run -i --rm -e 'MSG=hello world' -e 'Q=it'\\''s' -v '/my dir:/data' img '--price=$5 each'");
      expect(splitCommand(server?.config.docker_command ?? '')).toEqual(['docker', 'run', '-i', '--rm', ...args.slice(0, -1), '--price=$$5 each']);
    });

    it('reads VS Code settings.json and Amp settings through the table', () => {
      expect(plan({ 'editor.fontSize': 14, mcp: { servers: { a1: docker('img') } } }).client).toBe('vscode');
      const amp = plan({ 'amp.mcpServers': { a1: docker('img') } });
      expect([amp.client, amp.serversPath]).toEqual(['amp', ['amp.mcpServers']]);
    });
  });

  describe('env', () => {
    it('a literal goes to .env under its name; never into the config', () => {
      const result = plan({ mcpServers: { gh: { ...docker('-e', 'GITHUB_TOKEN', 'img'), env: { GITHUB_TOKEN: SECRET } } } });
      expect(result.dotenv).toEqual({ GITHUB_TOKEN: SECRET });
      expect(result.servers[0]?.secrets).toEqual(['GITHUB_TOKEN']);
      expect(JSON.stringify(result.servers)).not.toContain(SECRET);
    });

    it('an equal value already in .env is reused, a different one gets a name scoped to the server', () => {
      const doc = { mcpServers: { gh: { ...docker('-e', 'GITHUB_TOKEN', 'img'), env: { GITHUB_TOKEN: SECRET } } } };
      expect(plan(doc, { dotenv: { GITHUB_TOKEN: SECRET } }).servers[0]?.config.environment).toBeUndefined();
      const scoped = plan(doc, { dotenv: { GITHUB_TOKEN: 'other' } });
      expect(scoped.dotenv).toEqual({ GH_GITHUB_TOKEN: SECRET });
      expect(scoped.servers[0]?.config.environment).toEqual({ GITHUB_TOKEN: '${GH_GITHUB_TOKEN}' });
    });

    it('two entries with different values for one name: the second is scoped', () => {
      const result = plan({
        mcpServers: {
          work: { ...docker('-e', 'TOKEN', 'img'), env: { TOKEN: 'one' } },
          'home.lab': { ...docker('-e', 'TOKEN', 'img'), env: { TOKEN: 'two' } },
        },
      });
      expect(result.dotenv).toEqual({ TOKEN: 'one', HOME_LAB_TOKEN: 'two' });
      expect(result.servers[1]?.config.environment).toEqual({ TOKEN: '${HOME_LAB_TOKEN}' });
    });

    it('references stay references: same name needs nothing, another name maps, mixed text is stored', () => {
      const result = plan({
        inputs: [{ type: 'promptString', id: 'gh_pat', description: 'GitHub PAT', password: true }],
        servers: {
          a1: { ...docker('-e', 'GITHUB_TOKEN', '-e', 'AUTH', '-e', 'HOST_URL', 'img'), env: { GITHUB_TOKEN: '${env:GITHUB_TOKEN}', AUTH: 'Bearer ${input:gh_pat}', HOST_URL: '${input:gh_pat}' } },
        },
      });
      expect(result.dotenv).toEqual({});
      expect(result.servers[0]?.config.environment).toEqual({ AUTH: 'Bearer ${GH_PAT}', HOST_URL: '${GH_PAT}' });
      expect(result.servers[0]?.variables).toEqual([
        { name: 'GH_PAT', from: 'input "gh_pat" (GitHub PAT)', missing: true },
        { name: 'GITHUB_TOKEN', missing: true },
      ]);
    });

    it('marks variables already set as not missing', () => {
      const result = plan({ mcpServers: { t1: docker('-e', 'LOCAL_TIMEZONE', 'mcp/time') } }, { variables: { LOCAL_TIMEZONE: 'UTC' } });
      expect(result.servers[0]?.variables).toEqual([{ name: 'LOCAL_TIMEZONE', missing: false }]);
    });
  });
});
