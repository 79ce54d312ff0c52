// The benchmarks' own counting (bench/), pure parts: polls per interval, and writes from the API
// server's apiserver_request_total.
import { describe, expect, it } from 'vitest';
import { isStatusWrite, parseWriteCounts, total, writesBetween } from '../../../bench/apiserver-writes.ts';
import { pollsPerWindow } from '../../../bench/poll-windows.ts';

describe('pollsPerWindow', () => {
  it('counts one poll in each interval whatever the phase and however long each poll took (jitter under half an interval)', () => {
    // Polls start every 5 s; the first one seen took 2 s longer than the rest.
    expect(pollsPerWindow([3300, 6200, 11100, 16300, 21200, 26100], 5000, 4)).toEqual([1, 1, 1, 1]);
  });

  it('shows a second poll in an interval', () => {
    expect(pollsPerWindow([1000, 6000, 6300, 11000, 16000, 21000], 5000, 4)).toEqual([2, 1, 1, 1]);
  });

  it('shows a missed poll', () => {
    expect(pollsPerWindow([1000, 6000, 16000, 21000, 26000], 5000, 4)).toEqual([1, 0, 1, 1]);
  });

  it('counts nothing when no poll was seen', () => {
    expect(pollsPerWindow([], 5000, 2)).toEqual([0, 0]);
  });
});

describe('write counts from apiserver_request_total', () => {
  const before = [
    '# TYPE apiserver_request_total counter',
    'apiserver_request_total{code="200",component="apiserver",dry_run="",group="boltbudget.io",resource="boltbudgets",scope="resource",subresource="status",verb="APPLY",version="v1alpha1"} 3',
    'apiserver_request_total{code="200",component="apiserver",dry_run="",group="coordination.k8s.io",resource="leases",scope="resource",subresource="",verb="PUT",version="v1"} 7',
    'apiserver_request_total{code="200",component="apiserver",dry_run="",group="boltbudget.io",resource="boltbudgets",scope="cluster",subresource="",verb="LIST",version="v1alpha1"} 4',
  ].join('\n');
  const after = [
    'apiserver_request_total{code="200",component="apiserver",dry_run="",group="boltbudget.io",resource="boltbudgets",scope="resource",subresource="status",verb="APPLY",version="v1alpha1"} 10',
    'apiserver_request_total{code="409",component="apiserver",dry_run="",group="boltbudget.io",resource="boltbudgets",scope="resource",subresource="status",verb="APPLY",version="v1alpha1"} 1',
    'apiserver_request_total{code="200",component="apiserver",dry_run="",group="boltbudget.io",resource="neo4jinstances",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 2',
    'apiserver_request_total{code="200",component="apiserver",dry_run="",group="boltbudget.io",resource="boltbudgets",scope="resource",subresource="",verb="PATCH",version="v1alpha1"} 5',
    'apiserver_request_total{code="200",component="apiserver",dry_run="",group="coordination.k8s.io",resource="leases",scope="resource",subresource="",verb="PUT",version="v1"} 9',
    'apiserver_request_total{code="200",component="apiserver",dry_run="",group="boltbudget.io",resource="boltbudgets",scope="cluster",subresource="",verb="LIST",version="v1alpha1"} 40',
  ].join('\n');

  it('counts writes by verb and resource, every response code, neither reads nor the server\'s own Lease renewals', () => {
    const writes = writesBetween(parseWriteCounts(before), parseWriteCounts(after));
    expect(writes).toEqual({ 'APPLY boltbudgets/status': 8, 'PATCH boltbudgets': 5, 'PATCH neo4jinstances/status': 2 });
    expect(total(writes, isStatusWrite)).toBe(10);
    expect(total(writes)).toBe(15);
  });
});
