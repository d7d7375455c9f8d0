/** Facts about the docker client on this machine, for `mcp version` and `mcp doctor`. */
import { buildClientVersion, parseClientVersion } from './docker/clientVersion.js';
import { LocalExecutor } from './exec/local.js';

/** The local docker client's version, or undefined when there is no docker program here. */
export async function localDockerClientVersion(dockerCommand: readonly string[] = ['docker']): Promise<string | undefined> {
  const executor = new LocalExecutor();
  try {
    const result = await executor.run([...dockerCommand, ...buildClientVersion()], { timeoutMs: 10_000 });
    return result.exitCode === 0 ? parseClientVersion(result.stdout) : undefined;
  } catch {
    // No docker program at all: that is the answer, not an error.
    return undefined;
  } finally {
    await executor.close();
  }
}
