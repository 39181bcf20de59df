import type { ComponentProps } from 'react';
import { cn, FOCUS_RING } from '../../lib/cn';

export function Input({ className, ...props }: ComponentProps<'input'>) {
  return (
    <input
      className={cn(
        'flex h-9 w-full min-w-0 rounded-md border bg-background px-3 py-1 text-sm shadow-xs placeholder:text-muted-foreground ' +
          'focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50 aria-invalid:border-destructive',
        className,
      )}
      {...props}
    />
  );
}

export function Select({ className, ...props }: ComponentProps<'select'>) {
  return <select className={cn('flex h-9 w-full rounded-md border bg-background px-3 text-sm', FOCUS_RING, className)} {...props} />;
}
