import { expect, test } from './support/test';
import { createAccount, signInThroughUi } from './support/accounts';

test('a candidate browses, searches, filters, opens a job, signs in, applies and sees the application', async ({ page, request }) => {
  const candidate = await createAccount(request, 'candidate', 'Playwright Candidate');

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Find your next role' })).toBeVisible();
  await expect(page.getByTestId('job-list').getByRole('article')).toHaveCount(20);

  // Search, then narrow with a filter; the URL carries the query so results can be shared.
  await page.getByLabel('Search').fill('site reliability');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=site\+reliability/);
  const results = page.getByTestId('job-list').getByRole('article');
  await expect(results.first()).toContainText('Site Reliability Engineer');
  await page.getByLabel('Remote').selectOption('true');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/remote=true/);
  await expect(results.first()).toContainText('Remote');

  // Next page keeps the filters.
  const nextPage = page.getByRole('link', { name: 'Next page →' });
  if (await nextPage.isVisible()) {
    await nextPage.click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page).toHaveURL(/q=site\+reliability/);
  }

  await results.first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Site Reliability Engineer');
  const jobTitle = (await page.getByRole('heading', { level: 1 }).textContent())!;
  const jobUrl = page.url();

  await page.getByRole('link', { name: 'Sign in to apply' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await signInThroughUi(page, candidate.email);
  await expect(page).toHaveURL(jobUrl);
  await expect(page.getByTestId('signed-in-as')).toHaveText(candidate.name);

  // Too short first: the form explains, nothing is sent twice.
  await page.getByLabel('Cover letter').fill('Too short.');
  await page.getByLabel('Cover letter').evaluate((el) => el.removeAttribute('minlength'));
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('at least 50 characters').last()).toBeVisible();

  await page.getByLabel('Cover letter').fill('I have kept production systems healthy for eight years and would love to bring that care to your team.');
  await page.getByLabel('Résumé URL').fill('https://cv.example/playwright.pdf');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Application sent.')).toBeVisible();

  await page.getByRole('link', { name: 'See my applications' }).click();
  await expect(page.getByRole('heading', { name: 'My applications' })).toBeVisible();
  const mine = page.getByTestId('my-applications');
  await expect(mine.getByRole('listitem')).toHaveCount(1);
  await expect(mine).toContainText(jobTitle);
  await expect(mine).toContainText('submitted');
});

test('unknown pages and jobs show a friendly 404', async ({ page }) => {
  const response = await page.goto('/jobs/00000000-0000-7000-8000-000000000000');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We could not find that page' })).toBeVisible();
  await page.getByRole('link', { name: 'Browse open jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Find your next role' })).toBeVisible();
});
