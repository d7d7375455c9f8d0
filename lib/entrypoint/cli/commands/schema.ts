/** `mcp schema [command]`: the JSON Schema of a command's --json document (docs/schemas/ has the same). */
import type { CommandModule } from 'yargs';
import { ValidationError } from '../../../errors.js';

interface SchemaArgs {
  command?: string[];
}

export const schemaCommand: CommandModule<object, SchemaArgs> = {
  command: 'schema [command..]',
  describe: "print the JSON Schema of a command's --json output (no command: list them)",
  builder: (yargs) =>
    yargs
      .positional('command', { type: 'string', array: true, describe: 'a command (get, list, hosts check, ...), or error' })
      .example('$0 schema get', 'what `mcp get --json` prints')
      .example('$0 schema hosts check', 'what `mcp hosts check --json` prints') as never,
  handler: async (args) => {
    const { OUTPUT_SCHEMAS } = await import('../../../data/outputSchemas.js');
    const words = (args.command ?? []).map(String);
    if (words.length === 0) {
      process.stdout.write(`${Object.keys(OUTPUT_SCHEMAS).map((name) => name.replaceAll('-', ' ')).join('\n')}\n`);
      return;
    }
    const schema = OUTPUT_SCHEMAS[words.join('-')];
    if (!schema) throw new ValidationError(`no schema for "${words.join(' ')}" (see \`mcp schema\` for the list)`, 'USAGE');
    process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  },
};
