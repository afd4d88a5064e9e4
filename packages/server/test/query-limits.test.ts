/**
 * Query size limits through the API on both dialects: queries over a limit answer 422 with a
 * message naming the limit (they used to hit SQLite's expression depth, bind-variable count or
 * LIKE-pattern length and answer 500); queries at the limits run on the database.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

describe.each(DIALECTS)('query limits on %s', (dialect) => {
  let t: TestServer;
  let templateId: number;

  const search = (path: string, q: string) => t.api('GET', `${path}${path.includes('?') ? '&' : '?'}search=${encodeURIComponent(q)}`);
  const searchPost = (q: string) => t.api('POST', '/api/bookmarks', { bookmark: { name: `b${Math.random()}`, controller: 'hosts', query: q } });
  const expect422 = async (answer: Promise<{ status: number; body: any; text: string }>, message: string | RegExp) => {
    const r = await answer;
    expect(r.status, r.text.slice(0, 300)).toBe(422);
    expect(String(r.body?.error?.message ?? r.text)).toMatch(message);
  };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    for (const name of ['a1.example.com', 'a2.example.com']) expect((await t.api('POST', '/api/hosts', { host: { name } })).status).toBe(201);
    const tpl = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    templateId = tpl.body.results[0].id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses thousands of or/and terms with 422 on every path', async () => {
    // GET URLs are limited to 16 KB by the HTTP layer (431), so these are compact.
    const ors = range(1500, (i) => `h${i}`).join('|');
    const ands = range(1000, (i) => `name!=h${i}`).join('&');
    const bigOrs = range(5000, (i) => `h${i}`).join(' or ');
    for (const path of ['/api/hosts', '/api/job_invocations', '/api/job_templates']) {
      await expect422(search(path, ors), /too many conditions \(more than 200 allowed\)/);
      await expect422(search(path, ands), /too many conditions \(more than 200 allowed\)/);
    }
    await expect422(searchPost(bigOrs), /too many conditions/);
    await expect422(
      t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, inputs: { command: 'true' }, targeting_type: 'static_query', search_query: bigOrs } }),
      /too many conditions/,
    );
  });

  it('refuses a 40,000-name ^ list, 100 KB free text and deep parentheses', async () => {
    const list = `name ^ (${range(40_000, (i) => `h${i}`).join(', ')})`;
    await expect422(searchPost(list), /Query is too long/);
    const list10k = `name ^ (${range(7000, (i) => `h${i}`).join(',')})`;
    await expect422(searchPost(list10k), /List of values after '\^' is too long \(7000 values, at most 1000 allowed\)/);
    const list2k = `name ^ (${range(1500, (i) => `h${i}`).join(',')})`;
    await expect422(search('/api/hosts', list2k), /List of values after '\^' is too long \(1500 values, at most 1000 allowed\)/);
    await expect422(searchPost('x'.repeat(100_000)), /Query is too long/);
    await expect422(searchPost('x'.repeat(40_000)), /Free-text search term is too long \(40000 characters, at most 256 allowed\)/);
    await expect422(search('/api/hosts', 'x'.repeat(10_000)), /Free-text search term is too long/);
    await expect422(search('/api/hosts', `name ~ ${'x'.repeat(1000)}`), /Value after '~' is too long/);
    await expect422(search('/api/hosts', `${'('.repeat(500)}a1${')'.repeat(500)}`), /nested too deeply/);
    await expect422(searchPost(list2k), /too long/);
    await expect422(t.api('GET', `/api/hosts/auto_complete_search?search=${encodeURIComponent(`name = ${'x'.repeat(1000)}`)}`), /too long/);
  });

  it('runs queries at the limits on the database', async () => {
    const names = (r: { body: any }) => (r.body.results as Array<{ name: string }>).map((h) => h.name).sort();
    const ors = await search('/api/hosts', [...range(198, (i) => `h${i}`), 'a1', 'a2'].join(' or '));
    expect(ors.status, ors.text.slice(0, 300)).toBe(200);
    expect(names(ors)).toEqual(['a1.example.com', 'a2.example.com']);
    const inList = await search('/api/hosts', `name ^ (${[...range(999, (i) => `h${i}`), 'a2.example.com'].join(',')})`);
    expect(inList.status, inList.text.slice(0, 300)).toBe(200);
    expect(names(inList)).toEqual(['a2.example.com']);
    // The most values a query may have (2 lists of 1,000) as bind variables, through targeting.
    const twoLists = `name ^ (${[...range(999, (i) => `h${i}.example.com`), 'a2.example.com'].join(', ')}) or name !^ (${range(1000, (i) => `g${i}`).join(',')})`;
    const job = await t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, inputs: { command: 'true' }, targeting_type: 'static_query', search_query: twoLists } });
    expect(job.status, job.text.slice(0, 300)).toBe(201);
    expect(job.body.total_hosts).toBe(2);
    const text = await search('/api/hosts', `a1${'x'.repeat(254)}`);
    expect(text.status, text.text.slice(0, 300)).toBe(200);
    const deep = await search('/api/hosts', `${'('.repeat(30)}a1${')'.repeat(30)}`);
    expect(deep.status, deep.text.slice(0, 300)).toBe(200);
    const mixed = await search('/api/hosts', range(100, (i) => `(h${i} and not name = x${i})`).join(' or '));
    expect(mixed.status, mixed.text.slice(0, 300)).toBe(200);
    const jobs = await search('/api/job_invocations', range(200, (i) => `j${i}`).join(' or '));
    expect(jobs.status, jobs.text.slice(0, 300)).toBe(200);
    const bm = await searchPost(range(200, (i) => `h${i}`).join(' or '));
    expect(bm.status, bm.text.slice(0, 300)).toBe(201);
  });
});
