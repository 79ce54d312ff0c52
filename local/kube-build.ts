import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './cache.ts';
import { buildGoCommand, ensureBinary, goEnv } from './go-build.ts';
import { withHeartbeat, type ProgressLog } from './log.ts';
import { runCommand } from './run-command.ts';
import { ETCD_VERSION, KUBERNETES_VERSION } from './versions.ts';

/**
 * Builds the real kube-apiserver and etcd from the Go module proxy into the cache, once per version.
 * k8s.io/kubernetes pins its staging modules at v0.0.0, so the generated module replaces each of them
 * with the published v0.Y.Z of the same release (read from the release's own go.mod).
 */
export interface KubeBinaries {
  kubeApiserver: string;
  etcd: string;
}

async function stagingModules(kubernetesVersion: string): Promise<string[]> {
  const info = JSON.parse(await runCommand('go', ['mod', 'download', '-json', `k8s.io/kubernetes@v${kubernetesVersion}`], { env: goEnv() })) as {
    GoMod: string;
  };
  const goMod = readFileSync(info.GoMod, 'utf8');
  const modules = [...goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)].map((match) => match[1] as string);
  if (modules.length === 0) throw new Error(`no staging modules found in k8s.io/kubernetes@v${kubernetesVersion} go.mod`);
  return modules;
}

/** The version stamp `kubectl version` and the API server's /version report, as the release build sets it. */
export function versionLdflags(version: string): string {
  const [major, minor] = version.split('.');
  const pkg = 'k8s.io/component-base/version';
  return [`-X ${pkg}.gitVersion=v${version}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`, '-s -w'].join(' ');
}

/** A wrapper module requiring k8s.io/kubernetes with each staging module replaced by its published release. */
export async function kubernetesGoMod(moduleName: string): Promise<string> {
  const staging = await stagingModules(KUBERNETES_VERSION);
  const minor = KUBERNETES_VERSION.split('.').slice(1).join('.');
  const replaces = staging.map((module) => `\t${module} => ${module} v0.${minor}`).join('\n');
  return `module ${moduleName}\n\ngo 1.26.0\n\nrequire k8s.io/kubernetes v${KUBERNETES_VERSION}\n\nreplace (\n${replaces}\n)\n`;
}

async function buildKubeApiserver(dir: string, log: ProgressLog): Promise<void> {
  await buildGoCommand(
    dir,
    {
      name: 'kube-apiserver',
      goMod: await kubernetesGoMod('boltbudget.local/kube-apiserver'),
      main: 'k8s.io/kubernetes/cmd/kube-apiserver',
      ldflags: versionLdflags(KUBERNETES_VERSION),
      what: `building kube-apiserver v${KUBERNETES_VERSION} (first run only; several minutes on 2 cores)`,
    },
    log,
  );
}

async function buildEtcd(dir: string, log: ProgressLog): Promise<void> {
  const source = join(dir, 'src');
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'go.mod'), `module boltbudget.local/etcd\n\ngo 1.26.0\n\nrequire go.etcd.io/etcd/server/v3 v${ETCD_VERSION}\n`);
  // The stock etcd command line, unchanged: etcdmain is what etcd's own main calls.
  writeFileSync(join(source, 'main.go'), 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n');
  const output = join(dir, 'etcd.partial');
  await withHeartbeat(
    log,
    `building etcd v${ETCD_VERSION}`,
    (async () => {
      await runCommand('go', ['mod', 'tidy'], { cwd: source, env: goEnv() });
      await runCommand('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', output, '.'], { cwd: source, env: goEnv() });
    })(),
  );
  renameSync(output, join(dir, 'etcd'));
}

/** Returns the cached binaries, building whichever is missing (both builds are independent). */
export async function ensureKubeBinaries(log: ProgressLog): Promise<KubeBinaries> {
  const root = cacheRoot();
  const [kubeApiserver, etcd] = await Promise.all([
    ensureBinary('kube-apiserver', join(root, `kube-apiserver-v${KUBERNETES_VERSION}`), buildKubeApiserver, log),
    ensureBinary('etcd', join(root, `etcd-v${ETCD_VERSION}`), buildEtcd, log),
  ]);
  return { kubeApiserver, etcd };
}
