import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveryCalls } from './queue.js';

const claimed = fc
  .array(
    fc.record({
      consumer: fc.constantFrom('batch:a', 'batch:b', 'single:c'),
      attempts: fc.integer({ min: 1, max: 3 }),
    }),
    {
      maxLength: 40,
    },
  )
  .map((rows) => rows.map((row, seq) => ({ ...row, seq })));
const limits: Record<string, number> = { 'batch:a': 3, 'batch:b': 5, 'single:c': 1 };

describe('deliveryCalls', () => {
  it('puts each delivery in exactly one call, in seq order, of one consumer, within its limit', () => {
    fc.assert(
      fc.property(claimed, (deliveries) => {
        const calls = deliveryCalls(deliveries, (consumer) => limits[consumer]);
        expect(
          calls
            .flat()
            .map((d) => d.seq)
            .sort((x, y) => x - y),
        ).toEqual(deliveries.map((d) => d.seq));
        for (const call of calls) {
          expect(call.length).toBeGreaterThan(0);
          expect(call.length).toBeLessThanOrEqual(limits[call[0].consumer]);
          expect(new Set(call.map((d) => d.consumer)).size).toBe(1);
          expect(call.map((d) => d.seq)).toEqual([...call.map((d) => d.seq)].sort((x, y) => x - y));
        }
      }),
    );
  });

  it('batches first attempts as far as the limit allows and sends every retry alone', () => {
    fc.assert(
      fc.property(claimed, (deliveries) => {
        const calls = deliveryCalls(deliveries, (consumer) => limits[consumer]);
        for (const call of calls) if (call.some((d) => d.attempts > 1)) expect(call).toHaveLength(1);
        for (const consumer of Object.keys(limits)) {
          const firsts = deliveries.filter((d) => d.consumer === consumer && d.attempts === 1).length;
          const batched = calls.filter((call) => call[0].consumer === consumer && call[0].attempts === 1);
          expect(batched).toHaveLength(Math.ceil(firsts / limits[consumer]));
        }
      }),
    );
  });

  it('keeps a consumer without batches one delivery per call', () => {
    const deliveries = [1, 2, 3].map((seq) => ({ consumer: 'webhook:x', attempts: 1, seq }));
    expect(deliveryCalls(deliveries, () => 1)).toEqual(deliveries.map((d) => [d]));
  });
});
