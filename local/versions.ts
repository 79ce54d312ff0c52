/** Versions of the real parts the tests and `npm run dev:up` run. The cache is keyed by them. */
export const KUBERNETES_VERSION = '1.36.3';
export const ETCD_VERSION = '3.6.16';
export const NEO4J_VERSION = '5.26.30';
