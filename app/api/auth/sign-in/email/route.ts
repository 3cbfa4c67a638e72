import { z } from 'zod';
import { readJson } from '@/lib/api/read-json';
import { toErrorResponse } from '@/lib/api/respond';
import { outcomeOfResponse } from '@/lib/api/route';
import { annotateUser, withOperation } from '@/lib/telemetry/operation';
import { auth } from '@/lib/auth/auth';
import { toApiAuthError, withAuthCookies } from '@/lib/auth/auth-response';

const signInSchema = z.strictObject({
  email: z.email().max(254).transform((value) => value.toLowerCase()),
  password: z.string().min(1).max(128),
  rememberMe: z.boolean().optional(),
  callbackURL: z.string().max(2048).optional(),
});

export async function POST(request: Request) {
  try {
    return await withOperation('signIn', () => signIn(request), outcomeOfResponse);
  } catch (error) {
    return toErrorResponse(error, '/api/auth/sign-in/email');
  }
}

async function signIn(request: Request): Promise<Response> {
  const input = await readJson(request, signInSchema);
  const response = await auth.api.signInEmail({
    body: { email: input.email, password: input.password, rememberMe: input.rememberMe },
    headers: request.headers,
    asResponse: true,
  });
  if (!response.ok) return toApiAuthError(response);
  const { user } = (await response.clone().json()) as { user: { id: string; name: string; email: string; role?: string } };
  annotateUser(user.id);
  return withAuthCookies(response, { user: { id: user.id, name: user.name, email: user.email, role: user.role } });
}
