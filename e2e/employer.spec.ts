import { expect, test } from './support/test';
import { createAccount, PASSWORD, signInThroughUi, uniqueEmail } from './support/accounts';

test('an employer signs up, posts a job, sees it listed, and then sees a candidate’s application', async ({ page, request, browser }) => {
  const company = `E2E Widgets ${Date.now()}`;
  const title = `Widget Engineer ${Date.now()}`;

  await page.goto('/sign-up');
  await page.getByLabel('Hiring').check();
  await page.getByLabel('Your name').fill('Playwright Employer');
  await page.getByLabel('Company name').fill(company);
  await page.getByLabel('Email').fill(uniqueEmail('employer'));
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Your jobs' })).toBeVisible();
  await expect(page.getByText('You have not posted a job yet.')).toBeVisible();

  await page.getByRole('link', { name: 'Post a job' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Design, build and operate the widget pipeline with a small and friendly team.');
  await page.getByLabel('Location').fill('Lisbon, Portugal');
  await page.getByLabel('Employment type').selectOption('contract');
  await page.getByLabel('Remote-friendly').check();
  await page.getByLabel('Salary from').fill('60000');
  await page.getByLabel('Salary to').fill('80000');
  await page.getByLabel('Currency').fill('EUR');
  await page.getByLabel('Tags').fill('Widgets, TypeScript');
  await page.getByRole('button', { name: 'Post job' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText('No applications yet.')).toBeVisible();
  const manageUrl = page.url();

  await page.getByRole('link', { name: '← Your jobs' }).click();
  await expect(page.getByTestId('employer-jobs')).toContainText(title);

  // The job is on the public board.
  await page.goto(`/?q=${encodeURIComponent(title)}`);
  await expect(page.getByTestId('job-list').getByRole('article')).toHaveCount(1);
  await expect(page.getByTestId('job-list')).toContainText(company);

  // A candidate applies in their own browser context.
  const candidate = await createAccount(request, 'candidate', 'Applicant Person');
  const candidateContext = await browser.newContext();
  const candidatePage = await candidateContext.newPage();
  await candidatePage.goto('/sign-in');
  await signInThroughUi(candidatePage, candidate.email);
  await expect(candidatePage.getByTestId('signed-in-as')).toHaveText(candidate.name);
  await candidatePage.goto(`/?q=${encodeURIComponent(title)}`);
  await candidatePage.getByRole('link', { name: title }).click();
  await candidatePage.getByLabel('Cover letter').fill('Widgets are my passion; I have shipped three widget pipelines to production.');
  await candidatePage.getByRole('button', { name: 'Apply' }).click();
  await expect(candidatePage.getByText('Application sent.')).toBeVisible();
  await candidateContext.close();

  await page.goto(manageUrl);
  const applicants = page.getByTestId('job-applicants');
  await expect(applicants.getByRole('listitem')).toHaveCount(1);
  await expect(applicants).toContainText('Applicant Person');
  await expect(applicants).toContainText('Widgets are my passion');

  // Close the job: it leaves the board.
  await page.getByRole('button', { name: 'Close job' }).click();
  await expect(page.getByText('Status: closed')).toBeVisible();
  await page.goto(`/?q=${encodeURIComponent(title)}`);
  await expect(page.getByText('No jobs match these filters.')).toBeVisible();
});
