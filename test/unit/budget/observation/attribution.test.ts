import { describe, expect, it } from 'vitest';
import { attribute, clientIp } from '../../../../src/budget/observation/attribution.ts';
import { conn } from './sample-builders.ts';

describe('clientIp', () => {
  it.each([
    ['127.0.0.2:51234', '127.0.0.2'],
    ['[::1]:5000', '::1'],
    ['[FD00::A]:7687', 'fd00::a'],
    ['[::ffff:10.0.0.5]:41000', '10.0.0.5'],
    ['::1:5000', undefined], // bare IPv6 is ambiguous
    ['127.0.0.2', undefined],
    ['host:5000', undefined],
    ['', undefined],
  ])('%j → %s', (address, ip) => {
    expect(clientIp(address)).toBe(ip);
  });
});

describe('attribute', () => {
  const orders = { key: 'Deployment/orders-api', podIps: new Set(['10.0.0.5', '10.0.0.6']), userAgent: 'orders-api/*' };
  const billing = { key: 'Deployment/billing', podIps: new Set(['10.0.0.7']), userAgent: 'billing/*' };
  const idle = { key: 'StatefulSet/idle', podIps: new Set<string>() };

  it('attributes by pod IP first, then by user agent, else leaves unattributed', () => {
    const byIp = conn('bolt-1', '10.0.0.7:40000', 'orders-api/1.4.2 neo4j-javascript/5.0'); // billing's pod, orders' agent
    const byAgent = conn('bolt-2', '192.168.1.9:40000', 'orders-api/1.4.2 neo4j-javascript/5.0');
    const stray = conn('bolt-3', '192.168.1.9:40001', 'cypher-shell/5.0');
    const mapped = conn('bolt-4', '[::ffff:10.0.0.6]:40000', 'python/3');
    const result = attribute([byIp, byAgent, stray, mapped], [orders, billing, idle]);
    expect(result.byWorkload.get(orders.key)).toEqual([byAgent, mapped]);
    expect(result.byWorkload.get(billing.key)).toEqual([byIp]);
    expect(result.unattributed).toEqual([stray]);
  });

  it('lists every workload, with an empty array when it holds nothing', () => {
    const result = attribute([], [orders, billing, idle]);
    expect([...result.byWorkload.keys()]).toEqual([orders.key, billing.key, idle.key]);
    expect([...result.byWorkload.values()]).toEqual([[], [], []]);
  });

  it('gives a connection to the first workload in order when two claim it', () => {
    const shared = { key: 'Deployment/orders-canary', podIps: new Set(['10.0.0.5']), userAgent: '*' };
    const c = conn('bolt-1', '10.0.0.5:1');
    expect(attribute([c], [shared, orders]).byWorkload.get(shared.key)).toEqual([c]);
    expect(attribute([c], [orders, shared]).byWorkload.get(orders.key)).toEqual([c]);
    const byAgentOnly = conn('bolt-2', '1.2.3.4:1', 'orders-api/2');
    expect(attribute([byAgentOnly], [shared, orders]).byWorkload.get(shared.key)).toEqual([byAgentOnly]);
  });

  it('keeps every connection exactly once', () => {
    const connections = Array.from({ length: 30 }, (_, i) => conn(`bolt-${i}`, `10.0.0.${i % 10}:1`, i % 3 === 0 ? 'billing/1' : 'other'));
    const result = attribute(connections, [orders, billing, idle]);
    const all = [...[...result.byWorkload.values()].flat(), ...result.unattributed];
    expect(all).toHaveLength(connections.length);
    expect(new Set(all.map((c) => c.id)).size).toBe(connections.length);
  });
});
