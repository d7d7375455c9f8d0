import { CommandRefusedError, DockerError, FileError, HostUnreachableError, MsmError, NotFoundError, ServerBusyError, ValidationError } from '../../../../lib/errors.js';
import { HttpError, statusForCode, statusOf } from '../../../../lib/entrypoint/server/httpErrors.js';
import { bulkStatus, failureStatus } from '../../../../lib/entrypoint/server/results.js';

describe('statusOf', () => {
  it.each([
    [new ValidationError('bad name'), 400],
    [new ValidationError('taken', 'ALREADY_EXISTS'), 409],
    [new ValidationError('in use', 'HOST_IN_USE'), 409],
    [new NotFoundError('no such server'), 404],
    [new HostUnreachableError('refused'), 502],
    [new DockerError('docker ps failed'), 502],
    [new DockerError('docker inspect failed: timed out', '', 255, 'DOCKER_TIMEOUT'), 504],
    [new MsmError('not ours', 'NAME_CONFLICT'), 409],
    [new HttpError(403, 'too weak', 'FORBIDDEN'), 403],
    [new FileError('registry.yaml: corrupt'), 500],
    [new Error('a bug'), 500],
  ])('%s -> %i', (err, status) => expect(statusOf(err)).toBe(status));
});

describe('failureStatus', () => {
  const failed = (code: string) => ({ name: 's', host: 'h', ok: false, error: { message: 'x', code } });
  it.each([
    ['DOCKER_TIMEOUT', 504],
    ['NAME_CONFLICT', 409],
    ['NO_CONTAINER', 404],
    ['MISSING_VARIABLE', 422],
    ['INVALID_INPUT', 400],
    ['COMMAND_REFUSED', 422],
    ['BUSY', 409],
    ['SSH_CONNECT', 502],
    ['ENGINE_UNREACHABLE', 502],
    ['DOCKER_FAILED', 502],
  ])('%s -> %i', (code, status) => expect(failureStatus(failed(code))).toBe(status));
});

describe('statusForCode', () => {
  it('gives a code the same status thrown as it gives a failed target', () => {
    for (const err of [new ValidationError('bad'), new CommandRefusedError('not docker run'), new ServerBusyError('s', 30_000), new NotFoundError('gone'), new DockerError('x', '', 1, 'DOCKER_TIMEOUT'), new FileError('corrupt')]) {
      expect(failureStatus({ name: 's', host: 'h', ok: false, error: { message: err.message, code: err.code } })).toBe(statusOf(err));
    }
  });

  it('is 4xx for an input code it does not list, 5xx for every service or host fault', () => {
    expect(statusForCode('INVALID_NAME')).toBe(400);
    expect(statusForCode('USAGE')).toBe(400);
    expect(statusForCode('HOST_KEY_REJECTED')).toBe(502);
    expect(statusForCode('FILE_LOCKED')).toBe(500);
  });
});

describe('bulkStatus', () => {
  it('is 200 only when every target succeeded', () => {
    expect(bulkStatus([])).toBe(200);
    expect(bulkStatus([{ ok: true }, { ok: true }])).toBe(200);
    expect(bulkStatus([{ ok: true }, { ok: false }])).toBe(207);
    expect(bulkStatus([{ ok: false }])).toBe(207);
  });
});
