import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CoalescingResponse } from './coalescing-response';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves one response with `handle`, counting the writes that reach the socket. */
async function serve(ServerResponse: typeof http.ServerResponse, handle: (res: http.ServerResponse) => void) {
  let socketWrites = 0;
  server = http.createServer({ ServerResponse }, (_req, res) => {
    const socket = res.socket as unknown as { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
    for (const method of ['_write', '_writev'] as const) {
      const original = socket[method].bind(socket);
      socket[method] = (...args: unknown[]) => {
        socketWrites++;
        original(...args);
      };
    }
    handle(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, socketWrites: () => socketWrites };
}

const flushThenBody = (res: http.ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.flushHeaders(); // what Next does right before it writes a body's first chunk
  res.write('{"ok":');
  res.end('true}');
};

describe('CoalescingResponse', () => {
  it('sends flushed headers, the body and its end in one socket write (a plain response takes two)', async () => {
    const coalesced = await serve(CoalescingResponse, flushThenBody);
    const response = await fetch(`http://127.0.0.1:${coalesced.port}/`);
    expect(await response.json()).toEqual({ ok: true });
    expect(coalesced.socketWrites()).toBe(1);
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const plain = await serve(http.ServerResponse, flushThenBody);
    await (await fetch(`http://127.0.0.1:${plain.port}/`)).text();
    server = undefined;
    expect(plain.socketWrites()).toBe(2);
  });

  it('still sends the headers at once when the body comes later (a streamed page)', async () => {
    let end: (() => void) | undefined;
    const { port } = await serve(CoalescingResponse, (res) => {
      res.flushHeaders();
      end = () => res.end('later');
    });
    const response = await fetch(`http://127.0.0.1:${port}/`); // resolves on the headers
    expect(response.status).toBe(200);
    end!();
    expect(await response.text()).toBe('later');
  });
});
