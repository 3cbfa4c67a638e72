import 'server-only';
// Idempotency-Key for the two creates a client may retry after losing the answer (a timeout, a
// restart, a dropped connection): POST /api/jobs and POST /api/jobs/{id}/applications.
// The key's record is written in the same transaction as what it created, so the two exist
// together or not at all: a retry finds the record (and gets the stored answer) exactly when the
// first attempt committed. Keys are per user; docs/api.md, "Retrying writes".
import { createHash } from 'node:crypto';
import { isUniqueViolation } from '../db/errors';
import { type Db, prisma } from '../db/client';
import { DomainError } from '../errors';
import { getEnv } from '../env';
import type { ApiRoute } from '../http/api-routes';
import { annotate } from '../telemetry/operation';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** On a replayed answer, so a client (and its logs) can tell. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** How long a key is remembered. A retry after that is a new request. */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/** What the client sent: its key, and what the answer may be replayed for. */
export type IdempotentRequest = { userId: string; key: string; route: string; fingerprint: string };

/**
 * The request's Idempotency-Key, or null without one. A malformed key is the caller's mistake
 * (400), never silently ignored: ignoring it would turn a retry into a duplicate.
 */
export function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return null;
  if (!KEY_SHAPE.test(key)) {
    throw new DomainError('validation_failed', 'The Idempotency-Key header is not valid.', {
      [IDEMPOTENCY_HEADER]: ['must be 1 to 255 visible ASCII characters (a UUID is a good choice)'],
    });
  }
  return key;
}

/** The route, its path parameters and the validated body, hashed: "the same request". */
export function fingerprintOf(route: string, params: unknown, input: unknown): string {
  return createHash('sha256').update(JSON.stringify([route, params, input])).digest('hex');
}

/** The keyed request to pass to createOnce, or null when the client sent no key. */
export function idempotentRequest(request: Request, userId: string, route: ApiRoute, params: unknown, input: unknown): IdempotentRequest | null {
  const key = idempotencyKeyOf(request);
  if (key === null) return null;
  const name = `${route.method} ${route.path}`;
  return { userId, key, route: name, fingerprint: fingerprintOf(name, params, input) };
}

/**
 * Runs `create` (which returns the response body) at most once per user and key. Without a key it
 * simply runs. With one: an earlier answer to the same request is returned as it was; the same
 * key with another request is 422; otherwise `create` runs in a transaction with the key's record.
 */
export async function createOnce<T>(
  request: IdempotentRequest | null,
  create: (db: Db) => Promise<T>,
): Promise<{ body: T; replayed: boolean }> {
  if (!request) return { body: await create(prisma()), replayed: false };
  annotate({ 'app.idempotency.key_sent': true });
  const earlier = await findAnswer(request);
  if (earlier) return replay(request, earlier);
  const { DB_TIMEOUT_MS } = getEnv();
  try {
    const body = await prisma().$transaction(
      async (tx) => {
        const body = await create(tx);
        await tx.idempotencyKey.create({
          data: { userId: request.userId, key: request.key, route: request.route, fingerprint: request.fingerprint, body: body as object },
        });
        return body;
      },
      // Each statement has the database timeout; the whole transaction gets two of them.
      { maxWait: DB_TIMEOUT_MS, timeout: 2 * DB_TIMEOUT_MS },
    );
    sweepExpiredKeysSometimes();
    return { body, replayed: false };
  } catch (error) {
    // A concurrent request with the same key committed first (our insert of the key lost), or
    // the create itself collided with an earlier one (an application is 409 'conflict'): if that
    // one carried this key, replay it.
    if (isUniqueViolation(error) || (error instanceof DomainError && error.code === 'conflict')) {
      const winner = await findAnswer(request);
      if (winner) return replay(request, winner);
    }
    throw error;
  }
}

/**
 * One keyed create in a hundred also deletes the keys past retention (by the createdAt index),
 * so the table stays about a day of keyed creates without a cron job. Best effort: a failed sweep
 * is retried by a later one.
 */
function sweepExpiredKeysSometimes() {
  if (Math.random() >= 0.01) return;
  const cutoff = new Date(Date.now() - KEY_RETENTION_MS);
  prisma()
    .idempotencyKey.deleteMany({ where: { createdAt: { lt: cutoff } } })
    .catch(() => {});
}

async function findAnswer({ userId, key }: IdempotentRequest) {
  const row = await prisma().idempotencyKey.findUnique({ where: { userId_key: { userId, key } } });
  if (!row) return null;
  if (Date.now() - row.createdAt.getTime() <= KEY_RETENTION_MS) return row;
  // Expired: forgotten, and the request is new.
  await prisma().idempotencyKey.deleteMany({ where: { userId, key, createdAt: row.createdAt } });
  return null;
}

function replay<T>(request: IdempotentRequest, earlier: { route: string; fingerprint: string; body: unknown }): { body: T; replayed: true } {
  if (earlier.route !== request.route || earlier.fingerprint !== request.fingerprint) {
    throw new DomainError(
      'idempotency_key_reused',
      `This Idempotency-Key was already used for a different request. Send a new key for a new request; reuse a key only to retry the exact same one.`,
    );
  }
  annotate({ 'app.idempotency.replayed': true });
  return { body: earlier.body as T, replayed: true };
}
