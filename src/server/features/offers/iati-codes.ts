// IATI codes for Puente's organisations, shared by the offers' export and the completed assistance in it (features/capacity/iati.ts).

/** IATI OrganisationType for a member organisation's kind. */
export const ORG_TYPE: Record<string, string> = {
  mfa: '10',
  national_cyber_agency: '10',
  national_csirt: '10',
  other_government: '10',
  sectoral_csirt: '15',
  team_europe_agency: '15',
  private_sector: '70',
  academia: '80',
  civil_society: '22',
  international_organisation: '40',
};

/**
 * An organisation without an IATI identifier of its own gets one under Puente's prefix, stable
 * for as long as it is a member; a provider sets its real one on its offers (`providerRef`).
 */
export const puenteOrgRef = (orgId: string) => `XI-PUENTE-${orgId}`;
