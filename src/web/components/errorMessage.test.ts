import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { flatten, LANGUAGES, loadCatalogue } from '../locales/catalogues.test-helpers';
import { ERROR_MESSAGE_CODES, errorMessage, FIELD_NAMES, fieldOf } from './errorMessage';

const catalogues = Object.fromEntries(LANGUAGES.map((l) => [l, loadCatalogue(l)]));
let t: Record<string, TFunction>;

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogues[l] }])), lng: 'en', fallbackLng: false, interpolation: { escapeValue: false } });
  t = Object.fromEntries(LANGUAGES.map((l) => [l, i18n.getFixedT(l)]));
});

const validation = (details: unknown) => new ApiError(400, 'VALIDATION_FAILED', 'Invalid body: technical English', details);

describe('error messages', () => {
  // src/shared/error-codes.test.ts holds the server's codes, the docs and these catalogues together.
  it('have a message for every code and a label for every field, in every language', () => {
    for (const lang of LANGUAGES) {
      const flat = flatten(catalogues[lang]!);
      const missing = ERROR_MESSAGE_CODES.filter((c) => typeof flat.get(`errors.${c}`) !== 'string');
      expect(missing, lang).toEqual([]);
      const fields = FIELD_NAMES.filter((f) => typeof flat.get(`errors.fields.${f}`) !== 'string');
      expect(fields, lang).toEqual([]);
    }
  });

  it('never speak of passwords for a validation error about something else', () => {
    // A STIX upload of a file that is not a bundle (the upload page says what the file should be).
    const notBundle = validation({ problems: [{ path: '', rule: 'bundle', message: 'type must be bundle' }] });
    for (const lang of LANGUAGES) {
      const said = errorMessage(notBundle, t[lang]!);
      expect(said, lang).not.toMatch(/12|256|password|contraseña|senha|mot de passe/i);
      expect(said, lang).toBe(t[lang]!('errors.VALIDATION_FAILED'));
      expect(errorMessage(notBundle, t[lang]!, { invalidContent: 'Not a bundle' })).toBe('Not a bundle');
    }
  });

  it('name the field that is wrong, in words, and what is wrong with it', () => {
    const tooShort = validation({ errors: [{ path: '/title', keyword: 'minLength', params: { limit: 3 }, message: 'must NOT have fewer than 3 characters' }] });
    expect(errorMessage(tooShort, t.en!)).toBe('The field “Title” is too short: at least 3 characters.');
    expect(errorMessage(tooShort, t.es!)).toBe('El campo «Título» es demasiado corto: al menos 3 caracteres.');
    expect(errorMessage(tooShort, t.pt!)).toBe('O campo “Título” é curto demais: pelo menos 3 caracteres.');
    expect(errorMessage(tooShort, t.fr!)).toBe('Le champ « Titre » est trop court : au moins 3 caractères.');

    const missing = validation({ errors: [{ path: '', keyword: 'required', params: { missingProperty: 'email' } }] });
    expect(errorMessage(missing, t.en!)).toBe('Fill in the field “E-mail address”.');
    const email = validation({ errors: [{ path: '/email', keyword: 'format', params: { format: 'email' } }] });
    expect(errorMessage(email, t.pt!)).toBe('O campo “E-mail” não contém um endereço de e-mail válido.');
    const oneChar = validation({ errors: [{ path: '/name', keyword: 'maxLength', params: { limit: 1 } }] });
    expect(errorMessage(oneChar, t.en!)).toBe('The field “Name” is too long: at most 1 character.');
    // The field a service names (details.field), nested names and list positions included.
    expect(errorMessage(validation({ field: 'timeZone' }), t.fr!)).toBe('Le champ « Fuseau horaire » n’est pas valide : vérifiez-le et réessayez.');
    expect(errorMessage(validation({ field: 'organisation.country' }), t.en!)).toBe('The field “Country” is not valid: check it and try again.');
    expect(fieldOf('/audience/organisations/0')).toBe('organisations');
    // A password rule only when the password is what is wrong.
    const weak = validation({ errors: [{ path: '/newPassword', keyword: 'minLength', params: { limit: 12 } }] });
    expect(errorMessage(weak, t.en!)).toBe('The field “New password” is too short: at least 12 characters.');
  });

  it('say which value is taken, and map the rest by code', () => {
    expect(errorMessage(new ApiError(409, 'ALREADY_EXISTS', 'x', { field: 'email' }), t.es!)).toBe('El valor del campo «Correo electrónico» ya está en uso.');
    expect(errorMessage(new ApiError(403, 'CSRF_FAILED', 'x'), t.pt!)).toBe(t.pt!('errors.CSRF_FAILED'));
    expect(errorMessage(new ApiError(502, 'HTTP_502', 'Bad gateway'), t.en!)).toBe(t.en!('errors.INTERNAL'));
    expect(errorMessage(new ApiError(429, 'RATE_LIMITED', 'x', undefined, 1), t.en!)).toBe('Too many requests. Try again in 1 second.');
    expect(errorMessage(new ApiError(429, 'LOGIN_THROTTLED', 'x', undefined, 30), t.es!)).toMatch(/30 segundos\.$/);
    expect(errorMessage(validation({ errors: [{ path: '/token', keyword: 'minLength', params: { limit: 10 } }] }), t.en!)).toBe(t.en!('errors.GONE'));
    expect(errorMessage(new Error('boom'), t.fr!)).toBe(t.fr!('errors.generic'));
  });
});
