// better-auth's own routes (sign-out, get-session, …); sign-in and sign-up have routes of ours.
import { auth } from '@/lib/auth/auth';
import { asApiJson } from '@/lib/http/json-response';

// What better-auth's toNextJsHandler does, with the instance created on the first request.
export const GET = async (request: Request) => asApiJson(await auth().handler(request));
export const POST = async (request: Request) => asApiJson(await auth().handler(request));
