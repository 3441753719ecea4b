/**
 * The graph's what-if mode, `whatif=drafts|compare` in the URL (absent: now). Declared in the graph route's search
 * (router/routes/graph.ts) and kept there by a search middleware across the graph's other navigations.
 */
import { useCallback } from 'react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { enumParam, type RawSearch } from '../router/search';

export type WhatIfMode = 'now' | 'drafts' | 'compare';
export const WHATIF_PARAM = 'whatif';
export const WHATIF_MODES: Array<{ value: WhatIfMode; label: string }> = [
  { value: 'now', label: 'Now' },
  { value: 'drafts', label: 'With drafts' },
  { value: 'compare', label: 'Compare' },
];

export interface WhatIfSearch {
  whatif?: Exclude<WhatIfMode, 'now'>;
}

/** The route's validation of `whatif=`: `drafts` or `compare`; anything else is "now" (left out). */
export function validateWhatIfSearch(raw: RawSearch): WhatIfSearch {
  const mode = enumParam(raw[WHATIF_PARAM], ['drafts', 'compare'] as const);
  return mode ? { whatif: mode } : {};
}

/** The mode in the URL, and a setter that writes it (pushing a history entry) and keeps every other key. */
export function useWhatIfMode(): [WhatIfMode, (mode: WhatIfMode) => void] {
  const search = useSearch({ strict: false }) as RawSearch;
  const navigate = useNavigate();
  const mode = validateWhatIfSearch(search).whatif ?? 'now';
  const set = useCallback((next: WhatIfMode) => {
    void navigate({ to: '/graph', search: ((prev: RawSearch) => ({ ...prev, [WHATIF_PARAM]: next === 'now' ? undefined : next })) as never });
  }, [navigate]);
  return [mode, set];
}
