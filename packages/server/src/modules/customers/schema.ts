import { type TSchema, Type } from 'typebox';
import { Metadata, Timestamp } from '../../http/schemas.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Email = Type.String({
  format: 'email',
  minLength: 3,
  maxLength: 254,
  description: 'Unique per shop, compared case-insensitively',
  examples: ['ada@example.com'],
});
// The policy (8 to 256 characters, not the email) is checked in code so a weak password gets
// a 422 `weak_password` that says what is wrong; this bound only stops absurd payloads.
const Password = Type.String({
  maxLength: 1024,
  description: 'At least 8 and at most 256 characters, not the email address',
  examples: ['correct horse battery staple'],
});
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Phone = Type.String({
  pattern: '^[+0-9 ()./-]{3,32}$',
  description: 'Digits, spaces and + ( ) . / -',
  examples: ['+44 20 7946 0958'],
});
const CountryCode = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166-1 alpha-2, upper case',
  examples: ['GB'],
});
const CustomerId = Type.String({ minLength: 3, maxLength: 64, examples: ['cus_01jd8x2k3m4n5p6q7r8s9t0v1w'] });

const consentFields = {
  consent_personalisation: Type.Boolean({
    description: 'May Merx use browsing and order history to personalise recommendations and search',
  }),
  consent_personalisation_updated_at: Nullable(Timestamp),
  consent_marketing: Type.Boolean({ description: 'May the shop send marketing messages' }),
  consent_marketing_updated_at: Nullable(Timestamp),
};

export const Customer = Type.Object(
  {
    id: CustomerId,
    email: Type.String(),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    metadata: Metadata,
    ...consentFields,
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Customer' },
);

export const CustomerAddress = Type.Object(
  {
    id: Type.String({ examples: ['cadr_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    company: Nullable(Type.String()),
    line1: Type.String(),
    line2: Nullable(Type.String()),
    city: Type.String(),
    postal_code: Nullable(Type.String()),
    region: Nullable(Type.String()),
    country: Type.String(),
    phone: Nullable(Type.String()),
    is_default_shipping: Type.Boolean(),
    is_default_billing: Type.Boolean(),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'CustomerAddress' },
);

export const AdminCustomer = Type.Object(
  {
    ...Customer.properties,
    group_ids: Type.Array(Type.String(), { description: 'Customer groups this customer belongs to' }),
    locked_until: Nullable(
      Type.String({
        format: 'date-time',
        description: 'Set while logins are refused after too many wrong passwords',
      }),
    ),
  },
  { $id: 'AdminCustomer' },
);

export const AdminCustomerDetail = Type.Object(
  {
    ...AdminCustomer.properties,
    addresses: Type.Array(Type.Ref('CustomerAddress')),
  },
  { $id: 'AdminCustomerDetail' },
);

export const CustomerGroup = Type.Object(
  {
    id: Type.String({ examples: ['cgrp_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    name: Type.String(),
    description: Nullable(Type.String()),
    metadata: Metadata,
    member_count: Type.Integer({ minimum: 0 }),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'CustomerGroup' },
);

export const CustomerRegister = Type.Object(
  {
    email: Email,
    password: Password,
    first_name: Type.Optional(Name),
    last_name: Type.Optional(Name),
    phone: Type.Optional(Phone),
    consent_personalisation: Type.Optional(
      Type.Boolean({ description: 'Omit to leave the choice open (false, with no decision time)' }),
    ),
    consent_marketing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CustomerLogin = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254, examples: ['ada@example.com'] }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    cart_id: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 64,
        description: 'Guest cart of this device, to merge into the customer’s cart',
        examples: ['cart_01jd8x2k3m4n5p6q7r8s9t0v1w'],
      }),
    ),
  },
  { additionalProperties: false },
);

const CartMerge = Type.Object(
  {
    cart_id: Nullable(Type.String({ description: 'The cart to use from now on; null when refused' })),
    policy: Nullable(
      Type.Union([Type.Literal('keep_guest'), Type.Literal('keep_customer'), Type.Literal('merge_lines')]),
    ),
    merged_lines: Type.Array(
      Type.Object({
        variant_id: Type.String(),
        quantity: Type.Integer({ description: 'Units taken over from the guest cart' }),
        dropped: Type.Integer({ description: 'Units left out by the quantity or line limits' }),
      }),
    ),
    error: Nullable(
      Type.Object({ code: Type.String(), detail: Type.String() }, { description: 'Why nothing was merged' }),
    ),
  },
  { description: 'Present when the login sent `cart_id`' },
);

export const LoginResult = Type.Object({
  token: Type.String({
    description: 'Send as `X-Customer-Token` on store requests; shown only here',
    examples: ['cst_Q2hhbmdlIG1lIGJ5IGxvZ2dpbmcgaW4gYWdhaW4uLi4uLi4'],
  }),
  expires_at: Timestamp,
  customer: Type.Ref('Customer'),
  cart_merge: Type.Optional(CartMerge),
});

export const CustomerSelfUpdate = Type.Object(
  {
    first_name: Type.Optional(Nullable(Name)),
    last_name: Type.Optional(Nullable(Name)),
    phone: Type.Optional(Nullable(Phone)),
    consent_personalisation: Type.Optional(Type.Boolean()),
    consent_marketing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CustomerAdminUpdate = Type.Object(
  {
    first_name: Type.Optional(Nullable(Name)),
    last_name: Type.Optional(Nullable(Name)),
    phone: Type.Optional(Nullable(Phone)),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false, minProperties: 1 },
);

const addressFields = {
  first_name: Nullable(Name),
  last_name: Nullable(Name),
  company: Nullable(Type.String({ minLength: 1, maxLength: 200 })),
  line1: Type.String({ minLength: 1, maxLength: 200, examples: ['221B Baker Street'] }),
  line2: Nullable(Type.String({ minLength: 1, maxLength: 200 })),
  city: Type.String({ minLength: 1, maxLength: 100, examples: ['London'] }),
  postal_code: Nullable(Type.String({ minLength: 1, maxLength: 20, examples: ['NW1 6XE'] })),
  region: Nullable(Type.String({ minLength: 1, maxLength: 100, description: 'State, province or county' })),
  country: CountryCode,
  phone: Nullable(Phone),
  is_default_shipping: Type.Boolean({
    description: 'Make this the default shipping address (the previous default stops being one)',
  }),
  is_default_billing: Type.Boolean({
    description: 'Make this the default billing address (the previous default stops being one)',
  }),
};

export const AddressCreate = Type.Object(
  {
    first_name: Type.Optional(addressFields.first_name),
    last_name: Type.Optional(addressFields.last_name),
    company: Type.Optional(addressFields.company),
    line1: addressFields.line1,
    line2: Type.Optional(addressFields.line2),
    city: addressFields.city,
    postal_code: Type.Optional(addressFields.postal_code),
    region: Type.Optional(addressFields.region),
    country: addressFields.country,
    phone: Type.Optional(addressFields.phone),
    is_default_shipping: Type.Optional(addressFields.is_default_shipping),
    is_default_billing: Type.Optional(addressFields.is_default_billing),
  },
  { additionalProperties: false },
);

export const AddressUpdate = Type.Partial(Type.Object(addressFields), {
  additionalProperties: false,
  minProperties: 1,
});

export const PasswordResetRequest = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254, examples: ['ada@example.com'] }) },
  { additionalProperties: false },
);

export const PasswordResetConfirm = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'The token from the reset email' }),
    password: Password,
  },
  { additionalProperties: false },
);

export const PasswordChange = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: 1024 }),
    new_password: Password,
  },
  { additionalProperties: false },
);

export const CustomerGroupCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, examples: ['Wholesale'] }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);

export const CustomerGroupUpdate = Type.Partial(CustomerGroupCreate, {
  additionalProperties: false,
  minProperties: 1,
});

export const GroupMembersAdd = Type.Object(
  {
    customer_ids: Type.Array(CustomerId, { minItems: 1, maxItems: 100, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const CustomerListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Matches anywhere in email, first or last name (case-insensitive)',
      }),
    ),
    group_id: Type.Optional(
      Type.String({ minLength: 3, maxLength: 64, description: 'Only members of this group' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (at most 100)' }),
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from `next_cursor`' })),
  },
  { additionalProperties: false },
);
