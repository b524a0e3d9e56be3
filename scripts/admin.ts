import { parseArgs } from 'node:util';
import { createApp } from '../bot/app.ts';
import { AdminError, listActiveAdmins, removeAdmin } from '../db/admins.ts';
import { addAdmin } from '../cases/manage-admins.ts';
import { ConfigError } from '../lib/config.ts';
import { ApiKeyError, addApiKey, listApiKeys, revokeApiKey } from '../db/api-keys.ts';

const HELP = `npm run admin -- <command> [options]

  add    --role instansi|penghubung [--opd CODE] [--unit CODE] --name "Nama" --key <conversation key>
  list
  remove --key <conversation key>
  apikey add <name>       a key for the Open311 API (POST requests); printed once, stored hashed
  apikey list
  apikey revoke <name>

A conversation key names one chat: tg:<chat id> (Telegram), wa:<account>:<jid> (WhatsApp),
term:<name> (the terminal channel, npm run chat -- --as <name>). An admin's key must be a private chat: on
WhatsApp wa:<WHATSAPP_ACCOUNT>:<number>@s.whatsapp.net (default account "main"), on Telegram a positive chat
id; groups, broadcast lists and other accounts are refused.
An admin penghubung belongs to an OPD (--opd DLH) or to one unit of it (--unit PKM-ARJUNO, --unit KEL-SUMBERSARI;
the unit's OPD is filled in, or checked when --opd is given too). Units are in the city profile.
Example: npm run admin -- add --role instansi --name "Budi (Diskominfo)" --key tg:123456789
Example: npm run admin -- add --role penghubung --opd DINKES --unit PKM-ARJUNO --name "Rina (PKM Arjuno)" --key tg:555
`;

/** Manages admins from a terminal; the first admin instansi is created this way, later ones with /admin. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      opd: { type: 'string' },
      unit: { type: 'string' },
      name: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (command === 'apikey' && !values.help) return apiKeyCommand(positionals.slice(1));
  if (values.help || !command || !['add', 'list', 'remove'].includes(command)) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const app = await createApp();
  try {
    if (command === 'list') {
      const admins = await listActiveAdmins(app.db);
      if (admins.length === 0) process.stdout.write('No admins yet. Add the first: npm run admin -- add --role instansi --name "…" --key tg:<chat id>\n');
      for (const a of admins) process.stdout.write(`${a.role}\t${a.opdCode ?? '-'}\t${a.unitCode ?? '-'}\t${a.conversationKey}\t${a.name}\n`);
      return 0;
    }
    if (!values.key) throw new AdminError('ADMIN_KEY_INVALID', '--key is required');
    if (command === 'remove') {
      const removed = await removeAdmin(app.db, values.key, new Date());
      process.stdout.write(`Removed ${removed.name} (${removed.conversationKey}).\n`);
      return 0;
    }
    const added = await addAdmin(app.db, {
      role: values.role ?? '',
      opdCode: values.opd,
      unitCode: values.unit,
      name: values.name ?? '',
      conversationKey: values.key,
      createdBy: 'cli',
    }, { whatsappAccount: app.config.WHATSAPP_ACCOUNT });
    const of = added.unitCode ? ` of ${added.unitCode} (${added.opdCode})` : added.opdCode ? ` of ${added.opdCode}` : '';
    process.stdout.write(`Added ${added.name} as admin ${added.role}${of} on ${added.conversationKey}.\n`);
    return 0;
  } catch (err) {
    if (err instanceof AdminError) {
      process.stderr.write(`${err.code}: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    await app.close();
  }
}

/** `apikey add|list|revoke`: keys for apps and city systems that file reports through the Open311 API. */
async function apiKeyCommand([sub, name]: string[]): Promise<number> {
  if (!['add', 'list', 'revoke'].includes(sub ?? '') || (sub !== 'list' && !name)) {
    process.stdout.write(HELP);
    return 2;
  }
  const app = await createApp();
  try {
    if (sub === 'list') {
      const keys = await listApiKeys(app.db);
      if (keys.length === 0) process.stdout.write('No API keys yet. Add one: npm run admin -- apikey add <name>\n');
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        process.stdout.write(`${k.name}\t${k.prefix}…\t${state}\tlast used ${k.lastUsedAt?.toISOString() ?? '-'}\n`);
      }
      return 0;
    }
    if (sub === 'revoke') {
      await revokeApiKey(app.db, name);
      process.stdout.write(`Revoked the API key "${name}".\n`);
      return 0;
    }
    const added = await addApiKey(app.db, name);
    process.stdout.write(`API key for "${added.name}" (shown only now; store it safely):\n${added.key}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ApiKeyError) {
      process.stderr.write(`${err.code}: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Fatal: ${(err as Error).stack ?? err}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
