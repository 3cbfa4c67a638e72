// Nothing acknowledged is lost, and no retry duplicates, when the server dies mid-write
// (docs/api.md, "Retrying writes"). 200 applications are sent at once, each with its own
// Idempotency-Key; the server gets SIGKILL when half of them have been answered 201; a new server
// starts on the same database (Postgres with DATABASE_URL, else the same embedded data folder);
// the clients retry, with their keys, everything that got no 201. Then every application that was
// ever acknowledged exists exactly once, under the id first acknowledged.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { call, type Session, signUp, validApplication, validJob } from './support/api';
import { type RunningServer, startServer } from './support/server';

const JOBS = 10;
const CANDIDATES = 20; // 10 × 20 = 200 applications, one per candidate and job
const CLIENTS = 24;
const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'jobboard-kill9-'));
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
});

type Attempt = { round: number; status: number | 'no answer'; id?: string; replayed: boolean };
type Task = { candidate: Session; jobId: string; key: string; body: ReturnType<typeof validApplication>; attempts: Attempt[] };

async function send(baseUrl: string, task: Task, round: number): Promise<Attempt> {
  try {
    const reply = await call('POST', `/api/jobs/${task.jobId}/applications`, {
      baseUrl,
      session: task.candidate,
      json: task.body,
      headers: { 'idempotency-key': task.key },
    });
    return { round, status: reply.status, id: reply.body?.application?.id, replayed: reply.headers.get('idempotent-replayed') === 'true' };
  } catch {
    return { round, status: 'no answer', replayed: false };
  }
}

const acknowledged = (task: Task) => task.attempts.find((attempt) => attempt.status === 201);

it('SIGKILL halfway through 200 concurrent applications: every 201 exists exactly once after retries with the same keys', { timeout: 240_000 }, async () => {
  server = await startServer({ DATA_DIR });
  const url = server.url;
  const employer = await signUp('employer', {}, { baseUrl: url });
  const jobIds: string[] = [];
  for (let index = 0; index < JOBS; index += 1) {
    const reply = await call('POST', '/api/jobs', { baseUrl: url, session: employer, json: validJob({ title: `Kill-9 job ${index}` }) });
    expect(reply.status).toBe(201);
    jobIds.push(reply.body.job.id);
  }
  const candidates = await Promise.all(Array.from({ length: CANDIDATES }, () => signUp('candidate', {}, { baseUrl: url })));
  const tasks: Task[] = candidates.flatMap((candidate, c) =>
    jobIds.map((jobId, j) => ({ candidate, jobId, key: randomUUID(), body: validApplication({ coverLetter: `Candidate ${c} applying to job ${j}, sent once and retried if unanswered.` }), attempts: [] })),
  );

  // Round 1: 24 clients work through the 200 (more than the server admits at once, so some wait
  // in its queue); SIGKILL when the 100th 201 arrives. Clients send nothing more after that. A
  // client told to come back later (503 shed, 429) comes back with the same key, as a real one
  // would: otherwise a server busy enough to shed could answer fewer than 100 × 201 and never die.
  const victim = server;
  let created = 0;
  let killed = false;
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let task = queue.shift(); task && !killed; task = queue.shift()) {
        for (let attempt = await send(url, task, 1); ; attempt = await send(url, task, 1)) {
          task.attempts.push(attempt);
          if (attempt.status === 201 && ++created === tasks.length / 2) {
            killed = true;
            victim.child.kill('SIGKILL');
          }
          if (killed || (attempt.status !== 503 && attempt.status !== 429)) break;
          await new Promise((resolve) => setTimeout(resolve, 100 * Math.min(task.attempts.length, 5)));
        }
      }
    }),
  );
  await victim.stop();
  expect(victim.child.signalCode, 'the first server died of SIGKILL halfway (100 × 201 arrived)').toBe('SIGKILL');
  const roundOne = tasks.flatMap((task) => task.attempts.filter((attempt) => attempt.round === 1).map((attempt) => attempt.status));
  const firstRound = {
    created: roundOne.filter((status) => status === 201).length,
    unanswered: roundOne.filter((status) => status === 'no answer').length,
    unsent: tasks.filter((task) => task.attempts.length === 0).length,
  };
  const otherStatuses = roundOne.filter((status) => status !== 201 && status !== 'no answer');
  // Before the kill, the only other answer allowed is "come back later" (load shedding, breaker).
  expect(otherStatuses.filter((status) => status !== 503 && status !== 429)).toEqual([]);

  // Round 2 and on: a new server on the same database; retry everything without a 201, with its key.
  server = await startServer({ DATA_DIR });
  let rounds = 0;
  for (let pending = tasks.filter((task) => !acknowledged(task)); pending.length > 0 && rounds < 5; pending = tasks.filter((task) => !acknowledged(task))) {
    rounds += 1;
    await Promise.all(pending.map(async (task) => task.attempts.push(await send(server!.url, task, rounds + 1))));
  }
  const afterRestart = tasks.flatMap((task) => task.attempts.filter((attempt) => attempt.round > 1));
  const replayed = tasks.filter((task) => task.attempts.some((attempt) => attempt.replayed));
  expect(tasks.filter((task) => !acknowledged(task)), 'every application is acknowledged after the retries').toEqual([]);
  // A retry never got a 409 (that would mean the key was not honoured) or any other error.
  expect(afterRestart.filter((attempt) => attempt.status !== 201 && attempt.status !== 503 && attempt.status !== 429)).toEqual([]);

  // What the database holds, read by the employer: exactly the acknowledged ids, once each.
  const stored: string[] = [];
  for (const jobId of jobIds) {
    const reply = await call('GET', `/api/jobs/${jobId}/applications`, { baseUrl: server.url, session: employer });
    expect(reply.status).toBe(200);
    stored.push(...(reply.body.applications as Array<{ id: string }>).map((application) => application.id));
  }
  const acknowledgedIds = tasks.map((task) => acknowledged(task)!.id!);
  expect(new Set(stored).size, 'no application is stored twice').toBe(stored.length);
  expect(stored.sort()).toEqual([...acknowledgedIds].sort());
  // Every 201 a task ever got names the same application.
  for (const task of tasks) expect(new Set(task.attempts.filter((attempt) => attempt.status === 201).map((attempt) => attempt.id)).size).toBe(1);

  console.log(
    `kill -9 (${process.env.DATABASE_URL ? 'Postgres' : 'embedded'}): ${tasks.length} applications by ${CLIENTS} clients; before SIGKILL ` +
      `${firstRound.created} × 201, ${firstRound.unanswered} in flight (no answer), ${otherStatuses.length} × 503/429 (retried with the same key), ${firstRound.unsent} not sent yet; ` +
      `after restart ${tasks.length - firstRound.created} sent again in ${rounds} round(s), ${replayed.length} of them had committed before the kill and were replayed; ` +
      `stored ${stored.length}, duplicates ${stored.length - new Set(stored).size}, acknowledged but missing 0`,
  );
});
