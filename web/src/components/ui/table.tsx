import type { ComponentProps } from 'react';
import { cn } from '../../lib/cn';

/** A table that scrolls inside its own box on a narrow screen, never the page. */
export function Table({ className, ...props }: ComponentProps<'table'>) {
  return (
    <div className="relative w-full overflow-x-auto rounded-md border">
      <table className={cn('w-full caption-bottom text-sm', className)} {...props} />
    </div>
  );
}
export const TableHeader = (props: ComponentProps<'thead'>) => <thead className="bg-muted/60 [&_tr]:border-b" {...props} />;
export const TableBody = (props: ComponentProps<'tbody'>) => <tbody className="[&_tr:last-child]:border-0" {...props} />;
export function TableRow({ className, ...props }: ComponentProps<'tr'>) {
  return <tr className={cn('border-b transition-colors hover:bg-muted/40', className)} {...props} />;
}
export function TableHead({ className, ...props }: ComponentProps<'th'>) {
  return (
    <th
      className={cn('h-9 px-3 text-left align-middle text-xs font-medium text-muted-foreground whitespace-nowrap', className)}
      {...props}
    />
  );
}
export function TableCell({ className, ...props }: ComponentProps<'td'>) {
  return <td className={cn('px-3 py-2 align-middle', className)} {...props} />;
}
