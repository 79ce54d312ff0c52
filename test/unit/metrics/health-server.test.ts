import { describe, expect, it } from 'vitest';
import { parseBindAddress } from '../../../src/metrics/health-server.ts';

describe('parseBindAddress', () => {
  it.each([
    [':8080', { host: undefined, port: 8080 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:9090', { host: '::1', port: 9090 }],
    ['0.0.0.0:8080', { host: '0.0.0.0', port: 8080 }],
    ['localhost:8443', { host: 'localhost', port: 8443 }],
  ])('%s is %o', (input, expected) => {
    expect(parseBindAddress(input)).toEqual(expected);
  });

  it.each(['8080', 'localhost', '::1:9090', 'host:port', '127.0.0.1:', ''])('rejects %j naming the flag', (input) => {
    expect(() => parseBindAddress(input)).toThrow(/--metrics-bind-address/);
  });

  it('quotes the bad value in the message', () => {
    expect(() => parseBindAddress('nope')).toThrow('"nope"');
  });
});
