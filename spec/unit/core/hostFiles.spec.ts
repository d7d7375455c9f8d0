/** The cidfile moves of a replacement, on real files through the local executor. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DockerClient } from '../../../lib/core/dockerClient.js';
import { LocalExecutor } from '../../../lib/core/exec/local.js';
import { buildHostFileExists, buildMoveHostFile, buildRemoveHostFile, cidfileAside, moveHostFile, removeHostFile } from '../../../lib/core/hostFiles.js';

let dir: string;
const local = new DockerClient(new LocalExecutor());

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-hostfiles-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

it('builds plain argv, a leading dash never read as an option', () => {
  expect(buildMoveHostFile('-a', 'b')).toEqual(['mv', '-f', '--', '-a', 'b']);
  expect(buildRemoveHostFile('-a')).toEqual(['rm', '-f', '--', '-a']);
  expect(buildHostFileExists('/x')).toEqual(['test', '-e', '/x']);
  expect(cidfileAside('/run/x.cid')).toBe('/run/x.cid.msm-old');
});

it('runs with what the host puts before docker (here env --chdir, as sudo would be)', async () => {
  await fs.writeFile(path.join(dir, 'x.cid'), 'id1');
  const prefixed = new DockerClient(new LocalExecutor(), ['env', `--chdir=${dir}`, 'docker']);
  await moveHostFile(prefixed, 'x.cid', cidfileAside('x.cid'), 5000);
  expect(await fs.readdir(dir)).toEqual(['x.cid.msm-old']);
  await removeHostFile(prefixed, 'x.cid.msm-old', 5000);
  expect(await fs.readdir(dir)).toEqual([]);
});

it('a file that is not there is nothing to move', async () => {
  await moveHostFile(local, path.join(dir, 'gone.cid'), path.join(dir, 'gone.cid.msm-old'), 5000);
  expect(await fs.readdir(dir)).toEqual([]);
});

it('reports a move or removal that fails, with the reason', async () => {
  const file = path.join(dir, 'x.cid');
  await fs.writeFile(file, 'id1');
  await expect(moveHostFile(local, file, path.join(dir, 'no-such-dir', 'x'), 5000)).rejects.toThrow(
    new RegExp(`^could not move ${file} to .*no-such-dir/x on localhost: .*No such file or directory`),
  );
  await fs.mkdir(path.join(dir, 'sub'));
  await fs.writeFile(path.join(dir, 'sub', 'f'), '');
  await expect(removeHostFile(local, path.join(dir, 'sub'), 5000)).rejects.toThrow(/^could not remove .*sub on localhost: .*[Ii]s a directory/);
});
