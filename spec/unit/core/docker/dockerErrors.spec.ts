import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dockerErrorLine, isEngineUnreachable, isNoSuchContainer } from '../../../../lib/core/docker/dockerErrors.js';

const FIXTURES = path.resolve('spec/fixtures/docker');

const DAEMON_DOWN = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n';
const PERMISSION =
  'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: ' +
  'Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.47/containers/json": dial unix /var/run/docker.sock: connect: permission denied\n';
const ERROR_DURING_CONNECT =
  'error during connect: Get "http://docker.example:2375/v1.47/containers/json": dial tcp: lookup docker.example: no such host\n';
const NO_SUCH_CONTAINER = 'Error response from daemon: No such container: ghost\n';
const NO_SUCH_OBJECT = 'Error: No such object: ghost\n';
const NAME_CONFLICT =
  'docker: Error response from daemon: Conflict. The container name "/srv" is already in use by container "0123abcd". ' +
  'You have to remove (or rename) that container to be able to reuse that name.\n\nRun \'docker run --help\' for more information\n';
const PULL_DENIED =
  "Unable to find image 'acme/private:latest' locally\n" +
  'docker: Error response from daemon: pull access denied for acme/private, repository does not exist or may require \'docker login\'.\n' +
  "See 'docker run --help'.\n";

describe('isEngineUnreachable', () => {
  it.each([
    ['daemon not running', DAEMON_DOWN],
    ['socket permission denied', PERMISSION],
    ['error during connect', ERROR_DURING_CONNECT],
    ['lower-case variant', 'cannot connect to the docker daemon at tcp://10.0.0.1:2375'],
    ['on a later line', `some warning\n${DAEMON_DOWN}`],
  ])('%s: unreachable', (_what, stderr) => {
    expect(isEngineUnreachable(stderr)).toBe(true);
  });

  it.each([
    ['no such container', NO_SUCH_CONTAINER],
    ['name conflict', NAME_CONFLICT],
    ['pull denied', PULL_DENIED],
    ['empty', ''],
    ['permission denied inside the container', 'open /data/x: permission denied'],
  ])('%s: reachable', (_what, stderr) => {
    expect(isEngineUnreachable(stderr)).toBe(false);
  });
});

describe('isNoSuchContainer', () => {
  it.each([NO_SUCH_CONTAINER, NO_SUCH_OBJECT, 'Error: No such container: a\nError: No such container: b\n', 'error: no such container: x'])(
    '%j: yes',
    (stderr) => {
      expect(isNoSuchContainer(stderr)).toBe(true);
    },
  );

  it.each([DAEMON_DOWN, NAME_CONFLICT, 'Error: No such image: img:1\n', 'Error response from daemon: No such network: n\n', ''])(
    '%j: no',
    (stderr) => {
      expect(isNoSuchContainer(stderr)).toBe(false);
    },
  );
});

describe('dockerErrorLine', () => {
  it.each([
    [NO_SUCH_CONTAINER, 'Error response from daemon: No such container: ghost'],
    [
      NAME_CONFLICT,
      'Error response from daemon: Conflict. The container name "/srv" is already in use by container "0123abcd". You have to remove (or rename) that container to be able to reuse that name.',
    ],
    [
      PULL_DENIED,
      "Error response from daemon: pull access denied for acme/private, repository does not exist or may require 'docker login'.",
    ],
    [DAEMON_DOWN, 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'],
    ['first\n  second line  \n\n', 'second line'],
    ['Error: one\nError: two\ntrailing note\n', 'Error: two'],
    ['  docker: invalid reference format.\n', 'invalid reference format.'],
    ['\r\nError: x\r\n', 'Error: x'],
  ])('%j -> %j', (stderr, line) => {
    expect(dockerErrorLine(stderr)).toBe(line);
  });

  it.each(['', '\n', '   \n\t\n'])('without a message: %j', (stderr) => {
    expect(dockerErrorLine(stderr)).toBe('docker failed without a message');
  });
});

describe('recorded docker stderr', () => {
  const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

  it('inspect-missing.stderr.txt: a missing container, engine reachable', () => {
    const stderr = fixture('inspect-missing.stderr.txt');
    expect(isNoSuchContainer(stderr)).toBe(true);
    expect(isEngineUnreachable(stderr)).toBe(false);
    expect(dockerErrorLine(stderr)).toBe('Error: No such object: nosuchcontainer');
  });

  it('start-failed.stderr.txt: the daemon\'s reason, not the client\'s summary after it', () => {
    const stderr = fixture('start-failed.stderr.txt');
    expect(stderr).toContain('Error: failed to start containers: msm-fixture-starterror');
    expect(dockerErrorLine(stderr)).toBe(
      'Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/nonexistent": stat /nonexistent: no such file or directory: unknown',
    );
  });

  it('daemon-down.stderr.txt: engine unreachable, not a missing container', () => {
    const stderr = fixture('daemon-down.stderr.txt');
    expect(isEngineUnreachable(stderr)).toBe(true);
    expect(isNoSuchContainer(stderr)).toBe(false);
    expect(dockerErrorLine(stderr)).toBe('Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?');
  });
});
