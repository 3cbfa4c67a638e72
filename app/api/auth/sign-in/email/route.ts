import { z } from 'zod';
import { readJson } from '@/lib/api/read-json';
import { operationRoute } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { auth } from '@/lib/auth/auth';
import { signedInUser, toApiAuthError, withAuthCookies } from '@/lib/api/auth-response';

const signInSchema = z.strictObject({
  email: z.email().max(254).transform((value) => value.toLowerCase()),
  password: z.string().min(1).max(128),
  rememberMe: z.boolean().optional(),
  callbackURL: z.string().max(2048).optional(),
});

export const POST = operationRoute(declaredRoute('POST', '/api/auth/sign-in/email'), async (request) => {
  const input = await readJson(request, signInSchema);
  const response = await auth().api.signInEmail({
    body: { email: input.email, password: input.password, rememberMe: input.rememberMe },
    headers: request.headers,
    asResponse: true,
  });
  if (!response.ok) return toApiAuthError(response);
  const user = await signedInUser(response);
  return withAuthCookies(response, { user: { id: user.id, name: user.name, email: user.email, role: user.role } });
});
