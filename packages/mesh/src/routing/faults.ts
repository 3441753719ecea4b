/** Per-route HTTP behaviour: fault injection, timeouts, retries (reference §3.10, §3.12). */
import type { FaultEffect, InventoryObject, TracePath } from '@meshlens/model';
import { ruleRef } from './refs.js';

/** Milliseconds of a protobuf/Go duration (`7s`, `0.5s`, `500ms`, `1m30s`, `1h`); undefined when unreadable. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text === 'number') return text * 1000;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  let total = 0;
  let rest = text.trim();
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return Math.round(total * 1000) / 1000;
}

/**
 * The share (0..1) a fault applies to. `percentage.value` (0–100, double) is current; the deprecated integer
 * `percent` is still honoured when `percentage` is absent (`route.go TranslateFault`); with neither, Istio injects
 * into no request at all — "if unspecified, no request is delayed/aborted" (reference §3.10) — so it is 0, not 100%.
 */
export function faultFraction(spec: { percentage?: { value?: unknown }; percent?: unknown }): number {
  const value = typeof spec.percentage?.value === 'number' ? spec.percentage.value : typeof spec.percent === 'number' ? spec.percent : 0;
  return Math.min(100, Math.max(0, value)) / 100;
}

/** The fault injection of HTTP rule `path` (`spec.http[i]`), if it injects anything. */
export function faultOf(vs: InventoryObject, path: string, rule: Record<string, unknown>): FaultEffect | undefined {
  const fault = rule.fault as { delay?: Record<string, unknown>; abort?: Record<string, unknown> } | undefined;
  if (!fault || typeof fault !== 'object') return undefined;
  const out: FaultEffect = {};
  if (fault.delay && typeof fault.delay === 'object') {
    const ms = parseDuration(fault.delay.fixedDelay);
    const fraction = faultFraction(fault.delay);
    if (ms !== undefined) {
      out.delay = { ms, fraction, rule: ruleRef(vs, `${path}.fault.delay`, `Injects a ${ms / 1000} s delay into ${fmtPct(fraction)} of the requests of this rule.`) };
    }
  }
  if (fault.abort && typeof fault.abort === 'object') {
    const fraction = faultFraction(fault.abort);
    const httpStatus = typeof fault.abort.httpStatus === 'number' ? fault.abort.httpStatus : undefined;
    const grpcStatus = typeof fault.abort.grpcStatus === 'string' ? fault.abort.grpcStatus : undefined;
    if (httpStatus !== undefined || grpcStatus !== undefined) {
      out.abort = {
        ...(httpStatus !== undefined ? { httpStatus } : {}),
        ...(grpcStatus !== undefined ? { grpcStatus } : {}),
        fraction,
        rule: ruleRef(vs, `${path}.fault.abort`, `Aborts ${fmtPct(fraction)} of the requests of this rule with ${httpStatus !== undefined ? `HTTP ${httpStatus}` : `gRPC status ${grpcStatus}`}.`),
      };
    }
  }
  return out.delay || out.abort ? out : undefined;
}

/** `50%` */
export function fmtPct(fraction: number): string {
  return `${Math.round(fraction * 10000) / 100}%`;
}

/** Istio's default HTTP retry policy when a route sets none (`MeshConfig.defaultHttpRetryPolicy`, reference §3.12). */
export const DEFAULT_RETRIES: NonNullable<TracePath['retries']> = { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled' };

/**
 * Timeout and retries of an HTTP rule. When the rule injects faults, neither is enabled: "timeouts or retries will
 * not be enabled when faults are enabled on the client side" (VS `HTTPRoute.fault`, reference §3.10) — Envoy's fault
 * filter delays or aborts before the router starts its timer, so an injected delay never trips the same route's timeout.
 */
export function timeoutAndRetries(rule: Record<string, unknown>, hasFault: boolean): Pick<TracePath, 'timeoutMs' | 'retries'> {
  if (hasFault) return {};
  const out: Pick<TracePath, 'timeoutMs' | 'retries'> = {};
  const timeoutMs = parseDuration(rule.timeout);
  if (timeoutMs !== undefined && timeoutMs > 0) out.timeoutMs = timeoutMs; // `0s` disables the timeout
  const retries = rule.retries as { attempts?: unknown; perTryTimeout?: unknown; retryOn?: unknown } | undefined;
  if (retries && typeof retries === 'object') {
    const attempts = typeof retries.attempts === 'number' ? retries.attempts : 0;
    if (attempts > 0) {
      const perTry = parseDuration(retries.perTryTimeout);
      out.retries = { attempts, ...(perTry !== undefined ? { perTryTimeoutMs: perTry } : {}), ...(typeof retries.retryOn === 'string' ? { retryOn: retries.retryOn } : {}) };
    }
  } else {
    out.retries = { ...DEFAULT_RETRIES };
  }
  return out;
}
