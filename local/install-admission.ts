import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AdmissionregistrationV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  type V1TypeChecking,
} from '@kubernetes/client-node';
import { applyAll, deleteAll, readManifest } from './manifests.ts';

/** The optional admission guard: ValidatingAdmissionPolicies and their bindings, no webhook. */
export const ADMISSION_DIR = fileURLToPath(new URL('../crds/admission/', import.meta.url));

const POLICY = 'ValidatingAdmissionPolicy';

/** Every object in crds/admission/*.yaml, policies before bindings (a binding names its policy). */
export function admissionObjects(dir = ADMISSION_DIR): KubernetesObject[] {
  const objects = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) => readManifest(join(dir, file)));
  return [...objects.filter((object) => object.kind === POLICY), ...objects.filter((object) => object.kind !== POLICY)];
}

export interface InstalledAdmissionGuard {
  objects: KubernetesObject[];
  /**
   * status.typeChecking of each policy, by name, when it appeared in time. kube-apiserver alone never
   * writes it: the ValidatingAdmissionPolicy status controller of kube-controller-manager does, so on the
   * test harness (no controller manager) the status stays `{}` and this is empty.
   */
  typeChecking: Record<string, V1TypeChecking>;
}

function kubeConfig(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

export interface InstallOptions {
  /** Wait at most this long for the type checker's verdict (kube-controller-manager writes it). */
  typeCheckWaitMs?: number;
  /**
   * Install with failurePolicy Fail instead of the shipped Ignore, so that an expression that fails to
   * evaluate denies with the CEL error instead of silently letting the request through: a test then sees
   * the error rather than a pass. Ignore is kept for production (an optional guard must not stop scaling).
   */
  strict?: boolean;
}

/** The objects as installed: failurePolicy Fail on policies when strict. */
function asInstalled(objects: KubernetesObject[], strict: boolean): KubernetesObject[] {
  if (!strict) return objects;
  return objects.map((object) => (object.kind === POLICY ? { ...object, spec: { ...(object as { spec?: object }).spec, failurePolicy: 'Fail' } } : object) as KubernetesObject);
}

/**
 * Server-side applies crds/admission/*.yaml (or the given objects, e.g. the chart's rendering) and waits,
 * at most `typeCheckWaitMs`, for each policy's
 * status.typeChecking of its current generation; throws when the type checker reported warnings (an
 * expression that does not fit the matched kinds or the BoltBudget schema). The API server already
 * refused the write if an expression did not compile or its estimated cost was over the limit.
 * Enforcement starts a moment after the write: callers that need it probe with a known-bad request.
 */
export async function installAdmissionGuard(kubeconfigPath: string, options: InstallOptions = {}, source: KubernetesObject[] = admissionObjects()): Promise<InstalledAdmissionGuard> {
  const kc = kubeConfig(kubeconfigPath);
  const objects = asInstalled(source, options.strict ?? false);
  const typeCheckWaitMs = options.typeCheckWaitMs ?? 2_000;
  await applyAll(KubernetesObjectApi.makeApiClient(kc), objects, 'boltbudget-harness');
  const admission = kc.makeApiClient(AdmissionregistrationV1Api);
  const typeChecking: Record<string, V1TypeChecking> = {};
  const deadline = Date.now() + typeCheckWaitMs;
  for (const object of objects.filter((o) => o.kind === POLICY)) {
    const name = object.metadata?.name ?? '';
    for (;;) {
      const live = await admission.readValidatingAdmissionPolicy({ name });
      const checked = live.status?.typeChecking;
      if (checked && live.status?.observedGeneration === live.metadata?.generation) {
        typeChecking[name] = checked;
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(100);
    }
    const warnings = typeChecking[name]?.expressionWarnings ?? [];
    if (warnings.length > 0) {
      throw new Error(`ValidatingAdmissionPolicy ${name} has type-check warnings:\n${warnings.map((w) => `${w.fieldRef}: ${w.warning}`).join('\n')}`);
    }
  }
  return { objects, typeChecking };
}

/** Deletes the bindings, then the policies; ignores those already gone. */
export async function uninstallAdmissionGuard(kubeconfigPath: string, objects: KubernetesObject[] = admissionObjects()): Promise<void> {
  await deleteAll(KubernetesObjectApi.makeApiClient(kubeConfig(kubeconfigPath)), objects);
}
