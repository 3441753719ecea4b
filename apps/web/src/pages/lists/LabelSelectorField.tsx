/** The "Labels" filter of the lists and the Overview: a label selector, and why it is not applied when it does not parse. */
import type { SelectorResult } from './labelSelector';

export function LabelSelectorField(props: { id: string; value: string; selector: SelectorResult; placeholder: string; title: string; onChange: (value: string) => void }) {
  const { id, value, selector, placeholder, title, onChange } = props;
  return (
    <div className="field label-field">
      <label htmlFor={id}>Labels</label>
      <input
        id={id}
        data-testid={id}
        type="search"
        className={selector.ok ? '' : 'invalid'}
        value={value}
        placeholder={placeholder}
        title={title}
        aria-invalid={!selector.ok}
        aria-describedby={`${id}-problem`}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id={`${id}-problem`} className="field-problem" aria-live="polite" data-testid={`${id}-problem`}>
        {selector.ok ? '' : `${selector.error} Not applied.`}
      </span>
    </div>
  );
}
