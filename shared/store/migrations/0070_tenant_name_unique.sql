-- Tenant names are unique regardless of case (`calhub tenants create t1` twice made two tenants an
-- operator could not tell apart). A store with such duplicates already keeps every tenant: the
-- oldest keeps the name, each other one gets its id appended ("t1 (ten_…)"), which no other tenant
-- holds; ids, keys and data are untouched. `calhub tenants list` shows the new names.
UPDATE tenants t SET name = t.name || ' (' || t.id || ')'
FROM (
  SELECT id, row_number() OVER (PARTITION BY lower(name) ORDER BY created_at, id) AS n FROM tenants
) d
WHERE d.id = t.id AND d.n > 1;
CREATE UNIQUE INDEX tenants_name_lower ON tenants (lower(name));
