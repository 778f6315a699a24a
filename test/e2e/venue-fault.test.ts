import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIALS } from '../../core/sim/defaults.ts';
import { scaledClock, SimVenue } from '../../core/sim/venue.ts';
import type { Workstation } from '../support/web-mode.ts';
import { openWorkstation } from '../support/web-mode.ts';

/**
 * A venue outage in the UI: web mode connects (as to a real Deribit endpoint, --venue-url) to a
 * simulator in this process through a loopback TCP relay the test can cut. While the venue is
 * unreachable the chain says STALE and greys its prices; when it comes back, the engine
 * reconnects by itself and the banner goes.
 *
 * Why a relay and not the simulator's fault endpoint: web mode's embedded simulator does not
 * expose its admin token, and its faults end by dropping the connection, after which the engine
 * reconnects within a quarter of a second (too short a window to assert on without racing). The
 * relay keeps the venue unreachable for as long as the test needs; the in-process simulator's
 * own faults (venue.faults.apply) are used for the hang that starts the outage.
 */

let venue: SimVenue;
let relay: Server;
let workstation: Workstation;
let page: Page;
let cut = false;
const sockets = new Set<Socket>();

function startRelay(target: number): Promise<number> {
  relay = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close).pipe(upstream);
    upstream.on('error', close).on('close', close).pipe(client);
  });
  return new Promise((resolve) => relay.listen(0, '127.0.0.1', () => resolve((relay.address() as { port: number }).port)));
}

beforeAll(async () => {
  venue = new SimVenue({ seed: 7, clock: scaledClock(Date.now(), 1, () => Date.now()), currencies: ['BTC'] });
  const port = await venue.listen(0);
  venue.run();
  const relayPort = await startRelay(port);
  process.env.DERIBIT_CLIENT_ID = DEFAULT_CREDENTIALS.clientId;
  process.env.DERIBIT_CLIENT_SECRET = DEFAULT_CREDENTIALS.clientSecret;
  workstation = await openWorkstation({ args: ['--venue-url', `ws://127.0.0.1:${relayPort}/ws/api/v2`, '--venue-currencies', 'BTC'], viewport: { width: 1280, height: 800 } });
  page = workstation.page;
});

afterAll(async () => {
  await workstation?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((done) => (relay ? relay.close(() => done()) : done()));
  await venue?.close();
});

const grid = () => page.getByTestId('chain-grid');

describe('a venue outage in the UI', () => {
  it('shows live prices, then STALE while the venue is unreachable, and recovers when it is back', async () => {
    await grid().locator('.ag-row.chain-atm .ag-cell[col-id="call.mark"]').filter({ hasText: /^\d+\.\d{4}$/ }).first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('chain-stale').count(), { timeout: 15_000 }).toBe(0);

    // The venue goes silent (its fault), and stays unreachable (the relay refuses reconnections).
    cut = true;
    venue.faults.apply({ type: 'hangConnection', target: { all: true }, durationMs: 60_000, onEnd: 'drop' });
    const stale = page.getByTestId('chain-stale').filter({ hasText: /STALE · .*(reconnecting|disconnected|connecting|failed)/ });
    await stale.waitFor({ timeout: 15_000 });
    expect(await grid().getAttribute('class')).toContain('chain-grid-stale');
    await page.getByTestId('smile-stale').filter({ hasText: /STALE/ }).waitFor({ timeout: 5000 });

    cut = false;
    for (const socket of sockets) socket.destroy();
    await expect.poll(() => page.getByTestId('chain-stale').count(), { timeout: 30_000 }).toBe(0);
    expect(await grid().getAttribute('class')).not.toContain('chain-grid-stale');
  });
});
