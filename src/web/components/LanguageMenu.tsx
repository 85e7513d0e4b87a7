import { Button, Menu, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { UI_LANGUAGES, type UiLanguage } from '../api/types';
import { currentLanguage } from '../i18n';
import { useSession } from '../session';
import { LazyMenu } from './LazyMenu';

/** Endonyms: each language is offered in its own name. */
const ENDONYMS: Record<UiLanguage, string> = { en: 'English', es: 'Español', pt: 'Português', fr: 'Français' };

export function LanguageMenu() {
  const { t, i18n } = useTranslation();
  const { setLanguage } = useSession();
  const lang = currentLanguage(i18n.resolvedLanguage ?? i18n.language);
  return (
    <LazyMenu
      position="bottom-end"
      withinPortal
      target={
        <Button variant="default" size="sm" data-testid="language-menu">
          <svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" style={{ marginInlineEnd: 6 }}>
            <circle cx="12" cy="12" r="10" />
            <path d="M2 12h20M12 2a15 15 0 0 1 0 20M12 2a15 15 0 0 0 0 20" />
          </svg>
          <VisuallyHidden>{t('language.choose')}: </VisuallyHidden>
          <span lang={lang} className="language-name">
            {ENDONYMS[lang]}
          </span>
          {/* On a phone the button shows the code only; the name stays its accessible name. */}
          <span className="language-code" aria-hidden="true">
            {lang.toUpperCase()}
          </span>
        </Button>
      }
    >
      <Menu.Label>{t('language.choose')}</Menu.Label>
      {UI_LANGUAGES.map((code) => (
        <Menu.Item
          key={code}
          lang={code}
          data-lang={code}
          aria-current={code === lang ? 'true' : undefined}
          onClick={() => void setLanguage(code)}
          fw={code === lang ? 700 : undefined}
        >
          {ENDONYMS[code]}
        </Menu.Item>
      ))}
    </LazyMenu>
  );
}
