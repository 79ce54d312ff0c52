import { Command, InvalidArgumentError, Option } from 'commander';

export interface OperatorConfig {
  kubeconfig: string | undefined;
  metricsBindAddress: string;
  leaderElect: boolean;
  leaderElectionNamespace: string;
  namespaces: string[];
  /** The only namespaces whose Secrets the operator may get (never list or watch). */
  secretNamespaces: string[];
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  eventNamespace: string;
  resyncSeconds: number;
  workers: number;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${flag} takes a whole number of at least 1, got "${value}"`);
    return parsed;
  };
}

function namespaceList(flag: string, options: { allowEmpty: boolean }): (value: string) => string[] {
  return (value) => {
    const namespaces = value.split(',').map((n) => n.trim()).filter(Boolean);
    const bad = namespaces.find((n) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n) || n.length > 63);
    if (bad !== undefined) throw new InvalidArgumentError(`${flag} takes namespace names separated by commas; "${bad}" is not one`);
    // An empty --namespaces means all; an empty --secret-namespaces would mean no Secret at all, never all of them.
    if (namespaces.length === 0 && !options.allowEmpty) throw new InvalidArgumentError(`${flag} takes at least one namespace name`);
    return namespaces;
  };
}

/** Parses the command line; the environment supplies only the defaults a Pod would give. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): OperatorConfig {
  const program = new Command('boltbudget-operator')
    .description('Keeps the Bolt connections of every application inside its Neo4j instance\'s connection limit.')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else the in-cluster service account)', env.KUBECONFIG || undefined)
    .option('--metrics-bind-address <host:port>', 'where /metrics, /healthz and /readyz are served', ':8080')
    .option('--leader-elect', 'run for leadership on a Lease; only the leader reconciles', false)
    .option('--leader-election-namespace <namespace>', 'namespace of the leader Lease', env.POD_NAMESPACE || 'boltbudget-system')
    .option('--namespaces <list>', 'namespaces to watch for budgets and workloads, comma-separated (default: all)', namespaceList('--namespaces', { allowEmpty: true }), [] as string[])
    .option(
      '--secret-namespaces <list>',
      'the only namespaces whose Secrets (credentialsSecretRef) the operator may get, comma-separated (default: $POD_NAMESPACE, else boltbudget-system)',
      namespaceList('--secret-namespaces', { allowEmpty: false }),
      [env.POD_NAMESPACE || 'boltbudget-system'],
    )
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .option('--event-namespace <namespace>', 'namespace for events about cluster-scoped Neo4jInstances', 'default')
    .option('--resync-seconds <n>', 'seconds between full resyncs', positiveInteger('--resync-seconds'), 300)
    .option('--workers <n>', 'reconciles running at once', positiveInteger('--workers'), 4)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.parse([...argv], { from: 'user' });
  return program.opts<OperatorConfig>();
}
