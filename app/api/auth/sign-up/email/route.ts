import { z } from 'zod';
import { readJson } from '@/lib/api/read-json';
import { operationRoute } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { auth } from '@/lib/auth/auth';
import { signedInUser, toApiAuthError, withAuthCookies } from '@/lib/api/auth-response';
import { ensureCompany } from '@/lib/companies/ensure-company';

const signUpSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254).transform((value) => value.toLowerCase()),
  password: z.string().min(8, 'at least 8 characters').max(128),
  role: z.enum(['candidate', 'employer']).default('candidate'),
  companyName: z.string().trim().min(1).max(120).optional(),
  callbackURL: z.string().max(2048).optional(),
});

export const POST = operationRoute(declaredRoute('POST', '/api/auth/sign-up/email'), async (request) => {
  const input = await readJson(request, signUpSchema);
  const response = await auth.api.signUpEmail({
    body: { name: input.name, email: input.email, password: input.password, role: input.role },
    headers: request.headers,
    asResponse: true,
  });
  if (!response.ok) return toApiAuthError(response);
  const user = await signedInUser(response);
  if (input.role === 'employer') await ensureCompany({ userId: user.id, name: user.name }, input.companyName);
  return withAuthCookies(response, { user: { id: user.id, name: user.name, email: user.email, role: input.role } });
});
