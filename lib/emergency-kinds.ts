/**
 * Kinds of emergency the bot answers with emergency numbers (issue 14). Here, at the bottom layer, because the
 * city profile maps each emergency number to the kinds it serves and nlp/detect-emergency.ts detects them.
 */
export const EMERGENCY_KINDS = [
  'fire',
  'flood',
  'accident',
  'violence',
  'medical',
  'fallen_tree_or_pole',
  'gas_leak',
  'collapse',
] as const;
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];
