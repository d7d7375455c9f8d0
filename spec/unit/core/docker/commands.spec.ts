import {
  buildCpuCount,
  buildEngineFacts,
  buildInspect,
  buildListManaged,
  buildLogs,
  buildPull,
  buildRemove,
  buildRestart,
  buildStart,
  buildStats,
  buildStop,
  buildUnpause,
} from '../../../../lib/core/docker/commands.js';

const ID = '3f2a9c1e7b4d';

const MANAGED = ['ps', '--all', '--no-trunc', '--filter', 'label=msm.name', '--format', '{{.ID}}\t{{.Label "msm.name"}}\t{{.Label "msm.registry"}}\t{{.Names}}'];

describe('docker command builders', () => {
  describe('buildStart', () => {
    it('starts one container', () => {
      expect(buildStart(ID)).toEqual(['start', ID]);
      expect(buildStart('my-server')).toEqual(['start', 'my-server']);
    });
  });

  describe('buildStop', () => {
    it('without a timeout leaves docker its default', () => {
      expect(buildStop(ID)).toEqual(['stop', ID]);
    });

    it.each([
      [0, '0'],
      [10, '10'],
      [300, '300'],
    ])('with a timeout of %d seconds', (seconds, text) => {
      expect(buildStop(ID, seconds)).toEqual(['stop', '--time', text, ID]);
    });

    it('stops several containers in one call', () => {
      expect(buildStop(['a1', 'b2', 'c3'])).toEqual(['stop', 'a1', 'b2', 'c3']);
      expect(buildStop(['a1', 'b2'], 5)).toEqual(['stop', '--time', '5', 'a1', 'b2']);
    });
  });

  describe('buildRestart', () => {
    it('without a timeout', () => {
      expect(buildRestart(ID)).toEqual(['restart', ID]);
    });

    it('with a timeout, including 0', () => {
      expect(buildRestart(ID, 5)).toEqual(['restart', '--time', '5', ID]);
      expect(buildRestart(ID, 0)).toEqual(['restart', '--time', '0', ID]);
    });
  });

  describe('buildRemove', () => {
    it('removes without force by default', () => {
      expect(buildRemove(ID)).toEqual(['rm', ID]);
      expect(buildRemove(ID, {})).toEqual(['rm', ID]);
      expect(buildRemove(ID, { force: false })).toEqual(['rm', ID]);
    });

    it('forces when asked', () => {
      expect(buildRemove(ID, { force: true })).toEqual(['rm', '--force', ID]);
    });
  });

  describe('buildInspect', () => {
    it('inspects any number of containers in one call, in the given order', () => {
      expect(buildInspect([ID])).toEqual(['container', 'inspect', ID]);
      expect(buildInspect(['b', 'a', 'c'])).toEqual(['container', 'inspect', 'b', 'a', 'c']);
    });

    it('with no containers, only the verb', () => {
      expect(buildInspect([])).toEqual(['container', 'inspect']);
    });

    it('does not modify its input', () => {
      const names = Object.freeze(['x', 'y']);
      expect(buildInspect(names)).toEqual(['container', 'inspect', 'x', 'y']);
      expect(names).toEqual(['x', 'y']);
    });
  });

  describe('buildListManaged', () => {
    it('lists every container carrying the msm.name label: full id, server, registry, names', () => {
      expect(buildListManaged()).toEqual(MANAGED);
    });
  });

  describe('buildLogs', () => {
    it('with no options, only the container', () => {
      expect(buildLogs(ID)).toEqual(['logs', ID]);
      expect(buildLogs(ID, {})).toEqual(['logs', ID]);
    });

    it.each<[Parameters<typeof buildLogs>[1], string[]]>([
      [{ tail: 50 }, ['logs', '--tail', '50', ID]],
      [{ tail: 0 }, ['logs', '--tail', '0', ID]],
      [{ tail: 'all' }, ['logs', '--tail', 'all', ID]],
      [{ since: '10m' }, ['logs', '--since', '10m', ID]],
      [{ since: '2024-05-01T10:00:00Z' }, ['logs', '--since', '2024-05-01T10:00:00Z', ID]],
      [{ timestamps: true }, ['logs', '--timestamps', ID]],
      [{ timestamps: false }, ['logs', ID]],
      [{ follow: true }, ['logs', '--follow', ID]],
      [{ follow: false }, ['logs', ID]],
      [{ tail: 20, timestamps: true }, ['logs', '--tail', '20', '--timestamps', ID]],
      [
        { follow: true, timestamps: true, since: '1h', tail: 100 },
        ['logs', '--tail', '100', '--since', '1h', '--timestamps', '--follow', ID],
      ],
    ])('%j', (options, expected) => {
      expect(buildLogs(ID, options)).toEqual(expected);
    });
  });

  describe('buildStats', () => {
    it('samples all given containers once, one JSON object per line', () => {
      expect(buildStats([ID, 'other'])).toEqual(['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}', ID, 'other']);
    });

    it('with no containers', () => {
      expect(buildStats([])).toEqual(['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}']);
    });
  });

  describe('buildEngineFacts', () => {
    it("asks for the engine's version and clock (which needs the engine, not only the client)", () => {
      expect(buildEngineFacts()).toEqual(['info', '--format', '{{json .ServerVersion}} {{json .SystemTime}}']);
    });
  });

  describe('buildUnpause', () => {
    it('unpauses one container', () => {
      expect(buildUnpause(ID)).toEqual(['unpause', ID]);
    });
  });

  describe('buildCpuCount', () => {
    it('asks the engine for its CPU count', () => {
      expect(buildCpuCount()).toEqual(['info', '--format', '{{.NCPU}}']);
    });
  });

  describe('buildPull', () => {
    it('pulls one image quietly', () => {
      expect(buildPull('ghcr.io/acme/mcp:1.2')).toEqual(['pull', '--quiet', 'ghcr.io/acme/mcp:1.2']);
      expect(buildPull('mcp/fetch@sha256:0123')).toEqual(['pull', '--quiet', 'mcp/fetch@sha256:0123']);
    });
  });

  it('returns a fresh array every time, so callers may modify it', () => {
    const first = buildListManaged();
    first.push('extra');
    expect(buildListManaged()).toEqual(MANAGED);
    const facts = buildEngineFacts();
    facts.length = 0;
    expect(buildEngineFacts()).toEqual(['info', '--format', '{{json .ServerVersion}} {{json .SystemTime}}']);
  });
});
