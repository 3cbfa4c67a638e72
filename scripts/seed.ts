// `npm run db:seed`: idempotent demo data (README lists the demo accounts).
import { closeDatabase, openDatabase } from '../lib/db/client';
import { prepareDatabase } from '../lib/db/prepare';
import { DEMO_CANDIDATE, DEMO_EMPLOYER, DEMO_PASSWORD } from '../lib/db/seed';

const started = Date.now();
try {
  const db = await openDatabase();
  console.log(`Seeding the ${db.kind === 'pglite' ? 'embedded database' : 'Postgres database'}…`);
  const result = await prepareDatabase({ seed: true });
  const jobs = await db.prisma.job.count();
  const companies = await db.prisma.company.count();
  console.log(`Done in ${Date.now() - started} ms: ${companies} companies, ${jobs} jobs (migrations applied now: ${result.appliedNow.length}).`);
  console.log(`Demo candidate: ${DEMO_CANDIDATE.email} / ${DEMO_PASSWORD}`);
  console.log(`Demo employer:  ${DEMO_EMPLOYER.email} / ${DEMO_PASSWORD}`);
} catch (error) {
  console.error(`Seeding failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
