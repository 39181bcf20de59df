import type { ReactNode } from 'react';

/** The frame of the signed-out pages. */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted px-4 py-10">
      <div className="w-full max-w-sm rounded-lg border bg-background p-6 shadow-sm">
        <div className="mb-6 flex items-center gap-2">
          <img src="/favicon.svg" alt="" className="h-7 w-7" />
          <span className="text-lg font-semibold">Taskgate</span>
        </div>
        <h1 className="mb-4 text-xl font-semibold">{title}</h1>
        {children}
        <div className="mt-6 text-sm text-muted-foreground">{footer}</div>
      </div>
    </main>
  );
}
