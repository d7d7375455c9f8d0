/**
 * The option table of `docker run` in the Docker 28 CLI (docker/cli, cli/command/container/run.go
 * and opts.go), so the parser finds the image exactly where docker would: a value-taking option
 * swallows the next word, a boolean does not.
 *
 * Taken from `docker run --help` plus the options that help hides because they depend on the
 * daemon's API version or OS (`docker __complete run -` lists them): annotation,
 * health-start-interval, and the Windows-only cpu-count, cpu-percent, io-maxbandwidth, io-maxiops.
 * Docker also accepts three hidden aliases, kept apart in HIDDEN_ALIASES so that every option
 * has one canonical name.
 */

export interface RunOptionSpec {
  long: string;
  short?: string;
  takesValue: boolean;
}

const valued = (long: string, short?: string): RunOptionSpec =>
  short ? { long, short, takesValue: true } : { long, takesValue: true };
const boolean = (long: string, short?: string): RunOptionSpec =>
  short ? { long, short, takesValue: false } : { long, takesValue: false };

export const RUN_OPTIONS: readonly RunOptionSpec[] = [
  valued('add-host'),
  valued('annotation'),
  valued('attach', 'a'),
  valued('blkio-weight'),
  valued('blkio-weight-device'),
  valued('cap-add'),
  valued('cap-drop'),
  valued('cgroup-parent'),
  valued('cgroupns'),
  valued('cidfile'),
  valued('cpu-count'),
  valued('cpu-percent'),
  valued('cpu-period'),
  valued('cpu-quota'),
  valued('cpu-rt-period'),
  valued('cpu-rt-runtime'),
  valued('cpu-shares', 'c'),
  valued('cpus'),
  valued('cpuset-cpus'),
  valued('cpuset-mems'),
  boolean('detach', 'd'),
  valued('detach-keys'),
  valued('device'),
  valued('device-cgroup-rule'),
  valued('device-read-bps'),
  valued('device-read-iops'),
  valued('device-write-bps'),
  valued('device-write-iops'),
  boolean('disable-content-trust'),
  valued('dns'),
  valued('dns-option'),
  valued('dns-search'),
  valued('domainname'),
  valued('entrypoint'),
  valued('env', 'e'),
  valued('env-file'),
  valued('expose'),
  valued('gpus'),
  valued('group-add'),
  valued('health-cmd'),
  valued('health-interval'),
  valued('health-retries'),
  valued('health-start-interval'),
  valued('health-start-period'),
  valued('health-timeout'),
  // Only a long form: in `docker run`, -h is --hostname.
  boolean('help'),
  valued('hostname', 'h'),
  boolean('init'),
  boolean('interactive', 'i'),
  valued('io-maxbandwidth'),
  valued('io-maxiops'),
  valued('ip'),
  valued('ip6'),
  valued('ipc'),
  valued('isolation'),
  valued('kernel-memory'),
  valued('label', 'l'),
  valued('label-file'),
  valued('link'),
  valued('link-local-ip'),
  valued('log-driver'),
  valued('log-opt'),
  valued('mac-address'),
  valued('memory', 'm'),
  valued('memory-reservation'),
  valued('memory-swap'),
  valued('memory-swappiness'),
  valued('mount'),
  valued('name'),
  valued('network'),
  valued('network-alias'),
  boolean('no-healthcheck'),
  boolean('oom-kill-disable'),
  valued('oom-score-adj'),
  valued('pid'),
  valued('pids-limit'),
  valued('platform'),
  boolean('privileged'),
  valued('publish', 'p'),
  boolean('publish-all', 'P'),
  valued('pull'),
  boolean('quiet', 'q'),
  boolean('read-only'),
  valued('restart'),
  boolean('rm'),
  valued('runtime'),
  valued('security-opt'),
  valued('shm-size'),
  boolean('sig-proxy'),
  valued('stop-signal'),
  valued('stop-timeout'),
  valued('storage-opt'),
  valued('sysctl'),
  valued('tmpfs'),
  boolean('tty', 't'),
  valued('ulimit'),
  boolean('use-api-socket'),
  valued('user', 'u'),
  valued('userns'),
  valued('uts'),
  valued('volume', 'v'),
  valued('volume-driver'),
  valued('volumes-from'),
  valued('workdir', 'w'),
];

/** Deprecated spellings docker still accepts (hidden from --help), mapped to their canonical option. */
export const HIDDEN_ALIASES: ReadonlyMap<string, string> = new Map([
  ['net', 'network'],
  ['net-alias', 'network-alias'],
  ['dns-opt', 'dns-option'],
]);

const BY_LONG = new Map(RUN_OPTIONS.map((spec) => [spec.long, spec]));
const BY_SHORT = new Map(RUN_OPTIONS.flatMap((spec) => (spec.short ? [[spec.short, spec] as const] : [])));

/** The option for a long name given without dashes (`env`, or a hidden alias such as `net`). */
export function findLongOption(name: string): RunOptionSpec | undefined {
  return BY_LONG.get(HIDDEN_ALIASES.get(name) ?? name);
}

/** The option for a one-character short name given without the dash (`e`, `p`, ...). */
export function findShortOption(char: string): RunOptionSpec | undefined {
  return BY_SHORT.get(char);
}
