import { afterEach, describe, expect, it } from 'vitest';
import { collect, Harness, restingBid } from './sim-harness.ts';

/**
 * The adapter's timing hooks (what bench/tick-to-order.bench.ts measures with) against the
 * simulator over 127.0.0.1: every frame is bracketed once, in order, and an order's bytes are
 * handed to the socket before placeOrder returns when credits allow.
 */
const harness = new Harness();
afterEach(() => harness.close());

describe('the adapter’s wire probe', () => {
  it('brackets every frame and reports every request as its bytes leave', async () => {
    const { venue, url } = await harness.venue({ seed: 4 });
    let received = 0;
    let handled = 0;
    let depth = 0;
    let maxDepth = 0;
    const sent: string[] = [];
    const adapter = harness.adapter(url, {
      probe: {
        frameReceived: () => {
          received += 1;
          depth += 1;
          maxDepth = Math.max(maxDepth, depth);
        },
        frameHandled: () => {
          handled += 1;
          depth -= 1;
        },
        sent: (method) => sent.push(method),
      },
    });
    const { next } = collect(adapter);
    const live = next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
    adapter.start();
    await live;
    await next((e) => e.type === 'TickerUpdated');
    expect(received).toBe(adapter.messages);
    expect(handled).toBe(received);
    expect(maxDepth).toBe(1);
    expect(sent.slice(0, 3)).toEqual(['public/auth', 'private/enable_cancel_on_disconnect', 'public/set_heartbeat']);
    expect(sent).toContain('private/subscribe');

    const option = venue.exchange.instruments('BTC').find((i) => i.kind === 'option')!.instrumentName;
    const before = sent.length;
    adapter.placeOrder({ label: 'p1', instrumentName: option, side: 'buy', price: restingBid(venue, option), amount: 0.1, postOnly: true, reduceOnly: false });
    expect(sent.slice(before)).toEqual(['private/buy']);
  });
});
