import { request } from 'node:https';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { createNamespace, instanceStatus, neo4jInstance } from '../../support/objects.ts';
import { neo4jCredentials } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
type Reachable = { status: string; reason: string; message: string };
const reachable = async (instance: string): Promise<Reachable | undefined> => (await instanceStatus(instance))?.conditions?.find((c) => c.type === 'Reachable');

/** The API server's own count of requests on Secrets by verb and scope, from its /metrics (every client's, the operator's among them). */
async function secretRequests(metric: 'apiserver_request_total' | 'apiserver_longrunning_requests', verb: 'GET' | 'LIST' | 'WATCH', scope?: 'resource'): Promise<number> {
  const kc = testKubeConfig();
  const url = new URL(`${kc.getCurrentCluster()!.server}/metrics`);
  const options: Parameters<typeof request>[1] = { method: 'GET' };
  await kc.applyToHTTPSOptions(options);
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET /metrics: ${res.statusCode} ${body.slice(0, 200)}`))));
    });
    req.on('error', reject);
    req.end();
  });
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) && line.includes('resource="secrets"') && line.includes(`verb="${verb}"`) && (!scope || line.includes(`scope="${scope}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

const secretGets = (): Promise<number> => secretRequests('apiserver_request_total', 'GET', 'resource');
/**
 * Lists of Secrets, and watches of Secrets open now. Finished watches are not counted: the API server's
 * own Secret informers (service account tokens) end and reopen their watches on a timer, without a list,
 * so that count moves by itself. A client that lists or watches Secrets lists first, and the operator's
 * caches keep their watches open: either shows here.
 */
const secretListsAndOpenWatches = async (): Promise<{ lists: number; openWatches: number }> => ({
  lists: await secretRequests('apiserver_request_total', 'LIST'),
  openWatches: await secretRequests('apiserver_longrunning_requests', 'WATCH'),
});

async function monitorSecret(namespace: string): Promise<void> {
  const { username, password } = neo4jCredentials();
  await testKubeConfig().makeApiClient(CoreV1Api).createNamespacedSecret({ namespace, body: { metadata: { name: 'monitor', namespace }, stringData: { username, password } } });
}

describe('--secret-namespaces: Secrets are read only where the operator was told', () => {
  const allowed = uniqueName('secrets-ok');
  const elsewhere = uniqueName('team');
  const outside = uniqueName('graph');
  const inside = uniqueName('graph');
  const bolt = (namespace: string): Record<string, unknown> => ({ uri: neo4jCredentials().uri, credentialsSecretRef: { namespace, name: 'monitor' }, pollIntervalSeconds: 5 });
  const objects = [neo4jInstance(outside, { connectionLimit: 100, bolt: bolt(elsewhere) })];
  let operator: OperatorProcess;
  let before = { lists: 0, openWatches: 0 };

  beforeAll(async () => {
    await createNamespace(allowed);
    await createNamespace(elsewhere);
    // The right password, in a namespace the operator was not given: were it read, the instance would be reachable.
    await monitorSecret(allowed);
    await monitorSecret(elsewhere);
    await applyAll(api, objects);
    before = await secretListsAndOpenWatches();
    operator = await startOperator(['--secret-namespaces', `${allowed},boltbudget-system`]);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, objects);
  });

  it('an instance whose Secret is elsewhere is Reachable False SecretNamespaceNotAllowed, with no request for the Secret', async () => {
    await eventually(async () => expect(await reachable(outside)).toMatchObject({ status: 'False', reason: 'SecretNamespaceNotAllowed' }), 20_000, 250);
    const { message } = (await reachable(outside))!;
    expect(message).toContain(`"${elsewhere}"`);
    expect(message).toContain(`"${allowed}", "boltbudget-system"`);
    expect(message).not.toContain(neo4jCredentials().password);

    // Across three more polls of that instance (and nothing else with spec.bolt to poll), not one Secret GET.
    const gets = await secretGets();
    const polls = (await operator.metric('boltbudget_instance_polls_total', { neo4jinstance: outside, result: 'unreachable' })) ?? 0;
    await eventually(async () => expect(await operator.metric('boltbudget_instance_polls_total', { neo4jinstance: outside, result: 'unreachable' })).toBeGreaterThanOrEqual(polls + 3), 30_000, 250);
    expect(await secretGets()).toBe(gets);
    expect(await reachable(outside)).toMatchObject({ status: 'False', reason: 'SecretNamespaceNotAllowed' });
  });

  it('the same Secret in an allowed namespace is read (so the count above would have seen a read) and used', async () => {
    const gets = await secretGets();
    const instance = neo4jInstance(inside, { connectionLimit: 100, bolt: bolt(allowed) });
    objects.push(instance);
    await applyAll(api, [instance]);
    await eventually(async () => expect(await reachable(inside)).toMatchObject({ status: 'True' }), 20_000, 250);
    expect(await secretGets()).toBeGreaterThan(gets);
    expect(await reachable(outside)).toMatchObject({ status: 'False', reason: 'SecretNamespaceNotAllowed' });
  });

  it('moving the reference into an allowed namespace makes the instance reachable', async () => {
    const moved = neo4jInstance(outside, { connectionLimit: 100, bolt: bolt(allowed) });
    await applyAll(api, [moved]);
    await eventually(async () => expect(await reachable(outside)).toMatchObject({ status: 'True' }), 20_000, 250);
  });

  it('never lists or watches Secrets', async () => {
    const now = await secretListsAndOpenWatches();
    expect(now.lists).toBe(before.lists);
    // At most as many: an API server informer's watch may be between its close and its reopening.
    expect(now.openWatches).toBeLessThanOrEqual(before.openWatches);
  });
});
