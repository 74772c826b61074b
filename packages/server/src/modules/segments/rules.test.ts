import { describe, expect, it } from 'vitest';
import { ruleErrors, ruleReferences, type SegmentRules } from './rules.js';

describe('segment rule shapes', () => {
  it('accept well-formed rules and collect their references', () => {
    const rules: SegmentRules = {
      match: 'all',
      conditions: [
        { field: 'customer_group', values: ['cgrp_a'] },
        {
          match: 'any',
          conditions: [
            { field: 'channel', values: ['chan_a', 'chan_b'] },
            { field: 'viewed_category', category_id: 'cat_a', within_days: 7 },
          ],
        },
      ],
    };
    expect(ruleErrors(rules)).toEqual([]);
    expect(ruleReferences(rules)).toEqual({
      customerGroups: ['cgrp_a'],
      channels: ['chan_a', 'chan_b'],
      categories: ['cat_a'],
    });
  });

  it('name every missing or misplaced property', () => {
    expect(
      ruleErrors({
        match: 'any',
        conditions: [
          { field: 'order_count', value: 2 },
          {
            match: 'all',
            conditions: [{ field: 'bought_category', category_id: 'cat_a' }],
            field: 'country',
          },
          { op: 'gte' },
        ],
      }),
    ).toEqual([
      { field: '/body/rules/conditions/0/op', message: 'is required for order_count' },
      { field: '/body/rules/conditions/1/field', message: 'a group has conditions, not a field' },
      {
        field: '/body/rules/conditions/1/conditions/0/within_days',
        message: 'is required for bought_category',
      },
      { field: '/body/rules/conditions/2/field', message: 'is required (or give match and conditions)' },
    ]);
  });
});
