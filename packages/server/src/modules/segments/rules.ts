import { type RawBuilder, sql } from 'kysely';
import type { FieldError } from '../../http/problem.js';

export const RULE_FIELDS = [
  'country',
  'customer_group',
  'channel',
  'lifetime_spend',
  'order_count',
  'days_since_last_order',
  'viewed_category',
  'bought_category',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export const COMPARISONS = ['gte', 'lte', 'eq'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export type Match = 'all' | 'any';

/** One test on a customer. Which properties apply depends on `field` (see `ruleErrors`). */
export interface RuleLeaf {
  field: RuleField;
  op?: Comparison;
  values?: string[];
  value?: number;
  currency?: string;
  category_id?: string;
  within_days?: number;
}

/** A node of the top-level list: a leaf, or a nested group of leaves. */
export interface RuleNode extends Partial<RuleLeaf> {
  match?: Match;
  conditions?: RuleLeaf[];
}

export interface SegmentRules {
  match: Match;
  conditions: RuleNode[];
}

/** IDs a rule tree refers to, for the caller to check they exist. */
export interface RuleReferences {
  customerGroups: string[];
  channels: string[];
  categories: string[];
}

const REQUIRED: Record<RuleField, readonly (keyof RuleLeaf)[]> = {
  country: ['values'],
  customer_group: ['values'],
  channel: ['values'],
  lifetime_spend: ['op', 'value', 'currency'],
  order_count: ['op', 'value'],
  days_since_last_order: ['op', 'value'],
  viewed_category: ['category_id', 'within_days'],
  bought_category: ['category_id', 'within_days'],
};
const LEAF_KEYS: readonly (keyof RuleLeaf)[] = [
  'op',
  'values',
  'value',
  'currency',
  'category_id',
  'within_days',
];

function leafErrors(leaf: Partial<RuleLeaf>, at: string): FieldError[] {
  if (!leaf.field) return [{ field: `${at}/field`, message: 'is required (or give match and conditions)' }];
  const required = REQUIRED[leaf.field];
  const errors: FieldError[] = [];
  for (const key of required)
    if (leaf[key] === undefined)
      errors.push({ field: `${at}/${key}`, message: `is required for ${leaf.field}` });
  for (const key of LEAF_KEYS)
    if (leaf[key] !== undefined && !required.includes(key))
      errors.push({ field: `${at}/${key}`, message: `does not apply to ${leaf.field}` });
  if (leaf.field === 'country')
    for (const [i, code] of (leaf.values ?? []).entries())
      if (!/^[A-Z]{2}$/.test(code))
        errors.push({ field: `${at}/values/${i}`, message: 'must be an ISO 3166-1 alpha-2 code such as GB' });
  return errors;
}

/** Shape errors the JSON schema cannot express: which properties each field needs. Pure. */
export function ruleErrors(rules: SegmentRules, base = '/body/rules'): FieldError[] {
  return rules.conditions.flatMap((node, i) => {
    const at = `${base}/conditions/${i}`;
    if (node.match === undefined && node.conditions === undefined) return leafErrors(node, at);
    const errors: FieldError[] = [];
    if (node.match === undefined) errors.push({ field: `${at}/match`, message: 'is required for a group' });
    if (node.conditions === undefined)
      errors.push({ field: `${at}/conditions`, message: 'is required for a group' });
    if (node.field !== undefined)
      errors.push({ field: `${at}/field`, message: 'a group has conditions, not a field' });
    (node.conditions ?? []).forEach((leaf, j) => {
      errors.push(...leafErrors(leaf, `${at}/conditions/${j}`));
    });
    return errors;
  });
}

function leaves(rules: SegmentRules): RuleLeaf[] {
  return rules.conditions.flatMap((node) => (node.conditions ? node.conditions : [node as RuleLeaf]));
}

export function ruleReferences(rules: SegmentRules): RuleReferences {
  const all = leaves(rules);
  const of = (field: RuleField) =>
    all.filter((leaf) => leaf.field === field).flatMap((leaf) => leaf.values ?? []);
  return {
    customerGroups: [...new Set(of('customer_group'))],
    channels: [...new Set(of('channel'))],
    categories: [
      ...new Set(all.flatMap((leaf) => (leaf.category_id !== undefined ? [leaf.category_id] : []))),
    ],
  };
}

const OPERATOR: Record<Comparison, string> = { gte: '>=', lte: '<=', eq: '=' };
const compare = (left: RawBuilder<unknown>, op: Comparison, value: number) =>
  sql<boolean>`(${left} ${sql.raw(OPERATOR[op])} ${value})`;

// Orders that count as the customer's purchases: placed and not cancelled.
const PLACED = sql`o.customer_id = c.id AND o.placed_at IS NOT NULL AND NOT o.cancelled`;
const subtree = (categoryId: string) =>
  sql`(WITH RECURSIVE sub(id) AS (SELECT ${categoryId}::text
        UNION ALL SELECT k.id FROM categories k JOIN sub ON k.parent_id = sub.id) SELECT id FROM sub)`;
const withinDays = (column: RawBuilder<unknown>, days: number) =>
  sql`${column} >= now() - make_interval(days => ${days}::int)`;

function leafSql(leaf: RuleLeaf): RawBuilder<boolean> {
  switch (leaf.field) {
    case 'country':
      // The default shipping address, else the default billing one.
      return sql<boolean>`coalesce(
        (SELECT a.country FROM customer_addresses a WHERE a.customer_id = c.id AND a.is_default_shipping),
        (SELECT a.country FROM customer_addresses a WHERE a.customer_id = c.id AND a.is_default_billing)
      ) = ANY(${leaf.values}::text[])`;
    case 'customer_group':
      return sql<boolean>`EXISTS (SELECT 1 FROM customer_group_members m
        WHERE m.customer_id = c.id AND m.group_id = ANY(${leaf.values}::text[]))`;
    case 'channel':
      // Bought through, or signed in on, one of the channels.
      return sql<boolean>`(EXISTS (SELECT 1 FROM orders o WHERE ${PLACED} AND o.channel_id = ANY(${leaf.values}::text[]))
        OR EXISTS (SELECT 1 FROM customer_sessions s WHERE s.customer_id = c.id AND s.channel_id = ANY(${leaf.values}::text[])))`;
    case 'lifetime_spend':
      return compare(
        sql`(SELECT coalesce(sum(o.total - o.refunded_amount), 0) FROM orders o WHERE ${PLACED} AND o.currency = ${leaf.currency})`,
        leaf.op!,
        leaf.value!,
      );
    case 'order_count':
      return compare(sql`(SELECT count(*) FROM orders o WHERE ${PLACED})`, leaf.op!, leaf.value!);
    case 'days_since_last_order':
      // Never ordered: NULL, so neither "within" nor "more than" N days matches.
      return compare(
        sql`(SELECT extract(epoch FROM now() - max(o.placed_at)) / 86400 FROM orders o WHERE ${PLACED})`,
        leaf.op!,
        leaf.value!,
      );
    case 'viewed_category':
      // Views exist only for consenting shoppers; a withdrawn consent stops counting them too.
      return sql<boolean>`(c.consent_personalisation AND EXISTS (SELECT 1 FROM interactions i
        JOIN product_categories pc ON pc.product_id = i.product_id
        WHERE i.customer_id = c.id AND i.kind = 'product_view' AND ${withinDays(sql`i.occurred_at`, leaf.within_days!)}
          AND pc.category_id IN ${subtree(leaf.category_id!)}))`;
    case 'bought_category':
      return sql<boolean>`EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id
        JOIN product_categories pc ON pc.product_id = l.product_id
        WHERE ${PLACED} AND ${withinDays(sql`o.placed_at`, leaf.within_days!)}
          AND pc.category_id IN ${subtree(leaf.category_id!)})`;
  }
}

function combine(match: Match, parts: RawBuilder<boolean>[]): RawBuilder<boolean> {
  if (parts.length === 0) return match === 'all' ? sql<boolean>`true` : sql<boolean>`false`;
  return sql<boolean>`(${sql.join(parts, match === 'all' ? sql` AND ` : sql` OR `)})`;
}

/**
 * The rule tree as one SQL predicate over `customers c`, with every value bound as a
 * parameter. Pure: the same rules give the same SQL; the database evaluates it set-based
 * (a whole segment) or for one customer.
 */
export function rulesToSql(rules: SegmentRules): RawBuilder<boolean> {
  return combine(
    rules.match,
    rules.conditions.map((node) =>
      node.conditions
        ? combine(node.match ?? 'all', node.conditions.map(leafSql))
        : leafSql(node as RuleLeaf),
    ),
  );
}
