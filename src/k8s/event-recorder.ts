import { randomBytes } from 'node:crypto';
import { EventsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { microTime } from './micro-time.ts';

export const REPORTING_CONTROLLER = 'boltbudget.io/operator';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

export interface EventRecord {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
}

/** Records events.k8s.io/v1 Events; cluster-scoped objects get theirs in `clusterEventNamespace`. */
export interface EventRecorder {
  record(target: EventTarget, event: EventRecord): Promise<void>;
}

const MAX_NOTE = 1024;

export function createEventRecorder(kc: KubeConfig, reportingInstance: string, clusterEventNamespace: string, now: () => Date): EventRecorder {
  const events = kc.makeApiClient(EventsV1Api);
  return {
    async record(target, event) {
      const namespace = target.namespace ?? clusterEventNamespace;
      const at = now();
      // As client-go names events: the object's name, a dot and a hex time (generateName may not end in a dot).
      const name = `${target.name}.${at.getTime().toString(16)}${randomBytes(3).toString('hex')}`;
      await events.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name, namespace },
          eventTime: microTime(at.getTime()),
          reportingController: REPORTING_CONTROLLER,
          reportingInstance,
          action: event.action,
          reason: event.reason,
          type: event.type,
          note: event.note.slice(0, MAX_NOTE),
          regarding: { apiVersion: target.apiVersion, kind: target.kind, name: target.name, namespace: target.namespace, uid: target.uid },
        },
      });
    },
  };
}
