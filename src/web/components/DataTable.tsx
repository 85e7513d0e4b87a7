import { Table, type TableProps } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Children, cloneElement, isValidElement, useLayoutEffect, useRef, type ReactElement, type ReactNode } from 'react';

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

/** The text a column header shows, as labelCells reads it from the page (an element's text children). */
export function headerText(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(headerText).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return headerText(node.props.children);
  return '';
}

type CellProps = { role?: string; 'data-label'?: string; colSpan?: number; children?: ReactNode };

/**
 * A row as `children` rendered it, with the roles and column names labelCells would give its
 * cells written into the elements: a `<Table.Tr>` whose children are `<Table.Td>`/`<Table.Th>`
 * (with `false`/`null` between them). A row of another shape (a component that renders the row,
 * a fragment of cells) is returned as it is, for labelCells to label in the page.
 */
export function labelRow(row: ReactNode, heads: readonly string[]): ReactNode {
  if (!isValidElement<CellProps>(row) || row.type !== Table.Tr) return row;
  let col = 0;
  let plain = true;
  const cells = Children.map(row.props.children, (cell) => {
    if (cell === null || cell === undefined || typeof cell === 'boolean') return cell;
    if (!isValidElement<CellProps>(cell) || (cell.type !== Table.Td && cell.type !== Table.Th)) {
      plain = false;
      return cell;
    }
    const span = Math.max(1, Number(cell.props.colSpan) || 1);
    const label = span > 1 ? '' : (heads[col] ?? '');
    col += span;
    return cloneElement(cell as ReactElement<CellProps>, { role: cell.type === Table.Th ? 'rowheader' : 'cell', 'data-label': label || undefined });
  });
  return plain ? cloneElement(row as ReactElement<CellProps>, { role: 'row' }, cells) : row;
}

/** Sets an attribute only when it differs: every write to a table in the page costs a style invalidation. */
function setAttr(el: Element, name: string, value: string | null) {
  if (el.getAttribute(name) === value) return;
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/**
 * Name every body cell after its column (`data-label`), which the card layout shows before the
 * cell's value, and keep the table's roles explicit: a table laid out as blocks keeps its
 * semantics for assistive technology. Rows rendered later (paging, a row's own state) are
 * labelled as they appear. DataTable renders the usual rows already labelled (labelRow); this
 * then only reads them (a write per cell after the table is in the page was most of the first
 * commit of a list on a phone, 30 ms of the intel list's under Lighthouse), and labels the rest.
 */
function labelCells(table: HTMLTableElement) {
  const heads = Array.from(table.tHead?.rows[0]?.cells ?? []).map((th) => (th.textContent ?? '').trim());
  setAttr(table, 'role', 'table');
  for (const group of [table.tHead, ...Array.from(table.tBodies)]) if (group) setAttr(group, 'role', 'rowgroup');
  for (const th of Array.from(table.tHead?.rows[0]?.cells ?? [])) setAttr(th, 'role', 'columnheader');
  for (const body of Array.from(table.tBodies))
    for (const tr of Array.from(body.rows)) {
      setAttr(tr, 'role', 'row');
      let col = 0;
      for (const cell of Array.from(tr.cells)) {
        setAttr(cell, 'role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
        const label = heads[col];
        setAttr(cell, 'data-label', cell.colSpan > 1 || !label ? null : label);
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
  const heads = columns.map((c) => headerText(c).trim());
  useLayoutEffect(() => {
    const table = ref.current;
    if (!table) return;
    labelCells(table);
    const observer = new MutationObserver(() => labelCells(table));
    observer.observe(table, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [cards]);
  const table = (
    <Table striped withTableBorder role="table" {...props} ref={ref} className={[className, cards ? 'data-table-cards' : null].filter(Boolean).join(' ') || undefined} data-layout={cards ? 'cards' : 'table'}>
      {caption != null && <Table.Caption>{caption}</Table.Caption>}
      <Table.Thead role="rowgroup">
        <Table.Tr role="row">
          {columns.map((c, i) => (
            <Table.Th scope="col" role="columnheader" key={i}>
              {c}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody role="rowgroup">
        {rows.length === 0 && empty != null && (
          <Table.Tr role="row">
            <Table.Td role="cell" colSpan={columns.length}>
              {empty}
            </Table.Td>
          </Table.Tr>
        )}
        {rows.map((row) => labelRow(children(row), heads))}
      </Table.Tbody>
    </Table>
  );
  return minWidth == null || cards ? table : <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer>;
}
