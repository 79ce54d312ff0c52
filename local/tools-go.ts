import { KUBERNETES_VERSION } from './versions.ts';
import { buildGoCommand } from './go-build.ts';
import { kubernetesGoMod, versionLdflags } from './kube-build.ts';
import type { ProgressLog } from './log.ts';
import { GOPHER_LUA_VERSION, HELM_VERSION, PROMETHEUS_MODULE_VERSION } from './tools-versions.ts';

/** The tools built from the Go module proxy, each in its own cache folder (see tools.ts). */

export async function buildHelm(dir: string, log: ProgressLog): Promise<void> {
  // Helm reads its version from an internal package the release Makefile stamps; unstamped it says "v4.3".
  const pkg = 'helm.sh/helm/v4/internal/version';
  await buildGoCommand(
    dir,
    {
      name: 'helm',
      goMod: `module boltbudget.local/helm\n\ngo 1.26.0\n\nrequire helm.sh/helm/v4 v${HELM_VERSION}\n`,
      main: 'helm.sh/helm/v4/cmd/helm',
      ldflags: `-X ${pkg}.version=v${HELM_VERSION} -X ${pkg}.gitTreeState=clean -s -w`,
      what: `building helm v${HELM_VERSION}`,
    },
    log,
  );
}

export async function buildKubectl(dir: string, log: ProgressLog): Promise<void> {
  // The same wrapper module and flags as kube-apiserver, so the Go build cache shares every common package.
  await buildGoCommand(
    dir,
    {
      name: 'kubectl',
      goMod: await kubernetesGoMod('boltbudget.local/kubectl'),
      main: 'k8s.io/kubernetes/cmd/kubectl',
      ldflags: versionLdflags(KUBERNETES_VERSION),
      what: `building kubectl v${KUBERNETES_VERSION}`,
    },
    log,
  );
}

export async function buildGlua(dir: string, log: ProgressLog): Promise<void> {
  await buildGoCommand(
    dir,
    {
      name: 'glua',
      goMod: `module boltbudget.local/glua\n\ngo 1.26.0\n\nrequire github.com/yuin/gopher-lua v${GOPHER_LUA_VERSION}\n`,
      main: 'github.com/yuin/gopher-lua/cmd/glua',
      ldflags: '-s -w',
      what: `building glua (gopher-lua v${GOPHER_LUA_VERSION})`,
    },
    log,
  );
}

/** The fallback when Debian's package is out of reach: about 8 minutes on 2 cores. */
export async function buildPromtool(dir: string, log: ProgressLog): Promise<void> {
  const prometheusVersion = PROMETHEUS_MODULE_VERSION.replace(/^0\.(\d)(\d+)\./, '$1.$2.');
  await buildGoCommand(
    dir,
    {
      name: 'promtool',
      goMod: `module boltbudget.local/promtool\n\ngo 1.26.0\n\nrequire github.com/prometheus/prometheus v${PROMETHEUS_MODULE_VERSION}\n`,
      main: 'github.com/prometheus/prometheus/cmd/promtool',
      ldflags: `-X github.com/prometheus/common/version.Version=${prometheusVersion} -s -w`,
      what: `building promtool ${prometheusVersion} from the Go module proxy (about 8 minutes on 2 cores)`,
    },
    log,
  );
}
