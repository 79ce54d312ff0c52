import { readFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createPki, type Pki } from './pki.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { freePorts } from './ports.ts';
import { isRunning, startDaemon, stopProcess, waitFor } from './processes.ts';
import type { KubeBinaries } from './kube-build.ts';

/** A running etcd + kube-apiserver pair on loopback; serialisable so dev:down can stop it later. */
export interface ControlPlaneState {
  dir: string;
  server: string;
  kubeconfig: string;
  etcdPid: number;
  apiserverPid: number;
  etcdPort: number;
  apiserverPort: number;
}

function httpsGet(url: string, pki: Pick<Pki, 'caCert' | 'adminCert' | 'adminKey'>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca: readFileSync(pki.caCert), cert: readFileSync(pki.adminCert), key: readFileSync(pki.adminKey), timeout: 2000 },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * A port picked free can be taken by another process before the server binds it (parallel test runs):
 * a server that exits before it is ready is started again on fresh ports, a few times.
 */
async function withPortRetries<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !(error instanceof Error) || !error.message.includes('exited before it was ready')) throw error;
    }
  }
}

async function startEtcd(binary: string, dir: string): Promise<{ pid: number; port: number }> {
  return withPortRetries(() => startEtcdOnce(binary, dir));
}

async function startEtcdOnce(binary: string, dir: string): Promise<{ pid: number; port: number }> {
  const [port = 0, peerPort = 0] = await freePorts(2);
  rmSync(join(dir, 'etcd-data'), { recursive: true, force: true });
  const pid = startDaemon(
    binary,
    [
      '--name=default',
      `--data-dir=${join(dir, 'etcd-data')}`,
      `--listen-client-urls=http://127.0.0.1:${port}`,
      `--advertise-client-urls=http://127.0.0.1:${port}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
      // A throwaway test store: durability is not the point, speed is.
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ],
    { logFile: join(dir, 'etcd.log') },
  );
  await waitFor(
    'etcd',
    async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok,
    60_000,
    () => isRunning(pid),
  );
  return { pid, port };
}

function apiserverArgs(pki: Pki, dir: string, etcdPort: number, port: number): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--secure-port=${port}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    '--endpoint-reconciler-type=none',
    '--v=1',
  ];
}

/** Starts etcd, then kube-apiserver against it, and waits for /readyz; writes an admin kubeconfig. */
export async function startControlPlane(binaries: KubeBinaries, dir: string): Promise<ControlPlaneState> {
  mkdirSync(dir, { recursive: true });
  const pki = await createPki(join(dir, 'pki'));
  const etcd = await startEtcd(binaries.etcd, dir);
  let apiserver: { pid: number; port: number };
  try {
    apiserver = await withPortRetries(async () => {
      const [port = 0] = await freePorts(1);
      const pid = startDaemon(binaries.kubeApiserver, apiserverArgs(pki, dir, etcd.port, port), { logFile: join(dir, 'kube-apiserver.log') });
      await waitFor('kube-apiserver /readyz', async () => (await httpsGet(`https://127.0.0.1:${port}/readyz`, pki)).status === 200, 120_000, () => isRunning(pid)).catch(async (error: unknown) => {
        await stopProcess(pid);
        throw error;
      });
      return { pid, port };
    });
  } catch (error) {
    await stopProcess(etcd.pid);
    throw new Error(`${(error as Error).message}; see ${join(dir, 'kube-apiserver.log')}`, { cause: error });
  }
  const { pid: apiserverPid, port } = apiserver;
  const server = `https://127.0.0.1:${port}`;
  const kubeconfig = join(dir, 'admin.kubeconfig');
  writeKubeconfig(kubeconfig, server, pki.caCert, { name: 'admin', clientCertificate: pki.adminCert, clientKey: pki.adminKey });
  return { dir, server, kubeconfig, etcdPid: etcd.pid, apiserverPid, etcdPort: etcd.port, apiserverPort: port };
}

export async function stopControlPlane(state: Pick<ControlPlaneState, 'etcdPid' | 'apiserverPid'>): Promise<void> {
  await stopProcess(state.apiserverPid);
  await stopProcess(state.etcdPid);
}

export function controlPlaneRunning(state: Pick<ControlPlaneState, 'etcdPid' | 'apiserverPid'>): boolean {
  return isRunning(state.etcdPid) && isRunning(state.apiserverPid);
}

/** The certificates createPki wrote under the control plane's directory (file names as in pki.ts). */
function pkiFiles(dir: string): Pick<Pki, 'caCert' | 'adminCert' | 'adminKey'> {
  const pki = join(dir, 'pki');
  return { caCert: join(pki, 'ca.crt'), adminCert: join(pki, 'admin.crt'), adminKey: join(pki, 'admin.key') };
}

/** The command line a running process was started with. */
function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((part) => part !== '');
}

/** Stops kube-apiserver only (etcd, its data, the port and the certificates stay); resolves once it has exited. */
export async function stopApiServer(state: ControlPlaneState): Promise<string[]> {
  const command = commandLine(state.apiserverPid);
  await stopProcess(state.apiserverPid);
  return command;
}

/**
 * Starts kube-apiserver again with the command line it had (same port, certificates and etcd), with any
 * flags in `flags` replacing or adding to its own (`--watch-cache=false`), and waits for /readyz.
 * Returns the new state: the caller must record it where the teardown reads it.
 */
export async function startApiServerAgain(state: ControlPlaneState, command: readonly string[], flags: readonly string[] = []): Promise<ControlPlaneState> {
  const [binary = '', ...args] = command;
  const names = new Set(flags.map((flag) => flag.split('=')[0]));
  const apiserverPid = startDaemon(binary, [...args.filter((arg) => !names.has(arg.split('=')[0])), ...flags], { logFile: join(state.dir, 'kube-apiserver.log') });
  await waitFor('kube-apiserver /readyz after a restart', async () => (await httpsGet(`https://127.0.0.1:${state.apiserverPort}/readyz`, pkiFiles(state.dir))).status === 200, 120_000, () => isRunning(apiserverPid)).catch(
    async (error: unknown) => {
      await stopProcess(apiserverPid);
      throw new Error(`${(error as Error).message}; see ${join(state.dir, 'kube-apiserver.log')}`, { cause: error });
    },
  );
  return { ...state, apiserverPid };
}

/** The command line kube-apiserver runs with now (to restore it after a restart with other flags). */
export function apiServerCommand(state: ControlPlaneState): string[] {
  return commandLine(state.apiserverPid);
}

/**
 * Stops kube-apiserver, runs whileDown (etcd still up), starts it again with its own command line plus
 * `flags`, and records the new pid in the state file the test teardown stops from.
 */
export async function restartApiServer(stateFile: string, options: { flags?: readonly string[]; whileDown?: (state: ControlPlaneState) => Promise<void> } = {}): Promise<ControlPlaneState> {
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as ControlPlaneState;
  const command = await stopApiServer(state);
  try {
    await options.whileDown?.(state);
  } finally {
    const restarted = await startApiServerAgain(state, command, options.flags);
    writeFileSync(stateFile, JSON.stringify(restarted));
  }
  return JSON.parse(readFileSync(stateFile, 'utf8')) as ControlPlaneState;
}
