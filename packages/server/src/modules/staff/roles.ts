import type { StaffRole } from './tables.js';

export const STAFF_ROLES: StaffRole[] = ['owner', 'catalog_manager', 'support', 'read_only'];

const READ_SCOPES = [
  'catalog:read',
  'channels:read',
  'inventory:read',
  'orders:read',
  'customers:read',
  'promotions:read',
  'settings:read',
  'events:read',
  'webhooks:read',
];

/**
 * A role is a fixed set of admin-API scopes, so the API enforces roles exactly as it
 * enforces secret-key scopes; the dashboard only hides what the API would refuse anyway.
 */
export const ROLE_SCOPES: Record<StaffRole, string[]> = {
  owner: ['*'],
  catalog_manager: [
    'catalog:write',
    'inventory:write',
    'promotions:write',
    'channels:read',
    'settings:read',
    'events:read',
  ],
  // Support works on orders and customers only: no catalog access at all.
  support: ['orders:write', 'customers:write'],
  read_only: READ_SCOPES,
};
