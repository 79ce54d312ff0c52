import { setTimeout as sleep } from 'node:timers/promises';
import type { OperatorProcess } from './operator-process.ts';

/** One object as the operator's reconcile log lines name it. */
export type Reconciled = { boltBudget: string } | { neo4jInstance: string };

/**
 * Waits until the operator (run with `--log-level debug`) has finished `count` reconciles of the object
 * that it logged after this call: the positive signal before a "nothing happened" check. With one worker
 * per key, the second of two such reconciles started after the first ended, so it read the caches as they
 * were after this call; a small `--resync-seconds` brings them without any change.
 */
export async function laterReconciles(operator: OperatorProcess, object: Reconciled, count = 2, timeoutMs = 30_000): Promise<void> {
  const [field, value] = 'boltBudget' in object ? ['boltBudget', object.boltBudget] : ['neo4jInstance', object.neo4jInstance];
  const msg = field === 'boltBudget' ? 'budget reconciled' : 'instance reconciled';
  const from = operator.lines.length;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = operator.lines.slice(from).filter((line) => line.msg === msg && line[field] === value).length;
    if (seen >= count) return;
    if (!operator.running()) throw new Error(`operator exited (${operator.exitCode}) before ${count} reconciles of ${value}`);
    if (Date.now() > deadline) throw new Error(`${seen} of ${count} reconciles of ${value} within ${timeoutMs} ms (is the operator run with --log-level debug and a small --resync-seconds?)`);
    await sleep(20);
  }
}

/** laterReconciles for the budget `namespace/name`. */
export function laterBudgetReconciles(operator: OperatorProcess, key: string, count = 2, timeoutMs = 30_000): Promise<void> {
  return laterReconciles(operator, { boltBudget: key }, count, timeoutMs);
}
