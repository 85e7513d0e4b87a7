import { Type, type TSchema } from 'typebox';
import { PAP_LEVELS, TLP_LEVELS } from './access/policy.js';

/** Shared TypeBox pieces. Body objects forbid unknown fields (see http.ts). */
export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
export const Tlp = Type.Union([Type.Literal(TLP_LEVELS[0]), Type.Literal(TLP_LEVELS[1]), Type.Literal(TLP_LEVELS[2]), Type.Literal(TLP_LEVELS[3]), Type.Literal(TLP_LEVELS[4])]);
export const Pap = Type.Union([Type.Literal(PAP_LEVELS[0]), Type.Literal(PAP_LEVELS[1]), Type.Literal(PAP_LEVELS[2]), Type.Literal(PAP_LEVELS[3])]);
export const UiLanguage = Type.Union([Type.Literal('en'), Type.Literal('es'), Type.Literal('pt'), Type.Literal('fr')]);
export const Timestamp = Type.String({ format: 'date-time' });
export const Password = Type.String({ minLength: 12, maxLength: 256 });
export const AudienceInput = Type.Object(
  {
    organisations: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
    communities: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
    people: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
  },
  { additionalProperties: false },
);
export const Audience = Type.Object({ organisations: Type.Array(Uuid), communities: Type.Array(Uuid), people: Type.Array(Uuid) });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Any() }),
  },
  { $id: 'ErrorResponse' },
);

export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/** Error responses every route may give, for the OpenAPI document. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorResponse')]));

/** An object schema for request bodies: closed to unknown fields. */
export const Body = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });
