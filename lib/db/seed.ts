// Demo data: 24 companies, 240 jobs, a demo employer and a demo candidate (README has the
// credentials). Deterministic ids make it idempotent: running it twice changes nothing.
import type { AppPrisma } from './client';
import type { EmploymentType } from './generated/enums';

export const DEMO_PASSWORD = 'jobboard-demo-2026';
export const DEMO_CANDIDATE = { id: 'seed-user-candidate', email: 'candidate@demo.jobboard.test', name: 'Casey Candidate' };
export const DEMO_EMPLOYER = { id: 'seed-user-employer', email: 'employer@demo.jobboard.test', name: 'Erin Employer' };

const COMPANIES = [
  ['Northwind Labs', 'https://northwind.example'],
  ['Blue Harbor Analytics', 'https://blueharbor.example'],
  ['Cedar & Pine Software', 'https://cedarpine.example'],
  ['Lumen Health', 'https://lumenhealth.example'],
  ['Quarry Robotics', 'https://quarry.example'],
  ['Atlas Freight', 'https://atlasfreight.example'],
  ['Brightline Energy', 'https://brightline.example'],
  ['Kestrel Security', 'https://kestrel.example'],
  ['Orchard Payments', 'https://orchardpay.example'],
  ['Tidewater Media', 'https://tidewater.example'],
  ['Fieldnote Education', 'https://fieldnote.example'],
  ['Summit Biotech', 'https://summitbio.example'],
  ['Copperleaf Games', 'https://copperleaf.example'],
  ['Meridian Travel', 'https://meridian.example'],
  ['Granite Cloud', 'https://granitecloud.example'],
  ['Willow Retail', 'https://willow.example'],
  ['Halcyon Insurance', 'https://halcyon.example'],
  ['Foundry Data', 'https://foundrydata.example'],
  ['Nimbus Mobility', 'https://nimbus.example'],
  ['Saltmarsh Studios', 'https://saltmarsh.example'],
  ['Evergreen Civic Tech', 'https://evergreen.example'],
  ['Parallax Devices', 'https://parallax.example'],
  ['Riverbend Logistics', 'https://riverbend.example'],
  ['Juniper Finance', 'https://juniperfin.example'],
] as const;

const ROLES: { title: string; tags: string[]; band: [number, number] }[] = [
  { title: 'Senior Backend Engineer', tags: ['node', 'postgres', 'typescript'], band: [140_000, 185_000] },
  { title: 'Frontend Engineer', tags: ['react', 'typescript', 'css'], band: [110_000, 150_000] },
  { title: 'Full-Stack Developer', tags: ['react', 'node', 'nextjs'], band: [115_000, 160_000] },
  { title: 'Site Reliability Engineer', tags: ['kubernetes', 'observability', 'linux'], band: [135_000, 180_000] },
  { title: 'Data Engineer', tags: ['python', 'sql', 'spark'], band: [125_000, 170_000] },
  { title: 'Machine Learning Engineer', tags: ['python', 'pytorch', 'mlops'], band: [150_000, 210_000] },
  { title: 'Product Designer', tags: ['figma', 'design-systems', 'research'], band: [100_000, 145_000] },
  { title: 'Engineering Manager', tags: ['leadership', 'hiring', 'agile'], band: [170_000, 220_000] },
  { title: 'Mobile Engineer (iOS)', tags: ['swift', 'ios', 'mobile'], band: [125_000, 170_000] },
  { title: 'Security Engineer', tags: ['security', 'cloud', 'incident-response'], band: [140_000, 190_000] },
  { title: 'Technical Writer', tags: ['documentation', 'api', 'writing'], band: [80_000, 115_000] },
  { title: 'QA Automation Engineer', tags: ['playwright', 'testing', 'ci'], band: [95_000, 130_000] },
  { title: 'Platform Engineer', tags: ['go', 'terraform', 'aws'], band: [140_000, 185_000] },
  { title: 'Customer Support Engineer', tags: ['support', 'sql', 'communication'], band: [65_000, 90_000] },
  { title: 'Software Engineering Intern', tags: ['internship', 'typescript', 'learning'], band: [30_000, 45_000] },
];

const LOCATIONS = ['Berlin, Germany', 'London, UK', 'New York, NY', 'San Francisco, CA', 'Toronto, Canada', 'Amsterdam, Netherlands', 'Austin, TX', 'Lisbon, Portugal', 'Remote (EU)', 'Remote (US)', 'Singapore', 'Sydney, Australia'];
const CURRENCY_BY_LOCATION: Record<string, string> = {
  'Berlin, Germany': 'EUR', 'Amsterdam, Netherlands': 'EUR', 'Lisbon, Portugal': 'EUR', 'Remote (EU)': 'EUR',
  'London, UK': 'GBP', 'Toronto, Canada': 'CAD', 'Singapore': 'SGD', 'Sydney, Australia': 'AUD',
};

export const SEED_JOB_COUNT = 240;
const DAY_MS = 86_400_000;
// Fixed so that re-seeding is idempotent and the newest seeded job sorts deterministically.
const SEED_EPOCH = Date.UTC(2026, 10, 1);

/** Deterministic id in UUID form, so seeded rows keep their ids across runs. */
function seedUuid(kind: number, index: number): string {
  const hex = (kind * 1_000_000 + index).toString(16).padStart(12, '0');
  return `00000000-5eed-7000-8000-${hex}`;
}

function employmentTypeFor(title: string, index: number): EmploymentType {
  if (title.includes('Intern')) return 'internship';
  if (index % 11 === 0) return 'contract';
  if (index % 17 === 0) return 'part_time';
  return 'full_time';
}

function describeJob(title: string, company: string, tags: string[], remote: boolean): string {
  return [
    `${company} is hiring a ${title} to help us build products our customers rely on every day.`,
    `You will work in a small, senior team, own features end to end, and ship to production several times a week.`,
    `What you bring: solid experience with ${tags.join(', ')}; care for reliability, testing and clear writing; curiosity about the people who use what you build.`,
    `What we offer: a calm pace, a learning budget, ${remote ? 'fully remote work with a yearly team week' : 'a bright office with flexible hours'}, and a transparent salary band.`,
  ].join('\n\n');
}

export function seedJobs() {
  return Array.from({ length: SEED_JOB_COUNT }, (_, index) => {
    const role = ROLES[(index * 7) % ROLES.length]!;
    const companyIndex = index % COMPANIES.length;
    const company = COMPANIES[companyIndex]![0];
    const location = LOCATIONS[(index * 5) % LOCATIONS.length]!;
    const remote = location.startsWith('Remote') || index % 4 === 0;
    const currency = CURRENCY_BY_LOCATION[location] ?? 'USD';
    const createdAt = new Date(SEED_EPOCH - index * (DAY_MS / 4) - (index % 7) * 60_000);
    return {
      id: seedUuid(2, index + 1),
      companyId: seedUuid(1, companyIndex + 1),
      title: role.title,
      description: describeJob(role.title, company, role.tags, remote),
      location,
      remote,
      employmentType: employmentTypeFor(role.title, index),
      salaryMin: role.band[0],
      salaryMax: role.band[1],
      currency,
      tags: role.tags,
      status: 'open' as const,
      createdAt,
      updatedAt: createdAt,
    };
  });
}

async function upsertUserWithPassword(
  prisma: AppPrisma,
  user: { id: string; email: string; name: string },
  role: 'candidate' | 'employer',
  passwordHash: string | null,
) {
  await prisma.user.upsert({
    where: { id: user.id },
    update: {},
    create: { ...user, role, emailVerified: true },
  });
  if (passwordHash) {
    await prisma.account.upsert({
      where: { id: `${user.id}-credential` },
      update: {},
      create: { id: `${user.id}-credential`, accountId: user.id, providerId: 'credential', userId: user.id, password: passwordHash },
    });
  }
}

export type SeedResult = { companies: number; jobs: number; createdJobs: number };

export async function seedDatabase(prisma: AppPrisma): Promise<SeedResult> {
  // Imported here, not at the top: the server bundles this module for SEED=1, and every start paid
  // for loading better-auth/crypto (~3 ms) whether it seeded or not.
  const { hashPassword } = await import('better-auth/crypto');
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await upsertUserWithPassword(prisma, DEMO_CANDIDATE, 'candidate', passwordHash);
  await upsertUserWithPassword(prisma, DEMO_EMPLOYER, 'employer', passwordHash);
  for (const [index, [name, website]] of COMPANIES.entries()) {
    // The demo employer owns the first company; the others belong to seed-only owners who cannot sign in.
    const ownerId = index === 0 ? DEMO_EMPLOYER.id : `seed-user-owner-${index + 1}`;
    if (index > 0) {
      await upsertUserWithPassword(
        prisma,
        { id: ownerId, email: `owner-${index + 1}@demo.jobboard.test`, name: `${name} Hiring` },
        'employer',
        null,
      );
    }
    await prisma.company.upsert({
      where: { id: seedUuid(1, index + 1) },
      update: {},
      create: { id: seedUuid(1, index + 1), name, website, ownerId },
    });
  }
  const { count } = await prisma.job.createMany({ data: seedJobs(), skipDuplicates: true });
  return { companies: COMPANIES.length, jobs: SEED_JOB_COUNT, createdJobs: count };
}
