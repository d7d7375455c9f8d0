/** The lines of `docker ps` as buildListManaged formats them -> one record per container. Pure. */

export interface ManagedContainer {
  /** Full container ID: the only reference passed back to docker. */
  id: string;
  /** The msm.name label: the server the container was made for. */
  server: string;
  /** The msm.registry label; '' for containers made before registries had ids. */
  registry: string;
  /** The container's names, without docker's leading slash. */
  names: string[];
}

export function parseManagedList(stdout: string): ManagedContainer[] {
  const containers: ManagedContainer[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const [id = '', server = '', registry = '', names = ''] = line.split('\t');
    if (!/^[0-9a-f]{64}$/.test(id)) continue;
    containers.push({ id, server, registry, names: names.split(',').filter(Boolean) });
  }
  return containers;
}
