/** YAML text in and out for one value (what `mcp edit` shows and reads back), without a file's document handling. */
import { parse, stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value);
}

export function fromYaml(text: string): unknown {
  return parse(text);
}
