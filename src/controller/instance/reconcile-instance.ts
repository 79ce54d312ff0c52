import { isDeepStrictEqual } from 'node:util';
import { API_VERSION, NEO4J_INSTANCE } from '../../api/group.ts';
import type { Neo4jInstanceStatus } from '../../api/neo4j-instance.ts';
import { absencesToConfirm } from '../absences.ts';
import type { AbsenceChecks } from '../cache-behind.ts';
import { budgetFacts, budgetsNaming, instanceFacts } from '../gather.ts';
import { recordEvents, type ReconcilerDeps } from '../reconcile-deps.ts';
import { WrittenStatuses } from '../written-statuses.ts';
import { OwedEvents } from '../owed-events.ts';
import { decideInstance } from './instance-decision.ts';

/**
 * The instance path: keep its poll going (or stop it), gather its budgets, decide its status with a pure
 * function, write it once and only when it changed, then record the transitions it explains.
 */
export class InstanceReconciler {
  private readonly deps: ReconcilerDeps;
  private readonly instanceStatuses = new WrittenStatuses<Neo4jInstanceStatus>();
  private readonly absences: AbsenceChecks;
  private readonly owed = new OwedEvents<Neo4jInstanceStatus>();

  constructor(deps: ReconcilerDeps, absences: AbsenceChecks) {
    this.deps = deps;
    this.absences = absences;
  }

  async reconcile(name: string): Promise<void> {
    const { sources, metrics } = this.deps;
    const object = sources.instances.get(name);
    if (!object) {
      this.instanceStatuses.forget(name);
      this.owed.forget(name);
      metrics.forgetInstance(name);
      await this.deps.observations.forget(name);
      return;
    }
    const log = this.deps.log.child({ neo4jInstance: name });
    const facts = instanceFacts(object);
    const bolt = facts.spec.ok ? facts.spec.value.bolt : undefined;
    if (facts.spec.ok && bolt) {
      const spec = facts.spec.value;
      this.deps.observations.ensure(name, {
        uri: bolt.uri,
        secret: bolt.credentialsSecretRef,
        intervalMs: bolt.pollIntervalSeconds * 1000,
        leakGrowthPercentPerHour: spec.leakGrowthPercentPerHour,
        warningPercent: spec.warningPercent,
      });
    } else {
      await this.deps.observations.forget(name);
    }
    const previous = this.instanceStatuses.previous(name, object.metadata?.resourceVersion, object.status);
    const budgets = budgetsNaming(sources, name).map((budget) => budgetFacts(sources, budget));
    const observation = bolt ? this.deps.observations.latest(name) : undefined;
    const decision = decideInstance({ ...facts, ...(previous ? { status: previous } : {}) }, budgets, this.deps.now(), observation, this.deps.scope);
    if (decision.leaveAlone) {
      log.debug({ reason: decision.leaveAlone }, 'instance status left alone');
      return;
    }
    metrics.observeInstance(name, facts.spec.ok ? facts.spec.value : undefined, decision.status);
    const target = { apiVersion: API_VERSION, kind: NEO4J_INSTANCE.kind, name, uid: facts.uid };
    const statusChanged = !isDeepStrictEqual(decision.status, previous);
    // A workload its budget's status last showed present, now absent from the caches, may only be behind them.
    if (statusChanged) await this.absences.confirm(absencesToConfirm(budgets));
    // Events of an earlier status write that got no answer and landed: they explain what `previous` shows.
    await recordEvents(this.deps, target, this.owed.settleStatus(name, previous), log);
    if (!statusChanged) {
      log.debug('instance reconciled');
      return;
    }

    const written = await this.owed.writeStatus(name, decision.status, decision.events, () => this.deps.statusWriter.writeInstanceStatus(name, decision.status));
    metrics.statusWrites.inc({ kind: NEO4J_INSTANCE.kind });
    this.instanceStatuses.remember(name, written.resourceVersion, decision.status);
    log.info({ capacityLevel: decision.status.level, plannedPercent: decision.status.planned?.percent, currentPercent: decision.status.current?.percent }, 'instance status written');
    await recordEvents(this.deps, target, decision.events, log);
    log.debug('instance reconciled');
  }
}
