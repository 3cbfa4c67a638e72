// The `test` every spec uses: Playwright's, plus a watch on each page for what a strict Content
// Security Policy or a broken page shows only in the browser. A test fails if any page it opened
// reported a `securitypolicyviolation`, threw an uncaught error, or logged a console error (other
// than Chromium's line for a 4xx the test provoked on purpose, which the UI then shows).
import { expect, test as base } from '@playwright/test';

type BrowserProblem = { kind: 'csp' | 'pageerror' | 'console'; detail: string; url: string };
const PROVOKED_4XX = /^Failed to load resource: the server responded with a status of 4\d\d/;

export const test = base.extend<{ browserProblems: BrowserProblem[] }>({
  browserProblems: [
    async ({ page }, use) => {
      const problems: BrowserProblem[] = [];
      await page.exposeBinding('__reportCspViolation', ({ frame }, detail: string) => {
        problems.push({ kind: 'csp', detail, url: frame.url() });
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          const report = (window as unknown as { __reportCspViolation: (detail: string) => void }).__reportCspViolation;
          report(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
        });
      });
      page.on('pageerror', (error) => problems.push({ kind: 'pageerror', detail: error.message, url: page.url() }));
      page.on('console', (message) => {
        if (message.type() === 'error' && !PROVOKED_4XX.test(message.text())) problems.push({ kind: 'console', detail: message.text(), url: page.url() });
      });
      await use(problems);
      expect(problems, 'CSP violations, uncaught errors and console errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
