import type { Kysely, Transaction } from 'kysely';

/**
 * The typed schema. Empty here on purpose: each module declares its own tables by
 * augmenting this interface next to its code (`declare module '../../db/database.js'`),
 * so a module owns its tables and nobody else edits a shared file to add one.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by modules
export interface Database {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either a pool handle or a transaction: service functions accept both. */
export type Executor = Kysely<Database>;
