/**
 * One piece of text from the cluster: isolated from the text around it (<bdi>, so a right-to-left name or a bidi
 * override cannot reorder the sentence it sits in), with control and bidi characters written out, cut to `lines`
 * lines with an ellipsis, and whole in its tooltip.
 */
import { DOM_TEXT_MAX, shortText, visibleText } from './untrustedText';
import './untrusted.css';

interface Props {
  text: string;
  /** 1: one line cut with an ellipsis (default); 2 or 3: wraps, clamped to that many lines. */
  lines?: 1 | 2 | 3;
  className?: string;
  testId?: string;
}

export function UntrustedText({ text, lines = 1, className, testId }: Props) {
  const full = visibleText(text);
  return (
    <bdi
      className={`untrusted untrusted-lines-${lines}${className ? ` ${className}` : ''}`}
      title={full}
      data-testid={testId}
      data-untrusted=""
    >
      {full.length > DOM_TEXT_MAX ? shortText(text, DOM_TEXT_MAX) : full}
    </bdi>
  );
}
