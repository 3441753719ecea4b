/**
 * Which registry host a sidecar's outbound listeners hand a connection to (reference §3.1, §3.7). A Service with a
 * cluster IP, or a ServiceEntry with `addresses`, gets its own listener on <VIP>:port, so whatever the client dialled
 * by that name or address reaches it, SNI or not. Hosts without a VIP (headless Services, ServiceEntries without
 * addresses) share the 0.0.0.0:port listener, where HTTP is told apart by the Host header and TLS by SNI.
 */
import type { Inventory } from '../inventory/types.js';
import { isIP, toFqdn } from '../hosts/names.js';
import { lookupRegistryAddress, lookupRegistryHost, registryPort, type RegistryEntry } from '../hosts/registry.js';
import type { Request } from './types.js';

/** The registry host the connection reaches (undefined: none), and the name it is known by. */
export interface OutboundTarget {
  entry?: RegistryEntry;
  /** The FQDN the request names: the dialled host, or the SNI when the 0.0.0.0 listener matched by SNI. */
  requested?: string;
  /** A host with a VIP that the SNI names but that the 0.0.0.0 listener cannot match (the client dialled another address). */
  sniVipHost?: RegistryEntry;
}

/** True when the host has its own <VIP>:port listener: a non-headless, non-ExternalName Service, or a ServiceEntry with addresses. */
export function hasVip(e: RegistryEntry): boolean {
  if (e.kind === 'ServiceEntry') return e.addresses.length > 0;
  const svc = e.service;
  return svc?.type !== 'ExternalName' && svc?.clusterIP !== 'None';
}

/** The registry host a sidecar's outbound listeners pick for `req`, seen from `namespace` with `admit` (Sidecar egress). */
export function outboundTarget(inv: Inventory, namespace: string, req: Request, admit: (e: RegistryEntry) => boolean): OutboundTarget {
  const fqdn = (name: string) => toFqdn(name, namespace, inv.clusterDomain, 'dns');
  const dialledName = req.host && !isIP(req.host) ? fqdn(req.host) : undefined;
  const dialled = dialledName ? lookupRegistryHost(inv, dialledName, namespace, admit) : req.ip ? lookupRegistryAddress(inv, req.ip, namespace, admit) : undefined;
  const tlsLike = req.protocol === 'https' || req.protocol === 'tls';
  // HTTP and TCP: the dialled name picks the host (HTTP then routes by Host header on whichever listener took it)
  if (!tlsLike || req.sni === undefined) return { entry: dialled, requested: dialledName };
  // TLS to a VIP: the <VIP>:port listener takes the connection before any SNI is read
  if (dialled && hasVip(dialled) && registryPort(dialled, req.port)) return { entry: dialled, requested: dialledName };
  // otherwise the 0.0.0.0:port listener matches the SNI; when the client named a host or address that is not a VIP,
  // only hosts without a VIP have filter chains there (a VIP host's traffic never arrives at 0.0.0.0)
  const sniName = fqdn(req.sni);
  const dialledSomething = dialledName !== undefined || req.ip !== undefined;
  const bySni = lookupRegistryHost(inv, sniName, namespace, (e) => admit(e) && (!dialledSomething || !hasVip(e)));
  if (bySni) return { entry: bySni, requested: sniName };
  const sniVipHost = dialledSomething ? lookupRegistryHost(inv, sniName, namespace, admit) : undefined;
  // with only an SNI given, the SNI is the name dialled
  return { entry: dialled, requested: dialledName ?? (dialledSomething ? undefined : sniName), ...(sniVipHost ? { sniVipHost } : {}) };
}
