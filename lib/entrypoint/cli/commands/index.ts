/** Every command module, in the order `mcp --help` lists them. */
import type { CommandModule } from 'yargs';
import { withHelpLayout } from '../help.js';
import { addCommand } from './add.js';
import { completionCommand } from './completion.js';
import { doctorCommand } from './doctor.js';
import { editCommand } from './edit.js';
import { getCommand } from './get.js';
import { exportCommand } from './export.js';
import { healthCommand } from './health.js';
import { helpCommand } from './helpCommand.js';
import { hostsCommand, hostsSubcommands } from './hosts.js';
import { importCommand } from './import.js';
import { pullCommand } from './pull.js';
import { restartCommand, startCommand, stopCommand } from './lifecycle.js';
import { listCommand } from './list.js';
import { logCommand } from './log.js';
import { moveCommand } from './move.js';
import { removeCommand } from './remove.js';
import { schemaCommand } from './schema.js';
import { serveCommand } from './serve.js';
import { setCommand } from './set.js';
import { tokenCommand, tokenSubcommands } from './token.js';
import { upCommand } from './up.js';
import { versionCommand } from './version.js';

export const commands = (
  [addCommand, removeCommand, startCommand, stopCommand, restartCommand, upCommand, getCommand, logCommand, listCommand, healthCommand, pullCommand, hostsCommand, editCommand, setCommand, moveCommand, serveCommand, tokenCommand, importCommand, exportCommand, doctorCommand, completionCommand, schemaCommand, versionCommand, helpCommand] as CommandModule[]
).map(withHelpLayout);

/** Commands that have their own subcommands, by name. */
export const subcommands: Record<string, readonly CommandModule[]> = { hosts: hostsSubcommands, token: tokenSubcommands };
