/**
 * Versions of the command-line tools the tests run (kubectl follows KUBERNETES_VERSION). Pinned, not "latest",
 * so the cache key is known without asking a registry and `npm run parts` stays a no-op on a warm cache.
 */
export const HELM_VERSION = '4.3.1';
export const GOPHER_LUA_VERSION = '1.1.2';
export const HADOLINT_VERSION = '2.15.1';
/** Only when Debian's prometheus package cannot be fetched: promtool built from this module version (= Prometheus 3.15.0; the proxy here lacks two pseudo-versions v0.316.0 needs). */
export const PROMETHEUS_MODULE_VERSION = '0.315.0';
