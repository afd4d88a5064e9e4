/**
 * @module
 * The search section (issue 5): 100,000 hosts with 20 facts and 10 parameters each, in nested
 * host groups, on SQLite and on PostgreSQL. For each query it times what the UI and
 * `remex job-invocation create --dry-run` ask for, `GET /api/hosts?search=…&per_page=20`
 * (total, count of matches and first page) through a real server, and checks it against the
 * 200 ms budget. Median and max of 5 runs after one warm-up.
 *
 * The inventory is generated set-based in SQL (deterministic: the i-th host's values come from
 * `i`), then `ANALYZE` (SQLite) or `VACUUM ANALYZE` (PostgreSQL, as autovacuum would) runs. `REMEX_BENCH_SEARCH_HOSTS`
 * changes the host count.
 */
import { performance } from 'node:perf_hooks';

import { loadServerConfig, migrateToLatest, openStore, startServer } from '@remex/server';
import type { Store } from '@remex/server';
import { createTestDatabase, postgresAvailable, tempDir } from '@remex/testkit';
import type { Dialect } from '@remex/testkit';
import { sql } from 'kysely';

import type { BenchOptions } from '../lib/args.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';

/** The measured queries and the budget (ms) each must meet. */
export const SEARCH_QUERIES: readonly string[] = ['facts.os_family = Debian and hostgroup ~ web*', 'params.role = db', 'execution_status = error'];
const BUDGET_MS = 200;
const RUNS = 5;
const ADMIN_PASSWORD = 'bench-search-pw';

/** Timing of one query on one dialect. */
export interface SearchTiming {
  dialect: Dialect;
  query: string;
  subtotal: number;
  medianMs: number;
  maxMs: number;
  withinBudget: boolean;
}

/** Fills `store` with the benchmark inventory (`hosts` hosts, 20 facts and 10 parameters each, 33 host groups) and analyzes it. */
export async function populateSearchInventory(store: Store, hosts: number, log: (line: string) => void): Promise<void> {
  const db = store.db;
  const now = new Date().toISOString();
  const t0 = performance.now();
  // Host groups: web, db, app, each with 10 children (web/web-0 … app/app-9).
  for (const root of ['web', 'db', 'app']) {
    const r = await db.insertInto('hostgroups').values({ name: root, parent_id: null, title: root, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('parameters').values({ scope: 'hostgroup', scope_id: r.id, name: 'tier', value: root, parameter_type: 'string', hidden_value: 0, created_at: now, updated_at: now }).execute();
    for (let i = 0; i < 10; i++) {
      await db.insertInto('hostgroups').values({ name: `${root}-${i}`, parent_id: r.id, title: `${root}/${root}-${i}`, created_at: now, updated_at: now }).execute();
    }
  }
  await db.insertInto('parameters').values({ scope: 'common', scope_id: 0, name: 'site', value: 'hq', parameter_type: 'string', hidden_value: 0, created_at: now, updated_at: now }).execute();
  const children = (await db.selectFrom('hostgroups').select('id').where('parent_id', 'is not', null).orderBy('id').execute()).map((r) => r.id);
  const first = children[0] ?? 0;
  const seq = sql`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${sql.lit(hosts)})`;
  await sql`INSERT INTO hosts (name, ip, hostgroup_id, domain_name, comment, execution_status, created_at, updated_at)
    ${seq} SELECT 'host' || i || '.bench.example.com', '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256),
      ${sql.lit(first)} + (i % ${sql.lit(children.length)}), 'bench.example.com', NULL, CASE WHEN i % 100 = 0 THEN 1 ELSE 0 END, ${now}, ${now} FROM seq`.execute(db);
  log(`search: ${hosts} hosts in ${Math.round(performance.now() - t0)} ms`);
  const factNames = ['os_family', 'memorysize_mb', ...Array.from({ length: 18 }, (_, i) => `fact_${String(i + 1).padStart(2, '0')}`)];
  await sql`INSERT INTO fact_values (host_id, name, value, updated_at)
    WITH f(n) AS (VALUES ${sql.join(factNames.map((n) => sql`(${n})`))})
    SELECT h.id, f.n, CASE
      WHEN f.n = 'os_family' THEN (CASE WHEN h.id % 2 = 0 THEN 'Debian' WHEN h.id % 4 = 1 THEN 'RedHat' ELSE 'Suse' END)
      WHEN f.n = 'memorysize_mb' THEN CAST(((h.id % 64) + 1) * 1024 AS varchar(32))
      ELSE f.n || '-' || (h.id % 50) END, ${now}
    FROM hosts h CROSS JOIN f`.execute(db);
  log(`search: ${hosts * factNames.length} facts after ${Math.round(performance.now() - t0)} ms`);
  const paramNames = ['role', ...Array.from({ length: 9 }, (_, i) => `param_${String(i + 1).padStart(2, '0')}`)];
  await sql`INSERT INTO parameters (scope, scope_id, name, value, parameter_type, hidden_value, created_at, updated_at)
    WITH p(n) AS (VALUES ${sql.join(paramNames.map((n) => sql`(${n})`))})
    SELECT 'host', h.id, p.n, CASE
      WHEN p.n = 'role' THEN (CASE WHEN h.id % 10 = 0 THEN 'db' WHEN h.id % 10 < 5 THEN 'web' ELSE 'app' END)
      ELSE p.n || '-' || (h.id % 20) END, 'string', 0, ${now}, ${now}
    FROM hosts h CROSS JOIN p`.execute(db);
  log(`search: ${hosts * paramNames.length} parameters after ${Math.round(performance.now() - t0)} ms`);
  // What autovacuum does after a bulk load on PostgreSQL (statistics, visibility map for index-only scans).
  await (store.dialect === 'postgres' ? sql`VACUUM ANALYZE` : sql`ANALYZE`).execute(db);
  log(`search: inventory ready in ${Math.round(performance.now() - t0)} ms`);
}

async function measureDialect(dialect: Dialect, hosts: number, log: (line: string) => void): Promise<SearchTiming[]> {
  const database = await createTestDatabase(dialect);
  const dir = await tempDir('remex-bench-search-');
  const store = openStore(database.url);
  try {
    await migrateToLatest(store);
    await populateSearchInventory(store, hosts, log);
    await store.destroy();
    const server = await startServer(loadServerConfig({ REMEX_DATA_DIR: dir.path, REMEX_PORT: '0', REMEX_ADMIN_PASSWORD: ADMIN_PASSWORD, REMEX_LOG_LEVEL: 'warn', DATABASE_URL: database.url }));
    const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const out: SearchTiming[] = [];
    try {
      for (const query of SEARCH_QUERIES) {
        const url = `${server.url}/api/hosts?per_page=20&search=${encodeURIComponent(query)}`;
        const times: number[] = [];
        let subtotal = 0;
        for (let run = 0; run <= RUNS; run++) {
          const t0 = performance.now();
          const res = await fetch(url, { headers: { authorization: auth } });
          const body = (await res.json()) as { subtotal?: number; results?: unknown[]; error?: { message: string } };
          const ms = performance.now() - t0;
          if (!res.ok) throw new Error(`${query}: HTTP ${res.status} ${body.error?.message ?? ''}`);
          subtotal = body.subtotal ?? 0;
          if (run > 0) times.push(ms);
        }
        times.sort((a, b) => a - b);
        const medianMs = times[Math.floor(times.length / 2)] ?? 0;
        const maxMs = times.at(-1) ?? 0;
        out.push({ dialect, query, subtotal, medianMs: Math.round(medianMs * 10) / 10, maxMs: Math.round(maxMs * 10) / 10, withinBudget: medianMs < BUDGET_MS });
        log(`search: ${dialect} '${query}': ${subtotal} hosts, median ${medianMs.toFixed(1)} ms`);
      }
    } finally {
      await server.stop();
    }
    return out;
  } finally {
    await store.destroy().catch(() => undefined);
    await database.drop();
    await dir.cleanup();
  }
}

/**
 * Runs the search benchmark on SQLite and (when reachable) PostgreSQL.
 * @param hosts - inventory size (Default: 100,000 or `REMEX_BENCH_SEARCH_HOSTS`)
 */
export async function runSearchBench(log: (line: string) => void, hosts = Number(process.env.REMEX_BENCH_SEARCH_HOSTS ?? 100_000)): Promise<SectionResult> {
  const dialects: Dialect[] = (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
  const timings: SearchTiming[] = [];
  for (const d of dialects) timings.push(...(await measureDialect(d, hosts, log)));
  const lines = [
    `Host search at ${hosts.toLocaleString('en')} hosts (20 facts, 10 parameters each): GET /api/hosts?search=…&per_page=20 (count + first page), median/max of ${RUNS} runs, budget ${BUDGET_MS} ms`,
    `${'dialect'.padEnd(9)} ${'query'.padEnd(48)} ${'matches'.padStart(8)} ${'median'.padStart(9)} ${'max'.padStart(9)}  ok`,
    ...timings.map((t) => `${t.dialect.padEnd(9)} ${t.query.padEnd(48)} ${String(t.subtotal).padStart(8)} ${`${t.medianMs} ms`.padStart(9)} ${`${t.maxMs} ms`.padStart(9)}  ${t.withinBudget ? 'yes' : 'NO'}`),
  ];
  if (!dialects.includes('postgres')) lines.push('PostgreSQL not reachable: skipped');
  return { text: lines.join('\n'), data: { hosts, budgetMs: BUDGET_MS, runs: RUNS, timings } };
}

/** The search section (`--only search`). */
export const searchSection: BenchSection = {
  name: 'search',
  description: 'host search at 100,000 hosts (count + first page) on SQLite and PostgreSQL',
  run: (_options: BenchOptions, log) => runSearchBench(log),
};
