import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, with the hub's own series next to Node's defaults. */
export function createMetrics() {
  const registry = new Registry();
  /** Set by the sync engine: job counts by state, read when Prometheus scrapes. */
  const queueSource: { read: (() => Promise<Record<string, number>>) | null } = { read: null };
  collectDefaultMetrics({ register: registry, prefix: 'calhub_' });
  return {
    registry,
    httpRequests: new Counter({ name: 'calhub_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({ name: 'calhub_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['route'], buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1], registers: [registry] }),
    syncRuns: new Counter({ name: 'calhub_sync_jobs_total', help: 'Sync jobs (pull, push, mirror) by outcome (ok or error code)', labelNames: ['job', 'outcome'], registers: [registry] }),
    syncDuration: new Histogram({ name: 'calhub_sync_job_duration_seconds', help: 'Sync job duration', labelNames: ['job'], buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60], registers: [registry] }),
    propagationLag: new Histogram({ name: 'calhub_propagation_lag_seconds', help: 'Provider change time to stored in the hub', buckets: [0.1, 0.25, 0.5, 1, 2, 5, 30, 120, 600], registers: [registry] }),
    conflicts: new Counter({ name: 'calhub_conflicts_total', help: 'Conflicts recorded (both sides changed)', registers: [registry] }),
    echoesSuppressed: new Counter({ name: 'calhub_echoes_suppressed_total', help: 'Provider changes recognized as our own writes coming back', registers: [registry] }),
    eventsApplied: new Counter({ name: 'calhub_events_applied_total', help: 'Remote changes applied to the store', labelNames: ['kind'], registers: [registry] }),
    quarantined: new Counter({ name: 'calhub_items_quarantined_total', help: 'Remote items quarantined as unreadable', registers: [registry] }),
    providerRequests: new Counter({ name: 'calhub_provider_requests_total', help: 'Provider requests by provider and status', labelNames: ['provider', 'status'], registers: [registry] }),
    queueSource,
    queueDepth: new Gauge({
      name: 'calhub_queue_depth',
      help: 'Sync jobs by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        if (!queueSource.read) return;
        for (const [state, n] of Object.entries(await queueSource.read())) this.set({ state }, n);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
