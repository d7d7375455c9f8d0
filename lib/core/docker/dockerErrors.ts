/** Reading docker's stderr: which failures mean "the engine could not be asked at all". Pure. */

const ENGINE_DOWN_PATTERNS = [
  /Cannot connect to the Docker daemon/i,
  /error during connect/i,
  /Is the docker daemon running/i,
  /permission denied while trying to connect to the Docker daemon/i,
];

export function isEngineUnreachable(stderr: string): boolean {
  return ENGINE_DOWN_PATTERNS.some((pattern) => pattern.test(stderr));
}

export function isNoSuchContainer(stderr: string): boolean {
  return /No such (container|object)/i.test(stderr);
}

/**
 * The line of docker's stderr worth showing: the daemon's reason when it gave one (the client may
 * add a summary after it, such as "Error: failed to start containers: <id>"), else the last
 * "Error..." line, else the last line.
 */
export function dockerErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const fromDaemon = [...lines].reverse().find((line) => /^(docker: )?Error response from daemon:/i.test(line));
  const errorLine = fromDaemon ?? [...lines].reverse().find((line) => /^(Error|docker:)/i.test(line));
  return (errorLine ?? lines.at(-1) ?? 'docker failed without a message').replace(/^docker: /, '');
}
