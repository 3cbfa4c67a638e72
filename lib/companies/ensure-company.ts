import 'server-only';
import { type Db, prisma } from '../db/client';

/** The employer's company, created on first need from the given (or their own) name. */
export async function ensureCompany(owner: { userId: string; name: string }, companyName?: string, db: Db = prisma()) {
  return db.company.upsert({
    where: { ownerId: owner.userId },
    update: {},
    create: { ownerId: owner.userId, name: companyName?.trim() || owner.name },
  });
}
