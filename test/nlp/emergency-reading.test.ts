import { describe, expect, it } from 'vitest';
import { detectEmergency, explainEmergency, normaliseForEmergency } from '../../nlp/detect-emergency.ts';
import { findWordRoot } from '../../nlp/find-word-root.ts';
import { PHRASES, SPELLINGS } from '../../nlp/emergency-spellings.ts';

const knows = (...words: string[]) => {
  const set = new Set(words);
  return (w: string) => set.has(w);
};

describe('finding a word\'s root (Indonesian and Javanese affixes)', () => {
  it.each([
    ['nabrak', 'tabrak'],
    ['ditabrak', 'tabrak'],
    ['ketabrak', 'tabrak'],
    ['menabrak', 'tabrak'],
    ['tabrakan', 'tabrak'],
    ['tabrakannya', 'tabrak'],
    ['nyerempet', 'serempet'],
    ['mukulin', 'pukul'],
    ['dipukuli', 'pukul'],
    ['ngantemi', 'antem'],
    ['mbledos', 'bledos'],
    ['nggowo', 'gowo'],
    ['sirahipun', 'sirah'],
    ['omahe', 'omah'],
    ['getihen', 'getih'],
    ['apine', 'api'],
  ])('%s → %s', (word, root) => {
    expect(findWordRoot(word, knows('tabrak', 'serempet', 'pukul', 'antem', 'bledos', 'gowo', 'sirah', 'omah', 'getih', 'api'))).toBe(root);
  });

  it('leaves a word alone when no form of it is known, and does not invent coincidences', () => {
    const isKnown = knows('akan', 'api', 'bah', 'tangga');
    expect(findWordRoot('jendela', isKnown)).toBeUndefined();
    // m + "akan" is not a nasal form: "m" before a vowel always replaced p.
    expect(findWordRoot('makan', isKnown)).toBeUndefined();
    // A three-letter root only behind a possessive suffix: "perapian" is not "api", "bahkan" is not "bah".
    expect(findWordRoot('perapian', isKnown)).toBeUndefined();
    expect(findWordRoot('bahkan', isKnown)).toBeUndefined();
    // "te-" is not a prefix: "tetangga" (neighbour) is not "tangga" (stairs).
    expect(findWordRoot('tetangga', isKnown)).toBeUndefined();
  });
});

describe('normalising a message for the emergency rules', () => {
  it('has spelling and phrase keys in the form messages are matched in (a key like "ta\'" would never match)', () => {
    const keys = [...Object.keys(SPELLINGS), ...Object.keys(PHRASES)];
    expect(keys.length).toBeGreaterThan(500);
    expect(keys.filter((k) => !/^[a-z0-9]+(?: [a-z0-9]+)*$/.test(k))).toEqual([]);
    expect(Object.keys(SPELLINGS).filter((k) => k.includes(' '))).toEqual([]);
  });

  it.each([
    ['omahe mbok sum kobong', 'rumah mbok sum terbakar'],
    ['banyu wes sak dodo', 'air sudah se dada'],
    ['TOLONGGG cepettt', 'tolong cepat'],
    ['wonge kejet2', 'orang kejang kejang'],
    ['tabung bunyi sssss terus', 'tabung bunyi desis terus'],
    ['the water is rising fast', 'air naik cepat'],
    ['a strong smell of gas', 'kuat bau gas'],
    ['ayas dibuntuti genaro loro', 'saya buntuti orang loro'],
  ])('%j → %j', (text, expected) => {
    expect(normaliseForEmergency(text)).toBe(expected);
  });
});

describe('reading emergencies in the ways citizens write them', () => {
  it.each([
    ['omah tonggoku kobong, geni ne wis nang atap', 'fire'],
    ['banyune munggah terus, wis sak dodo, anakku isih nang loteng', 'flood'],
    ['bapak2 tibo teko motor ga tangi2, sirahe getihen', 'accident'],
    ['wong mabuk nggowo arit ngamuk nang pos ronda', 'violence'],
    ['mbah kakung semaput, ambegane pelan banget', 'medical'],
    ['cagak pln ngglempang nang dalan, kabele sik nyetrum', 'fallen_tree_or_pole'],
    ['ambune gas nyengat nemen, tabung e bunyi sssss', 'gas_leak'],
    ['plengsengan ambrol nimpa omah, onok wong kependem', 'collapse'],
    ['Telah terjadi kebocoran pada pipa gas di depan sekolah, siswa mengeluh pusing.', 'gas_leak'],
    ['Seorang lansia ditemukan tidak sadarkan diri di rumahnya, napasnya tersengal.', 'medical'],
    ['A huge tree fell onto a house on Jalan Kawi, there are people inside', 'fallen_tree_or_pole'],
    ['my father suddenly cannot speak and his face is drooping', 'medical'],
    ["Aeng ongga terus, la sampe' dada", 'flood'],
    ['I can smell gas in the kitchen', 'gas_leak'],
    ['terima kasih sebelumnya, tolong ada rumah kebakaran di gang 4', 'fire'],
  ] as const)('%j is an emergency (%s)', (text, kind) => {
    expect(detectEmergency(text)).toMatchObject({ urgent: true, kind });
  });

  it.each([
    // figurative, media, jokes
    ['otakku kebakaran ngitung tagihan pdam'],
    ['harga cabe meledak, sekilo 80 ewu'],
    ['hatiku ambruk ditinggal rabi wkwk'],
    ['mau nonton sinetron kok enek adegan omah kobong'],
    ['harga beras naik terus, koyok banjir bandang'],
    // past, habit, procedure, hearsay, risk
    ['biyen taun 2019 omahku ambruk keno longsor, bantuane durung cair'],
    ['saben bengi enek balapan liar nang dalan iki'],
    ['kulo ajeng tangklet BPJS saged kangge lahiran mboten'],
    ['jare wong2 enek begal nang dalan tembus, tulung ditambah lampu'],
    ['wit asem ngarep omah wes miring, wedi tumbang'],
    ['tiang listrik doyong, takutnya nanti roboh menimpa rumah'],
    // words that only look like emergencies
    ['PJU padam sejak pukul 21.30 sampai sekarang'],
    ['warga kami terkena demam berdarah, mohon fogging'],
    ['mohon dipercepat akta kelahiran anak saya'],
    ['tetangga bakar sampah, asapnya mengepul hitam masuk rumah'],
    ['parkir di depan rumah sakit langsung ditodong 3rb'],
    ['Where can I report a broken fire hydrant near the school?'],
    ['macet di perlintasan kereta api, tolong diatur'],
  ])('%j is not an emergency', (text) => {
    expect(detectEmergency(text).urgent).toBe(false);
  });

  it('reads "kalau" forward only: what comes after it is hypothetical, what comes before is not', () => {
    expect(detectEmergency('kalau hujan deras pasti banjir dan air masuk rumah').urgent).toBe(false);
    expect(detectEmergency('bau gas nyengat banget di kos, takut meledak kalau ada yang nyalain api').urgent).toBe(true);
  });

  it('lets a later clause saying it was nothing clear an earlier alarm, but not the other way round', () => {
    expect(detectEmergency('ada bau gas dari selokan? ternyata bau limbah').urgent).toBe(false);
    expect(detectEmergency('kebakaran kemarin sudah padam, tapi sekarang apinya muncul lagi dan makin besar').urgent).toBe(true);
  });

  it('needs a person or a vehicle for "trapped" and "fell" to be a danger cue', () => {
    expect(detectEmergency('ranting pohon tumbang tersangkut di kabel').urgent).toBe(false);
    expect(detectEmergency('pohon tumbang, ada motor tersangkut di bawahnya').urgent).toBe(true);
  });

  it('names the event that came first: the tree that fell, not the roof it broke', () => {
    expect(detectEmergency('pohon trembesi tibo nang omahe wong, gentenge ambrol kabeh')).toMatchObject({ urgent: true, kind: 'fallen_tree_or_pole' });
    expect(detectEmergency('atap pasar ambruk tertimpa pohon, ada pedagang yang tertimpa')).toMatchObject({ urgent: true, kind: 'collapse' });
    // Someone hurt in an accident is the accident's emergency, not a medical one.
    expect(detectEmergency('motor nabrak pejalan kaki barusan, korbannya pingsan')).toMatchObject({ urgent: true, kind: 'accident' });
  });

  it('explains its reading of every clause', () => {
    const e = explainEmergency('Kemarin ada kebakaran di gang 3. Sekarang rumah tetangga terbakar, tolong!');
    expect(e.urgent).toBe(true);
    expect(e.clauses).toHaveLength(2);
    expect(e.clauses[0].cancelledBy).toBe('past');
    expect(e.clauses[1].signs.map((s) => s.kind)).toContain('fire');
    expect(e.clauses[1].bonuses).toContain('now');
  });
});
