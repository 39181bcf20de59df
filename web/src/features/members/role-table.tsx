import { useQuery } from '@tanstack/react-query';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { taskgate } from '../../lib/api';
import { atLeast, ROLE_LABELS, ROLES } from '../../lib/roles';

const catalogueQuery = { queryKey: ['permissions'], queryFn: () => taskgate.system.permissions(), staleTime: Infinity };

/** What each role may do, from the server's permission catalogue (each role holds what those below it hold). */
export function RoleTable() {
  const catalogue = useQuery(catalogueQuery);
  if (!catalogue.data) return null;
  return (
    <Table aria-label="What each role may do">
      <TableHeader>
        <TableRow>
          <TableHead>Permission</TableHead>
          {ROLES.map((role) => (
            <TableHead key={role} className="text-center">
              {ROLE_LABELS[role]}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {catalogue.data.categories.flatMap((category) =>
          category.permissions.map((permission) => (
            <TableRow key={permission.name}>
              <TableCell className="text-xs">
                <span className="font-medium">{permission.description}</span>
                <span className="block font-mono text-muted-foreground">{permission.name}</span>
              </TableCell>
              {ROLES.map((role) => (
                <TableCell key={role} className="text-center">
                  {atLeast(role, permission.minimumRole) ? (
                    <span role="img" aria-label="Yes">
                      ✓
                    </span>
                  ) : (
                    <span role="img" aria-label="No" className="text-muted-foreground">
                      –
                    </span>
                  )}
                </TableCell>
              ))}
            </TableRow>
          )),
        )}
      </TableBody>
    </Table>
  );
}
