// One export in a process of its own, so that its peak RSS is the export's: `node records-export.child.js <database
// url> <rows>`.
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';
import { RECOMMENDATION_CSV_COLUMNS, csvHeader, csvRows } from '#application';
import { Storage, createDataSource } from '#persistence';
import { Role } from '#domain';
import { readingRecommendations, seconds } from './support.js';

const [url, rowsArg] = process.argv.slice(2);
const limit = Number(rowsArg);
const ds = createDataSource(url, { poolSize: 2 });
await ds.initialize();
const recommendations = readingRecommendations(new Storage(ds), { now: () => new Date() });
const admin = { id: '00000000-0000-4000-8000-000000000001', role: Role.Admin, organisationIds: [] };

// The same path as a download: keyset pages → rows → csv-stringify with back-pressure, here into /dev/null.
const started = process.hrtime.bigint();
const csv = stringify({ bom: true });
const sink = createWriteStream('/dev/null');
csv.pipe(sink);
const write = async (row: readonly unknown[]) => {
  if (!csv.write(row)) await new Promise<void>((resolve) => csv.once('drain', () => resolve()));
};
await write(csvHeader(RECOMMENDATION_CSV_COLUMNS));
let rows = 0;
outer: for await (const page of csvRows(RECOMMENDATION_CSV_COLUMNS, recommendations.pages(admin, {}))) {
  for (const row of page) {
    if (rows >= limit) break outer;
    await write(row);
    rows += 1;
  }
}
csv.end();
await new Promise<void>((resolve) => sink.once('finish', () => resolve()));
await ds.destroy();
console.log(
  JSON.stringify({ rows, seconds: seconds(started), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }),
);
