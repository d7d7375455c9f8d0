// A latency sparkline as inline SVG: a line through the healthy checks' latencies and a mark at
// the bottom for each failed one. Geometry is pure (sparklineGeometry); drawing only sets SVG
// attributes, which the Content-Security-Policy allows (no style attributes).
const SVG = 'http://www.w3.org/2000/svg';

/**
 * points: [{ ok, latency }]; returns the polyline's points, the last healthy point (marked, so a
 * single check still shows) and the failed checks' x positions.
 */
export function sparklineGeometry(points, width, height, pad = 4) {
  const latencies = points.filter((p) => p.ok && p.latency !== null).map((p) => p.latency);
  const max = Math.max(1, ...latencies);
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  const x = (index) => (points.length > 1 ? pad + index * step : width / 2);
  const y = (latency) => height - pad - (latency / max) * (height - 2 * pad);
  const line = [];
  const failures = [];
  let last;
  points.forEach((point, index) => {
    if (point.ok && point.latency !== null) {
      last = { x: x(index), y: y(point.latency) };
      line.push(`${last.x.toFixed(1)},${last.y.toFixed(1)}`);
    } else {
      failures.push(x(index));
    }
  });
  return { line: line.join(' '), last, failures, max };
}

export function sparklineSummary(points) {
  if (points.length === 0) return 'No health checks seen yet in this session.';
  const latencies = points.filter((p) => p.ok && p.latency !== null).map((p) => p.latency);
  const failed = points.length - latencies.length;
  const parts = [`${points.length} ${points.length === 1 ? 'check' : 'checks'} this session`];
  if (latencies.length > 0) parts.push(`latency ${fmt(Math.min(...latencies))}–${fmt(Math.max(...latencies))} ms, last ${fmt(latencies.at(-1))} ms`);
  if (failed > 0) parts.push(`${failed} failed`);
  return parts.join('; ');
}

function fmt(ms) {
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

export function drawSparkline(svg, points) {
  // Drawn in the box's own pixels, so marks stay round whatever the width (no stretching).
  const height = 48;
  const width = Math.round(svg.getBoundingClientRect().width) || 240;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const { line, last, failures } = sparklineGeometry(points, width, height);
  const shapes = [];
  if (line) shapes.push(svgElement('polyline', { points: line, class: 'spark-line' }));
  if (last) shapes.push(svgElement('circle', { cx: last.x.toFixed(1), cy: last.y.toFixed(1), r: '2.5', class: 'spark-last' }));
  for (const x of failures) shapes.push(svgElement('circle', { cx: x.toFixed(1), cy: String(height - 4), r: '3', class: 'spark-fail' }));
  svg.replaceChildren(...shapes);
}

function svgElement(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}
