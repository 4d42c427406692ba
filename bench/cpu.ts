// The benchmarks' CPU accounting: the machine's busy share, each process's CPU per unit of work, and a bench database's
// commits.
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

export interface MachineCpu {
  busy: number;
  total: number;
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineCpu(): MachineCpu {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** The share of the machine's CPU that was busy since `start`. */
export function cpuBusySince(start: MachineCpu): number {
  const now = machineCpu();
  return (now.busy - start.busy) / Math.max(1, now.total - start.total);
}

export type ProcessTicks = Map<number, { comm: string; ticks: number }>;

/** A process's command name and CPU ticks (1/100 s, utime + stime) so far, from /proc/<pid>/stat. */
function readStat(pid: number | string): { comm: string; ticks: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may itself contain spaces or parentheses: the fields follow the last ')'.
  const close = stat.lastIndexOf(')');
  const rest = stat.slice(close + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(rest[11]) + Number(rest[12]) };
}

/** CPU ticks used so far by every process on the machine. */
export function processTicks(): ProcessTicks {
  const out: ProcessTicks = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      out.set(Number(entry), readStat(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** utime + stime of one process so far, in milliseconds. */
export function processCpuMs(pid: number): number {
  return readStat(pid).ticks * 10;
}

/** The kinds of process that are not the benchmark's own work (the rest of the machine). */
export const OTHER_POSTGRES = 'postgres, other (WAL writer, checkpointer, other databases)';
export const OTHER_PROCESSES = 'other processes (not this benchmark)';

/**
 * Where the CPU went between two snapshots, in ms per unit of work, by kind of process: `named` labels the
 * benchmark's own processes; PostgreSQL backends of the bench database, other PostgreSQL processes, Redis
 * and everything else are told apart by name.
 */
export function cpuByProcess(
  before: ProcessTicks,
  after: ProcessTicks,
  units: number,
  named: Map<number, string>,
  benchBackends: Set<number>,
): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [pid, { comm, ticks }] of after) {
    const delta = ticks - (before.get(pid)?.ticks ?? 0);
    if (delta <= 0) continue;
    const kind =
      named.get(pid) ??
      (comm === 'postgres'
        ? benchBackends.has(pid)
          ? 'postgres backends of the bench database'
          : OTHER_POSTGRES
        : comm.startsWith('redis-server')
          ? 'redis'
          : OTHER_PROCESSES);
    sums[kind] = (sums[kind] ?? 0) + delta;
  }
  return Object.fromEntries(
    Object.entries(sums).map(([k, ticks]) => [k, Number(((ticks * 10) / Math.max(1, units)).toFixed(2))]),
  );
}

/** Transactions committed so far in database `dbName`. */
export async function commits(admin: pg.Client, dbName: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    `SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1`,
    [dbName],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The PostgreSQL backends serving database `dbName` now. */
export async function backendPids(admin: pg.Client, dbName: string): Promise<Set<number>> {
  const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [dbName]);
  return new Set(rows.map((r) => r.pid));
}
