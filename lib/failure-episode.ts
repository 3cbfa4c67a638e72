// "Log once per failure episode": the first failure after a success is a warning, the first
// success after failures an info line with how many failed in between; the failures between them
// are counted, not logged. A dependency that is down for an hour writes two lines, not thousands.
import { logger } from './logger';

type Line = { event: string; message: string };

export function failureEpisode({ failed, recovered, countField = 'failures' }: { failed: Line; recovered: Line; countField?: string }) {
  let failures = 0;
  return {
    /** `count`: how many things this failure lost (e.g. spans in a dropped batch). */
    failure(fields: Record<string, unknown> = {}, count = 1) {
      if (failures === 0) logger.warn({ event: failed.event, ...fields }, failed.message);
      failures += count;
    },
    success(fields: Record<string, unknown> = {}) {
      if (failures === 0) return;
      logger.info({ event: recovered.event, [countField]: failures, ...fields }, recovered.message);
      failures = 0;
    },
    get failing() {
      return failures > 0;
    },
  };
}

export type FailureEpisode = ReturnType<typeof failureEpisode>;
