import * as Menu from '@radix-ui/react-dropdown-menu';
import type { ComponentProps } from 'react';
import { cn } from '../../lib/cn';
import { rememberMenuOpener } from './dialog';

export const DropdownMenu = Menu.Root;

/** A menu's trigger, remembered as it opens the menu so a dialog chosen from the menu can return focus to it. */
export function DropdownMenuTrigger({ onPointerDown, onKeyDown, ...props }: ComponentProps<typeof Menu.Trigger>) {
  return (
    <Menu.Trigger
      {...props}
      onPointerDown={(event) => {
        rememberMenuOpener(event.currentTarget);
        onPointerDown?.(event);
      }}
      onKeyDown={(event) => {
        rememberMenuOpener(event.currentTarget);
        onKeyDown?.(event);
      }}
    />
  );
}

export function DropdownMenuContent({ className, ...props }: ComponentProps<typeof Menu.Content>) {
  return (
    <Menu.Portal>
      <Menu.Content
        align="end"
        sideOffset={4}
        className={cn('z-50 min-w-40 rounded-md border bg-background p-1 shadow-md', className)}
        {...props}
      />
    </Menu.Portal>
  );
}

const itemClass =
  'relative flex cursor-default select-none items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none ' +
  'data-[highlighted]:bg-accent data-[disabled]:pointer-events-none data-[disabled]:opacity-50';

export function DropdownMenuItem({ className, destructive, ...props }: ComponentProps<typeof Menu.Item> & { destructive?: boolean }) {
  return <Menu.Item className={cn(itemClass, destructive && 'text-destructive-text', className)} {...props} />;
}

export function DropdownMenuCheckboxItem({ className, children, ...props }: ComponentProps<typeof Menu.CheckboxItem>) {
  return (
    <Menu.CheckboxItem className={cn(itemClass, 'pl-7', className)} {...props}>
      <span className="absolute left-2 flex w-4 justify-center">
        <Menu.ItemIndicator>✓</Menu.ItemIndicator>
      </span>
      {children}
    </Menu.CheckboxItem>
  );
}

export function DropdownMenuLabel({ className, ...props }: ComponentProps<typeof Menu.Label>) {
  return <Menu.Label className={cn('px-2 py-1.5 text-xs font-semibold text-muted-foreground', className)} {...props} />;
}

export const DropdownMenuSeparator = (props: ComponentProps<typeof Menu.Separator>) => (
  <Menu.Separator className="-mx-1 my-1 h-px bg-border" {...props} />
);
