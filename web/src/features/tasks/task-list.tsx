import type { Task } from '@taskgate/client';
import { rowSortingFeature, tableFeatures, useTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useMemo } from 'react';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDate, relativeTime } from '../../lib/format';
import type { Sort, SortField } from './search';
import { ActorName, LabelChips, PriorityBadge } from './task-card';
import type { WorkspaceData } from './workspace-data';

const features = tableFeatures({ rowSortingFeature });

/** The columns the API sorts by, and the field each sorts on. */
const SORTABLE: Record<string, SortField> = { priority: 'priority', due: 'dueAt', updated: 'updatedAt', created: 'createdAt' };

function sortingOf(sort: Sort | undefined): SortingState {
  if (!sort) return [];
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const id = Object.keys(SORTABLE).find((k) => SORTABLE[k] === field);
  return id ? [{ id, desc }] : [];
}

function sortOf(sorting: SortingState): Sort | undefined {
  const first = sorting[0];
  const field = first ? SORTABLE[first.id] : undefined;
  return field ? ((first!.desc ? `-${field}` : field) as Sort) : undefined;
}

interface ListProps {
  tasks: Task[];
  data: WorkspaceData;
  sort: Sort | undefined;
  onSort: (sort: Sort | undefined) => void;
  onOpen: (task: Task) => void;
}

/** The tasks as a table; the server sorts (the sort is in the URL like the filters). */
export function TaskList({ tasks, data, sort, onSort, onOpen }: ListProps) {
  const statusName = useMemo(() => new Map(data.statuses.map((s) => [s.key, s.name])), [data.statuses]);
  const columns = useMemo<Array<ColumnDef<typeof features, Task>>>(
    () => [
      {
        // Unsorted, the tasks keep the project's own order (position).
        id: 'title',
        header: 'Title',
        cell: ({ row }) => (
          <button type="button" className="text-left font-medium hover:underline" onClick={() => onOpen(row.original)}>
            {row.original.title}
          </button>
        ),
      },
      {
        id: 'status',
        header: 'Status',
        enableSorting: false,
        cell: ({ row }) => <span className="whitespace-nowrap text-xs">{statusName.get(row.original.status) ?? row.original.status}</span>,
      },
      // The sortable columns have an accessor: the table offers sorting on those only.
      {
        id: 'priority',
        accessorFn: (t) => t.priority,
        header: 'Priority',
        cell: ({ row }) => <PriorityBadge priority={row.original.priority} />,
      },
      {
        id: 'assignees',
        header: 'Assignees',
        enableSorting: false,
        cell: ({ row }) => <span className="text-xs">{row.original.assignees.map((a) => a.name).join(', ')}</span>,
      },
      {
        id: 'labels',
        header: 'Labels',
        enableSorting: false,
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            <LabelChips task={row.original} />
          </span>
        ),
      },
      {
        id: 'due',
        accessorFn: (t) => t.dueAt,
        header: 'Due',
        cell: ({ row }) => <span className="whitespace-nowrap text-xs">{row.original.dueAt ? formatDate(row.original.dueAt) : '—'}</span>,
      },
      {
        id: 'updated',
        accessorFn: (t) => t.updatedAt,
        header: 'Updated',
        cell: ({ row }) => (
          <span className="whitespace-nowrap text-xs">
            {relativeTime(row.original.updatedAt)} by <ActorName actor={row.original.updatedBy} data={data} />
          </span>
        ),
      },
      {
        id: 'created',
        accessorFn: (t) => t.createdAt,
        header: 'Created',
        cell: ({ row }) => <span className="whitespace-nowrap text-xs">{formatDate(row.original.createdAt)}</span>,
      },
    ],
    [data, onOpen, statusName],
  );

  const table = useTable({
    features,
    columns,
    data: tasks,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableMultiSort: false,
    state: { sorting: sortingOf(sort) },
    onSortingChange: (updater) => onSort(sortOf(typeof updater === 'function' ? updater(sortingOf(sort)) : updater)),
  });

  return (
    <Table>
      <TableHeader>
        {table.getHeaderGroups().map((group) => (
          <TableRow key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <TableHead key={header.id} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                  {header.column.getCanSort() ? (
                    <button
                      type="button"
                      className="inline-flex items-center gap-1 hover:text-foreground"
                      onClick={header.column.getToggleSortingHandler()}
                    >
                      <table.FlexRender header={header} />
                      <span aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
                    </button>
                  ) : (
                    <table.FlexRender header={header} />
                  )}
                </TableHead>
              );
            })}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {table.getRowModel().rows.map((row) => (
          <TableRow key={row.id} data-task-id={row.id} data-status={row.original.status}>
            {row.getAllCells().map((cell) => (
              <TableCell key={cell.id}>
                <table.FlexRender cell={cell} />
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
