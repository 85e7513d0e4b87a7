/**
 * The NIS2 sectors (Annex I, then Annex II), with the codes of the MISP nis2 taxonomy. The server
 * checks sectors against its `sectors` table, seeded by migration 0002; a unit test holds this
 * list to that table, so that the web's pickers offer exactly what the server accepts.
 */
export const SECTORS = [
  'energy',
  'transport',
  'banking',
  'financial',
  'health',
  'drinking-water',
  'waste-water',
  'digital-infrastructure',
  'ict-services',
  'public-administration',
  'space',
  'courier',
  'waste-management',
  'chemical',
  'food',
  'manufacturing',
  'digital-providers',
  'research',
] as const;
