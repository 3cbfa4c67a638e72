import 'server-only';
import { prisma } from '../db/client';

/** The employer's company, created on first need from the given (or their own) name. */
export async function ensureCompany(owner: { userId: string; name: string }, companyName?: string) {
  return prisma().company.upsert({
    where: { ownerId: owner.userId },
    update: {},
    create: { ownerId: owner.userId, name: companyName?.trim() || owner.name },
  });
}
