/**
 * The address of a case's public page (/lapor/<tracking id>), or undefined when PUBLIC_BASE_URL is not set (no
 * public web server): texts then leave the link out.
 */
export function publicCaseUrl(baseUrl: string | undefined, trackingId: string): string | undefined {
  if (!baseUrl) return undefined;
  return `${baseUrl.replace(/\/+$/, '')}/lapor/${encodeURIComponent(trackingId)}`;
}
