/** `mcp edit`: a server's registered config in $EDITOR; validated on save, nothing written if wrong. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { errorMessage, MsmError, ValidationError } from '../../../errors.js';
import type { MCPServerConfig } from '../../../data/models.js';
import { nextSteps, printChanges } from '../configDiff.js';
import type { GlobalArgs } from '../context.js';
import { context } from './shared.js';

interface EditArgs extends GlobalArgs {
  name: string;
}

export const editCommand: CommandModule<object, EditArgs> = {
  command: 'edit <name>',
  describe: "edit a server's registered config in $VISUAL / $EDITOR (validated when saved)",
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: 'server name' })
      .example('$0 edit github', 'opens the entry; saving applies it if it is valid')
      .example('EDITOR="code --wait" mcp edit github', 'with another editor') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const name = String(args.name);
    const current = (await ctx.registry.get(name)).config;
    // Loaded here, not at the top: every command's module is loaded for the catalog and help.
    const { fromYaml, toYaml } = await import('../../../data/yamlText.js');
    const { created_at: _created, updated_at: _updated, ...editable } = current;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-edit-'));
    const file = path.join(dir, `${name}.yaml`);
    const header = `# ${name} in ${ctx.registry.file}\n# Save and quit to apply (validated first; nothing is written if it is invalid). Empty the file to cancel.\n`;
    await fs.writeFile(file, `${header}${toYaml(editable)}`, { mode: 0o600 });
    const { runEditor } = await import('../../../core/exec/editor.js');
    await runEditor(file, process.env);
    const text = await fs.readFile(file, 'utf8');
    if (text.replace(/^#.*$/gm, '').trim() === '') {
      await fs.rm(dir, { recursive: true, force: true });
      throw new MsmError('the file was emptied: cancelled, nothing changed', 'ABORTED', 1);
    }
    let edited: MCPServerConfig;
    let result;
    try {
      let parsed: unknown;
      try {
        parsed = fromYaml(text);
      } catch (err) {
        throw new ValidationError(`not valid YAML: ${errorMessage(err)}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ValidationError('the entry must stay a mapping of fields (name, docker_command, host, ...)');
      edited = { ...(parsed as MCPServerConfig), ...(current.created_at ? { created_at: current.created_at } : {}) };
      result = await ctx.manager.updateConfig(name, edited, current);
    } catch (err) {
      // The edit is kept so that fixing it does not mean typing it again.
      ctx.out.warn(`nothing written (your edit is kept in ${file})`);
      throw err;
    }
    await fs.rm(dir, { recursive: true, force: true });
    const { before, after, changed } = result;
    if (ctx.out.json) ctx.out.printJson({ name, host: after.host, changed, config: after });
    else if (changed.length === 0) ctx.out.line(`${name}: no changes`);
    else {
      ctx.out.line(`${ctx.out.colors.green('✔')} updated ${ctx.out.colors.bold(name)}`);
      printChanges(ctx.out, before, after, changed);
      nextSteps(ctx.out, before, after, changed);
    }
  },
};
