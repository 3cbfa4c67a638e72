// better-auth's own routes (sign-out, get-session, …); sign-in and sign-up have routes of ours.
import { toNextJsHandler } from 'better-auth/next-js';
import { auth } from '@/lib/auth/auth';
import { asApiJson } from '@/lib/http/json-response';

const handlers = toNextJsHandler(auth);

export const GET = async (request: Request) => asApiJson(await handlers.GET(request));
export const POST = async (request: Request) => asApiJson(await handlers.POST(request));
