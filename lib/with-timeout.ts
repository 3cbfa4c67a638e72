// The one timeout race: `work`, or a rejection naming `what` after `ms`. The timer is cleared
// either way. Note that the work itself goes on; callers that must stop it (a query, a socket)
// say how they do.
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
