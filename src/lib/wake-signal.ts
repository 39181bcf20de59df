/**
 * A nudge from one part of the app to a background loop of the same app ("there is work now, don't wait
 * for your next poll"). Held on the AppContext, so two apps in one process never wake each other.
 */
export class WakeSignal {
  private listener: (() => void) | null = null;

  /** Wakes the listening loop, if one is listening. */
  wake(): void {
    this.listener?.();
  }

  /** Makes `listener` the one woken; returns how to stop listening. */
  listen(listener: () => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }
}
