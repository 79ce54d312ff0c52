import { describe, expect, it } from 'vitest';
import { connectionNumber, maxConnectionNumber } from '../../../../src/budget/observation/connection-id.ts';
import { conn } from './sample-builders.ts';

describe('connectionNumber', () => {
  it.each([
    ['bolt-42', 42],
    ['bolt-0', 0],
    ['bolt-007', 7],
    ['bolt-', undefined],
    ['bolt-4x', undefined],
    ['http-3', undefined],
    ['bolt--1', undefined],
    [' bolt-1', undefined],
    ['42', undefined],
    ['bolt-99999999999999999999', undefined],
  ])('%s → %s', (id, expected) => {
    expect(connectionNumber(id)).toBe(expected);
  });
});

describe('maxConnectionNumber', () => {
  it('is the highest bolt-N, ignoring other forms', () => {
    expect(maxConnectionNumber([conn('bolt-9'), conn('bolt-120'), conn('x-999'), conn('bolt-3')])).toBe(120);
  });

  it('is undefined with no bolt-N id', () => {
    expect(maxConnectionNumber([])).toBeUndefined();
    expect(maxConnectionNumber([conn('weird')])).toBeUndefined();
  });
});
