/* eslint-disable @typescript-eslint/no-explicit-any -- documented JSON fixtures are untyped */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMmpConfig } from '../mmp-config.ts';
import type { MmpConfig } from '../venue-adapter.ts';
import { mmpConfigParams, parseMmpConfigs, parseMmpStatuses, parseMmpTrigger, sameMmpConfig } from './parse-mmp.ts';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../../test/fixtures/deribit/${name}`, import.meta.url), 'utf8'));

describe('Deribit MMP on the wire', () => {
  it('sends the documented set_mmp_config params, only the limits that are set', () => {
    const documented = fixture('private.set_mmp_config.json').variants[0].request.params;
    const config: MmpConfig = { indexName: 'btc_usd', intervalSec: 3, frozenTimeSec: 30, quantityLimitCoin: 5, deltaLimitCoin: 15, maxQuoteQuantityCoin: 2 };
    expect(mmpConfigParams(config)).toEqual(documented);
    expect(mmpConfigParams({ indexName: 'eth_usd', intervalSec: 1, frozenTimeSec: 0, vegaLimitUsd: 500 })).toEqual({ index_name: 'eth_usd', interval: 1, frozen_time: 0, vega_limit: 500 });
  });

  it('sends a mass-quote group’s configuration with its mmp_group', () => {
    expect(mmpConfigParams({ indexName: 'btc_usd', mmpGroup: 'MassQuoteBot7', intervalSec: 60, frozenTimeSec: 0, quantityLimitCoin: 3, maxQuoteQuantityCoin: 2.5 })).toEqual(fixture('private.set_mmp_config.json').request.params);
  });

  it('reads configurations, mass-quote groups with their mmp_group', () => {
    const groups = parseMmpConfigs(fixture('private.get_mmp_config.json').response.result);
    expect(groups).toEqual({ ok: true, value: [{ indexName: 'btc_usd', mmpGroup: 'MassQuoteBot7', intervalSec: 60, frozenTimeSec: 0, quantityLimitCoin: 0.5, deltaLimitCoin: 0.3, vegaLimitUsd: 0.1, maxQuoteQuantityCoin: 0.4 }] });
    const orders = parseMmpConfigs([{ index_name: 'btc_usd', interval: 60, frozen_time: 0, quantity_limit: 0.5, delta_limit: 0.3, vega_limit: 0.1 }]);
    expect(orders).toEqual({ ok: true, value: [{ indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 0, quantityLimitCoin: 0.5, deltaLimitCoin: 0.3, vegaLimitUsd: 0.1 }] });
    // set_mmp_config echoes one object.
    expect(parseMmpConfigs({ index_name: 'btc_usd', interval: 60, frozen_time: 0, quantity_limit: 3 })).toMatchObject({ ok: true, value: [{ quantityLimitCoin: 3 }] });
    expect(parseMmpConfigs([{ index_name: 'btc_usd', interval: -1, frozen_time: 0 }])).toMatchObject({ ok: false });
  });

  it('reads trigger notifications: frozen_until 0 is until a reset, a group’s trigger names its group, Block RFQ’s is not ours', () => {
    const [timed, group] = fixture('channel.user.mmp_trigger.json').notifications.map((n: any) => n.params.data);
    expect(parseMmpTrigger(timed)).toEqual({ ok: true, freeze: { indexName: 'btc_usd', frozenUntilMs: 1768478525000 } });
    expect(parseMmpTrigger(group)).toEqual({ ok: true, freeze: { indexName: 'btc_usd', mmpGroup: 'MassQuoteBot7', frozenUntilMs: Number.POSITIVE_INFINITY } });
    expect(parseMmpTrigger({ index_name: 'btc_usd', frozen_until: 0 })).toEqual({ ok: true, freeze: { indexName: 'btc_usd', frozenUntilMs: Number.POSITIVE_INFINITY } });
    expect(parseMmpTrigger({ index_name: 'btc_usd', frozen_until: 0, block_rfq: true })).toEqual({ ok: true, freeze: undefined });
    expect(parseMmpTrigger({ frozen_until: 'soon' })).toMatchObject({ ok: false });
  });

  it('reads get_mmp_status', () => {
    expect(parseMmpStatuses([{ index_name: 'btc_usd', frozen_until: 1744275841861 }, { index_name: 'eth_usd', frozen_until: 0 }, { index_name: 'btc_usd', frozen_until: 5, mmp_group: 'MassQuoteBot7' }])).toEqual({
      ok: true,
      value: [
        { indexName: 'btc_usd', frozenUntilMs: 1744275841861 },
        { indexName: 'eth_usd', frozenUntilMs: Number.POSITIVE_INFINITY },
        { indexName: 'btc_usd', mmpGroup: 'MassQuoteBot7', frozenUntilMs: 5 },
      ],
    });
    expect(parseMmpStatuses({})).toMatchObject({ ok: false });
  });

  it('a configuration round-trips through the wire and compares equal to itself (seeded)', () => {
    const limit = fc.option(fc.double({ min: 0, max: 1000, noNaN: true }), { nil: undefined });
    const configs = fc.record({ intervalSec: fc.integer({ min: 1, max: 3600 }), frozenTimeSec: fc.integer({ min: 0, max: 3600 }), quantityLimitCoin: limit, deltaLimitCoin: limit, vegaLimitUsd: limit });
    fc.assert(
      fc.property(configs, (raw) => {
        const config = Object.fromEntries(Object.entries({ indexName: 'btc_usd', ...raw }).filter(([, v]) => v !== undefined)) as unknown as MmpConfig;
        const echoed = parseMmpConfigs(mmpConfigParams(config));
        expect(echoed.ok && echoed.value.length === 1 && sameMmpConfig(config, echoed.value[0]!)).toBe(true);
        expect(sameMmpConfig(config, { ...config, frozenTimeSec: config.frozenTimeSec + 1 })).toBe(false);
      }),
      { seed: 20_260_115, numRuns: 200 },
    );
  });
});

describe('the MMP configuration edge check', () => {
  it('accepts a configuration with a positive limit, or a removal', () => {
    expect(parseMmpConfig({ indexName: 'btc_usd', intervalSec: 1, frozenTimeSec: 0, quantityLimitCoin: 0.2 })).toMatchObject({ ok: true });
    expect(parseMmpConfig({ indexName: 'btc_usd', intervalSec: 0, frozenTimeSec: 0 })).toMatchObject({ ok: true });
  });

  it('refuses what the venue would, with a reason', () => {
    expect(parseMmpConfig({ indexName: 'btc_usd', intervalSec: 1, frozenTimeSec: 0 })).toMatchObject({ ok: false, reason: expect.stringContaining('at least one') });
    expect(parseMmpConfig({ indexName: 'BTC', intervalSec: 1, frozenTimeSec: 0, quantityLimitCoin: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('indexName') });
    expect(parseMmpConfig({ indexName: 'btc_usd', intervalSec: 1.5, frozenTimeSec: 0, quantityLimitCoin: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('intervalSec') });
    expect(parseMmpConfig({ indexName: 'btc_usd', intervalSec: 1, frozenTimeSec: 0, quantityLimitCoin: -1 })).toMatchObject({ ok: false });
    expect(parseMmpConfig({ indexName: 'btc_usd', intervalSec: 1, frozenTimeSec: 0, quantityLimitCoin: Number.NaN })).toMatchObject({ ok: false });
    expect(parseMmpConfig({ indexName: 'btc_usd', intervalSec: 1, frozenTimeSec: 0, quantityLimitCoin: 1, extra: true })).toMatchObject({ ok: false });
  });
});
