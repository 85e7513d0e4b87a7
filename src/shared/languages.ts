/** The languages of the interface: every text of the web app and every mail exists in each. */
export const UI_LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
