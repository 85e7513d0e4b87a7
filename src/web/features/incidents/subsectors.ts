import type { NIS2_SECTORS } from './api';

/** The NIS2 subsectors of each sector (MISP taxonomy nis2), so that the form offers only those of the sectors chosen. */
export const SUBSECTORS_OF: Record<(typeof NIS2_SECTORS)[number], readonly string[]> = {
  energy: ['electricity', 'district-heating-and-cooling', 'oil', 'gas', 'hydrogen'],
  transport: ['air', 'rail', 'water', 'road'],
  banking: ['banking-subsector'],
  financial: ['financial-subsector'],
  health: ['health-subsector'],
  'drinking-water': ['drinking-water-subsector'],
  'waste-water': ['waste-water-subsector'],
  'digital-infrastructure': ['digital-infrastructure-subsector'],
  'ict-services': ['ict-management-subsector'],
  'public-administration': ['public-administration-subsector'],
  space: ['space-subsector'],
  courier: ['courier-subsector'],
  'waste-management': ['waste-management-subsector'],
  chemical: ['chemical-subsector'],
  food: ['food-subsector'],
  manufacturing: ['medical-devices-subsector', 'electronic-optical-subsector', 'electrical-equipment-subsector', 'machine-tool-subsector', 'vehicle-manufacturing-subsector', 'other-transport-equipment-subsector'],
  'digital-providers': ['digital-providers-subsector'],
  research: ['research-subsector'],
};
