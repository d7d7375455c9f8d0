import {
  LineSplitter,
  looksLikeError,
  mergeLogStreams,
  parseLogLine,
  splitLines,
  type LogLine,
} from '../../../../lib/core/docker/parseLogs.js';

const T1 = '2024-05-01T12:00:00.100000000Z';
const T2 = '2024-05-01T12:00:00.200000000Z';
const T3 = '2024-05-01T12:00:01.000000000Z';
const T4 = '2024-05-01T12:00:02.500000000Z';

describe('parseLogLine', () => {
  it('splits docker timestamps (RFC 3339, nanoseconds) from the text', () => {
    expect(parseLogLine(`${T1} server listening on :8080`, 'stdout')).toEqual({
      stream: 'stdout',
      time: T1,
      text: 'server listening on :8080',
    });
  });

  it.each([
    ['2024-05-01T12:00:00Z', 'no fraction'],
    ['2024-05-01T12:00:00.5Z', 'short fraction'],
    ['2024-05-01T12:00:00.123456789+02:00', 'positive offset'],
    ['2024-05-01T12:00:00-05:30', 'negative offset'],
  ])('accepts the timestamp %s (%s)', (time) => {
    expect(parseLogLine(`${time} hello`, 'stderr')).toEqual({ stream: 'stderr', time, text: 'hello' });
  });

  it('keeps the text after the single separating space exactly, including spaces and tabs', () => {
    expect(parseLogLine(`${T1}    indented\tline  `, 'stdout')).toEqual({ stream: 'stdout', time: T1, text: '   indented\tline  ' });
  });

  it('an empty line with a timestamp has empty text', () => {
    expect(parseLogLine(`${T1} `, 'stdout')).toEqual({ stream: 'stdout', time: T1, text: '' });
  });

  it('keeps a carriage return or newline inside the text', () => {
    expect(parseLogLine(`${T1} progress\r50%`, 'stdout')).toEqual({ stream: 'stdout', time: T1, text: 'progress\r50%' });
    expect(parseLogLine(`${T1} a\nb`, 'stdout')).toEqual({ stream: 'stdout', time: T1, text: 'a\nb' });
  });

  it.each([
    'plain text',
    '',
    `${T1}`,
    `${T1}text-without-space`,
    '2024-05-01 12:00:00 not rfc3339',
    '2024-05-01T12:00:00 no zone',
    `prefix ${T1} later`,
    ` ${T1} leading space`,
  ])('without a leading timestamp, the whole line is text: %j', (line) => {
    expect(parseLogLine(line, 'stdout')).toEqual({ stream: 'stdout', time: '', text: line });
  });

  it('tags the stream it is given', () => {
    expect(parseLogLine('x', 'stderr')).toEqual({ stream: 'stderr', time: '', text: 'x' });
  });
});

describe('splitLines', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a']],
    ['a\nb', ['a', 'b']],
    ['a\n\nb\n', ['a', '', 'b']],
    ['\n', ['']],
    ['\n\n', ['', '']],
    ['a\r\nb\r\n', ['a', 'b']],
    ['a\rb\n', ['a\rb']],
  ])('%j -> %j', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });
});

describe('mergeLogStreams', () => {
  it('interleaves stdout and stderr by timestamp', () => {
    const stdout = `${T1} first\n${T3} third\n`;
    const stderr = `${T2} second\n${T4} fourth\n`;
    expect(mergeLogStreams(stdout, stderr)).toEqual<LogLine[]>([
      { stream: 'stdout', time: T1, text: 'first' },
      { stream: 'stderr', time: T2, text: 'second' },
      { stream: 'stdout', time: T3, text: 'third' },
      { stream: 'stderr', time: T4, text: 'fourth' },
    ]);
  });

  it('puts all of stderr first when it is all older', () => {
    expect(mergeLogStreams(`${T3} out1\n${T4} out2\n`, `${T1} err1\n${T2} err2\n`).map((line) => line.text)).toEqual([
      'err1',
      'err2',
      'out1',
      'out2',
    ]);
  });

  it('keeps stream order for equal times: stdout lines before stderr lines, each in its own order', () => {
    expect(mergeLogStreams(`${T1} o1\n${T1} o2\n`, `${T1} e1\n${T1} e2\n`)).toEqual<LogLine[]>([
      { stream: 'stdout', time: T1, text: 'o1' },
      { stream: 'stdout', time: T1, text: 'o2' },
      { stream: 'stderr', time: T1, text: 'e1' },
      { stream: 'stderr', time: T1, text: 'e2' },
    ]);
  });

  it('keeps the order within a stream when its times are equal but the other stream is between', () => {
    const merged = mergeLogStreams(`${T2} o1\n${T2} o2\n`, `${T1} e1\n${T3} e2\n`);
    expect(merged.map((line) => `${line.stream}:${line.text}`)).toEqual(['stderr:e1', 'stdout:o1', 'stdout:o2', 'stderr:e2']);
  });

  it('handles \\r\\n line ends and a missing final newline', () => {
    expect(mergeLogStreams(`${T1} a\r\n${T3} c`, `${T2} b\r\n`)).toEqual<LogLine[]>([
      { stream: 'stdout', time: T1, text: 'a' },
      { stream: 'stderr', time: T2, text: 'b' },
      { stream: 'stdout', time: T3, text: 'c' },
    ]);
  });

  it('without timestamps, keeps each stream in order, stdout first', () => {
    expect(mergeLogStreams('o1\no2\n', 'e1\n')).toEqual<LogLine[]>([
      { stream: 'stdout', time: '', text: 'o1' },
      { stream: 'stdout', time: '', text: 'o2' },
      { stream: 'stderr', time: '', text: 'e1' },
    ]);
  });

  it('keeps empty lines', () => {
    expect(mergeLogStreams(`${T1} \n${T2} x\n`, '')).toEqual<LogLine[]>([
      { stream: 'stdout', time: T1, text: '' },
      { stream: 'stdout', time: T2, text: 'x' },
    ]);
  });

  it('returns nothing for two empty streams', () => {
    expect(mergeLogStreams('', '')).toEqual([]);
  });

  it('interleaves long streams line by line by time', () => {
    const stdout = Array.from({ length: 50 }, (_, i) => `2024-05-01T12:00:${String(i).padStart(2, '0')}.000000000Z o${i}`).join('\n');
    const stderr = Array.from({ length: 50 }, (_, i) => `2024-05-01T12:00:${String(i).padStart(2, '0')}.500000000Z e${i}`).join('\n');
    const texts = mergeLogStreams(stdout, stderr).map((line) => line.text);
    expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => [`o${i}`, `e${i}`]).flat());
  });
});

describe('looksLikeError', () => {
  const stdout = (text: string): LogLine => ({ stream: 'stdout', time: T1, text });

  it('every stderr line counts, whatever it says', () => {
    expect(looksLikeError({ stream: 'stderr', time: T1, text: 'INFO all good' })).toBe(true);
    expect(looksLikeError({ stream: 'stderr', time: '', text: '' })).toBe(true);
  });

  it.each([
    'ERROR: connection refused',
    'level=error msg="bad"',
    'Fatal: cannot bind',
    'panic: runtime error: index out of range',
    'java.lang.Exception: boom',
    'Traceback (most recent call last):',
    'request failed with 500',
    'Failure while loading config',
    'CRITICAL disk full',
    '[error] x',
  ])('stdout %j counts', (text) => {
    expect(looksLikeError(stdout(text))).toBe(true);
  });

  it.each([
    'server listening on :8080',
    '0 errors, 0 warnings',
    'terrors of the deep',
    'error_count=0',
    'NullPointerExceptions are rare',
    '',
  ])('stdout %j does not', (text) => {
    expect(looksLikeError(stdout(text))).toBe(false);
  });
});

describe('LineSplitter', () => {
  function collect(chunks: string[], flush = true): string[] {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    for (const chunk of chunks) splitter.push(chunk);
    if (flush) splitter.flush();
    return lines;
  }

  it('emits one call per complete line', () => {
    expect(collect(['a\nb\nc\n'])).toEqual(['a', 'b', 'c']);
  });

  it('joins a line split across chunks', () => {
    expect(collect(['he', 'll', 'o\nwor', 'ld\n'])).toEqual(['hello', 'world']);
  });

  it('waits for the end of a line before emitting it', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('partial');
    expect(lines).toEqual([]);
    splitter.push(' line');
    expect(lines).toEqual([]);
    splitter.push('\nnext');
    expect(lines).toEqual(['partial line']);
    splitter.flush();
    expect(lines).toEqual(['partial line', 'next']);
  });

  it('strips \\r\\n, also when the \\r and \\n arrive in different chunks', () => {
    expect(collect(['a\r\nb\r', '\nc\r\n'])).toEqual(['a', 'b', 'c']);
  });

  it('keeps a \\r that is not at the end of the line', () => {
    expect(collect(['50%\r100%\n'])).toEqual(['50%\r100%']);
  });

  it('keeps empty lines, and an empty chunk is nothing', () => {
    expect(collect(['\n', '', '\n\nx\n'])).toEqual(['', '', '', 'x']);
  });

  it('flush emits the unfinished tail once, and nothing when there is none', () => {
    expect(collect(['a\nrest'])).toEqual(['a', 'rest']);
    expect(collect(['a\n'])).toEqual(['a']);
    expect(collect([])).toEqual([]);
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('tail');
    splitter.flush();
    splitter.flush();
    expect(lines).toEqual(['tail']);
  });

  it('without flush, the tail is held back', () => {
    expect(collect(['a\nrest'], false)).toEqual(['a']);
  });

  it('gives the same lines however a text is cut into chunks', () => {
    const text = 'alpha\r\nbeta\n\ngamma\r\ndelta';
    const expected = ['alpha', 'beta', '', 'gamma', 'delta'];
    for (let cut = 0; cut <= text.length; cut += 1) {
      expect(collect([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    }
    expect(collect([...text])).toEqual(expected);
  });
});
