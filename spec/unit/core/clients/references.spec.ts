import { commandLineFor } from '../../../../lib/core/docker/commandLine.js';
import { splitCommand } from '../../../../lib/core/docker/shellwords.js';
import { toStoredText } from '../../../../lib/core/clients/references.js';
import { validationError } from '../../../helpers/errors.js';

describe('toStoredText', () => {
  test.each<[string, string, string[]]>([
    ['${input:github_token}', '${GITHUB_TOKEN}', ['GITHUB_TOKEN']],
    ['${input:perplexity-key}', '${PERPLEXITY_KEY}', ['PERPLEXITY_KEY']],
    ['${input:1password}', '${_1PASSWORD}', ['_1PASSWORD']],
    ['Bearer ${env:API_TOKEN}', 'Bearer ${API_TOKEN}', ['API_TOKEN']],
    ['${GITHUB_PAT}', '${GITHUB_PAT}', ['GITHUB_PAT']],
    ['$GITHUB_MCP_PAT', '${GITHUB_MCP_PAT}', ['GITHUB_MCP_PAT']],
    ['${PORT:-8080}', '${PORT:-8080}', ['PORT']],
    ['src=${workspaceFolder},dst=/w', 'src=${workspaceFolder},dst=/w', ['workspaceFolder']],
    ['cost: 5$', 'cost: 5$$', []],
    ['$5 and $$', '$$5 and $$$$', []],
  ])('%s -> %s', (text, stored, variables) => {
    const result = toStoredText(text);
    expect(result.stored).toBe(stored);
    expect(result.references.map((reference) => reference.variable)).toEqual(variables);
    expect(splitCommand(commandLineFor([result.stored]))).toEqual([result.stored]);
  });

  it('refuses client variables msm cannot fill, naming them', () => {
    expect(validationError(() => toStoredText('${command:pickFile}')).message).toBe(
      '"${command:pickFile}" is a client variable msm cannot fill (it knows ${input:id}, ${env:NAME}, ${NAME} and ${NAME:-default}): replace it with a value or one of those',
    );
    expect(validationError(() => toStoredText('${env:1X}')).message).toBe('"${env:1X}" is not a valid environment variable reference');
  });
});
