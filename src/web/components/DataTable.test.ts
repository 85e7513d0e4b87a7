import { Table } from '@mantine/core';
import { createElement as h, Fragment, isValidElement, type ReactElement, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { headerText, labelRow } from './DataTable';

type Props = { role?: string; 'data-label'?: string; children?: ReactNode };
const cellsOf = (row: ReactNode) => ((row as ReactElement<Props>).props.children as ReactElement<Props>[]).filter(isValidElement);

describe('DataTable labels its rows as it renders them', () => {
  const heads = ['', 'Name', 'Type', 'TLP'];

  it('gives a plain row its roles and each cell its column’s name, counting spans and skipping empty slots', () => {
    const row = h(Table.Tr, { key: 'a' }, h(Table.Td, null, 'x'), false, h(Table.Th, null, 'Report'), null, h(Table.Td, { colSpan: 2 }, 'wide'));
    const out = labelRow(row, heads) as ReactElement<Props>;
    expect(out.props.role).toBe('row');
    expect(out.key).toBe('a');
    const cells = cellsOf(out);
    expect(cells.map((c) => [c.props.role, c.props['data-label']])).toEqual([
      ['cell', undefined], // the selection column has no name
      ['rowheader', 'Name'],
      ['cell', undefined], // a cell spanning two columns is not named after either
    ]);
  });

  it('names cells given as a list, and leaves a column beyond the header unnamed', () => {
    const row = h(Table.Tr, null, ['a', 'b', 'c', 'd', 'e'].map((v) => h(Table.Td, { key: v }, v)));
    expect(cellsOf(labelRow(row, heads)).map((c) => c.props['data-label'])).toEqual([undefined, 'Name', 'Type', 'TLP', undefined]);
  });

  it('leaves a row of another shape to be labelled in the page', () => {
    const Row = () => null;
    const custom = h(Row, { key: 'r' });
    expect(labelRow(custom, heads)).toBe(custom);
    const withFragment = h(Table.Tr, null, h(Fragment, null, h(Table.Td, null, 'a')));
    expect(labelRow(withFragment, heads)).toBe(withFragment);
    const withText = h(Table.Tr, null, 'text');
    expect(labelRow(withText, heads)).toBe(withText);
  });

  it('reads a header’s text as the page shows it', () => {
    expect(headerText('Name')).toBe('Name');
    expect(headerText(h('span', null, 'Conf', h('abbr', null, 'idence'), 7))).toBe('Confidence7');
    expect(headerText(h('input', { 'aria-label': 'Select all' }))).toBe('');
    expect(headerText(null)).toBe('');
  });
});
