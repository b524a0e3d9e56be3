import { publicCaseUrl } from '../lib/public-url.ts';
import type { FlowContext, Language, Privacy, Reply } from './types.ts';

/**
 * The link to a case's public page (/lapor/<tracking id>) for the citizen's filing confirmation, or undefined
 * when PUBLIC_BASE_URL is not set or the case is rahasia: a rahasia case has no public page (it reads as not
 * found), so its reporter follows it in the chat only.
 */
export function publicCaseLink(ctx: Pick<FlowContext, 'publicBaseUrl'>, trackingId: string, privacy?: Privacy): string | undefined {
  if (privacy === 'rahasia') return undefined;
  return publicCaseUrl(ctx.publicBaseUrl, trackingId);
}

const FOLLOW_AT: Record<Language, (url: string) => string> = {
  id: (url) => `Pantau perkembangannya di ${url}`,
  en: (url) => `Follow its progress at ${url}`,
};

/**
 * The short line the engine adds after a filing confirmation, unless the confirmation already carries the
 * link (a flow that writes it into its own "filed" text with publicCaseLink).
 */
export function publicLinkReply(ctx: Pick<FlowContext, 'publicBaseUrl'>, lang: Language, trackingId: string, privacy: Privacy | undefined, replies: readonly Reply[]): Reply | undefined {
  const url = publicCaseLink(ctx, trackingId, privacy);
  if (!url || replies.some((r) => r.text.includes(url))) return undefined;
  return { text: FOLLOW_AT[lang](url) };
}
