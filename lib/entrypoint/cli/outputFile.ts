/**
 * `--output FILE`: lines go to a temporary file beside FILE, which replaces FILE only when the
 * command succeeded, so a failed command never empties or half-writes an existing file. Where
 * FILE cannot be written is found out before any work starts, and said plainly.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../errors.js';

export class OutputFile {
  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly stream: fs.WriteStream,
  ) {}

  /** Checks that FILE's directory exists and is writable, and opens the temporary file. */
  static async open(file: string): Promise<OutputFile> {
    const target = path.resolve(file);
    const dir = path.dirname(target);
    const stat = await fsp.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory()) throw new ValidationError(`--output ${file}: the directory ${dir} does not exist`, 'BAD_OUTPUT');
    if ((await fsp.stat(target).catch(() => undefined))?.isDirectory()) throw new ValidationError(`--output ${file}: is a directory`, 'BAD_OUTPUT');
    const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
    const stream = fs.createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (err) => reject(new ValidationError(`--output ${file}: cannot write in ${dir}: ${err.message}`, 'BAD_OUTPUT')));
    });
    return new OutputFile(target, temp, stream);
  }

  write(text: string): void {
    this.stream.write(text);
  }

  /** Finish: FILE gets the lines when `succeeded`, else it is left as it was. */
  async close(succeeded: boolean): Promise<void> {
    await new Promise((resolve) => this.stream.end(resolve));
    if (succeeded) await fsp.rename(this.temp, this.file);
    else await fsp.rm(this.temp, { force: true });
  }
}
