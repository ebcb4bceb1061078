/**
 * `calhub start`'s sync and store threads run below the API thread's CPU priority
 * (CALHUB_THREAD_NICE). On a machine whose cores the hub fills, a free/busy answer otherwise waits
 * for a core behind a heavy tenant's parsing and writes: in the hostile-neighbour test (2 cores)
 * the victim's free/busy p99 was 11-20 ms with the threads at the API's priority and 7-14 ms at
 * nice 10, four runs each, alternating (2026-12-04). Linux only: there a thread id is a process id
 * to setpriority, which changes that thread alone.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** This thread's id, or null where /proc/thread-self does not say it. */
export function threadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Lowers the calling thread's priority by `steps` nice steps (up to 19); false where it cannot. */
export function lowerThreadPriority(steps: number): boolean {
  if (steps <= 0 || process.platform !== 'linux') return false;
  const tid = threadId();
  if (tid === null) return false;
  try {
    setPriority(tid, Math.min(19, getPriority(tid) + steps));
    return true;
  } catch {
    return false;
  }
}
