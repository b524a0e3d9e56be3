import { describe, expect, it } from 'vitest';
import { loadCityProfile } from '../../lib/city-profile.ts';
import { OfflineClassifier } from '../../nlp/offline-classifier.ts';
import { FallbackClassifier } from '../../nlp/fallback-classifier.ts';
import { LlmClassifier } from '../../nlp/llm-classifier.ts';

/** domain/case-access.ts: no third party, the LLM provider included, sees a rahasia report's content. */
describe('keepLocal: a rahasia report never reaches the LLM provider', () => {
  const profile = loadCityProfile('malang');
  // Nothing listens on this port: a request would fail, and the test would see it as a "network" fallback.
  const llm = new LlmClassifier({ profile, baseURL: 'http://127.0.0.1:9/v1', apiKey: 'x', model: 'm', timeoutMs: 1_000, method: 'jsonSchema' });
  const text = 'Jalan berlubang besar di depan SDN Sumbersari 2, bahaya untuk motor';

  it('the LLM classifier refuses before sending anything', async () => {
    await expect(llm.classify({ text, keepLocal: true })).rejects.toMatchObject({ reason: 'keep_local', attempts: 0 });
  });

  it('the LLM-with-fallback classifier answers offline and records why', async () => {
    let asked = 0;
    const primary = Object.assign(Object.create(llm) as LlmClassifier, { classify: async () => ((asked += 1), llm.classify({ text })) });
    const result = await new FallbackClassifier(primary, new OfflineClassifier(profile)).classify({ text, keepLocal: true });
    expect(asked).toBe(0);
    expect(result).toMatchObject({ fallback: 'keep_local', opdCode: 'DPUPRPKP' });
  });
});
