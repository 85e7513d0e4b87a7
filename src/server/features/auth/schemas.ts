import { Type } from 'typebox';
import { Body, Email, Password, UiLanguage, Uuid } from '../../platform/schemas.js';

export const Me = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  uiLanguage: Type.String(),
  timeZone: Type.String(),
  mfaEnabled: Type.Boolean(),
  mfaEnrolmentRequired: Type.Boolean(),
  organisation: Type.Object({
    id: Uuid,
    name: Type.String(),
    country: Type.String(),
    type: Type.String(),
    status: Type.String(),
    mfaRequired: Type.Boolean(),
  }),
  csrfToken: Type.String(),
});

/** GET /api/v1/auth/session: `me` only when signed in. */
export const SessionProbe = Type.Object({
  signedIn: Type.Boolean(),
  me: Type.Optional(Me),
});

export const LoginBody = Body({
  email: Type.Optional(Type.String({ maxLength: 254 })),
  password: Type.Optional(Type.String({ maxLength: 1024 })),
  code: Type.Optional(Type.String({ maxLength: 32 })),
});

export const LoginResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('mfa_required')]),
  csrfToken: Type.Optional(Type.String()),
  me: Type.Optional(Me),
});

export const ResetRequestBody = Body({ email: Email, language: Type.Optional(UiLanguage) });
export const ResetCompleteBody = Body({ token: Type.String({ minLength: 10, maxLength: 200 }), password: Password });
