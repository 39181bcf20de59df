import type { InventoryToken } from '@taskgate/client';

export type InventoryKind = InventoryToken['kind'];
export type InventoryStatus = InventoryToken['status'];

export const KINDS: ReadonlyArray<{ value: InventoryKind; label: string }> = [
  { value: 'personal', label: 'Personal (members)' },
  { value: 'workspace', label: 'Workspace access tokens' },
  { value: 'agent', label: 'Agent tokens' },
  { value: 'delegated', label: 'Delegated (sub-agents)' },
];

export const STATUSES: readonly InventoryStatus[] = ['active', 'revoked', 'expired', 'disabled'];

export interface InventorySearch {
  kind?: InventoryKind;
  status?: InventoryStatus;
  stale?: true;
  expiring?: true;
  createdBy?: string;
}

const flag = (value: unknown) => value === true || value === 'true';

/** The filters live in the URL, so a filtered inventory survives a reload and can be shared. */
export function inventorySearch(search: Record<string, unknown>): InventorySearch {
  const kind = KINDS.find((k) => k.value === search.kind)?.value;
  const status = STATUSES.find((s) => s === search.status);
  const createdBy = typeof search.createdBy === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(search.createdBy) ? search.createdBy : undefined;
  return {
    ...(kind ? { kind } : {}),
    ...(status ? { status } : {}),
    ...(flag(search.stale) ? { stale: true as const } : {}),
    ...(flag(search.expiring) ? { expiring: true as const } : {}),
    ...(createdBy ? { createdBy } : {}),
  };
}
