// Charts as server-rendered SVG: no JavaScript; each is an image with a text alternative, and its page shows the same
// figures as a table.

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GOV.UK colours, distinguishable without colour by their labels and the table beside each chart. */
export const CHART_COLOURS = { blue: '#1d70b8', red: '#d4351c', grey: '#505a5f', light: '#b1b4b6' };

export interface Bar {
  label: string;
  values: number[];
}

/** Horizontal grouped bars: one row per `bars` item, one bar per series (e.g. open and overdue). */
export function barChart(
  id: string,
  title: string,
  description: string,
  series: { name: string; colour: string }[],
  bars: readonly Bar[],
): string {
  const rowHeight = 18 * series.length + 16;
  const labelWidth = 220;
  const plotWidth = 420;
  const height = bars.length * rowHeight + 40;
  const max = Math.max(1, ...bars.flatMap((b) => b.values));
  const rows = bars
    .map((bar, i) => {
      const y = 30 + i * rowHeight;
      const rects = bar.values
        .map((value, s) => {
          const width = Math.round((value / max) * plotWidth);
          const by = y + s * 18;
          return `<rect x="${labelWidth}" y="${by}" width="${Math.max(width, value > 0 ? 1 : 0)}" height="16" fill="${series[s].colour}"/><text x="${labelWidth + width + 4}" y="${by + 13}" font-size="14">${value}</text>`;
        })
        .join('');
      return `<text x="${labelWidth - 6}" y="${y + 11}" font-size="14" text-anchor="end">${escape(truncate(bar.label, 32))}</text>${rects}`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${labelWidth + i * 110}" y="6" width="12" height="12" fill="${s.colour}"/><text x="${labelWidth + 16 + i * 110}" y="16" font-size="14">${escape(s.name)}</text>`,
    )
    .join('');
  return svg(id, title, description, labelWidth + plotWidth + 60, height, legend + rows);
}

/** A line per series over the labelled points (e.g. months), with the y axis from zero. */
export function lineChart(
  id: string,
  title: string,
  description: string,
  labels: readonly string[],
  series: { name: string; colour: string; values: number[] }[],
): string {
  const width = 700;
  const height = 300;
  const left = 50;
  const bottom = 40;
  const top = 30;
  // Room on the right for half of the last month's label, which is centred under the last point.
  const right = 40;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  const x = (i: number) => left + (labels.length <= 1 ? 0 : (i / (labels.length - 1)) * plotWidth);
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const value = Math.round(max * f);
      return `<line x1="${left}" x2="${left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="${CHART_COLOURS.light}" stroke-width="1"/><text x="${left - 6}" y="${y(value) + 4}" font-size="14" text-anchor="end">${value}</text>`;
    })
    .join('');
  // Every third point is labelled, counted back from the last, so the latest month always has its label and no two
  // labels crowd each other.
  const last = labels.length - 1;
  const ticks = labels
    .map((label, i) =>
      (last - i) % 3 === 0
        ? `<text x="${x(i)}" y="${height - bottom + 16}" font-size="14" text-anchor="middle">${escape(label)}</text>`
        : '',
    )
    .join('');
  const lines = series
    .map((s, n) => {
      const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const dash = n === 0 ? '' : ' stroke-dasharray="6 3"';
      return `<polyline points="${points}" fill="none" stroke="${s.colour}" stroke-width="3"${dash}/>`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<line x1="${left + i * 130}" x2="${left + 24 + i * 130}" y1="12" y2="12" stroke="${s.colour}" stroke-width="3"${i === 0 ? '' : ' stroke-dasharray="6 3"'}/><text x="${left + 30 + i * 130}" y="16" font-size="14">${escape(s.name)}</text>`,
    )
    .join('');
  return svg(id, title, description, width, height, legend + grid + ticks + lines);
}

function svg(id: string, title: string, description: string, width: number, height: number, body: string): string {
  return `<svg class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" font-family="arial, sans-serif" fill="#0b0c0c"><title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(description)}</desc>${body}</svg>`;
}

/** The axis top: four gridline steps of 1, 2 or 5 times a power of ten, so every gridline is a whole number. */
function niceMax(value: number): number {
  const raw = Math.max(1, value / 4);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((s) => s * magnitude >= raw) ?? 10) * magnitude;
  return Math.max(4, Math.ceil(step) * 4);
}

const truncate = (text: string, length: number): string =>
  text.length <= length ? text : `${text.slice(0, length - 1)}…`;
