import {
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { Db } from '../../db/client.ts';
import type { Logger } from '../../lib/logger.ts';

/** Row type used for the credentials; signal keys use their Baileys type name ('pre-key', 'lid-mapping', …). */
const CREDS_TYPE = 'creds';
const CREDS_ID = 'creds';

/**
 * Upserts per write batch. Baileys writes dozens of pre-keys at once after pairing; one SQLite transaction per
 * chunk keeps each lock short so the flow engine's writes are not held up behind a long auth write.
 */
const WRITE_CHUNK = 100;

export interface DatabaseAuthState {
  /** What `makeWASocket({ auth })` takes: creds plus the signal key store wrapped in Baileys' cache. */
  state: AuthenticationState;
  /** Persists the current creds; call on every `creds.update`. */
  saveCreds(): Promise<void>;
  /** Deletes the stored session (creds and every key) of this account; used after `loggedOut`. */
  clear(): Promise<void>;
}

const serialize = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
const deserialize = <T>(value: string): T => JSON.parse(value, BufferJSON.reviver) as T;

/**
 * The raw key store on the WhatsAppAuth table (account, type, keyId → value as BufferJSON text). Every signal
 * data type Baileys 7 asks for is stored the same way, including 'lid-mapping', 'device-list' and 'tctoken'.
 */
function makeDatabaseKeyStore(db: Db, account: string): SignalKeyStore {
  return {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      if (ids.length === 0) return result;
      const rows = await db.whatsAppAuth.findMany({ where: { account, type, keyId: { in: ids } }, select: { keyId: true, value: true } });
      for (const row of rows) {
        let value = deserialize<unknown>(row.value);
        // Baileys expects a protobuf object here, as its own file store restores it.
        if (type === 'app-state-sync-key' && value) value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
        result[row.keyId] = value as SignalDataTypeMap[T];
      }
      return result;
    },
    async set(data: SignalDataSet) {
      const writes: Array<{ type: string; keyId: string; value: string | null }> = [];
      for (const type of Object.keys(data) as Array<keyof SignalDataTypeMap>) {
        for (const [keyId, value] of Object.entries(data[type] ?? {})) {
          writes.push({ type, keyId, value: value === null || value === undefined ? null : serialize(value) });
        }
      }
      for (let i = 0; i < writes.length; i += WRITE_CHUNK) {
        const chunk = writes.slice(i, i + WRITE_CHUNK);
        await db.$transaction(
          chunk.map(({ type, keyId, value }) =>
            value === null
              ? db.whatsAppAuth.deleteMany({ where: { account, type, keyId } })
              : db.whatsAppAuth.upsert({
                  where: { account_type_keyId: { account, type, keyId } },
                  create: { account, type, keyId, value },
                  update: { value },
                }),
          ),
        );
      }
    },
    async clear() {
      await db.whatsAppAuth.deleteMany({ where: { account, type: { not: CREDS_TYPE } } });
    },
  };
}

/** Reads the stored creds of `account`, or undefined when it never paired (or was logged out). */
async function loadCreds(db: Db, account: string): Promise<AuthenticationCreds | undefined> {
  const row = await db.whatsAppAuth.findUnique({ where: { account_type_keyId: { account, type: CREDS_TYPE, keyId: CREDS_ID } } });
  return row ? deserialize<AuthenticationCreds>(row.value) : undefined;
}

/**
 * Baileys auth state kept in the project database instead of the library's multi-file store (which its
 * authors mark as not for production). A new process on the same database reads back the same session.
 */
export async function useDatabaseAuthState(db: Db, account: string, log?: Logger): Promise<DatabaseAuthState> {
  const creds = (await loadCreds(db, account)) ?? initAuthCreds();
  const raw = makeDatabaseKeyStore(db, account);
  const keys = makeCacheableSignalKeyStore(raw, log);
  return {
    state: { creds, keys },
    async saveCreds() {
      const value = serialize(creds);
      await db.whatsAppAuth.upsert({
        where: { account_type_keyId: { account, type: CREDS_TYPE, keyId: CREDS_ID } },
        create: { account, type: CREDS_TYPE, keyId: CREDS_ID, value },
        update: { value },
      });
    },
    async clear() {
      // Through the cacheable wrapper, so its in-memory copies go too; then the creds row.
      await keys.clear?.();
      await db.whatsAppAuth.deleteMany({ where: { account } });
    },
  };
}
