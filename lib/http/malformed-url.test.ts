import { describe, expect, it } from 'vitest';
import { hasMalformedPath } from './malformed-url';

describe('hasMalformedPath', () => {
  it.each(['/api/jobs/%E0%A4%A', '/jobs/%', '/api/%FF%FE', '/api/jobs/%ED%A0%80', '/%C0%AF'])('%s does not decode', (url) => expect(hasMalformedPath(url)).toBe(true));
  it.each(['/', '/api/jobs/0195', '/jobs/caf%C3%A9', '/api/jobs?q=%', '/api/jobs?q=%E0%A4%A', '/%2e%2e'])('%s decodes (the query is not its business)', (url) =>
    expect(hasMalformedPath(url)).toBe(false));
});
