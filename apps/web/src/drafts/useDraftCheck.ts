/** The what-if check of the current change set, re-run (latest wins) whenever a draft or the traced request changes. */
import { useEffect, useRef, useState } from 'react';
import type { TraceRequest } from '@meshlens/model';
import { checkDrafts, useBaseGeneration } from './client';
import type { DraftCheckResult } from './protocol';
import type { Draft } from './store';

export interface DraftCheckState {
  result: DraftCheckResult | null;
  error: string | null;
  checking: boolean;
  /** How many answers have arrived (a test or benchmark waits for the next one). */
  seq: number;
}

export function useDraftCheck(drafts: Draft[], trace?: TraceRequest, enabled = true): DraftCheckState {
  const [state, setState] = useState<DraftCheckState>({ result: null, error: null, checking: enabled, seq: 0 });
  const generation = useRef(0);
  // newer live objects (client.ts refreshBase) re-run the check against them
  const baseGeneration = useBaseGeneration();
  const key = JSON.stringify([drafts.map((d) => [d.id, d.text]), trace ?? null, baseGeneration]);
  useEffect(() => {
    if (!enabled) return;
    const mine = ++generation.current;
    setState((s) => ({ ...s, checking: true }));
    checkDrafts(drafts.map((d) => ({ id: d.id, text: d.text })), trace).then(
      (result) => { if (mine === generation.current) setState((s) => ({ result, error: null, checking: false, seq: s.seq + 1 })); },
      (e: Error) => { if (mine === generation.current) setState((s) => ({ result: s.result, error: e.message, checking: false, seq: s.seq + 1 })); },
    );
    // the key says what the check depends on
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enabled]);
  return state;
}
