import os from 'node:os';
import { cacheDirFor, expandHome, locateBesideRegistry, locateStateFile, stateFileFor, type LocateOptions } from '../../../lib/data/paths.js';

const CWD = '/work/project';
const HOME = '/home/alice';

/** Options with nothing set, so each test adds only what it is about. */
function options(extra: Partial<LocateOptions> = {}, existing: string[] = []): LocateOptions {
  return { env: { HOME }, cwd: CWD, exists: (file) => existing.includes(file), ...extra };
}

describe('locateStateFile', () => {
  const localRegistry = '/work/project/registry.yaml';
  const localHosts = '/work/project/hosts.yaml';

  describe('precedence: flag > env > file in cwd > XDG_CONFIG_HOME > ~/.config', () => {
    const everything = (flag?: string): LocateOptions =>
      options(
        {
          flag,
          env: { HOME, MSM_REGISTRY: '/env/registry.yaml', MSM_HOSTS: '/env/hosts.yaml', XDG_CONFIG_HOME: '/xdg' },
        },
        [localRegistry, localHosts],
      );

    it('the flag wins over everything', () => {
      expect(locateStateFile('registry', everything('/flag/reg.yaml'))).toBe('/flag/reg.yaml');
      expect(locateStateFile('hosts', everything('/flag/hosts.yaml'))).toBe('/flag/hosts.yaml');
    });

    it('then the environment variable', () => {
      expect(locateStateFile('registry', everything())).toBe('/env/registry.yaml');
      expect(locateStateFile('hosts', everything())).toBe('/env/hosts.yaml');
    });

    it('then the file in the working directory, when it exists', () => {
      const opts = options({ env: { HOME, XDG_CONFIG_HOME: '/xdg' } }, [localRegistry, localHosts]);
      expect(locateStateFile('registry', opts)).toBe(localRegistry);
      expect(locateStateFile('hosts', opts)).toBe(localHosts);
    });

    it('then $XDG_CONFIG_HOME/msm/', () => {
      const opts = options({ env: { HOME, XDG_CONFIG_HOME: '/xdg' } });
      expect(locateStateFile('registry', opts)).toBe('/xdg/msm/registry.yaml');
      expect(locateStateFile('hosts', opts)).toBe('/xdg/msm/hosts.yaml');
    });

    it('then ~/.config/msm/', () => {
      expect(locateStateFile('registry', options())).toBe('/home/alice/.config/msm/registry.yaml');
      expect(locateStateFile('hosts', options())).toBe('/home/alice/.config/msm/hosts.yaml');
    });
  });

  it('each kind reads only its own variable and file', () => {
    const opts = options({ env: { HOME, MSM_HOSTS: '/env/hosts.yaml' } }, [localHosts]);
    expect(locateStateFile('registry', opts)).toBe('/home/alice/.config/msm/registry.yaml');
    expect(locateStateFile('hosts', opts)).toBe('/env/hosts.yaml');
    const onlyRegistryLocal = options({}, [localRegistry]);
    expect(locateStateFile('registry', onlyRegistryLocal)).toBe(localRegistry);
    expect(locateStateFile('hosts', onlyRegistryLocal)).toBe('/home/alice/.config/msm/hosts.yaml');
  });

  it('asks about the cwd file only, by its full path', () => {
    const asked: string[] = [];
    const located = locateStateFile('registry', {
      env: { HOME, XDG_CONFIG_HOME: '/xdg' },
      cwd: CWD,
      exists: (file) => {
        asked.push(file);
        return false;
      },
    });
    expect(located).toBe('/xdg/msm/registry.yaml');
    expect(asked).toEqual([localRegistry]);
  });

  it('does not look at the cwd when a flag or variable is given', () => {
    const asked: string[] = [];
    const exists = (file: string): boolean => {
      asked.push(file);
      return true;
    };
    expect(locateStateFile('registry', { flag: 'x.yaml', env: { HOME }, cwd: CWD, exists })).toBe('/work/project/x.yaml');
    expect(locateStateFile('registry', { env: { HOME, MSM_REGISTRY: 'y.yaml' }, cwd: CWD, exists })).toBe('/work/project/y.yaml');
    expect(asked).toEqual([]);
  });

  it('resolves a relative flag or variable against the working directory', () => {
    expect(locateStateFile('registry', options({ flag: 'conf/reg.yaml' }))).toBe('/work/project/conf/reg.yaml');
    expect(locateStateFile('registry', options({ flag: '../other/reg.yaml' }))).toBe('/work/other/reg.yaml');
    expect(locateStateFile('hosts', options({ env: { HOME, MSM_HOSTS: './h.yaml' } }))).toBe('/work/project/h.yaml');
  });

  it('expands ~ in the flag and the variable to $HOME', () => {
    expect(locateStateFile('registry', options({ flag: '~/reg.yaml' }))).toBe('/home/alice/reg.yaml');
    expect(locateStateFile('hosts', options({ env: { HOME, MSM_HOSTS: '~/h/hosts.yaml' } }))).toBe('/home/alice/h/hosts.yaml');
  });

  it('treats empty values as unset', () => {
    const opts = options({ flag: '', env: { HOME, MSM_REGISTRY: '', XDG_CONFIG_HOME: '' } });
    expect(locateStateFile('registry', opts)).toBe('/home/alice/.config/msm/registry.yaml');
  });

  it('falls back to the OS home directory when HOME is not set', () => {
    expect(locateStateFile('registry', options({ env: {} }))).toBe(`${os.homedir()}/.config/msm/registry.yaml`);
  });
});

describe('XDG base directories: the variable when absolute, else the default under $HOME', () => {
  it('config: $XDG_CONFIG_HOME, a relative one ignored', () => {
    expect(locateStateFile('registry', options({ env: { HOME, XDG_CONFIG_HOME: '/xdg' } }))).toBe('/xdg/msm/registry.yaml');
    expect(locateStateFile('registry', options({ env: { HOME, XDG_CONFIG_HOME: 'rel/config' } }))).toBe('/home/alice/.config/msm/registry.yaml');
  });

  it('state: $XDG_STATE_HOME, a relative or empty one ignored', () => {
    expect(stateFileFor('abc', { HOME, XDG_STATE_HOME: '/state' })).toBe('/state/msm/abc.json');
    expect(stateFileFor('abc', { HOME, XDG_STATE_HOME: 'rel/state' })).toBe('/home/alice/.local/state/msm/abc.json');
    expect(stateFileFor('abc', { HOME, XDG_STATE_HOME: '' })).toBe('/home/alice/.local/state/msm/abc.json');
  });

  it('cache: $MSM_CACHE when absolute, none when off, else $XDG_CACHE_HOME (a relative one ignored)', () => {
    expect(cacheDirFor({ HOME, MSM_CACHE: '/mine' })).toBe('/mine');
    expect(cacheDirFor({ HOME, MSM_CACHE: 'off' })).toBeUndefined();
    expect(cacheDirFor({ HOME, MSM_CACHE: 'rel', XDG_CACHE_HOME: '/cache' })).toBe('/cache/msm');
    expect(cacheDirFor({ HOME, XDG_CACHE_HOME: 'rel/cache' })).toBe('/home/alice/.cache/msm');
  });
});

describe('locateBesideRegistry', () => {
  const where = (flag: string | undefined, env: LocateOptions['env']): string =>
    locateBesideRegistry('tokens.yaml', '/reg/registry.yaml', { flag, envVar: 'MSM_TOKENS', env, cwd: CWD });

  it('the flag, else the variable (relative to the cwd, ~ expanded), else beside the registry', () => {
    expect(where('t.yaml', { HOME, MSM_TOKENS: '/env/t.yaml' })).toBe('/work/project/t.yaml');
    expect(where(undefined, { HOME, MSM_TOKENS: '~/t.yaml' })).toBe('/home/alice/t.yaml');
    expect(where('', { HOME, MSM_TOKENS: '' })).toBe('/reg/tokens.yaml');
  });
});

describe('expandHome', () => {
  const env = { HOME };

  it.each([
    ['~', '/home/alice'],
    ['~/', '/home/alice/'],
    ['~/x/y.yaml', '/home/alice/x/y.yaml'],
    ['~bob/x', '~bob/x'],
    ['/abs/~/x', '/abs/~/x'],
    ['rel/x', 'rel/x'],
    ['', ''],
  ])('%j -> %j', (file, expected) => {
    expect(expandHome(file, env)).toBe(expected);
  });

  it('uses the OS home when HOME is missing or empty', () => {
    expect(expandHome('~/x', {})).toBe(`${os.homedir()}/x`);
    expect(expandHome('~/x', { HOME: '' })).toBe(`${os.homedir()}/x`);
  });
});
