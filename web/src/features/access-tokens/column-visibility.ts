import { useEffect, useState } from 'react';

const KEY = 'taskgate.accessTokens.columns';

/** Which columns are hidden, remembered in this browser across reloads. */
export function useRememberedColumnVisibility() {
  const [visibility, setVisibility] = useState<Record<string, boolean>>(() => {
    try {
      const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
      return typeof stored === 'object' && stored !== null ? (stored as Record<string, boolean>) : {};
    } catch {
      return {};
    }
  });
  useEffect(() => localStorage.setItem(KEY, JSON.stringify(visibility)), [visibility]);
  return [visibility, setVisibility] as const;
}
