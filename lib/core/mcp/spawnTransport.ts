/** Starts a docker command on a host as an MCP stdio transport (its stderr kept for errors). */
import type { DockerClient } from '../dockerClient.js';
import { ProcessTransport } from './processTransport.js';


export async function spawnDockerTransport(
  docker: DockerClient,
  args: readonly string[],
  options: { display?: readonly string[]; env?: Readonly<Record<string, string>>; onStderr?: (chunk: string) => void } = {},
): Promise<ProcessTransport> {
  let transport: ProcessTransport | undefined;
  const early: string[] = [];
  const process = await docker.spawn(args, {
    ...(options.display ? { display: options.display } : {}),
    ...(options.env ? { env: options.env } : {}),
    onStderr: (chunk) => {
      if (transport) transport.noteStderr(chunk);
      else early.push(chunk);
      options.onStderr?.(chunk);
    },
  });
  transport = new ProcessTransport(process);
  for (const chunk of early) transport.noteStderr(chunk);
  return transport;
}
