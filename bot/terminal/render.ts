import type { Reply } from '../../flows/types.ts';

/** Renders a reply for a terminal: the text, then choices as numbered lines (what to type: the number, or the word in brackets). */
export function renderReply(reply: Reply): string {
  const lines = reply.text ? [reply.text] : [];
  if (reply.image) lines.push(`[gambar: ${reply.image.path}]`);
  for (const choice of reply.choices ?? []) {
    lines.push(/^\d+$/.test(choice.value) ? `  ${choice.value}. ${choice.label}` : `  • ${choice.label} [${choice.value}]`);
  }
  return lines.join('\n');
}
