/** SP4N-LAPOR! service levels, in working days. */
export const SERVICE_LEVELS = {
  /** Admin instansi verifies and forwards a report within 3 working days of submission. */
  verifyWorkingDays: 3,
  /** The OPD follows up within 5 working days of forwarding. */
  followUpWorkingDays: 5,
  /** An answered case with no reply from the citizen closes after 10 working days. */
  autoCloseWorkingDays: 10,
} as const;
