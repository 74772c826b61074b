import AjvCompiler from '@fastify/ajv-compiler';

const baseOptions = {
  // Unknown fields are an error, never silently dropped: no mass assignment.
  removeAdditional: false,
  useDefaults: true,
  allErrors: true,
};

/**
 * Query strings, params and headers arrive as text, so they are coerced (`limit=20` → 20);
 * JSON bodies are not: `{"quantity": "2"}` is a wrong type and must be refused, not guessed.
 */
export function buildPartAwareValidator() {
  const factory = AjvCompiler();
  return (externalSchemas: unknown, options: { customOptions?: Record<string, unknown> }) => {
    const strict = factory(
      externalSchemas as never,
      {
        ...options,
        customOptions: { ...options.customOptions, ...baseOptions, coerceTypes: false },
      } as never,
    );
    const coercing = factory(
      externalSchemas as never,
      {
        ...options,
        customOptions: { ...options.customOptions, ...baseOptions, coerceTypes: 'array' },
      } as never,
    );
    return (route: { httpPart?: string }) => (route.httpPart === 'body' ? strict : coercing)(route as never);
  };
}
