/** Abandoned gateway sessions: idle means no request in progress and none for the limit. */
import { IdleSessions } from '../../../../lib/core/mcp/idleSessions.js';

describe('IdleSessions', () => {
  let now: number;
  let idle: IdleSessions<string>;

  beforeEach(() => {
    now = 0;
    idle = new IdleSessions<string>(1000, () => now);
  });

  it('expires a session once the limit has passed since its last request ended, once', () => {
    idle.begin('a')();
    now = 999;
    expect(idle.expired()).toEqual([]);
    now = 1000;
    expect(idle.expired()).toEqual(['a']);
    expect(idle.expired()).toEqual([]);
  });

  it('never expires a session with a request (or an SSE stream) still open, and counts from its end', () => {
    const endStream = idle.begin('a');
    now = 10_000;
    expect(idle.expired()).toEqual([]);
    endStream();
    now = 10_999;
    expect(idle.expired()).toEqual([]);
    now = 11_000;
    expect(idle.expired()).toEqual(['a']);
  });

  it('a new request resets the clock; a forgotten session is never reported; ending twice counts once', () => {
    const end = idle.begin('a');
    end();
    end();
    now = 900;
    idle.begin('a')();
    idle.begin('b')();
    idle.forget('b');
    now = 1500;
    expect(idle.expired()).toEqual([]);
    now = 1900;
    expect(idle.expired()).toEqual(['a']);
  });
});
