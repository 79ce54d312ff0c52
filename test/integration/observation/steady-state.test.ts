import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi } from '../../support/kube.ts';
import { boltBudget, deployment, instanceStatus, resourceVersionOf } from '../../support/objects.ts';
import { observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
/** Polls to let the observation settle: the first sample, the second (churn needs two), one more. */
const SETTLE_POLLS = 3;
/** Further polls across which nothing may be written. */
const QUIET_POLLS = 5;

describe('steady state over a quiet Neo4j', () => {
  let operator: OperatorProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;

  beforeAll(async () => {
    created = await observedInstance({ connectionLimit: 100 });
    created.objects.push(
      deployment(created.namespace, 'api', 2),
      boltBudget(created.namespace, 'api', { instanceRef: { name: created.instanceName }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] }),
    );
    await applyAll(api, created.objects);
    // Debug: the log line of every sample carries the operator's own connection count.
    operator = await startOperator(['--secret-namespaces', created.namespace, '--log-level', 'debug']);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  const reached = async (): Promise<number> => (await operator.metric('boltbudget_instance_polls_total', { neo4jinstance: created.instanceName, result: 'reached' })) ?? 0;
  const writes = async (kind: string): Promise<number> => (await operator.metric('boltbudget_status_writes_total', { kind })) ?? 0;
  const afterPolls = async (polls: number): Promise<void> => {
    await eventually(async () => expect(await reached()).toBeGreaterThanOrEqual(polls), (polls - (await reached()) + 2) * 5_000, 250);
  };

  it('writes the instance status a bounded number of times, then nothing across further polls', async () => {
    await afterPolls(SETTLE_POLLS);
    const settledWrites = await writes('Neo4jInstance');
    // One write for the declared figures, at most one per poll while the observation settles.
    expect(settledWrites).toBeGreaterThanOrEqual(1);
    expect(settledWrites).toBeLessThanOrEqual(1 + SETTLE_POLLS);
    const settledVersion = await resourceVersionOf('instance', created.instanceName);
    const budgetWrites = await writes('BoltBudget');

    // One poll more than counted: the reconcile that follows the last counted poll has finished by then.
    await afterPolls(SETTLE_POLLS + QUIET_POLLS + 1);
    expect(await writes('Neo4jInstance')).toBe(settledWrites);
    expect(await resourceVersionOf('instance', created.instanceName)).toBe(settledVersion);
    expect(await writes('BoltBudget')).toBe(budgetWrites);
    expect((await instanceStatus(created.instanceName))?.conditions?.find((c) => c.type === 'Reachable')).toMatchObject({ status: 'True' });

    // What would have rewritten the status before: the operator's own connections move while nothing else does.
    const own = operator.lines.filter((line) => line.msg === 'instance sampled').map((line) => Number(line.own));
    expect(own.length).toBeGreaterThanOrEqual(SETTLE_POLLS + QUIET_POLLS);
    expect(own.every((n) => n >= 1 && n <= 2)).toBe(true);
  });
});
