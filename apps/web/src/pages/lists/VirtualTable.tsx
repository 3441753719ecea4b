/**
 * A sortable table whose rows are all the same height and only the visible ones are in the DOM (@tanstack/react-virtual),
 * so ten thousand rows scroll as smoothly as ten. It stays a real <table> (header cells with `aria-sort`, rows with
 * `aria-rowindex` out of `aria-rowcount`), laid out as a CSS grid so that absolutely placed rows keep the columns.
 * Below `virtualFrom` rows everything is rendered (the browser's find-in-page then sees every row).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, type CSSProperties, type ReactNode } from 'react';

export interface Column<R, S extends string> {
  id: string;
  header: string;
  /** Grid track, e.g. `minmax(160px, 2fr)` or `90px`. */
  width: string;
  cell: (row: R) => ReactNode;
  /** The sort key this column's header sets; absent: not sortable. */
  sort?: S;
  /** Header tooltip (what the column means). */
  title?: string;
  className?: string;
}

interface Props<R, S extends string> {
  rows: readonly R[];
  columns: ReadonlyArray<Column<R, S>>;
  rowKey: (row: R) => string;
  /** Accessible name of the table (and of its scroll region). */
  label: string;
  sort: S;
  order: 'asc' | 'desc';
  onSort: (sort: S) => void;
  rowHeight?: number;
  virtualFrom?: number;
  testId?: string;
  rowProps?: (row: R) => Record<string, string | undefined>;
  className?: string;
}

interface RowProps<R> {
  row: R;
  index: number;
  start: number;
  height: number;
  columns: ReadonlyArray<Column<R, string>>;
  rowProps?: (row: R) => Record<string, string | undefined>;
}

/**
 * One row. Memoised: while scrolling, rows that stay in view keep their DOM and are not rendered again (the row
 * objects, the columns and the callbacks are stable across scroll frames), so a frame renders only the rows that
 * come into view.
 */
const Row = memo(function Row<R>({ row, index, start, height, columns, rowProps }: RowProps<R>) {
  return (
    <tr role="row" aria-rowindex={index + 2} style={{ transform: `translateY(${start}px)`, height }} {...(rowProps ? rowProps(row) : {})}>
      {columns.map((c) => (
        <td key={c.id} role="cell" className={c.className}>
          {c.cell(row)}
        </td>
      ))}
    </tr>
  );
}) as <R>(props: RowProps<R>) => ReactNode;

export function VirtualTable<R, S extends string>(props: Props<R, S>) {
  const { rows, columns, rowKey, label, sort, order, onSort, rowHeight = 44, virtualFrom = 60, testId, rowProps, className } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = rows.length >= virtualFrom;
  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // Until the region is measured (after the first commit), assume it spans the window: the first render already
    // draws the rows in view instead of none, then a second pass once the real size is known.
    initialRect: { width: typeof window === 'undefined' ? 0 : window.innerWidth, height: typeof window === 'undefined' ? 0 : window.innerHeight },
  });
  const template = columns.map((c) => c.width).join(' ');
  const items = virtual ? virtualizer.getVirtualItems() : rows.map((_, index) => ({ index, start: index * rowHeight, key: index }));

  return (
    <div className={`vtable-scroll ${className ?? ''}`} ref={scrollRef} role="region" aria-label={label} tabIndex={0} data-testid={testId ? `${testId}-scroll` : undefined}>
      <table role="table" className="vtable" aria-rowcount={rows.length + 1} data-testid={testId} data-rows={rows.length} style={{ '--vt-cols': template } as CSSProperties}>
        <thead role="rowgroup">
          <tr role="row" aria-rowindex={1}>
            {columns.map((c) => {
              const active = c.sort !== undefined && c.sort === sort;
              const ariaSort = active ? (order === 'asc' ? 'ascending' : 'descending') : c.sort ? 'none' : undefined;
              return (
                <th key={c.id} role="columnheader" scope="col" aria-sort={ariaSort} title={c.title} className={c.className}>
                  {c.sort ? (
                    <button type="button" className="sort-button" onClick={() => onSort(c.sort!)} data-testid={`sort-${c.id}`}>
                      {c.header}
                      <span aria-hidden="true" className="sort-arrow">{active ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody role="rowgroup" style={{ height: rows.length * rowHeight }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return <Row key={rowKey(row)} row={row} index={item.index} start={item.start} height={rowHeight} columns={columns} rowProps={rowProps} />;
          })}
        </tbody>
      </table>
    </div>
  );
}
