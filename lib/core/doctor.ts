/**
 * `mcp doctor`: what stands between the user and a working fleet, one check per line with the fix.
 * Gathers facts through the managers (docker client, engines and clocks, images, files, ports)
 * and judges them here; nothing is changed.
 */
import type { FileFacts } from '../data/fileFacts.js';
import type { HostsFile, ServerRegistry } from '../data/models.js';
import { errorMessage } from '../errors.js';
import { parseDockerCommand } from './docker/parseRun.js';
import { publishedPorts } from './docker/publishedPorts.js';
import { isLocalHost } from './hostRef.js';
import type { HostFacts } from './mcpServerManager.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it; null when there is nothing to do. */
  fix: string | null;
}

export interface DoctorFacts {
  clientVersion: string | undefined;
  files: { kind: 'registry' | 'hosts'; file: string; facts: FileFacts; read: () => Promise<unknown> }[];
  readRegistry: () => Promise<ServerRegistry>;
  readHosts: () => Promise<HostsFile>;
  hostFacts: () => Promise<HostFacts[]>;
  /** Names of the servers whose container runs now on this machine (their ports are theirs). */
  runningHere: () => Promise<Set<string>>;
  /** The facts of a hosts.yaml identity_file, as SSH will read it. */
  keyFacts: (identityFile: string) => Promise<FileFacts & { path: string }>;
  portFree: (port: number, address: string) => Promise<boolean>;
}

/** A clock further off than this makes TLS, tokens and log times (--since) disagree. */
const MAX_SKEW_MS = 5_000;

const ok = (check: string, detail: string): DoctorCheck => ({ check, status: 'ok', detail, fix: null });

export async function runDoctor(facts: DoctorFacts): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  checks.push(
    facts.clientVersion
      ? ok('docker client', facts.clientVersion)
      : { check: 'docker client', status: 'fail', detail: 'no docker program on PATH', fix: 'install the docker client (Debian: apt-get install docker.io) or put it on PATH' },
  );
  for (const { kind, file, facts: stat, read } of facts.files) checks.push(await fileCheck(kind, file, stat, read));
  const hosts = await facts.readHosts().catch(() => ({ hosts: {} }) as HostsFile);
  for (const [alias, entry] of Object.entries(hosts.hosts)) {
    if (entry.identity_file !== undefined) checks.push(keyCheck(alias, entry.identity_file, await facts.keyFacts(entry.identity_file)));
  }
  for (const host of await facts.hostFacts()) checks.push(...hostChecks(host));
  checks.push(...(await portChecks(facts)));
  return checks;
}

async function fileCheck(kind: string, file: string, stat: FileFacts, read: () => Promise<unknown>): Promise<DoctorCheck> {
  const check = `${kind} file`;
  if (!stat.exists) return ok(check, `${file} (not created yet; \`mcp add\` or \`mcp hosts add\` creates it)`);
  try {
    await read();
  } catch (err) {
    return { check, status: 'fail', detail: errorMessage(err), fix: `fix the file where the message says (the previous version is kept beside it as a backup)` };
  }
  if (stat.writableByOthers) {
    return { check, status: 'warn', detail: `${file} is writable by group or others (mode ${stat.mode?.toString(8)}): they decide what runs`, fix: `chmod go-w ${file}` };
  }
  return ok(check, file);
}

function keyCheck(alias: string, identityFile: string, key: FileFacts & { path: string }): DoctorCheck {
  const check = `host ${alias}: key`;
  if (!key.exists) return { check, status: 'fail', detail: `${identityFile} does not exist (${key.path})`, fix: `fix identity_file of ${alias} in hosts.yaml, or create the key (ssh-keygen -t ed25519 -f ${key.path})` };
  if (key.readableByOthers || key.writableByOthers) return { check, status: 'fail', detail: `${key.path} is open to group or others (mode ${key.mode?.toString(8)}); ssh refuses such keys`, fix: `chmod 600 ${key.path}` };
  return ok(check, key.path);
}

function hostChecks(host: HostFacts): DoctorCheck[] {
  const name = `host ${host.host}`;
  if (!host.ok) {
    const fix = isLocalHost(host.host)
      ? 'start the docker engine, or check DOCKER_HOST and access to /var/run/docker.sock'
      : `check its address, user and key in hosts.yaml, that sshd answers and docker runs there (\`mcp hosts check ${host.host}\`)`;
    return [{ check: name, status: 'fail', detail: host.error ?? 'not reachable', fix }];
  }
  const checks = [ok(name, `docker engine ${host.docker_version}, answered in ${host.latency_ms} ms`)];
  const skew = host.clock_skew_ms ?? 0;
  if (Math.abs(skew) > MAX_SKEW_MS) {
    checks.push({ check: `${name}: clock`, status: 'warn', detail: `${(skew / 1000).toFixed(1)} s off this machine's clock`, fix: 'keep both clocks synchronised (NTP: timedatectl set-ntp true)' });
  } else {
    checks.push(ok(`${name}: clock`, `within ${(Math.abs(skew) / 1000).toFixed(1)} s`));
  }
  for (const image of host.images) {
    const check = `image ${image.image} for ${image.server} on ${host.host}`;
    if (image.present === true) checks.push(ok(check, 'present'));
    else if (image.present === false) checks.push({ check, status: 'warn', detail: 'not found on the host', fix: `mcp pull ${image.server}` });
    else checks.push({ check, status: 'warn', detail: image.error ?? 'named by a variable: known at start time', fix: image.error ? `mcp pull ${image.server}` : null });
  }
  return checks;
}

/** Host ports the servers on this machine publish, held by something other than their own container. */
async function portChecks(facts: DoctorFacts): Promise<DoctorCheck[]> {
  const registry = await facts.readRegistry().catch(() => undefined);
  const local = Object.values(registry?.servers ?? {}).filter((s) => isLocalHost(s.config.host));
  const wanted = local.flatMap((server) => {
    try {
      return publishedPorts(parseDockerCommand(server.config.docker_command)).filter((p) => p.protocol === 'tcp').map((port) => ({ server: server.config.name, port }));
    } catch {
      return [];
    }
  });
  if (wanted.length === 0) return [];
  const running = await facts.runningHere().catch(() => new Set<string>());
  const checks: DoctorCheck[] = [];
  for (const { server, port } of wanted) {
    const check = `port ${port.hostPort} for ${server}`;
    if (running.has(server)) checks.push(ok(check, 'in use by its own container'));
    else if (await facts.portFree(port.hostPort, port.hostIp || '0.0.0.0')) checks.push(ok(check, 'free'));
    else checks.push({ check, status: 'fail', detail: `in use by another process on this machine: ${server} cannot start`, fix: `free the port, or give ${server} another one (mcp set ${server} --command ...)` });
  }
  return checks;
}
