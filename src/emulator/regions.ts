/** A platform region as `/v1/platform/regions` lists it. */
export interface RegionInfo {
  code: string;
  name: string;
  latitude: number;
  longitude: number;
  geo_region: string;
  requires_paid_plan: boolean;
}

/** A representative subset of Fly regions (coordinates rounded). */
export const REGIONS: readonly RegionInfo[] = [
  { code: 'ams', name: 'Amsterdam, Netherlands', latitude: 52.37, longitude: 4.9, geo_region: 'eu', requires_paid_plan: false },
  { code: 'arn', name: 'Stockholm, Sweden', latitude: 59.65, longitude: 17.93, geo_region: 'eu', requires_paid_plan: false },
  { code: 'cdg', name: 'Paris, France', latitude: 48.86, longitude: 2.35, geo_region: 'eu', requires_paid_plan: false },
  { code: 'dfw', name: 'Dallas, Texas (US)', latitude: 32.78, longitude: -96.8, geo_region: 'na', requires_paid_plan: false },
  { code: 'ewr', name: 'Secaucus, NJ (US)', latitude: 40.79, longitude: -74.06, geo_region: 'na', requires_paid_plan: false },
  { code: 'fra', name: 'Frankfurt, Germany', latitude: 50.11, longitude: 8.68, geo_region: 'eu', requires_paid_plan: true },
  { code: 'gru', name: 'Sao Paulo, Brazil', latitude: -23.55, longitude: -46.63, geo_region: 'sa', requires_paid_plan: false },
  { code: 'iad', name: 'Ashburn, Virginia (US)', latitude: 39.04, longitude: -77.49, geo_region: 'na', requires_paid_plan: false },
  { code: 'jnb', name: 'Johannesburg, South Africa', latitude: -26.2, longitude: 28.05, geo_region: 'af', requires_paid_plan: false },
  { code: 'lax', name: 'Los Angeles, California (US)', latitude: 34.05, longitude: -118.24, geo_region: 'na', requires_paid_plan: false },
  { code: 'lhr', name: 'London, United Kingdom', latitude: 51.51, longitude: -0.13, geo_region: 'eu', requires_paid_plan: false },
  { code: 'nrt', name: 'Tokyo, Japan', latitude: 35.68, longitude: 139.69, geo_region: 'ap', requires_paid_plan: false },
  { code: 'ord', name: 'Chicago, Illinois (US)', latitude: 41.88, longitude: -87.63, geo_region: 'na', requires_paid_plan: false },
  { code: 'sin', name: 'Singapore, Singapore', latitude: 1.35, longitude: 103.82, geo_region: 'ap', requires_paid_plan: false },
  { code: 'sjc', name: 'San Jose, California (US)', latitude: 37.34, longitude: -121.89, geo_region: 'na', requires_paid_plan: false },
  { code: 'syd', name: 'Sydney, Australia', latitude: -33.87, longitude: 151.21, geo_region: 'oc', requires_paid_plan: false },
  { code: 'yyz', name: 'Toronto, Canada', latitude: 43.65, longitude: -79.38, geo_region: 'na', requires_paid_plan: false },
];

/** True when `code` names a region the emulator knows. */
export function isKnownRegion(code: string): boolean {
  return REGIONS.some((r) => r.code === code);
}
