/** `meshlens serve --kubeconfig/--context/--in-cluster`: the live sources of a kubeconfig's clusters, with telemetry. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { createClusterSet, createPrometheusTelemetry, discoverPrometheus, type ClusterSet, type TelemetryProvider } from '@meshlens/sources';
import type { PrometheusCliOptions } from './prometheus-options.js';

export interface KubeCliOptions {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  istioNamespace: string;
}

/** Adds the cluster options to `serve`. */
export function addKubeOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <path>', 'read a live cluster through this kubeconfig (default as kubectl: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to open first (default: its current-context); the console can switch to the others')
    .addOption(new Option('--in-cluster', 'read the cluster Meshlens runs in, with its pod\'s service account').env('MESHLENS_IN_CLUSTER'))
    .addOption(new Option('--istio-namespace <ns>', 'namespace of istiod and its `istio` ConfigMap').default('istio-system'));
}

/** True when the options ask for a live cluster rather than the demo or files. */
export function wantsCluster(opts: KubeCliOptions): boolean {
  return Boolean(opts.kubeconfig || opts.context || opts.inCluster);
}

/**
 * Opens the kubeconfig's clusters. Telemetry: `--prometheus` for the first context; otherwise (and for the other
 * contexts) the cluster's own Prometheus, found and reached through the API server's service proxy.
 */
export function openClusters(opts: KubeCliOptions & PrometheusCliOptions, given: TelemetryProvider | undefined, note: (message: string) => void): ClusterSet {
  let first = true;
  return createClusterSet({
    kubeconfigPath: opts.kubeconfig,
    context: opts.context,
    inCluster: opts.inCluster,
    istioNamespace: opts.istioNamespace,
    telemetryFor: async (kc, context) => {
      if (given && first) {
        first = false;
        return given;
      }
      first = false;
      const found = await discoverPrometheus(kc);
      if (!found) {
        note(`context ${context}: no Prometheus found (looked for istio-system/prometheus and Services labelled app.kubernetes.io/name=prometheus or app=prometheus); the graph shows configuration without traffic. Pass --prometheus URL to use another.`);
        return undefined;
      }
      if (found.cert) note(`context ${context}: the kubeconfig authenticates with a client certificate, which the Prometheus client cannot present through the API server proxy; pass --prometheus URL if queries fail`);
      let caFile = found.caFile;
      if (!caFile && found.ca) {
        // certificate-authority-data: the Prometheus client reads its CA from a file.
        caFile = join(mkdtempSync(join(tmpdir(), 'meshlens-ca-')), 'ca.crt');
        writeFileSync(caFile, found.ca, { mode: 0o600 });
      }
      note(`context ${context}: using ${found.description}`);
      return createPrometheusTelemetry({ url: found.url, headers: found.headers, caFile, insecure: found.insecure, timeoutMs: opts.prometheusTimeout * 1000, maxSeries: opts.prometheusMaxSeries });
    },
    onTelemetryError: (context, e) => note(`context ${context}: cannot set up Prometheus (${e.message}); the graph shows configuration without traffic`),
  });
}
