/** `mcp doctor`: check the docker client, the files, every host (SSH, docker, clock), images and ports. */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { context } from './shared.js';

export const doctorCommand: CommandModule<object, GlobalArgs> = {
  command: 'doctor',
  describe: 'check what mcp needs: docker, the registry and hosts files, each host (SSH, docker, clock), images, ports',
  builder: (yargs) =>
    yargs.example('$0 doctor', 'one line per check, with the fix for each problem').example('$0 doctor --json | jq \'.checks[] | select(.status != "ok")\'', 'only the problems') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const [{ runDoctor }, { localDockerClientVersion }, { fileFacts }, { portFree }, { expandHome }] = await Promise.all([
      import('../../../core/doctor.js'),
      import('../../../core/localDocker.js'),
      import('../../../data/fileFacts.js'),
      import('../../../core/portProbe.js'),
      import('../../../data/paths.js'),
    ]);
    const [registryFacts, hostsFacts, clientVersion] = await Promise.all([fileFacts(ctx.registry.file), fileFacts(ctx.hosts.file), localDockerClientVersion()]);
    const checks = await runDoctor({
      clientVersion,
      files: [
        { kind: 'registry', file: ctx.registry.file, facts: registryFacts, read: () => ctx.registry.read() },
        { kind: 'hosts', file: ctx.hosts.file, facts: hostsFacts, read: () => ctx.hosts.read() },
      ],
      readRegistry: () => ctx.registry.read(),
      readHosts: () => ctx.hosts.read(),
      hostFacts: () => ctx.manager.hostFacts(),
      runningHere: async () => {
        const servers = await ctx.manager.list({ all: true, host: 'localhost' });
        return new Set(servers.filter((s) => s.status?.status === 'running').map((s) => s.config.name));
      },
      portFree,
      keyFacts: async (identityFile) => {
        const file = path.resolve(path.dirname(ctx.registry.file), expandHome(identityFile, process.env));
        return { ...(await fileFacts(file)), path: file };
      },
    });
    const failed = checks.some((check) => check.status === 'fail');
    process.exitCode = failed ? 1 : 0;
    if (ctx.out.json) {
      ctx.out.printJson({ ok: !failed, checks });
      return;
    }
    const { colors } = ctx.out;
    const mark = { ok: colors.green('✔'), warn: colors.yellow('!'), fail: colors.red('✖') };
    for (const check of checks) {
      ctx.out.line(`${mark[check.status]} ${check.check}: ${check.detail}${check.fix ? colors.dim(` — fix: ${check.fix}`) : ''}`);
    }
    const problems = checks.filter((check) => check.status !== 'ok').length;
    ctx.out.line(problems === 0 ? 'no problems found' : `${problems} problem${problems === 1 ? '' : 's'} found`);
  },
};
