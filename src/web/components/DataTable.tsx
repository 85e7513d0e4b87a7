import { Table, type TableProps } from '@mantine/core';
import type { ReactNode } from 'react';

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
  /** Wraps the table in a horizontal scroll container of this minimum width. */
  minWidth?: number;
}

/**
 * A list as a table: caption, a header of column names, one row per item and, when there are
 * none, the `empty` text. Striped and bordered unless the caller says otherwise.
 */
export function DataTable<T>({ caption, columns, rows, children, empty, minWidth, ...props }: DataTableProps<T>) {
  const table = (
    <Table striped withTableBorder {...props}>
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
  return minWidth == null ? table : <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer>;
}
