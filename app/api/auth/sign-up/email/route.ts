import { z } from 'zod';
import { readJson } from '@/lib/api/read-json';
import { operationRoute } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { auth } from '@/lib/auth/auth';
import { signedInUser, toApiAuthError, withAuthCookies } from '@/lib/api/auth-response';
import { ensureCompany } from '@/lib/companies/ensure-company';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/password-length';
import { passwordProblem } from '@/lib/auth/password-policy';

const signUpSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    email: z.email().max(254).transform((value) => value.toLowerCase()),
    password: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
    role: z.enum(['candidate', 'employer']).default('candidate'),
    companyName: z.string().trim().min(1).max(120).optional(),
    callbackURL: z.string().max(2048).optional(),
  })
  // Scored only once the shape is valid: the guessability check is the one costly step.
  .superRefine(({ password, email, name }, ctx) => {
    const problem = passwordProblem(password, [email, name]);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

export const POST = operationRoute(declaredRoute('POST', '/api/auth/sign-up/email'), async (request) => {
  const input = await readJson(request, signUpSchema);
  const response = await auth().api.signUpEmail({
    body: { name: input.name, email: input.email, password: input.password, role: input.role },
    headers: request.headers,
    asResponse: true,
  });
  if (!response.ok) return toApiAuthError(response);
  const user = await signedInUser(response);
  if (input.role === 'employer') await ensureCompany({ userId: user.id, name: user.name }, input.companyName);
  return withAuthCookies(response, { user: { id: user.id, name: user.name, email: user.email, role: input.role } });
});
