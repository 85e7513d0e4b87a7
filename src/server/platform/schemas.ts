import { Type, type TLiteral, type TSchema, type TUnion } from 'typebox';
import { ERROR_CODE_LIST, ERROR_CODES } from '#shared/error-codes';
import { UI_LANGUAGES } from '#shared/languages';
import { PAP_LEVELS, TLP_LEVELS } from '#shared/tlp';
import { PASSWORD_MAX, PASSWORD_MIN } from '#shared/profile';

// Shared TypeBox pieces. Body objects forbid unknown fields (see http.ts).

/**
 * A union of the literals of a list shared with the web app (src/shared). TypeBox infers a static
 * type only from a tuple of schemas, and a mapped list is an array, so the type is given by hand.
 */
export const OneOf = <const T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<[TLiteral<T[number]>]>;

export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
export const Tlp = OneOf(TLP_LEVELS);
export const Pap = OneOf(PAP_LEVELS);
export const UiLanguage = OneOf(UI_LANGUAGES);
export const Timestamp = Type.String({ format: 'date-time' });
export const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
export const AudienceInput = Type.Object(
  {
    organisations: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
    communities: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
    people: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
  },
  { additionalProperties: false },
);
export const Audience = Type.Object({ organisations: Type.Array(Uuid), communities: Type.Array(Uuid), people: Type.Array(Uuid) });

/**
 * The inner object of every error answer: the OpenAPI document's `Error` component, whose `code`
 * enumerates the codes the server can send. http.ts registers it with the error handler.
 */
export const ErrorObject = Type.Object(
  {
    code: Type.Enum(ERROR_CODE_LIST, {
      description: 'Stable machine code; clients tell people by it (see docs/security-model.md#errors)',
      'x-enum-descriptions': ERROR_CODE_LIST.map((c) => `${ERROR_CODES[c].status}: ${ERROR_CODES[c].description}`),
    }),
    message: Type.String({ description: 'Technical English, for developers' }),
    details: Type.Any({ description: 'null, or an object: the validation errors, the field concerned, retryAfterSeconds…' }),
  },
  { $id: 'Error' },
);

export const ErrorResponse = Type.Object({ error: Type.Ref('Error') }, { $id: 'ErrorResponse' });

export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/** Error responses every route may give, for the OpenAPI document. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorResponse')]));

/** An object schema for request bodies: closed to unknown fields. */
export const Body = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });
