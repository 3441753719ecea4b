/**
 * Gateway API Gateways (Kiali's k8sgateways checkers) and ReferenceGrants (k8sreferencegrants):
 * - KIA1501: a listener with the same hostname, port and protocol as a listener of another Gateway. Kiali compares
 *   Gateways by name only (two `gw` of different namespaces never meet); Meshlens by namespace and name.
 * - KIA1502: an address (type and value) another Gateway also asks for.
 * - KIA1503: two listeners of one Gateway with the same hostname, port and protocol. Kiali compares only listeners
 *   that both have a hostname; the Gateway API's uniqueness rule counts an absent hostname as a value, so two
 *   hostname-less listeners on one port and protocol conflict too. Reported on the later listener.
 * - MLS0601: two listeners of one Gateway with the same name (the API server refuses it; files can hold it).
 * - KIA1504: `gatewayClassName` names no GatewayClass. Kiali checks its configured class list; Meshlens checks the
 *   GatewayClasses of the input, and knows the classes istiod creates itself (istio, istio-waypoint, istio-remote,
 *   istio-east-west), which a file set rarely holds.
 * - MLS0602: a listener's `tls.certificateRefs` Secret that does not exist, or lies in another namespace without a
 *   ReferenceGrant allowing the Gateway to read it (Istio then refuses the listener: InvalidCertificateRef /
 *   RefNotPermitted).
 * - KIA1601: a ReferenceGrant whose `from` names a namespace that does not exist.
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsName, nsOf, someNames } from './finding.js';
import { arr, rec } from './lookup.js';
import { GATEWAY_API, GATEWAY_CLASS_KIND, GW_KIND, listenersOf, REFERENCE_GRANT_KIND, referenceGrantFor, referenceGrantYaml, type Listener } from './gateway-api-refs.js';

/** The GatewayClasses istiod creates by itself (absent from most file sets). */
export const ISTIO_GATEWAY_CLASSES = ['istio', 'istio-waypoint', 'istio-remote', 'istio-east-west'];

function sameListener(a: Listener, b: Listener): boolean {
  return (a.hostname ?? '') === (b.hostname ?? '') && a.port === b.port && a.protocol === b.protocol;
}

function describe(l: Listener): string {
  return `${l.hostname ?? '(any hostname)'}:${l.port ?? '?'} ${l.protocol ?? ''}`.trim();
}

function listenerLabel(l: Listener): string {
  return l.name ? `listener "${l.name}"` : `listener #${l.index}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** KIA1503 and MLS0601: conflicts among the listeners of one Gateway. */
function ownListeners(gw: InventoryObject, listeners: Listener[]): Finding[] {
  const out: Finding[] = [];
  listeners.forEach((l, i) => {
    const earlier = listeners.slice(0, i);
    const twin = earlier.find((e) => l.name !== undefined && e.name === l.name);
    if (twin) {
      out.push(makeFinding(gw, 'MLS0601', `spec.listeners[${i}].name`,
        `Two listeners of this Gateway are named "${l.name}" (#${twin.index} and #${i}): listener names must be unique (the API server refuses the Gateway), and routes' sectionName cannot tell them apart.`,
        `Rename listener #${i}.`, [{ obj: gw, path: `spec.listeners[${twin.index}].name`, note: 'the first listener of that name' }]));
    }
    const same = earlier.find((e) => sameListener(e, l));
    if (same) {
      out.push(makeFinding(gw, 'KIA1503', `spec.listeners[${i}].name`,
        `${capital(listenerLabel(l))} has the same hostname, port and protocol (${describe(l)}) as ${listenerLabel(same)}: each listener must have a unique combination, so the controller marks them Conflicted and does not serve this one as written.`,
        `Give ${listenerLabel(l)} a distinct hostname or port, or merge it into ${listenerLabel(same)}.`,
        [{ obj: gw, path: `spec.listeners[${same.index}]`, note: `${listenerLabel(same)}, ${describe(same)}` }]));
    }
  });
  return out;
}

export const gatewayApiGateways: Check = {
  name: 'gateway-api-gateways',
  kinds: [GW_KIND],
  run(ctx, gw) {
    const out: Finding[] = [];
    const spec = rec(gw.object.spec);
    const ns = nsOf(gw);
    const listeners = listenersOf(gw);
    out.push(...ownListeners(gw, listeners));

    const className = spec.gatewayClassName;
    if (typeof className === 'string' && className) {
      ctx.read(`K:${GATEWAY_CLASS_KIND}`);
      const known = ctx.inv.gatewayApi.GatewayClass.some((c) => c.ref.name === className) || ISTIO_GATEWAY_CLASSES.includes(className);
      if (!known) {
        const classes = ctx.inv.gatewayApi.GatewayClass.map((c) => c.ref.name);
        out.push(makeFinding(gw, 'KIA1504', 'spec.gatewayClassName',
          `GatewayClass "${className}" does not exist${classes.length ? ` (GatewayClasses: ${someNames(classes, 5)})` : ''}, so no controller programs this Gateway: it gets no proxy and no address, and routes attached to it serve nothing.`,
          `Set gatewayClassName to an installed class (istio for Istio's gateways, istio-waypoint for a waypoint), or install the GatewayClass "${className}".`,
          ctx.inv.gatewayApi.GatewayClass.slice(0, 3).map((c) => ({ obj: c, path: 'metadata.name', note: 'an installed class' }))));
      }
    }

    ctx.read(`K:${GW_KIND}`);
    const others = ctx.inv.gatewayApi.Gateway.filter((o) => o !== gw && !(nsOf(o) === ns && o.ref.name === gw.ref.name));
    listeners.forEach((l) => {
      if (!l.hostname) return;
      const hits = others.flatMap((o) => listenersOf(o).filter((x) => x.hostname === l.hostname && x.port === l.port && x.protocol === l.protocol).map((x) => ({ o, x })));
      if (hits.length === 0) return;
      out.push(makeFinding(gw, 'KIA1501', `spec.listeners[${l.index}].hostname`,
        `${capital(listenerLabel(l))} (${describe(l)}) is also served by ${someNames(hits.map((h) => `Gateway ${nsName(h.o)}`))}: each Gateway gets its own proxy and address, so clients reach whichever one DNS for ${l.hostname} points to, and the routes of the other never see that traffic.`,
        `Keep ${l.hostname}:${l.port} on one Gateway (attach the routes of both to it), or give the listeners different hostnames or ports.`,
        hits.slice(0, 3).map((h) => ({ obj: h.o, path: `spec.listeners[${h.x.index}].hostname`, note: `also ${describe(h.x)}` }))));
    });

    arr(spec.addresses).forEach((a, i) => {
      const value = rec(a).value;
      if (typeof value !== 'string' || !value) return;
      const type = typeof rec(a).type === 'string' ? rec(a).type : 'IPAddress';
      const hits = others.filter((o) => arr(rec(o.object.spec).addresses).some((b) => rec(b).value === value && (typeof rec(b).type === 'string' ? rec(b).type : 'IPAddress') === type));
      if (hits.length === 0) return;
      out.push(makeFinding(gw, 'KIA1502', `spec.addresses[${i}].value`,
        `Address ${value} (${type}) is also requested by ${someNames(hits.map((h) => `Gateway ${nsName(h)}`))}: only one Gateway can be given it, the other is left without that address.`,
        `Give each Gateway its own address, or merge their listeners into one Gateway.`,
        hits.slice(0, 3).map((h) => ({ obj: h, path: 'spec.addresses', note: `also asks for ${value}` }))));
    });

    for (const l of listeners) {
      if (l.protocol !== 'HTTPS' && l.protocol !== 'TLS') continue;
      const tls = rec(l.spec.tls);
      if (tls.mode === 'Passthrough') continue;
      arr(tls.certificateRefs).forEach((c, j) => {
        const ref = rec(c);
        const kind = typeof ref.kind === 'string' ? ref.kind : 'Secret';
        const group = typeof ref.group === 'string' && ref.group !== 'core' ? ref.group : '';
        if (kind !== 'Secret' || group !== '' || typeof ref.name !== 'string') return;
        const secretNs = typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : ns;
        const path = `spec.listeners[${l.index}].tls.certificateRefs[${j}]`;
        ctx.read(`SEC:${secretNs}/${ref.name}`);
        if (!ctx.idx.secrets().has(`${secretNs}/${ref.name}`)) {
          out.push(makeFinding(gw, 'MLS0602', `${path}.name`,
            `${capital(listenerLabel(l))} terminates TLS with Secret ${secretNs}/${ref.name}, which does not exist: the listener is refused (InvalidCertificateRef) and serves no ${l.protocol} traffic.`,
            `Create the TLS Secret ${secretNs}/${ref.name} (kubectl create secret tls ${ref.name} -n ${secretNs} --cert=… --key=…), or correct the name.`));
          return;
        }
        if (secretNs === ns) return;
        const from = { group: GATEWAY_API, kind: 'Gateway', namespace: ns };
        const to = { group: '', kind: 'Secret', namespace: secretNs, name: ref.name };
        if (referenceGrantFor(ctx, from, to)) return;
        out.push(makeFinding(gw, 'MLS0602', `${path}.namespace`,
          `${capital(listenerLabel(l))} uses Secret ${secretNs}/${ref.name} of another namespace, and no ReferenceGrant in ${secretNs} allows Gateways of ${ns} to read it: the listener is refused (RefNotPermitted).`,
          `Add to namespace ${secretNs}: ${referenceGrantYaml(from, to)}.`));
      });
    }
    return out;
  },
};

export const referenceGrantNamespaces: Check = {
  name: 'reference-grant-namespaces',
  kinds: [REFERENCE_GRANT_KIND],
  run(ctx, grant) {
    const out: Finding[] = [];
    arr(rec(grant.object.spec).from).forEach((f, i) => {
      const ns = rec(f).namespace;
      if (typeof ns !== 'string' || ns === '') return;
      ctx.read(`NSX:${ns}`);
      if (ctx.inv.namespaces.has(ns)) return;
      out.push(makeFinding(grant, 'KIA1601', `spec.from[${i}].namespace`,
        `This ReferenceGrant allows ${typeof rec(f).kind === 'string' ? `${rec(f).kind}s` : 'objects'} of namespace ${ns}, which does not exist: it grants nothing (or will grant whoever creates that namespace later).`,
        `Correct the namespace name to that of the routes or Gateways that need the reference, or remove the entry.`));
    });
    return out;
  },
};
