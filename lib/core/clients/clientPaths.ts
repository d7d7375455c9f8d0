/** A client's default config file on this machine, from the table's per-OS path. Pure. */
import path from 'node:path';
import type { ClientSpec, Platform } from '../../data/clients.js';

export function clientConfigPath(client: ClientSpec, platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, home: string): string {
  const key: Platform = platform === 'darwin' || platform === 'win32' ? platform : 'linux';
  const template = client.paths[key];
  const join = key === 'win32' ? path.win32.join : path.posix.join;
  if (template.startsWith('%APPDATA%/')) {
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), ...template.slice('%APPDATA%/'.length).split('/'));
  }
  // Linux apps that keep their config under ~/.config follow XDG_CONFIG_HOME when it is set.
  if (key === 'linux' && template.startsWith('~/.config/') && env.XDG_CONFIG_HOME) {
    return join(env.XDG_CONFIG_HOME, ...template.slice('~/.config/'.length).split('/'));
  }
  if (template.startsWith('~/')) return join(home, ...template.slice(2).split('/'));
  return template;
}
