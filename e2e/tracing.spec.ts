import { expect, test } from './support/test';
import { createAccount, signInThroughUi } from './support/accounts';

type Span = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; service: string; attributes: Record<string, unknown> };
const receiver = `http://127.0.0.1:${process.env.E2E_OTLP_PORT ?? 3219}`;

test('clicking Apply gives one trace from the browser click through the server to the database', async ({ page, request }) => {
  const candidate = await createAccount(request, 'candidate', 'Traced Candidate');
  await page.goto('/sign-in');
  await signInThroughUi(page, candidate.email);
  await expect(page.getByTestId('signed-in-as')).toHaveText(candidate.name);

  await page.goto('/?q=platform');
  await page.getByTestId('job-list').getByRole('article').first().getByRole('link').first().click();
  await page.getByLabel('Cover letter').fill('Tracing every click to the query is exactly the kind of work I enjoy doing well.');
  const applied = page.waitForResponse((response) => response.url().includes('/applications') && response.request().method() === 'POST');
  await page.getByRole('button', { name: 'Apply' }).click();
  const response = await applied;
  expect(response.status()).toBe(201);
  const traceId = response.headers()['x-trace-id']!;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);

  let spans: Span[] = [];
  await expect
    .poll(
      async () => {
        spans = await (await request.get(`${receiver}/spans?traceId=${traceId}`)).json();
        const click = spans.find((span) => span.name === 'apply.click');
        const fetched = click && spans.some((span) => span.service === 'jobboard-web' && span.parentSpanId === click.spanId);
        return fetched && ['createApplication', 'prisma:client:db_query'].every((name) => spans.some((span) => span.name === name));
      },
      { timeout: 20_000, intervals: [500] },
    )
    .toBe(true)
    .catch((error: Error) => {
      throw new Error(`${error.message}\nspans: ${JSON.stringify(spans.map(({ name, service, spanId, parentSpanId }) => ({ name, service, spanId, parentSpanId })))}`);
    });

  const click = spans.find((span) => span.name === 'apply.click')!;
  expect(click.service).toBe('jobboard-web');
  const fetchSpan = spans.find((span) => span.service === 'jobboard-web' && span.parentSpanId === click.spanId)!;
  expect(fetchSpan, 'the fetch started by the click').toBeDefined();
  // The outermost server-side span: ours, whose parent lives in the browser.
  const serverIds = new Set(spans.filter((span) => span.service === 'jobboard').map((span) => span.spanId));
  const server = spans.find((span) => span.service === 'jobboard' && span.kind === 2 && !serverIds.has(span.parentSpanId ?? ''))!;
  expect(server.name).toBe('POST /api/jobs/[id]/applications');
  expect(server.parentSpanId, 'the server continues the browser fetch').toBe(fetchSpan.spanId);
  const operation = spans.find((span) => span.name === 'createApplication')!;
  expect(operation.attributes['app.outcome']).toBe('created');
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const query = spans.find((span) => span.name === 'prisma:client:db_query')!;
  const ancestry: string[] = [];
  for (let at: Span | undefined = query; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) ancestry.push(at.name);
  expect(ancestry.at(-1)).toBe('apply.click');
  expect(ancestry).toContain('createApplication');
});
