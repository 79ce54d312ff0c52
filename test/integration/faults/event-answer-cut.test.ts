import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordEvents } from '../../../src/controller/reconcile-deps.ts';
import { createEventRecorder, type EventTarget } from '../../../src/k8s/event-recorder.ts';
import { OperatorMetrics } from '../../../src/metrics/operator-metrics.ts';
import { eventually } from '../../support/eventually.ts';
import { uniqueName } from '../../support/kube.ts';
import { createNamespace, eventsAbout } from '../../support/objects.ts';
import { HttpProxy } from '../../support/http-proxy.ts';

/** The counter's value for one reason (0 when it has no series). */
async function count(counter: OperatorMetrics['events'], reason: string): Promise<number> {
  return (await counter.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

/**
 * The operator's event recording (recorder and recordEvents, in process) against the real API server
 * through a loopback proxy that can cut the server's answers: a write whose answer is cut may still have
 * landed, so it is not counted as lost.
 */
describe('an event write whose answer is cut', () => {
  const ns = uniqueName('answer-cut');
  const log = pino({ level: 'silent' });
  let cutter: HttpProxy;
  let metrics: OperatorMetrics;
  let recorder: ReturnType<typeof createEventRecorder>;

  beforeAll(async () => {
    await createNamespace(ns);
    cutter = await HttpProxy.start(inject('kubeconfig'));
    metrics = new OperatorMetrics(false);
    recorder = createEventRecorder(cutter.kubeConfig(), 'answer-cut-test', ns, () => new Date());
  });
  afterAll(async () => {
    await cutter.close();
  });

  it('landed, and is counted as unanswered, not as lost', async () => {
    const target: EventTarget = { apiVersion: 'v1', kind: 'ConfigMap', name: uniqueName('cut'), namespace: ns };
    const event = (reason: string): { type: 'Normal'; reason: string; action: string; note: string } => ({ type: 'Normal', reason, action: 'Test', note: `${reason} note` });
    const deps = { events: recorder, metrics };
    // Through the proxy, answered: recorded and counted as such.
    await recordEvents(deps, target, [event('Answered')], log);
    expect(await count(metrics.events, 'Answered')).toBe(1);

    cutter.cut((method, url) => method === 'POST' && url.pathname.includes('/events'));
    await recordEvents(deps, target, [event('AnswerCut')], log);
    cutter.cut(undefined);
    // The API server created it (201) and the client's connection was reset instead of answered.
    expect(cutter.cutStatuses).toEqual([201]);
    await eventually(async () => expect((await eventsAbout('ConfigMap', target.name, ns)).map((e) => e.reason)).toEqual(['Answered', 'AnswerCut']), 20_000, 100);

    expect(await count(metrics.eventsUnanswered, 'AnswerCut')).toBe(1);
    expect(await count(metrics.eventsLost, 'AnswerCut')).toBe(0);
    expect(await count(metrics.events, 'AnswerCut')).toBe(0);
    // Never retried into a second copy.
    expect((await eventsAbout('ConfigMap', target.name, ns)).map((e) => e.reason)).toEqual(['Answered', 'AnswerCut']);
  });

  it('an event the API server refuses is lost, and nothing landed', async () => {
    // A namespace that does not exist: the API server answers 404.
    const target: EventTarget = { apiVersion: 'v1', kind: 'ConfigMap', name: uniqueName('refused'), namespace: uniqueName('no-such-namespace') };
    await recordEvents({ events: recorder, metrics }, target, [{ type: 'Warning', reason: 'Refused', action: 'Test', note: 'refused note' }], log);
    expect(await count(metrics.eventsLost, 'Refused')).toBe(1);
    expect(await count(metrics.eventsUnanswered, 'Refused')).toBe(0);
    expect(await count(metrics.events, 'Refused')).toBe(0);
  });
});
