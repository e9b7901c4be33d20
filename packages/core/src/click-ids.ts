/**
 * Ad-platform click IDs captured from the landing URL (the same set PostHog captures).
 * Only `gclid` changes the channel, as in GA4; the rest ride along for CRM conversion uploads.
 * They identify a person's click: treat them as personal data.
 */
export const CLICK_ID_PARAMS: readonly string[] = [
  'gclid',
  'gclsrc',
  'gbraid',
  'wbraid',
  'gad_source',
  'dclid',
  'fbclid',
  'msclkid',
  'ttclid',
  'twclid',
  'li_fat_id',
  'rdt_cid',
  'epik',
  'qclid',
  'sccid',
  'irclid',
  '_kx',
  'mc_cid',
  'igshid',
];
