/** hosts.yaml: the inventory of machines, by alias. Writes keep the user's comments and order. */
import { NotFoundError, ValidationError } from '../errors.js';
import type { HostEntry, HostsFile } from './models.js';
import { validateHostsFile } from './validate.js';
import { YamlFile } from './yamlFile.js';

export class HostsStore {
  private readonly yaml: YamlFile<HostsFile>;

  constructor(readonly file: string) {
    this.yaml = new YamlFile(file, validateHostsFile, () => ({ hosts: {} }));
  }

  read(): Promise<HostsFile> {
    return this.yaml.read();
  }

  add(alias: string, entry: HostEntry): Promise<void> {
    return this.yaml.update((doc, file) => {
      if (Object.hasOwn(file.hosts, alias)) throw new ValidationError(`host "${alias}" already exists`, 'ALREADY_EXISTS');
      doc.setIn(['hosts', alias], doc.createNode(entry));
    });
  }

  remove(alias: string): Promise<HostEntry> {
    return this.yaml.update((doc, file) => {
      const entry = Object.hasOwn(file.hosts, alias) ? file.hosts[alias] : undefined;
      if (!entry) throw new NotFoundError(`no host named "${alias}" in ${this.file}`);
      doc.deleteIn(['hosts', alias]);
      return entry;
    });
  }
}
