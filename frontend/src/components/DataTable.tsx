import type { HTMLAttributes, Key, ReactNode, TdHTMLAttributes } from "react";

/** One column of a DataTable: its heading and what each row shows in it. */
export interface Column<T> {
  /** The heading; in a stacked table also each cell's `data-label`, the heading a narrow screen shows beside it. */
  header: string;
  /** The heading is for screen readers only (a column of buttons). An empty `header` leaves the heading empty. */
  hiddenHeader?: boolean;
  /** Figures, aligned right: the heading and each cell carry the class "num". */
  num?: boolean;
  /** The heading's width, where the column needs room (a progress bar). */
  width?: string;
  cell: (row: T) => ReactNode;
  /** More attributes of a row's cell: a class (beside "num"), a title. */
  td?: (row: T) => TdHTMLAttributes<HTMLTableCellElement>;
}

function classes(...names: (string | false | undefined)[]): string | undefined {
  return names.filter(Boolean).join(" ") || undefined;
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => Key;
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement>;
  className?: string;
  stack?: boolean;
  empty?: ReactNode;
  testId?: string;
}

/**
 * A table of rows under headings. `stack` lays each row out as a card on a narrow screen (the cells labelled with
 * their headings); `empty`, where given, is shown instead of the table when there are no rows.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  rowProps,
  className,
  stack = false,
  empty,
  testId,
}: DataTableProps<T>) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  return (
    <table className={classes("table", stack && "table-stack", className)} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} className={classes(c.num && "num")} style={c.width ? { width: c.width } : undefined}>
              {c.hiddenHeader ? <span className="sr-only">{c.header}</span> : c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((c, i) => {
              const td = c.td?.(row);
              return (
                <td key={i} data-label={stack && c.header ? c.header : undefined} {...td} className={classes(c.num && "num", td?.className)}>
                  {c.cell(row)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
