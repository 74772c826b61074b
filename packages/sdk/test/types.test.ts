import { describe, expectTypeOf, it } from 'vitest';
import { type Cart, createStoreClient, type StoreProduct } from '../src/index.js';

// Compile-time checks (tsc): paths, bodies and results are typed from the generated schema.
describe('typed calls', () => {
  it('infers results and rejects unknown paths and bad bodies', () => {
    const store = createStoreClient({ baseUrl: 'http://127.0.0.1:9', publishableKey: 'pk_test' });
    type CartCall = ReturnType<typeof store.post<'/store/v1/carts', { body: { email: string } }>>;
    expectTypeOf<Awaited<CartCall>>().toEqualTypeOf<Cart>();
    type ProductCall = ReturnType<
      typeof store.get<'/store/v1/products/{idOrHandle}', { params: { path: { idOrHandle: string } } }>
    >;
    expectTypeOf<Awaited<ProductCall>>().toEqualTypeOf<StoreProduct>();
    expectTypeOf<Cart['version']>().toEqualTypeOf<number>();
    const never = () => {
      // @ts-expect-error not an API path
      store.get('/store/v1/nope');
      // @ts-expect-error quantity must be a number; unknown fields are refused
      store.post('/store/v1/carts/{id}/lines', { params: { path: { id: 'c' } }, body: { variant: 1 } });
    };
    expectTypeOf(never).toBeFunction();
  });
});
