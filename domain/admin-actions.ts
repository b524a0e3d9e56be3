import type { Channel, Choice } from './messages.ts';
import { adminMayAct, type AdminViewer, type CaseScope } from './case-access.ts';
import { nextStatus, type CaseAction } from './case-lifecycle.ts';
import type { CaseStatus } from './case-status.ts';

/**
 * Admin actions as buttons (Telegram) or a numbered list (WhatsApp, terminal): which actions an admin may take on
 * a case in its state, and the short token a button carries. Pure. A button is only a shortcut for a command:
 * the handler turns a press into the same command and runs it through the same checks, so a button can never
 * do what the same admin's command could not.
 */

/** The actions offered, in the order shown. /tutup stays a command: closing for the citizen is rare and deliberate. */
export const BUTTON_ACTIONS = ['verify', 'forward', 'dispose', 'reject', 'answer', 'return', 'note'] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

/** One letter per action in a token (callback data is capped at 64 bytes). */
const ACTION_CODE: Record<ButtonAction, string> = { verify: 'v', forward: 'f', dispose: 'd', reject: 't', answer: 'b', return: 'r', note: 'c' };
const CODE_ACTION = Object.fromEntries(Object.entries(ACTION_CODE).map(([a, c]) => [c, a])) as Record<string, ButtonAction>;

/**
 * Fixed numbers for the numbered list: a number always means the same action, so a list read after the case
 * moved can never make "1" do something else than it said.
 */
export const ACTION_NUMBER: Record<ButtonAction, number> = { verify: 1, forward: 2, dispose: 3, reject: 4, answer: 5, return: 6, note: 7 };

export const ACTION_LABEL: Record<ButtonAction, string> = {
  verify: '✅ Verifikasi',
  forward: '📨 Teruskan',
  dispose: '🏢 Disposisi',
  reject: '⛔ Tolak',
  answer: '💬 Balas',
  return: '↩️ Kembalikan',
  note: '📝 Catatan',
};

/** The admin command each action stands for. */
export const ACTION_COMMAND: Record<ButtonAction, string> = {
  verify: 'verifikasi',
  forward: 'teruskan',
  dispose: 'disposisi',
  reject: 'tolak',
  answer: 'balas',
  return: 'kembalikan',
  note: 'catatan',
};

/** What the offer needs to know of a case. */
export interface ActionCase extends Omit<CaseScope, 'privacy'> {
  reopenCount: number;
}

/**
 * The actions this admin may take on this case now: its role and access allow it (domain/case-access.ts) and the
 * lifecycle table allows it from the case's status. Disposisi only when the OPD has units to dispose to; verify
 * only while the case awaits the admin instansi's first look or came back (forwarding verifies on the way).
 */
export function availableActions(viewer: AdminViewer, c: ActionCase, facts: { opdHasUnits: boolean }): ButtonAction[] {
  return BUTTON_ACTIONS.filter((action) => {
    const caseAction: CaseAction = action;
    if (!adminMayAct(viewer, c, caseAction)) return false;
    if (!nextStatus(caseAction, c.status as CaseStatus, { reopenCount: c.reopenCount }).ok) return false;
    if (action === 'dispose') return facts.opdHasUnits;
    return true;
  });
}

/**
 * The case's state as a short fingerprint: status, OPD, unit and reopen count. A button carries the fingerprint
 * of the case it was drawn for; a press on a case that has moved since is stale and changes nothing.
 */
export function caseVersion(c: { status: string; opdCode: string | null; unitCode?: string | null; reopenCount: number }): string {
  const text = `${c.status}|${c.opdCode ?? ''}|${c.unitCode ?? ''}|${c.reopenCount}`;
  // FNV-1a, 32 bits: a fingerprint, not a secret (the handler re-checks access on every press anyway).
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export interface ActionToken {
  action: ButtonAction;
  /** The six characters after "LPR-". */
  code: string;
  version: string;
  /** The chosen OPD, unit, or reason number. */
  arg?: string;
}

const TOKEN_PREFIX = 'k';
const TOKEN_PATTERN = /^k:([a-z]):([A-Z0-9]{6}):([0-9a-z]{1,8})(?::([A-Z0-9-]{1,40}))?$/;

/** A button's callback data: "k:<action>:<id>:<version>[:<arg>]", well under Telegram's 64 bytes. */
export function encodeActionToken(token: ActionToken): string {
  return [TOKEN_PREFIX, ACTION_CODE[token.action], token.code, token.version, ...(token.arg ? [token.arg] : [])].join(':');
}

export function decodeActionToken(value: string): ActionToken | undefined {
  const m = TOKEN_PATTERN.exec(value);
  if (!m) return undefined;
  const action = CODE_ACTION[m[1]];
  if (!action) return undefined;
  return { action, code: m[2], version: m[3], ...(m[4] ? { arg: m[4] } : {}) };
}

export const trackingCodeOf = (trackingId: string): string => trackingId.replace(/^LPR-/, '');

/** A numbered-list answer: "1", or "1 ABC234" / "1 LPR-ABC234" naming the case. */
export function parseNumberedAction(text: string): { action: ButtonAction; idText?: string } | undefined {
  const m = /^\s*(\d)(?:\s+(#?\S+))?\s*$/.exec(text);
  if (!m) return undefined;
  const action = BUTTON_ACTIONS.find((a) => ACTION_NUMBER[a] === Number(m[1]));
  return action ? { action, ...(m[2] ? { idText: m[2] } : {}) } : undefined;
}

/** The action offer under a case message: buttons on Telegram, numbered lines elsewhere. */
export interface ActionMenu {
  choices?: Choice[];
  /** Lines added under the text (WhatsApp, terminal). */
  text?: string;
  /** Telegram: the keyboard stays on the message (several alerts each keep theirs); presses are checked by token. */
  keepChoices?: boolean;
}

export function actionMenu(channel: Channel | string, trackingId: string, version: string, actions: readonly ButtonAction[]): ActionMenu {
  if (actions.length === 0) return {};
  if (channel === 'tg') {
    const code = trackingCodeOf(trackingId);
    return { choices: actions.map((action) => ({ label: ACTION_LABEL[action], value: encodeActionToken({ action, code, version }) })), keepChoices: true };
  }
  const list = actions.map((a) => `${ACTION_NUMBER[a]} ${ACTION_COMMAND[a]}`).join(' · ');
  return { text: `Balas pesan ini dengan angkanya (mis. "${ACTION_NUMBER[actions[0]]}" untuk ${ACTION_COMMAND[actions[0]]}):\n${list}` };
}

/**
 * Whether a pressed choice is one of the kept keyboards (an action token, or a command such as the inbox's next
 * page): its press is judged by the flow, not by "is this the chat's latest keyboard".
 */
export function isKeptChoice(value: string): boolean {
  return decodeActionToken(value) !== undefined || /^\/(inbox|cari)(\s|$)/.test(value);
}

/** How a channel remembers a force-reply prompt: the case, and the command whose text the reply is. */
export function promptRef(trackingId: string, command?: string): string {
  return command ? `${trackingId} ${command}` : trackingId;
}

export function parsePromptRef(ref: string): { trackingId: string; command?: string } {
  const [trackingId, command] = ref.split(' ');
  return command ? { trackingId, command } : { trackingId };
}
