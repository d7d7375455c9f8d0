import { readFileSync } from 'node:fs';
import { parseDockerCommand } from '../../../../lib/core/docker/parseRun.js';

interface ReadmeCommand {
  source: string;
  command: string;
  image: string;
  args: string[];
}

// Commands as MCP servers' READMEs publish them, joined onto one line, placeholders made ${VAR}.
const commands = JSON.parse(
  readFileSync(new URL('../../../fixtures/readme-commands.json', import.meta.url), 'utf8'),
) as ReadmeCommand[];

describe('docker run commands from MCP server READMEs', () => {
  test('the fixture holds the 20 commands', () => {
    expect(commands).toHaveLength(20);
  });

  test.each(commands.map((entry) => [entry.source, entry] as const))('%s', (_source, entry) => {
    const parsed = parseDockerCommand(entry.command);
    expect({ image: parsed.image, args: parsed.command }).toEqual({ image: entry.image, args: entry.args });
  });
});
