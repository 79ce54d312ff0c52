import { AppsV1Api, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { applyAll, deleteAll } from '../../local/manifests.ts';
import { eventually } from './eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from './kube.ts';

const MESSAGE = 'replicas held by the test';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * A fault the real API server injects: a ValidatingAdmissionPolicy that refuses every change of
 * spec.replicas of the named Deployments in one namespace (on the object and on /scale), from anyone.
 * It stops an operator deterministically after the writes it still lets through, so a test can kill the
 * process in the middle of a plan without racing it.
 */
export class ReplicaGate {
  private readonly objects: KubernetesObject[];
  private readonly namespace: string;
  private readonly probe: string;

  constructor(namespace: string, deployments: readonly string[]) {
    const name = uniqueName('replica-gate');
    this.namespace = namespace;
    this.probe = deployments[0] ?? '';
    const names = deployments.map((d) => `'${d}'`).join(', ');
    this.objects = [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
            resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['deployments', 'deployments/scale'] }],
          },
          validations: [{ expression: `!(object.metadata.name in [${names}]) || object.spec.replicas == oldObject.spec.replicas`, message: MESSAGE }],
        },
      } as KubernetesObject,
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name },
        spec: { policyName: name, validationActions: ['Deny'] },
      } as KubernetesObject,
    ];
  }

  /** A dry-run change of the first gated Deployment's replicas: refused while the gate holds. */
  private async refused(): Promise<boolean> {
    const apps = testKubeConfig().makeApiClient(AppsV1Api);
    const current = await apps.readNamespacedDeployment({ namespace: this.namespace, name: this.probe });
    const body = { spec: { replicas: (current.spec?.replicas ?? 1) + 1 } };
    try {
      await apps.patchNamespacedDeployment({ namespace: this.namespace, name: this.probe, body, dryRun: 'All' }, mergePatch);
      return false;
    } catch (error) {
      if (String((error as { body?: unknown }).body).includes(MESSAGE)) return true;
      throw error;
    }
  }

  /** Installs the policy and waits until the API server enforces it. */
  async close(): Promise<void> {
    await applyAll(objectApi(), this.objects);
    await eventually(async () => {
      if (!(await this.refused())) throw new Error('the replica gate is not enforced yet');
    }, 30_000, 100);
  }

  /** Removes the policy and waits until the API server no longer enforces it. */
  async open(): Promise<void> {
    await deleteAll(objectApi(), this.objects);
    await eventually(async () => {
      if (await this.refused()) throw new Error('the replica gate is still enforced');
    }, 30_000, 100);
  }
}

export const REPLICA_GATE_MESSAGE = MESSAGE;
