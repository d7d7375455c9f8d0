/** Images on one host: pull each image its servers use, once per image. */
import type { DockerClient } from './dockerClient.js';
import { buildImagePresent, buildPull } from './docker/commands.js';
import { interpolateWord } from './docker/interpolate.js';
import type { RunContext } from './docker/runPlan.js';
import { errorMessage, MsmError } from '../errors.js';
import { mapBounded } from './pool.js';
import type { Target, TargetResult } from './target.js';
import { parseDockerCommand } from './docker/parseRun.js';

export interface PullOutcome {
  image: string;
  /** What the registry answered: the pulled reference with its digest. */
  reference: string;
}

/** Pulls at once per engine: more only compete for the same link. */
const PULLS_PER_HOST = 2;

export async function pullImages(docker: DockerClient, targets: readonly Target[], ctx: RunContext): Promise<TargetResult<PullOutcome>[]> {
  const imageOf = new Map<string, string>();
  const failed = new Map<string, unknown>();
  for (const target of targets) {
    try {
      imageOf.set(target.name, interpolateWord(target.parsed.image, ctx.variables).value);
    } catch (err) {
      failed.set(target.name, err);
    }
  }
  const images = [...new Set(imageOf.values())];
  const pulled = new Map<string, { reference?: string; error?: unknown }>();
  await mapBounded(images, PULLS_PER_HOST, async (image) => {
    try {
      pulled.set(image, { reference: (await docker.check(buildPull(image), { timeoutMs: 30 * 60_000 })).trim() || image });
    } catch (err) {
      pulled.set(image, { error: err });
    }
  });
  return targets.map((target) => {
    const image = imageOf.get(target.name);
    const outcome = image ? pulled.get(image) : undefined;
    const error = failed.get(target.name) ?? outcome?.error;
    if (error || !image || !outcome?.reference) {
      const code = error instanceof MsmError ? error.code : 'PULL_FAILED';
      return { name: target.name, host: target.host, ok: false, error: { message: errorMessage(error ?? 'not pulled'), code } };
    }
    return { name: target.name, host: target.host, ok: true, value: { image, reference: outcome.reference } };
  });
}

/** Whether the engine already has the image (so `start` will not need to pull it). */
export async function imagePresent(docker: DockerClient, image: string): Promise<boolean> {
  const args = buildImagePresent(image);
  const result = await docker.exec(args);
  if (result.exitCode === 0) return true;
  if (/no such image/i.test(result.stderr)) return false;
  throw docker.failed(args, result);
}

export interface ImageCheck {
  image: string;
  /** null: not checked (an image named by a variable, or the check failed). */
  present: boolean | null;
  error?: string;
}

/**
 * Whether the image of a server's command is on its host, asked through `isPresent` (which may
 * first have to reach the host). An image named by a variable is not asked about.
 */
export async function imageCheck(dockerCommand: string, isPresent: (image: string) => Promise<boolean>): Promise<ImageCheck> {
  const { image } = parseDockerCommand(dockerCommand);
  if (image.includes('$')) return { image, present: null };
  try {
    return { image, present: await isPresent(image) };
  } catch (err) {
    return { image, present: null, error: errorMessage(err) };
  }
}
