import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';

export const PASSWORD = 'correct horse battery';
export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@e2e.jobboard.test`;

/** Creates an account through the API (fast); the browser then signs in through the UI. */
export async function createAccount(request: APIRequestContext, role: 'candidate' | 'employer', name: string) {
  const email = uniqueEmail(role);
  const response = await request.post('/api/auth/sign-up/email', { data: { name, email, password: PASSWORD, role } });
  if (!response.ok()) throw new Error(`sign-up failed: ${response.status()} ${await response.text()}`);
  return { email, name };
}

export async function signInThroughUi(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
