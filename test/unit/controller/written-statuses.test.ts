import { describe, expect, it } from 'vitest';
import { WrittenStatuses } from '../../../src/controller/written-statuses.ts';

interface Status {
  level: string;
}

const written: Status = { level: 'Warning' };
const cached: Status = { level: 'Healthy' };

describe('WrittenStatuses', () => {
  it('returns the cached status for a key it never wrote', () => {
    const statuses = new WrittenStatuses<Status>();
    expect(statuses.previous('shop/orders', '5', cached)).toBe(cached);
    expect(statuses.previous('shop/orders', undefined, undefined)).toBeUndefined();
  });

  it('returns the written status while the cache is behind it', () => {
    const statuses = new WrittenStatuses<Status>();
    statuses.remember('shop/orders', '100', written);
    expect(statuses.previous('shop/orders', '99', cached)).toBe(written);
    expect(statuses.previous('shop/orders', undefined, undefined)).toBe(written);
    // Still remembered: the cache has not caught up yet.
    expect(statuses.previous('shop/orders', '42', cached)).toBe(written);
  });

  it('compares numeric versions as numbers, not as strings', () => {
    const statuses = new WrittenStatuses<Status>();
    statuses.remember('shop/orders', '100', written);
    // As strings '99' > '100'; as numbers it is behind.
    expect(statuses.previous('shop/orders', '99', cached)).toBe(written);
    // As strings '1000' < '9'; as numbers it is ahead.
    statuses.remember('shop/orders', '9', written);
    expect(statuses.previous('shop/orders', '1000', cached)).toBe(cached);
  });

  it('handles versions beyond the safe integer range', () => {
    const statuses = new WrittenStatuses<Status>();
    statuses.remember('k', '9007199254740993', written);
    expect(statuses.previous('k', '9007199254740992', cached)).toBe(written);
    expect(statuses.previous('k', '9007199254740993', cached)).toBe(cached);
  });

  it('returns the cached status once the cache reaches the written version, and then forgets', () => {
    const statuses = new WrittenStatuses<Status>();
    statuses.remember('shop/orders', '100', written);
    expect(statuses.previous('shop/orders', '100', cached)).toBe(cached);
    // Forgotten: even an older cache version now yields the cached status.
    expect(statuses.previous('shop/orders', '50', cached)).toBe(cached);
  });

  it('takes a later cache version as caught up too', () => {
    const statuses = new WrittenStatuses<Status>();
    statuses.remember('shop/orders', '100', written);
    expect(statuses.previous('shop/orders', '101', cached)).toBe(cached);
    expect(statuses.previous('shop/orders', '99', cached)).toBe(cached);
  });

  it('compares non-numeric versions by equality only', () => {
    const statuses = new WrittenStatuses<Status>();
    statuses.remember('k', 'abc', written);
    expect(statuses.previous('k', 'abd', cached)).toBe(written);
    expect(statuses.previous('k', '999', cached)).toBe(written);
    expect(statuses.previous('k', 'abc', cached)).toBe(cached);
    expect(statuses.previous('k', 'zzz', cached)).toBe(cached);
  });

  it('keeps keys apart, and the latest remember wins', () => {
    const statuses = new WrittenStatuses<Status>();
    const newer: Status = { level: 'Critical' };
    statuses.remember('a/one', '10', written);
    statuses.remember('a/two', '20', written);
    statuses.remember('a/one', '30', newer);
    expect(statuses.previous('a/one', '20', cached)).toBe(newer);
    expect(statuses.previous('a/two', '20', cached)).toBe(cached);
  });

  it('forget() drops what was written', () => {
    const statuses = new WrittenStatuses<Status>();
    statuses.remember('shop/orders', '100', written);
    statuses.forget('shop/orders');
    expect(statuses.previous('shop/orders', '1', cached)).toBe(cached);
  });
});
