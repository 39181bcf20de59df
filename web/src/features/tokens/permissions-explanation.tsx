import type { AccessLayer, MePermissions, RefusalLayer } from '@taskgate/client';
import { Badge } from '../../components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { ROLE_LABELS } from '../../lib/roles';

/** Each layer of authorisation, as people call it. */
const LAYER_LABELS: Record<RefusalLayer, string> = {
  plan: 'Plan',
  project_restriction: 'Project restriction',
  role: 'Role',
  token_permissions: 'Token permissions',
  agent_matrix: 'Agent matrix',
  ip_allowlist: 'IP allowlist',
  delegation_scope: 'Delegation scope',
};

/** What one layer says, in a line: whether it limits the token at all, and how. */
function layerDetail(layer: AccessLayer): string {
  if (!layer.applies) return 'Does not limit it';
  const through = `lets ${layer.allows.length} permission${layer.allows.length === 1 ? '' : 's'} through`;
  if (layer.layer === 'role' && layer.role) return `${ROLE_LABELS[layer.role]}: ${through}`;
  if (layer.layer === 'plan' && layer.plan) return `The ${layer.plan} plan ${through}`;
  if (layer.layer === 'project_restriction' && layer.projectIds)
    return `Only ${layer.projectIds.length} project${layer.projectIds.length === 1 ? '' : 's'}: ${through}`;
  return through[0]!.toUpperCase() + through.slice(1);
}

/** A token's effective permissions as the intersection of its layers, each listed, and every permission's verdict. */
export function PermissionsExplanation({ explanation }: { explanation: MePermissions }) {
  const { layers, permissions, effective } = explanation;
  return (
    <div className="grid gap-3">
      <p className="text-sm">
        It may do <strong>{effective.length}</strong> of the {permissions.length} things here: what every layer below lets through.
      </p>
      <ol className="grid gap-1 text-sm" aria-label="Layers, in the order authorisation consults them">
        {layers.map((layer) => (
          <li key={layer.layer} data-layer={layer.layer} className="flex flex-wrap gap-x-2">
            <span className="font-medium">{LAYER_LABELS[layer.layer]}</span>
            <span className="text-muted-foreground">{layerDetail(layer)}</span>
          </li>
        ))}
      </ol>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Permission</TableHead>
            <TableHead>Here</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {permissions.map((verdict) => (
            <TableRow key={verdict.name} data-permission={verdict.name}>
              <TableCell className="font-mono text-xs">{verdict.name}</TableCell>
              <TableCell>
                {verdict.effective ? (
                  <Badge variant="success">Allowed</Badge>
                ) : (
                  <Badge variant="secondary">Refused by {verdict.refusedBy ? LAYER_LABELS[verdict.refusedBy] : 'another layer'}</Badge>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
