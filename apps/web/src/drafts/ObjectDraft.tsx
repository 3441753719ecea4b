/**
 * The object page's what-if: "Edit as draft" turns the object's YAML into an editable draft (kept in the change
 * set), checked as the person types. The page's read-only view comes back with "Close editor"; the draft stays.
 */
import type { ObjectRef } from '@meshlens/model';
import { addDraft, draftFor, useDrafts } from './store';
import { DraftEditor } from './DraftEditor';
import { openDraftDialog } from './ui';

/** The button of the page's head: starts a draft of this object, or opens the one that exists. */
export function EditAsDraftButton({ object, yaml, editing, onEdit }: { object: ObjectRef; yaml: string | undefined; editing: boolean; onEdit: (on: boolean) => void }) {
  const drafts = useDrafts();
  const existing = draftFor(object, drafts);
  if (object.kind === 'Secret' || yaml === undefined) return null;
  return (
    <button
      type="button" className="draft-edit-button" data-testid="edit-as-draft" aria-pressed={editing}
      onClick={() => {
        if (editing) return onEdit(false);
        if (!existing) addDraft(yaml, { ref: object, yaml });
        openDraftDialog(null);
        onEdit(true);
      }}
    >
      {editing ? 'Close draft' : existing ? 'Open draft' : 'Edit as draft'}
    </button>
  );
}

/** The editor in place of the read-only YAML while editing. */
export function ObjectDraftEditor({ object, onClose }: { object: ObjectRef; onClose: () => void }) {
  const drafts = useDrafts();
  const draft = draftFor(object, drafts);
  if (!draft) return null;
  return <DraftEditor key={draft.id} draft={draft} onClose={onClose} />;
}
