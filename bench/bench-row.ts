export type BenchRow = { name: string; target: string; metrics: Record<string, string | number> };
