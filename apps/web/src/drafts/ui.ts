/** Which draft the header's dialog shows (one at a time, on any page). */
import { useSyncExternalStore } from 'react';

let openId: string | null = null;
const listeners = new Set<() => void>();

export function openDraftDialog(id: string | null): void {
  openId = id;
  for (const l of listeners) l();
}

export function useOpenDraftId(): string | null {
  return useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, () => openId, () => openId);
}
