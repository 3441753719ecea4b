/** Parsed drafts by id, kept while their text is the same: both workers re-check on every keystroke. */
import { parseDraft, type DraftSet } from '@meshlens/mesh';
import { draftFile, type DraftInput } from './protocol';

export class DraftParser {
  private readonly parsed = new Map<string, { text: string; set: DraftSet }>();

  /** The drafts of this change set parsed, forgetting the ones no longer in it. */
  parseAll(drafts: readonly DraftInput[]): DraftSet[] {
    for (const id of this.parsed.keys()) if (!drafts.some((d) => d.id === id)) this.parsed.delete(id);
    return drafts.map((d) => this.parse(d));
  }

  parse(d: DraftInput): DraftSet {
    const hit = this.parsed.get(d.id);
    if (hit && hit.text === d.text) return hit.set;
    const set = parseDraft(d.text, draftFile(d.id));
    this.parsed.set(d.id, { text: d.text, set });
    return set;
  }

  clear(): void {
    this.parsed.clear();
  }
}
