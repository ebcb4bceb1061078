// Types of bin/dist.mjs for the TypeScript that imports it (bin/ is plain JavaScript: it runs before any build).
import type { BuildOptions } from 'esbuild';

export const root: string;
export const DIST: string;
export const ENTRIES: Record<string, string>;
export const BUNDLE: BuildOptions;
export function inputStamp(file: string, base?: string): string;
export function fresh(base?: string, dist?: string): boolean;
export function builtEntry(sourceUrl: string): string | null;
