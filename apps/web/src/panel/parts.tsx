/** Small building blocks shared by the node and edge panels. Text only: nothing is rendered as HTML. */
import type { ReactNode } from 'react';

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** A two-column list of facts; rows whose value is missing are left out. */
export function Facts({ rows }: { rows: Array<[string, ReactNode | undefined | null]> }) {
  const present = rows.filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (present.length === 0) return null;
  return (
    <dl className="facts">
      {present.map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function HealthText({ health }: { health: string | undefined }) {
  const value = health ?? 'NA';
  return <span className={`health-text health-${value}`}>{value === 'NA' ? 'No health information' : value}</span>;
}

export function TextList({ items }: { items: string[] }) {
  if (items.length === 0) return <p className="muted">None</p>;
  return (
    <ul className="text-list">
      {items.map((item, i) => (
        <li key={`${i}-${item}`}>{item}</li>
      ))}
    </ul>
  );
}
