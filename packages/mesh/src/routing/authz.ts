/**
 * AuthorizationPolicy evaluation at a server proxy, in Istio's order (reference §3.16): CUSTOM first (the external
 * authorizer decides: the trace notes it and goes on), then DENY (any matching rule denies), then ALLOW (no ALLOW
 * policy: allowed; one matching rule: allowed; else denied). AUDIT only logs; dry-run policies are shadows. A policy
 * without rules never matches: an ALLOW `{}` allows nothing, a DENY without rules denies nothing.
 */
import type { InventoryObject, ObjectRef, RuleRef, SecurityStep } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { actionOf, isDryRun, policiesFor, type PolicyServer, type SelectedPolicy } from './authz-policies.js';
import { matchAuthzRule, type Action, type RequestAttributes, type RuleResult } from './authz-rules.js';
import { ruleRef, shortName } from './refs.js';

/** The AuthorizationPolicy check of one request, and the denial when it is refused. */
export interface AuthzDecision {
  step: SecurityStep;
  denied?: { action: 'DENY' | 'ALLOW'; policy?: ObjectRef; ruleIndex?: number; considered?: ObjectRef[] };
}

interface RuleHit { obj: InventoryObject; index: number; result: RuleResult }

function rulesOf(obj: InventoryObject): unknown[] {
  const rules: unknown = obj.object.spec?.rules;
  return Array.isArray(rules) ? rules : [];
}

/** The first rule of `obj` that matches, and every rule's result. */
function evaluatePolicy(obj: InventoryObject, action: Action, a: RequestAttributes): { hit?: RuleHit; misses: RuleHit[] } {
  const misses: RuleHit[] = [];
  const rules = rulesOf(obj);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!rule || typeof rule !== 'object') continue;
    const result = matchAuthzRule(rule as Record<string, unknown>, i, action, a);
    if (result.matched) return { hit: { obj, index: i, result }, misses };
    misses.push({ obj, index: i, result });
  }
  return { misses };
}

function heldWords(r: RuleResult): string {
  const notes = r.held.map((c) => c.note).filter(Boolean);
  return notes.length === 0 ? 'it has no conditions, so it matches every request' : notes.join('; ');
}

function hitRefs(hit: RuleHit, action: string): RuleRef[] {
  const name = shortName(hit.obj);
  return [
    ruleRef(hit.obj, `spec.rules[${hit.index}]`, `Rule spec.rules[${hit.index}] of ${action} AuthorizationPolicy ${name} matched: ${heldWords(hit.result)}.`),
    ...hit.result.held.filter((c) => c.note).map((c) => ruleRef(hit.obj, c.path, `${c.note}.`)),
  ];
}

/** Evaluates the AuthorizationPolicies `server` enforces for a request; undefined when none applies. */
export function evaluateAuthorization(inv: Inventory, server: PolicyServer, who: string, a: RequestAttributes): AuthzDecision | undefined {
  const selected = policiesFor(inv, 'AuthorizationPolicy', server);
  if (selected.length === 0) return undefined;
  const enforced = selected.filter((p) => !isDryRun(p.obj));
  const dryRun = selected.filter((p) => isDryRun(p.obj));
  const of = (action: Action) => enforced.filter((p) => actionOf(p.obj) === action);
  const notes: string[] = [];
  const refs: RuleRef[] = [];
  if (dryRun.length > 0) notes.push(`${dryRun.map((p) => shortName(p.obj)).join(', ')} ${dryRun.length === 1 ? 'is' : 'are'} dry-run (istio.io/dry-run) and only logged`);
  const ident = a.principal ? `the client is ${a.principal} (mTLS)` : `the server knows no client identity: ${a.noPrincipalWhy}`;
  const step = (verdict: SecurityStep['verdict'], sentence: string): SecurityStep => ({
    kind: 'authz', enforcedBy: who, verdict, decidedBy: refs,
    explanation: `${sentence}${notes.length > 0 ? ` ${notes.map((n) => `${n[0]!.toUpperCase()}${n.slice(1)}.`).join(' ')}` : ''}`,
  });

  for (const p of of('AUDIT')) {
    const { hit } = evaluatePolicy(p.obj, 'AUDIT', a);
    if (hit) notes.push(`AUDIT policy ${shortName(p.obj)} rule spec.rules[${hit.index}] matches: the request is logged, which does not change the decision`);
  }
  for (const p of of('CUSTOM')) {
    const { hit } = evaluatePolicy(p.obj, 'CUSTOM', a);
    const provider = String(p.obj.object.spec?.provider?.name ?? '(no provider)');
    if (hit) {
      refs.push(ruleRef(p.obj, `spec.rules[${hit.index}]`, `CUSTOM AuthorizationPolicy ${shortName(p.obj)} sends the request to the external authorizer ${provider} (${heldWords(hit.result)}).`));
      notes.push(`CUSTOM policy ${shortName(p.obj)} (rule spec.rules[${hit.index}]) asks the external authorizer ${provider} first; the trace cannot know its answer and goes on as if it allowed (a denial would be 403 with Envoy's flag UAEX)`);
    }
  }

  for (const p of of('DENY')) {
    const { hit } = evaluatePolicy(p.obj, 'DENY', a);
    if (!hit) continue;
    refs.push(...hitRefs(hit, 'DENY'));
    return {
      step: step('denied', `${cap(who)} denies the request: rule spec.rules[${hit.index}] of DENY AuthorizationPolicy ${shortName(p.obj)} (${p.scope}) matched (${heldWords(hit.result)}), so the answer is ${a.http ? '403 RBAC: access denied' : 'a closed connection'}; ${ident}.`),
      denied: { action: 'DENY', policy: { ...p.obj.ref }, ruleIndex: hit.index },
    };
  }
  const denyNote = of('DENY').length > 0 ? `no rule of DENY ${plural(of('DENY').length, 'policy', 'policies')} ${of('DENY').map((p) => shortName(p.obj)).join(', ')} matched; ` : '';

  const allow = of('ALLOW');
  if (allow.length === 0) {
    return { step: step('allowed', `${cap(who)} allows the request: ${denyNote}no ALLOW policy applies here, so Istio allows it; ${ident}.`) };
  }
  const reasons: string[] = [];
  const missRefs: RuleRef[] = [];
  for (const p of allow) {
    const { hit, misses } = evaluatePolicy(p.obj, 'ALLOW', a);
    if (hit) {
      refs.push(...hitRefs(hit, 'ALLOW'));
      return { step: step('allowed', `${cap(who)} allows the request: ${denyNote}rule spec.rules[${hit.index}] of ALLOW AuthorizationPolicy ${shortName(p.obj)} (${p.scope}) matched (${heldWords(hit.result)}); ${ident}.`) };
    }
    if (rulesOf(p.obj).length === 0) {
      missRefs.push(ruleRef(p.obj, 'spec', `ALLOW AuthorizationPolicy ${shortName(p.obj)} has no rules: it allows nothing.`));
      reasons.push(`${shortName(p.obj)} (${p.scope}) has no rules, which allows nothing`);
      continue;
    }
    for (const m of misses) {
      const why = m.result.failed?.note ?? 'it does not match';
      missRefs.push(ruleRef(p.obj, m.result.failed?.path ?? `spec.rules[${m.index}]`, `Rule spec.rules[${m.index}] of ALLOW AuthorizationPolicy ${shortName(p.obj)} does not match: ${why}.`));
      reasons.push(`${shortName(p.obj)} spec.rules[${m.index}]: ${why}`);
    }
  }
  refs.push(...missRefs);
  const considered = allow.map((p) => ({ ...p.obj.ref }));
  return {
    step: step('denied', `${cap(who)} denies the request with ${a.http ? '403 RBAC: access denied' : 'a closed connection'}: ${denyNote}no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: ${reasons.join('; ')}. ${cap(ident)}.`),
    denied: { action: 'ALLOW', considered },
  };
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export type { PolicyServer, SelectedPolicy };
