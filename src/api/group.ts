/** The API group and the names of the two kinds, used by the CRDs, the clients and the printers. */
export const GROUP = 'boltbudget.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const CATEGORY = 'boltbudget';

export interface KindNames {
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
}

export const NEO4J_INSTANCE: KindNames = {
  kind: 'Neo4jInstance',
  listKind: 'Neo4jInstanceList',
  plural: 'neo4jinstances',
  singular: 'neo4jinstance',
  shortNames: ['n4j'],
};

export const BOLT_BUDGET: KindNames = {
  kind: 'BoltBudget',
  listKind: 'BoltBudgetList',
  plural: 'boltbudgets',
  singular: 'boltbudget',
  shortNames: ['bb'],
};
