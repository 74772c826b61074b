import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import { conflict, invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import {
  insertPrices,
  listPricesOfVariants,
  priceChannelErrors,
  priceInputErrors,
} from '../pricing/service.js';
import { isUniqueViolation } from './db-errors.js';
import { skuTaken, variantOptionErrors } from './graph.js';
import { type PresentedVariant, presentOption, presentVariant } from './present.js';
import { touchProduct, type VariantInput } from './products.js';
import type { ProductOptionRow, VariantRow } from './tables.js';

async function optionsOf(db: Executor, productId: string): Promise<ProductOptionRow[]> {
  return db
    .selectFrom('product_options')
    .selectAll()
    .where('product_id', '=', productId)
    .orderBy('position')
    .execute();
}

async function requireProduct(db: Executor, productId: string): Promise<void> {
  const found = await db.selectFrom('products').select('id').where('id', '=', productId).executeTakeFirst();
  if (!found) throw notFound('Product', productId);
}

/** Option values of `variant` must fit the product's options and not repeat a sibling's. */
async function checkVariantOptions(
  db: Executor,
  productId: string,
  variant: { id?: string; options: Record<string, string> },
): Promise<void> {
  const options = await optionsOf(db, productId);
  const errors = variantOptionErrors(options, [{ options: variant.options }], () => '/body');
  if (options.length > 0) {
    const combination = (values: Record<string, string>) =>
      JSON.stringify(options.map((o) => values[o.name] ?? null));
    const siblings = await db
      .selectFrom('variants')
      .select(['id', 'option_values'])
      .where('product_id', '=', productId)
      .execute();
    const clash = siblings.find(
      (s) => s.id !== variant.id && combination(s.option_values) === combination(variant.options),
    );
    if (clash)
      errors.push({ field: '/body/options', message: `repeats the option values of variant ${clash.id}` });
  }
  if (errors.length > 0) throw invalid('The variant’s option values are not valid', errors);
}

export async function getVariant(db: Executor, id: string): Promise<PresentedVariant> {
  const row = await db.selectFrom('variants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Variant', id);
  return presentVariant(row, await listPricesOfVariants(db, [id]));
}

export async function createVariant(
  db: Executor,
  productId: string,
  input: VariantInput,
): Promise<PresentedVariant> {
  await requireProduct(db, productId);
  const prices = (input.prices ?? []).map((price, index) => ({ price, field: `/body/prices/${index}` }));
  const errors = [
    ...prices.flatMap(({ price, field }) => priceInputErrors(price, field)),
    ...(await priceChannelErrors(db, prices)),
  ];
  if (errors.length > 0) throw invalid('The variant is not valid', errors);
  await checkVariantOptions(db, productId, { options: input.options ?? {} });
  return inTransaction(db, async (tx) => {
    const id = newId('var');
    const position =
      input.position ??
      Number(
        (
          await tx
            .selectFrom('variants')
            .select((eb) => eb.fn.countAll<number>().as('count'))
            .where('product_id', '=', productId)
            .executeTakeFirstOrThrow()
        ).count,
      );
    try {
      await tx
        .insertInto('variants')
        .values({
          id,
          product_id: productId,
          sku: input.sku,
          title: input.title ?? '',
          option_values: JSON.stringify(input.options ?? {}) as never,
          barcode: input.barcode ?? null,
          weight_grams: input.weight_grams ?? null,
          position,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error, 'variants_sku_key'))
        throw skuTaken(`The SKU ${input.sku} is already used`);
      throw error;
    }
    await insertPrices(
      tx,
      (input.prices ?? []).map((price) => ({ variantId: id, price })),
    );
    await touchProduct(tx, productId);
    return getVariant(tx, id);
  });
}

export type VariantPatch = Partial<Omit<VariantInput, 'prices'>>;

export async function updateVariant(
  db: Executor,
  id: string,
  patch: VariantPatch,
  expectedVersion: number | null,
): Promise<PresentedVariant> {
  return inTransaction(db, async (tx) => {
    const current = await getVariant(tx, id);
    if (expectedVersion !== null && expectedVersion !== current.version) throw staleVersion(current);
    if (patch.options) await checkVariantOptions(tx, current.product_id, { id, options: patch.options });
    const { options, ...rest } = patch;
    let row: VariantRow | undefined;
    try {
      row = await tx
        .updateTable('variants')
        .set({
          ...rest,
          ...(options ? { option_values: JSON.stringify(options) as never } : {}),
          version: current.version + 1,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .where('version', '=', current.version)
        .returningAll()
        .executeTakeFirst();
    } catch (error) {
      if (isUniqueViolation(error, 'variants_sku_key'))
        throw skuTaken(`The SKU ${patch.sku} is already used`);
      throw error;
    }
    if (!row) throw staleVersion(await getVariant(tx, id));
    await touchProduct(tx, current.product_id);
    return getVariant(tx, id);
  });
}

export async function deleteVariant(db: Executor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await tx
      .deleteFrom('variants')
      .where('id', '=', id)
      .returning('product_id')
      .executeTakeFirst();
    if (!row) throw notFound('Variant', id);
    await touchProduct(tx, row.product_id);
  });
}

export interface OptionInput {
  name: string;
  values: string[];
  position?: number;
}

const optionNameTaken = (name: string) =>
  conflict('option_name_taken', `The product already has an option named ${name}`);

export async function createOption(db: Executor, productId: string, input: OptionInput) {
  await requireProduct(db, productId);
  return inTransaction(db, async (tx) => {
    const variants = await tx
      .selectFrom('variants')
      .select('id')
      .where('product_id', '=', productId)
      .limit(1)
      .execute();
    // Existing variants would lack a value for the new option.
    if (variants.length > 0)
      throw conflict(
        'product_has_variants',
        'Add options before variants, or recreate the variants with the new option',
      );
    const position = input.position ?? (await optionsOf(tx, productId)).length;
    try {
      const row = await tx
        .insertInto('product_options')
        .values({ id: newId('opt'), product_id: productId, name: input.name, values: input.values, position })
        .returningAll()
        .executeTakeFirstOrThrow();
      await touchProduct(tx, productId);
      return presentOption(row);
    } catch (error) {
      if (isUniqueViolation(error, 'product_options_product_id_name_key')) throw optionNameTaken(input.name);
      throw error;
    }
  });
}

async function getOption(db: Executor, productId: string, optionId: string): Promise<ProductOptionRow> {
  const row = await db
    .selectFrom('product_options')
    .selectAll()
    .where('id', '=', optionId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  if (!row) throw notFound('Option', optionId);
  return row;
}

/** Renaming an option renames the key in every variant; dropping a value in use is refused. */
export async function updateOption(
  db: Executor,
  productId: string,
  optionId: string,
  patch: Partial<OptionInput>,
) {
  return inTransaction(db, async (tx) => {
    const current = await getOption(tx, productId, optionId);
    if (patch.values) {
      const inUse = await tx
        .selectFrom('variants')
        .select('sku')
        .where('product_id', '=', productId)
        .where(sql<boolean>`option_values->>${current.name} <> ALL(${patch.values}::text[])`)
        .execute();
      if (inUse.length > 0)
        throw conflict(
          'option_value_in_use',
          `Variants ${inUse.map((v) => v.sku).join(', ')} use a value this update removes`,
        );
    }
    let row: ProductOptionRow;
    try {
      row = await tx
        .updateTable('product_options')
        .set(patch)
        .where('id', '=', optionId)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error, 'product_options_product_id_name_key'))
        throw optionNameTaken(patch.name ?? '');
      throw error;
    }
    if (patch.name && patch.name !== current.name)
      await sql`UPDATE variants SET option_values = (option_values - ${current.name}::text)
          || jsonb_build_object(${patch.name}::text, option_values->${current.name})
        WHERE product_id = ${productId} AND option_values ? ${current.name}`.execute(tx);
    await touchProduct(tx, productId);
    return presentOption(row);
  });
}

/** Deleting an option removes its value from every variant of the product. */
export async function deleteOption(db: Executor, productId: string, optionId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const current = await getOption(tx, productId, optionId);
    await tx.deleteFrom('product_options').where('id', '=', optionId).execute();
    await sql`UPDATE variants SET option_values = option_values - ${current.name}::text
      WHERE product_id = ${productId}`.execute(tx);
    await touchProduct(tx, productId);
  });
}
