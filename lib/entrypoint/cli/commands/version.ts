/** `mcp version`: this tool's version, Node's, and the local docker client's if there is one. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { outputFor } from '../output.js';
import { packageVersion } from '../version.js';

export const versionCommand: CommandModule<object, GlobalArgs> = {
  command: 'version',
  describe: 'show the versions of mcp, Node.js and the local docker client',
  builder: (yargs) => yargs.example('$0 version --json', '{"version": ..., "node": ..., "docker": ...}') as never,
  handler: async (args) => {
    const { localDockerClientVersion } = await import('../../../core/localDocker.js');
    const versions = { version: packageVersion(), node: process.versions.node, docker: (await localDockerClientVersion()) ?? null };
    const out = outputFor(args);
    if (out.json) out.printJson(versions);
    else {
      out.line(`mcp ${versions.version}`);
      out.line(`node ${versions.node}`);
      out.line(`docker ${versions.docker ?? 'not found (no docker client on PATH)'}`);
    }
  },
};
