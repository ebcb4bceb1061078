/**
 * Turns a burst of notifications for one calendar into at most two pull requests at a time: the
 * one in flight and one queued behind it. Each caller waits for a request that started after it
 * arrived, so a notification is acknowledged only once a pull that will see its change is
 * recorded (the engine's dirty flag and queue). The queue's own deduplication does the rest.
 */
export type RequestPull = (tenantId: string, calendarId: string) => Promise<unknown>;

interface Slot {
  running: Promise<void>;
  next: Promise<void> | null;
}

export class PullCoalescer {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly requestPull: RequestPull) {}

  request(tenantId: string, calendarId: string): Promise<void> {
    const key = `${tenantId}/${calendarId}`;
    const slot = this.slots.get(key);
    if (!slot) {
      const running = this.start(key, tenantId, calendarId);
      this.slots.set(key, { running, next: null });
      return running;
    }
    // The running request may have read the calendar's state before this change: queue one more.
    slot.next ??= slot.running.catch(() => undefined).then(() => {
      slot.running = this.start(key, tenantId, calendarId);
      slot.next = null;
      return slot.running;
    });
    return slot.next;
  }

  private async start(key: string, tenantId: string, calendarId: string): Promise<void> {
    try {
      await this.requestPull(tenantId, calendarId);
    } finally {
      const slot = this.slots.get(key);
      if (slot && !slot.next) this.slots.delete(key);
    }
  }
}
