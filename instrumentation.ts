// Runs once per server process before the first request (in `next dev` and in our own server).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startup } = await import('./lib/lifecycle/startup');
  await startup();
}
