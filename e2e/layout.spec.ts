import { expect, test } from './support/test';

test('the board is usable at this viewport: no horizontal scrolling, search and jobs visible', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByLabel('Search')).toBeVisible();
  await expect(page.getByTestId('job-list').getByRole('article').first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath('board.png'), fullPage: false });
});
