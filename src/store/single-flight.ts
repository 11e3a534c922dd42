/**
 * Concurrent calls with the same key share one in-flight promise. A burst of 500 clicks on one
 * quiz reads its session once instead of 500 times; each read is still fresh when it starts.
 */
export class SingleFlight<T> {
  private inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
