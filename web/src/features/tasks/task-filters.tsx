import { useNavigate } from '@tanstack/react-router';
import { Button } from '../../components/ui/button';
import { Input, Select } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { PRIORITIES, taskSearch, type TaskSearch } from './search';
import type { WorkspaceData } from './workspace-data';

const FILTER_KEYS = ['status', 'assignee', 'label', 'priority', 'q', 'dueFrom', 'dueTo'] as const;

function FilterSelect({
  id,
  label,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (v: string) => void;
  children: React.ReactNode;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select id={id} className="w-full sm:w-40" value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        {children}
      </Select>
    </div>
  );
}

/** The API's task filters; each change goes into the URL (the page reads them back from there). */
export function TaskFilters({ search, data }: { search: TaskSearch; data: WorkspaceData }) {
  const navigate = useNavigate({ from: '/workspace/$workspaceId/projects/$projectId' });
  const set = (key: (typeof FILTER_KEYS)[number], value: string, replace = false) =>
    navigate({ search: (prev) => taskSearch({ ...prev, [key]: value || undefined }), replace });
  const active = FILTER_KEYS.some((k) => search[k] !== undefined);
  return (
    <div className="mb-4 grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap" role="search" aria-label="Filter tasks">
      <FilterSelect id="filter-status" label="Status" value={search.status} onChange={(v) => set('status', v)}>
        <option value="">Any status</option>
        {data.statuses.map((s) => (
          <option key={s.key} value={s.key}>
            {s.name}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="filter-assignee" label="Assignee" value={search.assignee} onChange={(v) => set('assignee', v)}>
        <option value="">Anyone</option>
        <option value="me">Me</option>
        {data.members.length > 0 && (
          <optgroup label="Members">
            {data.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </optgroup>
        )}
        {data.agents.length > 0 && (
          <optgroup label="Agents">
            {data.agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </optgroup>
        )}
      </FilterSelect>
      <FilterSelect id="filter-label" label="Label" value={search.label} onChange={(v) => set('label', v)}>
        <option value="">Any label</option>
        {data.labels.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="filter-priority" label="Priority" value={search.priority} onChange={(v) => set('priority', v)}>
        <option value="">Any priority</option>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {p[0]!.toUpperCase() + p.slice(1)}
          </option>
        ))}
      </FilterSelect>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-due-from">Due from</Label>
        <Input
          id="filter-due-from"
          type="date"
          className="sm:w-40"
          value={search.dueFrom ?? ''}
          onChange={(e) => set('dueFrom', e.target.value)}
        />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-due-to">Due until</Label>
        <Input
          id="filter-due-to"
          type="date"
          className="sm:w-40"
          value={search.dueTo ?? ''}
          onChange={(e) => set('dueTo', e.target.value)}
        />
      </div>
      <div className="col-span-2 grid min-w-0 gap-1.5 sm:w-56">
        <Label htmlFor="filter-q">Search</Label>
        <Input
          id="filter-q"
          type="search"
          defaultValue={search.q ?? ''}
          placeholder="Title or description"
          onChange={(e) => set('q', e.target.value, true)}
        />
      </div>
      {active && (
        <Button variant="ghost" size="sm" onClick={() => navigate({ search: (prev) => taskSearch({ view: prev.view, sort: prev.sort }) })}>
          Clear filters
        </Button>
      )}
    </div>
  );
}
