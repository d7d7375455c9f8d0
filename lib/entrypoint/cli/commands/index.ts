/** Every command module, in the order `mcp --help` lists them. */
import type { CommandModule } from 'yargs';
import { addCommand } from './add.js';
import { getCommand } from './get.js';
import { healthCommand } from './health.js';
import { hostsCommand } from './hosts.js';
import { pullCommand } from './pull.js';
import { restartCommand, startCommand, stopCommand } from './lifecycle.js';
import { listCommand } from './list.js';
import { logCommand } from './log.js';
import { removeCommand } from './remove.js';
import { serveCommand } from './serve.js';
import { tokenCommand } from './token.js';

export const commands = [addCommand, removeCommand, startCommand, stopCommand, restartCommand, getCommand, logCommand, listCommand, healthCommand, pullCommand, hostsCommand, serveCommand, tokenCommand] as CommandModule[];
