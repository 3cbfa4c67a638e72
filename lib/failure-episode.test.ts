import { afterEach, describe, expect, it, vi } from 'vitest';
import { failureEpisode } from './failure-episode';
import { logger } from './logger';

afterEach(() => vi.restoreAllMocks());

describe('failureEpisode', () => {
  it('warns once when failures start, counts them, and says once that it recovered', () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const info = vi.spyOn(logger, 'info').mockImplementation(() => {});
    const episode = failureEpisode({ failed: { event: 'x_failed', message: 'x is failing' }, recovered: { event: 'x_recovered', message: 'x works again' }, countField: 'dropped' });
    episode.success();
    expect(info).not.toHaveBeenCalled();
    episode.failure({ error: 'boom' }, 3);
    episode.failure({ error: 'boom again' }, 2);
    expect(episode.failing).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({ event: 'x_failed', error: 'boom' }, 'x is failing');
    episode.success({ backend: 'redis' });
    episode.success();
    expect(info).toHaveBeenCalledTimes(1);
    expect(info).toHaveBeenCalledWith({ event: 'x_recovered', dropped: 5, backend: 'redis' }, 'x works again');
    expect(episode.failing).toBe(false);
    episode.failure();
    expect(warn).toHaveBeenCalledTimes(2); // a new episode
  });
});
