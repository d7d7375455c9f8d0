/**
 * Making a server's container on one host: create, connect the extra networks, start; and the
 * safe replacement of an existing one, which keeps the old container until the new one runs and
 * puts it back (same name, running as before) when anything fails on the way.
 */
import type { DockerClient } from './dockerClient.js';
import { buildFindCreated, buildNetworkConnect, buildRemove, buildRename, buildStart, buildStop } from './docker/commands.js';
import { cidfileAside, moveHostFile, removeHostFile } from './hostFiles.js';
import type { ContainerSnapshot } from './docker/parseInspect.js';
import type { RunPlan } from './docker/runPlan.js';
import type { Deadlines } from './docker/deadlines.js';
import { errorMessage, MsmError } from '../errors.js';

/** What the replacement is named while the new container is made. */
export function asideName(container: ContainerSnapshot): string {
  return `${container.name}-msm-old-${container.id.slice(0, 12)}`;
}

export class ContainerCreator {
  constructor(
    private readonly docker: DockerClient,
    private readonly deadlines: Deadlines,
  ) {}

  private quick() {
    return { timeoutMs: this.deadlines.quick() };
  }

  /**
   * Create (pulling if needed) and connect the extra networks; returns the new id. Started by
   * `start`, except an interactive server's, which runs from here on (see RunPlan.create).
   */
  async create(plan: RunPlan): Promise<string> {
    let stdout: string;
    try {
      stdout = await this.docker.check(plan.create.args, { display: plan.create.display, env: plan.clientEnv, timeoutMs: this.deadlines.create() });
    } catch (err) {
      if (plan.create.startsOnCreate) await this.removeUnstarted(plan.containerName);
      throw err;
    }
    const id = stdout.trim().split('\n').at(-1)?.trim() ?? '';
    try {
      for (const network of plan.extraNetworks) {
        await this.docker.check(buildNetworkConnect(network.value, id), { display: buildNetworkConnect(network.display, id), ...this.quick() });
      }
    } catch (err) {
      await this.docker.exec(buildRemove(id, { force: true }), this.quick());
      throw err;
    }
    return id;
  }

  /** A `run --detach` that could not start leaves its container created; it is not ours to keep. */
  private async removeUnstarted(name: string): Promise<void> {
    const found = await this.docker.exec(buildFindCreated(name), this.quick());
    const ids = found.exitCode === 0 ? found.stdout.split('\n').map((line) => line.trim()).filter(Boolean) : [];
    for (const id of ids) await this.docker.exec(buildRemove(id, { force: true }), this.quick());
  }

  /** A fresh container: create, then start; one that cannot start is not left behind half made. */
  async createAndStart(plan: RunPlan): Promise<string> {
    const id = await this.create(plan);
    try {
      await this.docker.check(buildStart(id), this.quick());
    } catch (err) {
      await this.docker.exec(buildRemove(id, { force: true }), this.quick());
      throw err;
    }
    return id;
  }

  /**
   * Replace `old` by a container made from `plan`: rename the old one aside (and its cidfile),
   * create the new one (the pull happens here, while the old one still serves), stop the old one
   * (it may hold the ports), start the new one and let `accept` judge it (the settle window). Only
   * then is the old one removed. Any failure puts the old container back as it was.
   */
  async replace(old: ContainerSnapshot, plan: RunPlan, accept: (id: string) => Promise<void>): Promise<string> {
    const wasRunning = old.state === 'running' || old.state === 'restarting';
    await this.docker.check(buildRename(old.id, asideName(old)), this.quick());
    const cidfile = plan.cidfile ? { path: plan.cidfile, aside: cidfileAside(plan.cidfile) } : undefined;
    let id: string | undefined;
    try {
      if (cidfile) await moveHostFile(this.docker, cidfile.path, cidfile.aside, this.deadlines.quick());
      id = await this.create(plan);
      if (wasRunning) await this.docker.check(buildStop(old.id), { timeoutMs: this.deadlines.stop([old.stopTimeout]) });
      await this.docker.check(buildStart(id), this.quick());
      await accept(id);
    } catch (err) {
      const restored = await this.restore(old, id, cidfile, wasRunning);
      throw new MsmError(`${errorMessage(err)}; ${restored}`, err instanceof MsmError ? err.code : 'RECREATE_FAILED');
    }
    await this.docker.check(buildRemove(old.id, { force: true }), this.quick());
    if (cidfile) await removeHostFile(this.docker, cidfile.aside, this.deadlines.quick());
    return id;
  }

  /** Undo a failed replacement; says what state the old container is left in. */
  private async restore(old: ContainerSnapshot, newId: string | undefined, cidfile: { path: string; aside: string } | undefined, wasRunning: boolean): Promise<string> {
    if (newId) await this.docker.exec(buildRemove(newId, { force: true }), this.quick());
    const cidfileLeft = cidfile ? await moveHostFile(this.docker, cidfile.aside, cidfile.path, this.deadlines.quick()).then(() => '', (err: unknown) => `; its --cidfile was not put back (${errorMessage(err)})`) : '';
    const renamed = await this.docker.exec(buildRename(old.id, old.name), this.quick());
    if (renamed.exitCode !== 0) return `the previous container could not get its name back: it is "${asideName(old)}" (${this.docker.failed(buildRename(old.id, old.name), renamed).message})${cidfileLeft}`;
    if (!wasRunning) return `the previous container was kept${cidfileLeft}`;
    const started = await this.docker.exec(buildStart(old.id), this.quick());
    const state = started.exitCode === 0 ? 'the previous container was put back and runs' : `the previous container was put back but did not start: ${this.docker.failed(buildStart(old.id), started).message}`;
    return state + cidfileLeft;
  }
}
