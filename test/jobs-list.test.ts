// Browsing: search, filters and cursor pagination over the seeded board.
import { describe, expect, it } from 'vitest';
import { call } from './support/api';

type Job = { id: string; title: string; createdAt: string; remote: boolean; employmentType: string; tags: string[]; location: string; company: { name: string }; description: string };

async function allPages(query: string, limit = 50): Promise<Job[]> {
  const jobs: Job[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const reply = await call('GET', `/api/jobs?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(reply.status).toBe(200);
    expect(reply.body.jobs.length).toBeLessThanOrEqual(limit);
    jobs.push(...reply.body.jobs);
    cursor = reply.body.nextCursor;
    if (!cursor) return jobs;
  }
  throw new Error('pagination did not end');
}

describe('GET /api/jobs', () => {
  it('returns 20 jobs by default with a cursor to the next page', async () => {
    const reply = await call('GET', '/api/jobs');
    expect(reply.status).toBe(200);
    expect(reply.body.jobs).toHaveLength(20);
    expect(reply.body.nextCursor).toEqual(expect.any(String));
  });

  it('walks every open job exactly once, newest first, across pages', async () => {
    const jobs = await allPages('');
    expect(jobs.length).toBeGreaterThanOrEqual(200);
    expect(new Set(jobs.map((job) => job.id)).size).toBe(jobs.length);
    for (let i = 1; i < jobs.length; i++) {
      const [a, b] = [jobs[i - 1]!, jobs[i]!];
      expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)).toBe(true);
    }
  });

  it('gives the same sequence whatever the page size', async () => {
    const big = await allPages('tag=python', 50);
    const small = await allPages('tag=python', 7);
    expect(small.map((job) => job.id)).toEqual(big.map((job) => job.id));
    expect(big.length).toBeGreaterThan(7);
  });

  it('filters by remote, employment type, tag and location', async () => {
    const remote = await allPages('remote=true');
    expect(remote.length).toBeGreaterThan(0);
    expect(remote.every((job) => job.remote)).toBe(true);
    const contracts = await allPages('type=contract');
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.every((job) => job.employmentType === 'contract')).toBe(true);
    const rust = await allPages('tag=KUBERNETES');
    expect(rust.length).toBeGreaterThan(0);
    expect(rust.every((job) => job.tags.includes('kubernetes'))).toBe(true);
    const berlin = await allPages('location=berlin');
    expect(berlin.length).toBeGreaterThan(0);
    expect(berlin.every((job) => job.location.toLowerCase().includes('berlin'))).toBe(true);
  });

  it('searches title, company, description and tags, every word required', async () => {
    const byCompany = await allPages('q=northwind');
    expect(byCompany.length).toBeGreaterThan(0);
    expect(byCompany.every((job) => `${job.title} ${job.company.name} ${job.description}`.toLowerCase().includes('northwind'))).toBe(true);
    const both = await allPages(`q=${encodeURIComponent('reliability engineer')}`);
    expect(both.length).toBeGreaterThan(0);
    const none = await allPages(`q=${encodeURIComponent('northwind zzzqqq')}`);
    expect(none).toEqual([]);
  });

  it('combines filters (AND)', async () => {
    const jobs = await allPages('remote=true&type=full_time&tag=react');
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((job) => job.remote && job.employmentType === 'full_time' && job.tags.includes('react'))).toBe(true);
  });
});
