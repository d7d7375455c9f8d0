import { nonFlagWords } from '../../../../lib/entrypoint/cli/catalog.js';
import { GLOBAL_FLAG_SPELLINGS, GLOBAL_FLAGS, GLOBAL_VALUE_FLAGS } from '../../../../lib/entrypoint/cli/globalOptions.js';

describe('the lists derived from GLOBAL_OPTIONS', () => {
  it('names every global flag once, --help and --version included', () => {
    expect(GLOBAL_FLAGS).toEqual(['registry', 'hosts-file', 'json', 'verbose', 'color', 'parallel', 'accept-new-host-keys', 'help', 'version']);
  });

  it('knows which take a value, so that the value is never taken for a command', () => {
    expect([...GLOBAL_VALUE_FLAGS].sort()).toEqual(['--hosts-file', '--parallel', '--registry']);
    expect(nonFlagWords(['--registry', 'list', '--parallel', '3', '--json', 'get', 'web'])).toEqual(['get', 'web']);
  });

  it('spells out --no-color (on unless turned off) and the short -h and -V', () => {
    expect(GLOBAL_FLAG_SPELLINGS).toEqual(expect.arrayContaining(['no-color', 'h', 'V']));
    expect(GLOBAL_FLAG_SPELLINGS).not.toContain('no-json');
  });
});
