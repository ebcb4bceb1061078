/** A tenant as operators read it in tables and status lines: its id (what --tenant takes) and its name. */
export function tenantLabel(names: Record<string, string> | undefined, id: string): string {
  const name = names?.[id];
  return name ? `${id} (${name})` : id;
}
