/**
 * What the signed-in staff member may see. The API enforces every scope anyway (a hidden
 * button is a courtesy, not a guard); this only keeps the dashboard from offering what the
 * API would refuse. Same rule as the server: `*` grants all, `area:write` implies `area:read`.
 */
export function hasScope(granted: readonly string[], required: string): boolean {
  if (granted.includes('*') || granted.includes(required)) return true;
  const [area, action] = required.split(':');
  return action === 'read' && granted.includes(`${area}:write`);
}

export interface Section {
  id: string;
  label: string;
  /** Scope needed to open the section at all. */
  scope: string | null;
}

export const SECTIONS: readonly Section[] = [
  { id: 'home', label: 'Home', scope: null },
  { id: 'products', label: 'Products', scope: 'catalog:read' },
  { id: 'import', label: 'Import', scope: 'catalog:write' },
  { id: 'orders', label: 'Orders', scope: 'orders:read' },
  { id: 'customers', label: 'Customers', scope: 'customers:read' },
  { id: 'promotions', label: 'Promotions', scope: 'promotions:read' },
  { id: 'channels', label: 'Channels & keys', scope: 'channels:read' },
  { id: 'webhooks', label: 'Webhooks', scope: 'webhooks:read' },
];

export const visibleSections = (scopes: readonly string[]) =>
  SECTIONS.filter((section) => section.scope === null || hasScope(scopes, section.scope));

/** The section a route belongs to (`products/prod_1` → products), for the access check and the nav. */
export const sectionOf = (path: string) =>
  SECTIONS.find((section) => section.id === path.split('/')[0]) ?? null;

export function canOpen(scopes: readonly string[], path: string): boolean {
  const section = sectionOf(path);
  return section !== null && (section.scope === null || hasScope(scopes, section.scope));
}
