import { useTranslation } from 'react-i18next';
import type { Pap, Tlp } from '../api/types';

/** FIRST TLP 2.0 colours, on black as FIRST prescribes; the text carries the meaning, not the colour alone. */
const TLP_COLOURS: Record<Tlp, string> = {
  CLEAR: '#FFFFFF',
  GREEN: '#33FF00',
  AMBER: '#FFC000',
  'AMBER+STRICT': '#FFC000',
  RED: '#FF2B2B',
};

export function TlpBadge({ tlp, size = 'md' }: { tlp: Tlp; size?: 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <span
      className="tlp-badge"
      data-tlp={tlp}
      data-size={size}
      style={{ color: TLP_COLOURS[tlp] }}
      title={t(`tlp.${tlp}.short`)}
      aria-label={t('tlp.badgeLabel', { level: `TLP:${tlp}` })}
    >
      TLP:{tlp}
    </span>
  );
}

export function PapBadge({ pap }: { pap: Pap }) {
  const { t } = useTranslation();
  return (
    <span className="pap-badge" data-pap={pap} aria-label={t('pap.badgeLabel', { level: `PAP:${pap}` })}>
      PAP:{pap}
    </span>
  );
}
