import { DockerError, FileError, HostUnreachableError, MsmError, NotFoundError, ValidationError } from '../../../../lib/errors.js';
import { HttpError, statusOf } from '../../../../lib/entrypoint/server/httpErrors.js';
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
    ['INVALID_INPUT', 422],
    ['SSH_CONNECT', 502],
    ['ENGINE_UNREACHABLE', 502],
    ['DOCKER_FAILED', 502],
  ])('%s -> %i', (code, status) => expect(failureStatus(failed(code))).toBe(status));
});

describe('bulkStatus', () => {
  it('is 200 only when every target succeeded', () => {
    expect(bulkStatus([])).toBe(200);
    expect(bulkStatus([{ ok: true }, { ok: true }])).toBe(200);
    expect(bulkStatus([{ ok: true }, { ok: false }])).toBe(207);
    expect(bulkStatus([{ ok: false }])).toBe(207);
  });
});
