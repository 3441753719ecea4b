/** Test helper: a trace's paths as the authorization tests assert them, security steps included. */
import type { SecurityStep, TracePath } from '@meshlens/model';
import { project } from '../load.js';

function step(s: SecurityStep) {
  return {
    check: `${s.kind} ${s.verdict}${s.mode ? ` ${s.mode}` : ''}${s.mtls !== undefined ? (s.mtls ? ' mTLS' : ' plaintext') : ''}${s.principal ? ` ${s.principal}` : ''} at ${s.enforcedBy}`,
    decidedBy: s.decidedBy.map((r) => `${r.object.kind} ${r.object.namespace}/${r.object.name} ${r.path} @${r.line}`),
    explanation: s.explanation,
  };
}

/** `project` of each path, its full outcome, and the security steps of each hop that has some (by hop index). */
export function whole(paths: TracePath[]) {
  const projected = project(paths);
  return paths.map((p, i) => ({
    ...projected[i]!,
    outcome: p.outcome,
    security: Object.fromEntries(p.hops.flatMap((h, k) => (h.security && h.security.length > 0 ? [[k, h.security.map(step)]] : []))),
  }));
}
