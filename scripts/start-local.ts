// `npm start`: the demo. Starts (or reuses) the local control plane and Neo4j, applies the examples,
// runs the operator in this process (its logs go to .local/operator.log), runs four services' load
// generators against the local Neo4j (examples/local-demo.yaml), and redraws the status tree live.
// Ctrl-C stops the generators and the operator; the local parts keep running for the next start.
import { openSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { LEAK_MIN_SPAN_MS } from '../src/budget/observation/observe.ts';
import { colourEnabled } from '../src/cli/render/terminal.ts';
import { statusSources, type ClusterObjects } from '../src/cli/status/sources.ts';
import { watchObjects } from '../src/cli/status/watch-objects.ts';
import { parseConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { runOperator } from '../src/run-operator.ts';
import { devPaths, devUp } from '../local/dev-state.ts';
import { stderrLog } from '../local/log.ts';
import { DEMO_INSTANCE, applyExamples } from './start/examples.ts';
import { verdictProgress } from './start/first-verdict.ts';
import { demoServices, startDemoLoad, stopDemoLoad } from './start/load.ts';
import { parseDemoOptions, type DemoOptions } from './start/options.ts';
import { clock, Screen } from './start/screen.ts';
import { renderDemoTree } from './start/demo-tree.ts';

const since = (): number => performance.now(); // ms since this process started
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const startLog = (message: string): void => void process.stderr.write(`[start] ${message}\n`);

const root = join(import.meta.dirname, '..');
const tty = process.stdout.isTTY === true;
const options = ((): DemoOptions => {
  try {
    return parseDemoOptions(process.argv.slice(2), tty);
  } catch (error) {
    startLog((error as Error).message);
    process.exit(2);
  }
})();
const localDir = process.env.BOLTBUDGET_LOCAL_DIR ?? join(root, '.local');
const shown = (path: string): string => (path.startsWith(`${process.cwd()}/`) ? relative(process.cwd(), path) : path);
const downHint = process.env.BOLTBUDGET_LOCAL_DIR === undefined ? 'npm run dev:down' : `BOLTBUDGET_LOCAL_DIR=${localDir} npm run dev:down`;

// On a terminal one screen, redrawn: these notes on top, the tree below.
const screen = new Screen(tty && !options.logsHere);

// 1. The local parts. A first run builds or fetches them: dev-state prints its progress as [parts] lines.
screen.note(`starting the local parts under ${shown(localDir)} (the first run builds them; progress below)`);
const paths = devPaths(localDir);
const { parts, reused } = await devUp(paths, stderrLog);
const partsMs = since();
screen.note(`${reused ? 'reusing' : 'started'} kube-apiserver ${parts.controlPlane.server} and Neo4j ${parts.neo4j.uri} (${seconds(partsMs)})`);

// 2. The examples, with the demo instance pointed at the local Neo4j.
const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const demo = await applyExamples(KubernetesObjectApi.makeApiClient(kc), join(root, 'examples'), parts.neo4j, (file) => screen.note(`applied examples/${file}`));
const examplesMs = since();

// 3. The watch behind the screen, before the operator, so its first write is seen.
const colour = colourEnabled(process.stdout, process.env);
const operatorStartedAt = Date.now();
let verdict = { level: false, observed: false };
let operatorMs = Number.NaN;
const onSnapshot = (snapshot: ClusterObjects): void => {
  if (!options.logsHere) screen.showTree(renderDemoTree(snapshot, DEMO_INSTANCE, colour && tty));
  const progress = verdictProgress(snapshot, DEMO_INSTANCE, demo?.metadata?.resourceVersion, operatorStartedAt);
  const instance = snapshot.instances.find((i) => i.metadata?.name === DEMO_INSTANCE)?.status;
  if (progress.level && !verdict.level) screen.note(`first level verdict in ${seconds(since())}: ${DEMO_INSTANCE} ${instance?.level ?? ''}`);
  if (progress.observed && !verdict.observed) {
    const phases = `parts ${seconds(partsMs)}, examples ${seconds(examplesMs - partsMs)}, operator start ${seconds(operatorMs - examplesMs)}, first poll written ${seconds(since() - operatorMs)}`;
    screen.note(`first verdict in ${seconds(since())} (${phases}): ${DEMO_INSTANCE} ${instance?.level ?? ''}, observed ${instance?.observed?.connections ?? '?'} connections`);
    // Leak detection needs LEAK_MIN_SPAN_MS of polls: say when, rather than pretend.
    const firstPoll = Date.parse(instance?.observed?.sampledAt ?? new Date().toISOString());
    screen.note(`LeakSuspected can appear from ${clock(firstPoll + LEAK_MIN_SPAN_MS)} on: the leak window needs ${LEAK_MIN_SPAN_MS / 60_000} min of polls (orders-api leaks a connection every 30 s)`);
  }
  verdict = { level: verdict.level || progress.level, observed: verdict.observed || progress.observed };
};
const watch = watchObjects(kc, statusSources(kc, undefined), () => onSnapshot(watch.objects()), (line) => screen.note(`status watch: ${line}`));
await watch.start();

// 4. The operator (in this process) and the load generators, side by side.
const logFile = join(localDir, 'operator.log');
const config = parseConfig(['--kubeconfig', paths.kubeconfig, '--metrics-bind-address', '127.0.0.1:0', ...options.operatorArgs], {});
// This run's logs only: a person reading the file reads this run.
const logFd = options.logsHere ? undefined : openSync(logFile, 'w');
const log = createLogger(config.logLevel, {
  format: options.logFormat,
  colour: options.logsHere && options.logFormat === 'text' && colour,
  // Synchronous writes: a line is in the file before anything that follows it happens.
  ...(logFd === undefined ? {} : { destination: { write: (line: string) => void writeSync(logFd, line) } }),
});
let shuttingDown = false;
const startup = Promise.all([
  runOperator(config, log).then((operator) => {
    operatorMs = since();
    return operator;
  }),
  options.load ? startDemoLoad(demoServices(options.loadMinutes * 60_000), parts.neo4j) : Promise.resolve([]),
]);

// 5. Ctrl-C (also while the operator and the generators start): they stop; the parts stay for the next start.
const stop = async (): Promise<void> => {
  shuttingDown = true;
  screen.close();
  startLog('stopping the load generators and the operator ...');
  await watch.stop();
  const [running, loads] = await startup;
  await stopDemoLoad(loads);
  await running.shutdown();
  startLog(`stopped the load generators${loads.length > 0 ? ` (pids ${loads.map((l) => l.process.pid).join(', ')})` : ''} and the operator`);
  startLog(`the local parts still run (kube-apiserver pid ${parts.controlPlane.apiserverPid}, etcd pid ${parts.controlPlane.etcdPid}, Neo4j pid ${parts.neo4j.pid}); \`${downHint}\` stops them`);
};
// `npm start` forwards the terminal's SIGINT to us, which the terminal also sent us: one Ctrl-C can
// arrive twice. Only a second press (later than this) means "stop now, without waiting".
const SAME_PRESS_MS = 1_000;
let firstSignalAt = 0;
const onSignal = (): void => {
  if (shuttingDown) {
    if (Date.now() - firstSignalAt < SAME_PRESS_MS) return;
    startLog('stopping anyway');
    process.exit(130);
  }
  firstSignalAt = Date.now();
  stop().then(
    () => process.exit(0),
    (error: unknown) => {
      startLog(`stopping failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const [running, loads] = await startup;
const loadMs = since();
screen.note(`operator running against ${parts.controlPlane.server}; metrics on http://${running.metricsAddress}/metrics`);
screen.note(options.logsHere ? `operator logs below (${options.logFormat})` : `operator logs (${options.logFormat}): ${shown(logFile)}  (tail -f ${shown(logFile)})`);
if (loads.length > 0) screen.note(`operator and load generators up in ${seconds(loadMs - examplesMs)}`);
for (const { service, process: load } of loads) {
  screen.note(`load ${service.workload} (pid ${load.pid}, ${service.mode}): ${service.story}; stops by itself after ${options.loadMinutes} min`);
  void load.exited().then((code) => {
    if (!shuttingDown) screen.note(`load ${service.workload} (pid ${load.pid}) stopped (exit ${code}): its cap or an error; the operator keeps watching`);
  });
}
screen.note(`also: kubectl --kubeconfig ${shown(paths.kubeconfig)} get n4j,bb -A`);
screen.note('Ctrl-C stops the load generators and the operator');
onSnapshot(watch.objects());

