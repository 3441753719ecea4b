/**
 * Workloads between sidecar and ambient mode (Kiali's ambient_workload_checker.go), on the workload's own object
 * (Deployment, StatefulSet, DaemonSet, Job, CronJob, bare Pod; a Pod whose controller is not in the input):
 * - KIA1311: enrolled in both modes by labels — sidecar injection (namespace `istio-injection=enabled` or
 *   `istio.io/rev`, or the pod's `sidecar.istio.io/inject: "true"`) and ambient (`istio.io/dataplane-mode=ambient`
 *   on the pod or its namespace, unless the pod says `none`).
 * - KIA1312: names a waypoint (istio.io/use-waypoint on the pod, else its namespace) but is not in the ambient mesh.
 *   As in Kiali, a pod labelled `istio.io/dataplane-mode: none` has opted out and is not asked about waypoints.
 * - KIA1313: the waypoint it names does not exist — or cannot serve it: no HBONE listener, `istio.io/waypoint-for`
 *   not covering workload traffic when the pod names it itself, in another namespace whose HBONE listener does not
 *   admit this one; a hint when a waypoint of that name exists elsewhere without `use-waypoint-namespace`.
 * - KIA1314: a sidecar injection label while ztunnel redirects its pods (`ambient.istio.io/redirection: enabled`).
 * - KIA1315: a pod running a sidecar while carrying (or inheriting) the ambient label.
 * - KIA1316: a sidecar in an ambient namespace.
 * - KIA1317: in the ambient mesh, without a usable waypoint, and selected by an L7 AuthorizationPolicy of its
 *   namespace (selector, namespace-wide, or targetRefs to a Service that selects it).
 * Gateway and waypoint proxies are not application workloads and are left alone. KIA1311, 1314, 1315 and 1316 often
 * tell one problem (sidecar and ambient at once): they are told once (grouping.ts), KIA1311 first.
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsOf, someNames, tellsProblem, type RefInput } from './finding.js';
import { rec } from './lookup.js';
import { hostReadKeys, selectorReadKey } from './keys.js';
import { labelsMatch } from '../inventory/query.js';
import { DATAPLANE_MODE_LABEL, inAmbientMesh, USE_WAYPOINT_LABEL } from '../inventory/ambient.js';
import type { Inventory, NamespaceView, PodView, WorkloadView } from '../inventory/types.js';
import { l7AuthorizationField, namedWaypoint, namespaceOf, targetRefsOf, waypointProblem } from './ambient-l7.js';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'Pod'];
const PROBLEM = 'sidecar-and-ambient';

const POD_VIEWS = new WeakMap<Inventory, WeakMap<InventoryObject, PodView>>();

/** The pod view of each Pod object (built once per inventory: a dump can hold thousands of pods per namespace). */
function podsByObject(inv: Inventory): WeakMap<InventoryObject, PodView> {
  let m = POD_VIEWS.get(inv);
  if (!m) {
    m = new WeakMap();
    for (const p of inv.pods) if (p.obj) m.set(p.obj, p);
    POD_VIEWS.set(inv, m);
  }
  return m;
}

/** The workload whose findings `obj` carries: its own, or (for a Pod of a controller absent from the input) its workload's. */
function workloadOf(ctx: CheckContext, obj: InventoryObject): WorkloadView | undefined {
  const ns = nsOf(obj);
  const w = ctx.inv.workloadsByKey.get(`${ns}/${obj.ref.name}`);
  if (w && w.obj === obj) return w;
  if (obj.ref.kind !== 'Pod') return undefined;
  const pod = podsByObject(ctx.inv).get(obj);
  const owner = pod ? ctx.inv.workloadsByKey.get(`${ns}/${pod.workload}`) : undefined;
  return owner && !owner.obj && owner.pods.find((p) => p.obj)?.obj === obj ? owner : undefined;
}

function labelsPath(obj: InventoryObject): string {
  if (obj.ref.kind === 'Pod') return 'metadata.labels';
  if (obj.ref.kind === 'CronJob') return 'spec.jobTemplate.spec.template.metadata.labels';
  return 'spec.template.metadata.labels';
}

/** Where a workload gets sidecar injection from, if it does (the injector's rules: the pod's label wins). */
function sidecarSource(w: WorkloadView, ns: NamespaceView | undefined): 'pod' | 'namespace' | undefined {
  const nsLabels = ns?.labels ?? {};
  const own = w.labels['sidecar.istio.io/inject'] ?? w.annotations['sidecar.istio.io/inject'];
  if (nsLabels['istio-injection'] === 'disabled') return undefined;
  if (own === 'false') return undefined;
  if (own === 'true' || w.labels['istio.io/rev'] !== undefined) return 'pod';
  return nsLabels['istio-injection'] === 'enabled' || nsLabels['istio.io/rev'] !== undefined ? 'namespace' : undefined;
}

/** Where a workload gets the ambient label from, if it does. */
function ambientSource(w: WorkloadView, ns: NamespaceView | undefined): 'pod' | 'namespace' | undefined {
  const own = w.labels[DATAPLANE_MODE_LABEL];
  if (own === 'ambient') return 'pod';
  if (own === 'none') return undefined;
  return ns?.ambient ? 'namespace' : undefined;
}

/** Kiali's hasWaypointLabel: a use-waypoint label (not `none`) on the pod, else on the namespace; opted-out pods have none. */
function waypointLabelled(w: WorkloadView, ns: NamespaceView | undefined): boolean {
  if (w.labels[DATAPLANE_MODE_LABEL] === 'none') return false;
  const own = w.labels[USE_WAYPOINT_LABEL];
  if (own !== undefined) return own !== '' && own !== 'none';
  const nsLabel = ns?.labels[USE_WAYPOINT_LABEL];
  return nsLabel !== undefined && nsLabel !== '' && nsLabel !== 'none';
}

/** Whether an L7 AuthorizationPolicy of the workload's namespace applies to it in ambient mode. */
function l7PoliciesOf(ctx: CheckContext, w: WorkloadView): InventoryObject[] {
  ctx.read(`AuthorizationPolicy:${w.namespace}`);
  const policies = ctx.idx.byNamespace('AuthorizationPolicy').get(w.namespace) ?? [];
  return policies.filter((ap) => {
    if (!l7AuthorizationField(ap)) return false;
    const targets = targetRefsOf(ap);
    if (targets.length > 0) {
      // a Gateway targetRef attaches to the waypoint itself, which this workload does not have
      return targets.some((t) => {
        if (t.kind !== 'Service' || (t.group !== '' && t.group !== 'core')) return false;
        const host = `${t.name}.${w.namespace}.svc.${ctx.inv.clusterDomain}`;
        for (const k of hostReadKeys('R', host)) ctx.read(k);
        const svc = ctx.inv.servicesByHost.get(host);
        return !!svc?.selector && Object.keys(svc.selector).length > 0 && labelsMatch(svc.selector, w.labels);
      });
    }
    const selector = rec(rec(rec(ap.object.spec).selector).matchLabels) as Record<string, string>;
    if (Object.keys(selector).length === 0) return true;
    ctx.read(selectorReadKey(w.namespace, selector));
    return labelsMatch(selector, w.labels) || w.pods.some((p) => labelsMatch(selector, p.labels));
  });
}

export const ambientWorkloads: Check = {
  name: 'ambient-workloads',
  kinds: WORKLOAD_KINDS,
  run(ctx, obj) {
    const w = workloadOf(ctx, obj);
    if (!w || w.isGatewayProxy) return [];
    const ns = w.namespace;
    ctx.read(`W:${ns}`);
    const nsView = namespaceOf(ctx, ns);
    const path = labelsPath(obj);
    const nsRef: RefInput[] = nsView?.obj ? [{ obj: nsView.obj, path: 'metadata.labels', note: `namespace ${ns}'s labels` }] : [];
    const realPods = w.pods.filter((p) => !p.synthetic && p.obj);
    const out: Finding[] = [];
    const sidecar = sidecarSource(w, nsView);
    const ambientLabel = ambientSource(w, nsView);
    const sidecarWhy = sidecar === 'pod' ? 'its pod template asks for sidecar injection (sidecar.istio.io/inject or istio.io/rev)' : `namespace ${ns} enables sidecar injection (${nsView?.labels['istio-injection'] === 'enabled' ? 'istio-injection=enabled' : `istio.io/rev=${nsView?.labels['istio.io/rev']}`})`;
    const ambientWhy = ambientLabel === 'pod' ? 'its pods are labelled istio.io/dataplane-mode=ambient' : `namespace ${ns} is labelled istio.io/dataplane-mode=ambient`;
    const stayFix = `Choose one mode: for ambient, stop the injection (${sidecar === 'pod' ? 'remove sidecar.istio.io/inject / istio.io/rev from the pod template' : `remove istio-injection from namespace ${ns}, or set sidecar.istio.io/inject: "false" on the pods`}) and restart the workload; for sidecars, ${ambientLabel === 'pod' ? 'remove istio.io/dataplane-mode from the pods' : 'label the pods istio.io/dataplane-mode: none'}.`;

    if (sidecar && ambientLabel) {
      out.push(tellsProblem(makeFinding(obj, 'KIA1311', path,
        `This workload is enrolled in both data plane modes: ${sidecarWhy}, and ${ambientWhy}. The injector adds a sidecar and ztunnel then leaves the pods to it, so they run in sidecar mode while the labels say ambient.`,
        stayFix, sidecar === 'namespace' || ambientLabel === 'namespace' ? nsRef : []), { problem: PROBLEM }));
    }
    if (sidecar) {
      const redirected = realPods.filter((p) => p.annotations['ambient.istio.io/redirection'] === 'enabled');
      if (redirected.length > 0) {
        out.push(tellsProblem(makeFinding(obj, 'KIA1314', path,
          `This workload has sidecar injection (${sidecarWhy}) while ztunnel redirects the traffic of its pod${redirected.length > 1 ? 's' : ''} ${redirected.map((p) => p.name).join(', ')} (ambient.istio.io/redirection: enabled): its traffic is captured twice, or by the mode the labels do not ask for.`,
          stayFix, redirected.slice(0, 3).map((p) => ({ obj: p.obj!, path: 'metadata.annotations', note: 'redirected by ztunnel' }))),
        { problem: PROBLEM, sentence: `ztunnel also redirects its pod${redirected.length > 1 ? 's' : ''} ${redirected.map((p) => p.name).join(', ')} (ambient.istio.io/redirection: enabled)`, fix: '' }));
      }
    }
    if (ambientLabel) {
      const withSidecar = realPods.filter((p) => p.hasSidecar);
      if (withSidecar.length > 0) {
        out.push(tellsProblem(makeFinding(obj, 'KIA1315', path,
          `Pod${withSidecar.length > 1 ? 's' : ''} ${withSidecar.map((p) => p.name).join(', ')} of this workload run${withSidecar.length > 1 ? '' : 's'} an istio-proxy sidecar although ${ambientWhy}: ztunnel does not capture pods with a sidecar, so they are not in the ambient mesh.`,
          stayFix, withSidecar.slice(0, 3).map((p) => ({ obj: p.obj!, path: 'spec.containers', note: 'runs istio-proxy' }))),
        { problem: PROBLEM, sentence: `Pod${withSidecar.length > 1 ? 's' : ''} ${withSidecar.map((p) => p.name).join(', ')} already run${withSidecar.length > 1 ? '' : 's'} the istio-proxy sidecar`, fix: '' }));
      }
    }
    if (w.pods.length > 0 && w.hasSidecar && nsView?.ambient) {
      out.push(tellsProblem(makeFinding(obj, 'KIA1316', path,
        `This workload runs a sidecar in namespace ${ns}, which is labelled istio.io/dataplane-mode=ambient: its pods stay in sidecar mode (ztunnel skips pods with a sidecar) while the rest of the namespace is ambient, so ambient-only config (waypoints, L4 policy through ztunnel) does not apply to it.`,
        `If it should be ambient, stop injecting the sidecar (sidecar.istio.io/inject: "false", no istio-injection on the namespace) and restart it; if it must keep its sidecar, label its pods istio.io/dataplane-mode: none to say so.`, nsRef),
      { problem: PROBLEM, sentence: `Its pods run the sidecar in a namespace labelled istio.io/dataplane-mode=ambient, so they stay in sidecar mode`, fix: '' }));
    }

    const ambient = inAmbientMesh(ctx.inv, w);
    const labelled = waypointLabelled(w, nsView);
    const ownWaypoint = w.labels[USE_WAYPOINT_LABEL] !== undefined;
    const wpRef = namedWaypoint(ctx, w.labels, ns);
    const problem = wpRef ? waypointProblem(ctx, wpRef, 'workload', ns) : undefined;
    if (w.pods.length > 0 && labelled && !ambient && wpRef) {
      const why = w.hasSidecar ? 'it runs a sidecar, and ztunnel does not capture pods with a sidecar' : `neither it nor namespace ${ns} is labelled istio.io/dataplane-mode=ambient`;
      out.push(makeFinding(obj, 'KIA1312', path,
        `${ownWaypoint ? 'This workload' : `Namespace ${ns}`} names waypoint ${wpRef.namespace}/${wpRef.name} (istio.io/use-waypoint), but the workload is not in the ambient mesh (${why}): its traffic never reaches the waypoint, and the L7 config meant for it does not apply.`,
        `Add the workload to the ambient mesh (istio.io/dataplane-mode=ambient on the namespace or pods${w.hasSidecar ? ', and stop injecting the sidecar' : ''}), or remove the istio.io/use-waypoint label.`,
        ownWaypoint ? [] : nsRef));
    }
    if (w.pods.length > 0 && labelled && problem) {
      const refs: RefInput[] = [...(ownWaypoint ? [] : nsRef)];
      if (problem.waypoint) refs.push({ obj: problem.waypoint, path: 'spec.listeners', note: 'the waypoint named' });
      refs.push(...problem.others.slice(0, 3).map((g) => ({ obj: g, path: 'metadata.name', note: 'a waypoint of that name elsewhere' })));
      out.push(makeFinding(obj, 'KIA1313', path, problem.message.charAt(0).toUpperCase() + problem.message.slice(1), problem.fix, refs));
    }
    if (ambient && (!wpRef || problem)) {
      const policies = l7PoliciesOf(ctx, w);
      if (policies.length > 0) {
        const names = policies.map((p) => p.ref.name);
        out.push(makeFinding(obj, 'KIA1317', path,
          `L7 AuthorizationPolic${policies.length > 1 ? 'ies' : 'y'} ${someNames(names)} of namespace ${ns} appl${policies.length > 1 ? 'y' : 'ies'} to this ambient workload, but it has no ${wpRef ? 'usable ' : ''}waypoint: ztunnel alone cannot evaluate HTTP attributes and enforces such policies more strictly than written (failing closed).`,
          `Deploy a waypoint and enroll the workload's Service or namespace (istioctl waypoint apply -n ${ns} --enroll-namespace), then attach the polic${policies.length > 1 ? 'ies' : 'y'} to it with targetRefs.`,
          policies.slice(0, 3).map((p) => ({ obj: p, path: l7AuthorizationField(p)!.path, note: 'L7 rule' }))));
      }
    }
    return out;
  },
};
