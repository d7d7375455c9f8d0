/**
 * Docker on one host: runs the builders' argv through that host's executor, with the host's docker
 * command in front (`docker`, or e.g. `sudo -n docker`), and turns failures into the tool's errors.
 */
import { DockerError, HostUnreachableError } from '../errors.js';
import { buildInspect, buildListManaged } from './docker/commands.js';
import { timedOutAfter } from './docker/deadlines.js';
import { dockerErrorLine, isEngineUnreachable, isNoSuchContainer } from './docker/dockerErrors.js';
import { parseInspect, type ContainerSnapshot } from './docker/parseInspect.js';
import { parseManagedList, type ManagedContainer } from './docker/parseManagedList.js';
import type { ExecOptions, ExecResult, Executor, InteractiveOptions, InteractiveProcess, StreamOptions } from './exec/executor.js';

export class DockerClient {
  constructor(
    readonly executor: Executor,
    private readonly dockerCommand: readonly string[] = ['docker'],
  ) {}

  get host(): string {
    return this.executor.host;
  }

  private argv(args: readonly string[]): string[] {
    return [...this.dockerCommand, ...args];
  }

  private withDisplay<T extends { display?: readonly string[] }>(options: T | undefined): T | undefined {
    if (!options?.display) return options;
    return { ...options, display: [...this.dockerCommand.slice(1), ...options.display] };
  }

  /** Run; a non-zero exit is returned, an unreachable engine throws. */
  async exec(args: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    const result = await this.executor.run(this.argv(args), this.withDisplay(options));
    if (result.exitCode !== 0 && isEngineUnreachable(result.stderr)) {
      throw new HostUnreachableError(`${this.host}: the docker engine is not reachable: ${dockerErrorLine(result.stderr)}`, 'ENGINE_UNREACHABLE');
    }
    return result;
  }

  /** Run and require success; returns stdout. */
  async check(args: readonly string[], options?: ExecOptions): Promise<string> {
    const result = await this.exec(args, options);
    if (result.exitCode !== 0) throw this.failed(args, result, options?.timeoutMs);
    return result.stdout;
  }

  /** The error for a docker command that exited non-zero, naming the verb, the host and docker's reason. */
  failed(args: readonly string[], result: ExecResult, timeoutMs?: number): DockerError {
    const verb = args[0] === 'container' || args[0] === 'image' || args[0] === 'network' ? args.slice(0, 2).join(' ') : args[0];
    if (result.signal === 'SIGINT' || result.signal === 'SIGTERM') return new DockerError(`docker ${verb} on ${this.host} was ended by ${result.signal}`, result.stderr, result.exitCode, 'DOCKER_KILLED');
    const what = result.timedOut ? (timeoutMs ? timedOutAfter(timeoutMs) : 'timed out') : dockerErrorLine(result.stderr);
    return new DockerError(`docker ${verb} failed on ${this.host}: ${what}`, result.stderr, result.exitCode, result.timedOut ? 'DOCKER_TIMEOUT' : undefined);
  }

  /**
   * A command on the host beside docker, with docker's privileges (what the host's docker command
   * puts before the binary, e.g. `sudo -n`): for a file the docker client wrote there.
   */
  execBeside(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.executor.run([...this.dockerCommand.slice(0, -1), ...argv], options);
  }

  stream(args: readonly string[], options: StreamOptions): Promise<ExecResult> {
    return this.executor.stream(this.argv(args), options);
  }

  /** An interactive docker command (`attach`, `run -i`): stdin and stdout stay ours while it runs. */
  spawn(args: readonly string[], options: InteractiveOptions = {}): Promise<InteractiveProcess> {
    return this.executor.spawn(this.argv(args), this.withDisplay(options));
  }

  /**
   * Inspect any number of containers, by full ID, in one call. Missing ones (removed meanwhile)
   * are simply absent from the result (docker still prints the ones it found and exits 1).
   */
  async inspect(containers: readonly string[]): Promise<ContainerSnapshot[]> {
    if (containers.length === 0) return [];
    const args = buildInspect(containers);
    const result = await this.exec(args);
    if (result.exitCode !== 0 && !isNoSuchContainer(result.stderr)) throw this.failed(args, result);
    return parseInspect(result.stdout);
  }

  /** Every container carrying the msm.name label on this engine, with its full ID. */
  async listManaged(): Promise<ManagedContainer[]> {
    return parseManagedList(await this.check(buildListManaged()));
  }
}
