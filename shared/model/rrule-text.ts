/**
 * One spelling per RRULE: servers reorder parts (Xandikos rewrites them), so content comparisons
 * use FREQ first, the other parts sorted by name, and names upper-cased.
 */
export function normalizeRRule(rule: string): string {
  const parts = rule
    .replace(/^RRULE:/i, '')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [k, v = ''] = p.split('=');
      return `${k!.toUpperCase()}=${v.toUpperCase()}`;
    });
  const freq = parts.filter((p) => p.startsWith('FREQ='));
  return [...freq, ...parts.filter((p) => !p.startsWith('FREQ=')).sort()].join(';');
}
