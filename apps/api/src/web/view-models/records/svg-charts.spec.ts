// The line chart's month labels: every third counted back from the latest, the latest kept inside the chart.
import { describe, expect, it } from '@jest/globals';
import { lineChart } from './svg-charts.js';

const labelsOf = (svg: string) =>
  [
    ...svg.matchAll(/<text x="([\d.]+)" y="\d+" font-size="14" text-anchor="(\w+)">([A-Z][a-z]{2,3} \d{4})<\/text>/g),
  ].map(([, x, anchor, label]) => ({ x: Number(x), anchor, label }));

describe('lineChart', () => {
  const months = Array.from(
    { length: 24 },
    (_, i) => `${['Jan', 'Apr', 'Jul', 'Oct'][i % 4]} ${2025 + Math.floor(i / 12)}`,
  );
  const chart = (labels: string[]) =>
    lineChart('c', 'Title', 'Description', labels, [{ name: 'Open', colour: '#000', values: labels.map(() => 1) }]);

  it('labels every third point counted back from the last, so no two labels crowd each other', () => {
    const ticks = labelsOf(chart(months));
    expect(ticks.map((t) => t.label)).toEqual([2, 5, 8, 11, 14, 17, 20, 23].map((i) => months[i]));
    const gaps = ticks.slice(1).map((t, i) => t.x - ticks[i].x);
    // The widest label, "Sept 2026" at 14 px, is about 66 px wide.
    expect(Math.min(...gaps)).toBeGreaterThan(72);
  });

  it('centres each label under its point, and leaves room inside the chart for the last one', () => {
    const svg = chart(months);
    const ticks = labelsOf(svg);
    expect(new Set(ticks.map((t) => t.anchor))).toEqual(new Set(['middle']));
    const width = Number(/viewBox="0 0 (\d+) /.exec(svg)![1]);
    // Half of "Sept 2026" at 14 px is about 34 px.
    expect(width - ticks.at(-1)!.x).toBeGreaterThanOrEqual(36);
    expect(labelsOf(chart(['Jan 2026']))).toEqual([{ x: 50, anchor: 'middle', label: 'Jan 2026' }]);
  });
});
