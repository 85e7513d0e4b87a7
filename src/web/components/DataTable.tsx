import { Table, type TableProps } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useLayoutEffect, useRef, type ReactNode } from 'react';

/** Below this width every DataTable shows its rows as cards (Mantine's `sm` breakpoint). */
export const CARDS_MEDIA_QUERY = '(max-width: 47.99em)';

interface DataTableProps<T> extends Omit<TableProps, 'children'> {
  /** The table's caption (its accessible name); none when left out. */
  caption?: ReactNode;
  /** Column headers, each a `<th scope="col">`. */
  columns: ReactNode[];
  rows: readonly T[];
  /** One `<Table.Tr key=…>` for a row. */
  children: (row: T) => ReactNode;
  /** Text of a single full-width row shown when there are no rows; without it an empty table shows its header only. */
  empty?: ReactNode;
  /** Wraps the table in a horizontal scroll container of this minimum width (on wider screens; a phone shows cards). */
  minWidth?: number;
}

/**
 * Name every body cell after its column (`data-label`), which the card layout shows before the
 * cell's value, and keep the table's roles explicit: a table laid out as blocks keeps its
 * semantics for assistive technology. Rows rendered later (paging, a row's own state) are
 * labelled as they appear.
 */
function labelCells(table: HTMLTableElement) {
  const heads = Array.from(table.tHead?.rows[0]?.cells ?? []).map((th) => (th.textContent ?? '').trim());
  table.setAttribute('role', 'table');
  for (const group of [table.tHead, ...Array.from(table.tBodies)]) group?.setAttribute('role', 'rowgroup');
  for (const th of Array.from(table.tHead?.rows[0]?.cells ?? [])) th.setAttribute('role', 'columnheader');
  for (const body of Array.from(table.tBodies))
    for (const tr of Array.from(body.rows)) {
      tr.setAttribute('role', 'row');
      let col = 0;
      for (const cell of Array.from(tr.cells)) {
        cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
        const label = heads[col];
        if (cell.colSpan > 1 || !label) cell.removeAttribute('data-label');
        else if (cell.getAttribute('data-label') !== label) cell.setAttribute('data-label', label);
        col += Math.max(1, cell.colSpan);
      }
    }
}

/**
 * A list as a table: caption, a header of column names, one row per item and, when there are
 * none, the `empty` text. Striped and bordered unless the caller says otherwise. On a phone
 * (below 48em) each row is a card, every value under its column's name, so that no table is
 * wider than the screen.
 */
export function DataTable<T>({ caption, columns, rows, children, empty, minWidth, className, ...props }: DataTableProps<T>) {
  const cards = useMediaQuery(CARDS_MEDIA_QUERY, false, { getInitialValueInEffect: false });
  const ref = useRef<HTMLTableElement>(null);
  useLayoutEffect(() => {
    const table = ref.current;
    if (!table) return;
    labelCells(table);
    const observer = new MutationObserver(() => labelCells(table));
    observer.observe(table, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [cards]);
  const table = (
    <Table striped withTableBorder {...props} ref={ref} className={[className, cards ? 'data-table-cards' : null].filter(Boolean).join(' ') || undefined} data-layout={cards ? 'cards' : 'table'}>
      {caption != null && <Table.Caption>{caption}</Table.Caption>}
      <Table.Thead>
        <Table.Tr>
          {columns.map((c, i) => (
            <Table.Th scope="col" key={i}>
              {c}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 && empty != null && (
          <Table.Tr>
            <Table.Td colSpan={columns.length}>{empty}</Table.Td>
          </Table.Tr>
        )}
        {rows.map((row) => children(row))}
      </Table.Tbody>
    </Table>
  );
  return minWidth == null || cards ? table : <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer>;
}
