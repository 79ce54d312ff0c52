import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { parseConfig } from '../../src/config.ts';

/** The error parseConfig throws (commander's exitOverride), with what commander wrote to stderr. */
function rejection(argv: string[]): CommanderError {
  try {
    parseConfig(argv, {});
  } catch (error) {
    if (error instanceof CommanderError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
}

describe('parseConfig', () => {
  let stderr: MockInstance<typeof process.stderr.write>;
  beforeEach(() => {
    // commander prints its error before throwing; keep the test output clean.
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());

  it('has defaults for everything', () => {
    const config = parseConfig([], {});
    expect(config).toMatchObject({
      metricsBindAddress: ':8080',
      leaderElect: false,
      leaderElectionNamespace: 'boltbudget-system',
      namespaces: [],
      secretNamespaces: ['boltbudget-system'],
      logLevel: 'info',
      eventNamespace: 'default',
      resyncSeconds: 300,
      workers: 4,
    });
    expect(config.kubeconfig).toBeUndefined();
  });

  it('takes KUBECONFIG and POD_NAMESPACE from the env argument as defaults', () => {
    const config = parseConfig([], { KUBECONFIG: '/home/me/.kube/config', POD_NAMESPACE: 'ops' });
    expect(config.kubeconfig).toBe('/home/me/.kube/config');
    expect(config.leaderElectionNamespace).toBe('ops');
    expect(config.secretNamespaces).toEqual(['ops']);
  });

  it('ignores an empty KUBECONFIG, and a flag beats the environment', () => {
    expect(parseConfig([], { KUBECONFIG: '' }).kubeconfig).toBeUndefined();
    expect(parseConfig(['--kubeconfig', '/tmp/kc'], { KUBECONFIG: '/env/kc' }).kubeconfig).toBe('/tmp/kc');
  });

  it('reads every flag', () => {
    const config = parseConfig(
      ['--metrics-bind-address', '127.0.0.1:0', '--leader-elect', '--log-level', 'debug', '--event-namespace', 'ops', '--resync-seconds', '60', '--workers', '8'],
      {},
    );
    expect(config).toMatchObject({ metricsBindAddress: '127.0.0.1:0', leaderElect: true, logLevel: 'debug', eventNamespace: 'ops', resyncSeconds: 60, workers: 8 });
  });

  it('splits --namespaces on commas, trimming blanks', () => {
    expect(parseConfig(['--namespaces', 'a,b'], {}).namespaces).toEqual(['a', 'b']);
    expect(parseConfig(['--namespaces', ' shop , , finance '], {}).namespaces).toEqual(['shop', 'finance']);
  });

  it.each([['Shop'], ['a,b_c'], ['-lead'], ['x'.repeat(64)]])('rejects the namespace list %j naming --namespaces', (value) => {
    const error = rejection(['--namespaces', value]);
    expect(error.code).toBe('commander.invalidArgument');
    expect(error.message).toContain('--namespaces');
  });

  it('splits --secret-namespaces on commas, and the flag beats POD_NAMESPACE', () => {
    expect(parseConfig(['--secret-namespaces', ' ops , , monitoring '], { POD_NAMESPACE: 'boltbudget' }).secretNamespaces).toEqual(['ops', 'monitoring']);
  });

  it.each([['Ops'], ['ops,team_a'], ['-lead'], ['x'.repeat(64)]])('rejects the secret namespace list %j naming --secret-namespaces', (value) => {
    const error = rejection(['--secret-namespaces', value]);
    expect(error.code).toBe('commander.invalidArgument');
    expect(error.message).toContain('--secret-namespaces');
    expect(error.message).not.toContain('--namespaces ');
  });

  it.each([[''], [' , ']])('rejects an empty --secret-namespaces %j: no namespace never means every namespace', (value) => {
    const error = rejection(['--secret-namespaces', value]);
    expect(error.code).toBe('commander.invalidArgument');
    expect(error.message).toContain('--secret-namespaces takes at least one namespace name');
  });

  it.each([['0'], ['-3'], ['2.5'], ['many']])('rejects --workers %s naming the flag', (value) => {
    const error = rejection(['--workers', value]);
    expect(error.code).toBe('commander.invalidArgument');
    expect(error.message).toContain('--workers');
    expect(error.message).toContain(`"${value}"`);
  });

  it('rejects a bad --resync-seconds naming that flag', () => {
    expect(rejection(['--resync-seconds', '0']).message).toContain('--resync-seconds');
  });

  it('rejects a bad --log-level naming the flag and the choices', () => {
    const error = rejection(['--log-level', 'loud']);
    expect(error.message).toContain('--log-level');
    expect(error.message).toContain('trace, debug, info, warn, error, fatal');
  });

  it('rejects an unknown flag', () => {
    expect(rejection(['--bogus']).code).toBe('commander.unknownOption');
  });
});
