/**
 * The state file: what mcp observed and was last asked, kept apart from registry.yaml (what the
 * user declares), one per registry under $XDG_STATE_HOME/msm/<registry id>.json. JSON, not YAML:
 * no one edits it by hand, and it is rewritten by every lifecycle command.
 *
 * Why the desired state (`start`/`stop` record running/stopped) lives here and not in
 * registry.yaml: it is written by every start and stop, so keeping it in registry.yaml would
 * rewrite the user's config file on each (the very thing this file exists to avoid), fail on a
 * read-only or version-controlled registry, and churn its diffs. What the user declares for good
 * is `auto_start: true` in registry.yaml; the state file only records the last start/stop, and
 * `up` falls back to auto_start where it has none (a new machine, a lost state file).
 *
 * Callers treat a failed read or write as a warning: the containers themselves are the truth.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readTextIfExists, updateFile } from './fileWrites.js';
import type { MCPServerStatus } from './models.js';
import { FileError } from '../errors.js';

export type DesiredState = 'running' | 'stopped';

export interface ServerState {
  desired?: DesiredState;
  /** When start/stop last recorded `desired`. */
  desired_at?: string;
  /** The last status an operation saw: state, exit code, when, and the last error. */
  last?: MCPServerStatus;
}

export interface StateFile {
  /** The registry this state belongs to, for people looking in the directory. */
  registry: string;
  servers: Record<string, ServerState>;
}

export class StateStore {
  constructor(
    readonly file: string,
    private readonly registryFile: string,
  ) {}

  async read(): Promise<StateFile> {
    const text = await readTextIfExists(this.file);
    return text === undefined ? this.empty() : this.parse(text);
  }

  private parse(text: string): StateFile {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new FileError(`${this.file}: not valid JSON: ${(err as Error).message}`, 'FILE_CORRUPT');
    }
    const servers = (data as { servers?: unknown } | null)?.servers;
    if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
      throw new FileError(`${this.file}: servers must be an object`, 'FILE_INVALID');
    }
    return { registry: this.registryFile, servers: { ...(servers as Record<string, ServerState>) } };
  }

  /** Change the state of some servers under the lock; a corrupt file is started afresh. */
  async update(change: (servers: Record<string, ServerState>) => void): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await updateFile(
      this.file,
      (text) => {
        let current = this.empty();
        try {
          if (text !== undefined) current = this.parse(text);
        } catch {
          // Corrupt or invalid: what it held is lost either way, and the containers are the truth.
        }
        change(current.servers);
        return `${JSON.stringify({ registry: this.registryFile, servers: current.servers }, null, 2)}\n`;
      },
      { mode: 0o600 },
    );
  }

  private empty(): StateFile {
    return { registry: this.registryFile, servers: {} };
  }
}
