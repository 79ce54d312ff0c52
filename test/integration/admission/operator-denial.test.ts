import { CoreV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { runCommand } from '../../../local/run-command.ts';
import { toolPath } from '../../../local/tools.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { boltBudget, deployment, eventsAbout, neo4jInstance, workloadState } from '../../support/objects.ts';
import { laterBudgetReconciles } from '../../support/reconciles.ts';
import { startOperator, type LogLine, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();

/**
 * A test-only ValidatingAdmissionPolicy that refuses every scale-down of a Deployment in the labelled
 * namespace: the real API server denies the operator's own write, and the operator must say why.
 */
function freezePolicy(name: string, label: Record<string, string>): KubernetesObject[] {
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['deployments', 'deployments/scale'] }] },
        validations: [
          {
            expression: '!has(oldObject.spec.replicas) || !has(object.spec.replicas) || object.spec.replicas >= oldObject.spec.replicas',
            reason: 'Forbidden',
            messageExpression: "'replicas of ' + request.name + ' are frozen in this namespace: no scale-down (change freeze)'",
          },
        ],
      },
    } as KubernetesObject,
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: { policyName: name, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: label } } },
    } as KubernetesObject,
  ];
}

describe('the operator reports an admission denial of its own write with the API server\'s message', () => {
  const ns = uniqueName('frozen');
  const policy = uniqueName('boltbudget-test-freeze');
  const label = { 'boltbudget.io/test-freeze': policy };
  const instanceName = uniqueName('graph');
  // 9 replicas of pool 10 on a limit of 100, no buffer: 90 %, over the warning line; Scale lowers svc.
  const objects = [
    neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }),
    deployment(ns, 'svc', 9, { type: 'Recreate' }),
    boltBudget(ns, 'apps', { instanceRef: { name: instanceName }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] }),
  ];
  const freeze = freezePolicy(policy, label);
  let operator: OperatorProcess;

  beforeAll(async () => {
    await testKubeConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: ns, labels: label } } });
    await applyAll(api, [objects[1]!]);
    await applyAll(api, freeze);
    // The API server loads a new policy asynchronously: probe with a dry-run scale-down until it is denied.
    await eventually(async () => {
      const probe = await runCommand(toolPath('kubectl'), ['--kubeconfig', inject('kubeconfig'), 'scale', 'deployment/svc', '-n', ns, '--replicas=1', '--dry-run=server']).then(
        () => 'allowed',
        (error: unknown) => (error as Error).message,
      );
      expect(probe).toContain('are frozen in this namespace');
    }, 30_000, 250);
    await applyAll(api, objects);
    // Debug for the 'budget reconciled' lines; a short resync brings reconciles without a change.
    operator = await startOperator(['--log-level', 'debug', '--resync-seconds', '2']);
  });

  afterAll(async () => {
    await operator.stop();
    expect(operator.exitCode).toBe(0);
    await deleteAll(api, freeze);
    await deleteAll(api, objects);
  });

  it('logs the attempt, the code and the policy\'s own message, not "HTTP-Code: 403"', async () => {
    const isDenial = (line: LogLine): boolean => line.msg === 'reconcile failed; requeued' && String(line.err).includes('are frozen');
    const line = await operator.waitForLog('the denied scale-down', isDenial);
    expect(line.err).toBe(
      `scale Deployment ${ns}/svc to 8: 403 Forbidden: deployments.apps "svc" is forbidden: ` +
        `ValidatingAdmissionPolicy '${policy}' with binding '${policy}' denied request: replicas of svc are frozen in this namespace: no scale-down (change freeze)`,
    );
    expect(operator.lines.filter((l) => JSON.stringify(l).includes('HTTP-Code'))).toEqual([]);
    expect((await workloadState('Deployment', ns, 'svc')).replicas).toBe(9);
  });

  const denied = async (): Promise<string[]> => (await eventsAbout('BoltBudget', 'apps', ns)).filter((e) => e.reason === 'ActionDenied').map((e) => `${e.type} ${e.note}`);

  it('records the denial on the budget once (ActionDenied), not on every retry', async () => {
    const isRetry = (line: LogLine): boolean => line.msg === 'reconcile failed; requeued' && line.key === `budget/${ns}/apps`;
    // The event is recorded before the reconcile fails, so two failures mean two denied attempts.
    await eventually(() => expect(operator.count(isRetry)).toBeGreaterThanOrEqual(2), 30_000, 100);
    expect(await denied()).toEqual([
      `Warning scale Deployment ${ns}/svc to 8: 403 Forbidden: deployments.apps "svc" is forbidden: ` +
        `ValidatingAdmissionPolicy '${policy}' with binding '${policy}' denied request: replicas of svc are frozen in this namespace: no scale-down (change freeze)`,
    ]);
  });

  it('acts once the policy is gone (the failure was retried, not dropped), with no further ActionDenied', async () => {
    await deleteAll(api, freeze);
    await eventually(async () => expect((await workloadState('Deployment', ns, 'svc')).replicas).toBe(8), 60_000, 250);
    // A positive signal first: two whole budget reconciles after the scale-down went through.
    await laterBudgetReconciles(operator, `${ns}/apps`);
    expect(await denied()).toHaveLength(1);
  });
});
