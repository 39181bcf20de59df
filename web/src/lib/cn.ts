import { clsx, type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

/** The keyboard focus ring every interactive element shows. */
export const FOCUS_RING = 'focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring';

/** Class names merged the shadcn way: later Tailwind utilities win over earlier ones. */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
