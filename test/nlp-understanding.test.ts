import { describe, expect, it } from 'vitest';
import { loadCityProfile } from '../lib/city-profile.ts';
import { readSmallTalk } from '../nlp/understand-small-talk.ts';
import { readOpening } from '../nlp/understand-opening.ts';
import { readNumber, readRating } from '../nlp/understand-number.ts';
import { readYesNo } from '../nlp/understand-yes-no.ts';
import { readMenuChoice, readStepCommand } from '../nlp/understand-command.ts';
import { readPrivacy } from '../nlp/understand-privacy.ts';
import { readSatisfaction } from '../nlp/understand-satisfaction.ts';
import { detectLanguage } from '../nlp/detect-language.ts';
import { findPlaceInText, readPlaceAnswer, withoutPlaces } from '../nlp/understand-place.ts';
import { KeywordClassifier } from '../nlp/keyword-classifier.ts';
import { guessTopic } from '../nlp/guess-topic.ts';

/**
 * The table of messages the bot must understand, written the way people in Malang write to a complaint line
 * (Indonesian, chat Indonesian, Javanese-mixed, English). Each row is one message and what the step that
 * receives it must read from it. None of them comes from the complaint data sets.
 */
const profile = loadCityProfile('malang');

describe('greetings, salam and thanks', () => {
  it.each([
    ['assalamualaikum min', { salam: true, rest: '' }],
    ['Assalamu\'alaikum wr wb', { salam: true, rest: '' }],
    ['asslmkm', { salam: true, rest: '' }],
    ['ass wr wb min, mau tanya', { salam: true, rest: 'mau tanya' }],
    ['Assalamualaikum, jalan depan rumah saya bolong', { salam: true, rest: 'jalan depan rumah saya bolong' }],
    ['pagi min', { greeting: true, rest: '' }],
    ['selamat siang kak', { greeting: true, rest: '' }],
    ['sugeng enjing', { greeting: true, rest: '' }],
    ['halo', { greeting: true, rest: '' }],
    ['hallo min 🙏', { greeting: true, rest: '' }],
    ['permisi, mau lapor', { greeting: true, rest: 'mau lapor' }],
    ['punten min', { greeting: true, rest: '' }],
    ['Good morning', { greeting: true, rest: '' }],
    ['hi there', { greeting: true, rest: 'there' }],
    ['selamat malam, lampu jalan di gang saya mati', { greeting: true, rest: 'lampu jalan di gang saya mati' }],
    ['makasih min', { thanks: true, rest: '' }],
    ['terima kasih banyak ya kak', { thanks: true, rest: '' }],
    ['matur nuwun', { thanks: true, rest: '' }],
    ['suwun nggih', { thanks: true, rest: '' }],
    ['thx', { thanks: true, rest: '' }],
    ['thank you so much', { thanks: true, rest: '' }],
    ['ok siap', { rest: '' }],
    ['sampah di pasar numpuk', { salam: false, greeting: false, thanks: false, rest: 'sampah di pasar numpuk' }],
  ])('%s', (text, expected) => {
    expect(readSmallTalk(text)).toMatchObject(expected);
  });
});

describe('openings that announce a report', () => {
  it.each([
    ['mau lapor', ''],
    ['mau lapor min', ''],
    ['saya mau melaporkan sesuatu', ''],
    ['ada keluhan', ''],
    ['ada keluhan nih kak', ''],
    ['izin lapor', ''],
    ['mohon izin melapor', ''],
    ['aku arep lapor', ''],
    ['mau komplain', ''],
    ['pengen ngadu', ''],
    ['ada yang mau saya laporkan', ''],
    ['I want to report a problem', ''],
    ["I'd like to file a complaint", ''],
    ['can I report something here?', ''],
    ['mau lapor jalan rusak depan SD', 'jalan rusak depan SD'],
    ['mau lapor soal sampah', 'sampah'],
    ['saya ingin melaporkan pungli di kelurahan', 'pungli di kelurahan'],
    ['I want to report a broken street light', 'broken street light'],
  ])('%s → content "%s"', (text, content) => {
    const opening = readOpening(text);
    expect(opening.announces).toBe(true);
    expect(opening.content).toBe(content);
  });

  it.each(['jalan berlubang di depan rumah', 'sampah numpuk', 'lampu mati'])('%s is not an opening', (text) => {
    expect(readOpening(text).announces).toBe(false);
  });
});

describe('numbers, stars and ratings', () => {
  it.each([
    ['1', 1], ['2', 2], ['dua', 2], ['tiga', 3], ['empat min', 4], ['lima', 5], ['limo', 5], ['papat', 4], ['siji', 1],
    ['sepuluh', 10], ['no 3', 3], ['nomor 2', 2], ['yang kedua', 2], ['pilih 1', 1], ['five', 5], ['⭐⭐⭐⭐', 4],
    ['⭐⭐⭐⭐⭐', 5], ['5 bintang', 5], ['lima bintang', 5], ['bintang 4', 4], ['4/5', 4], ['3 dari 5', 3], ['nilai 4', 4],
  ] as const)('%s → %d', (text, n) => {
    expect(readNumber(text)).toBe(n);
  });

  it.each(['sudah 2 minggu', '2 atau 3', 'jalan no 5 rusak', 'banyak', ''])('%s is not an answer by number', (text) => {
    expect(readNumber(text)).toBeUndefined();
  });

  it.each([
    ['lima', 5], ['5 bintang', 5], ['⭐⭐⭐⭐', 4], ['4/5', 4], ['3', 3],
  ] as const)('rating %s → %d', (text, n) => {
    expect(readRating(text)).toBe(n);
  });

  it.each(['7', 'sepuluh', '0'])('rating %s is out of range', (text) => {
    expect(readRating(text)).toBeUndefined();
  });
});

describe('informal yes and no', () => {
  it.each([
    'iya', 'ya', 'y', 'iyaa', 'yoi', 'betul', 'bener', 'leres', 'nggih', 'inggih', 'ok', 'oke deh', 'sip', 'siap min', 'lanjut',
    'iya min', 'ya, kirim saja', 'yes', 'yep', 'sure', '👍', 'gas',
  ])('%s → yes', (text) => {
    expect(readYesNo(text)).toBe('yes');
  });

  it.each([
    'tidak', 'gak', 'ga', 'nggak', 'ngga', 'ndak', 'enggak', 'tidak jadi', 'gak jadi', 'ora', 'mboten', 'no', 'nope', 'jangan', 'gak usah',
  ])('%s → no', (text) => {
    expect(readYesNo(text)).toBe('no');
  });

  it.each(['iya tapi lokasinya salah', 'jalan rusak', 'mungkin'])('%s → neither', (text) => {
    expect(readYesNo(text)).toBeUndefined();
  });
});

describe('back, cancel, help and skip', () => {
  it.each([
    ['kembali', 'back'], ['back', 'back'], ['balik', 'back'], ['balik lagi', 'back'], ['/kembali', 'back'], ['mundur', 'back'],
    ['batal', 'cancel'], ['batalkan', 'cancel'], ['gak jadi lapor', 'cancel'], ['tidak jadi', 'cancel'], ['cancel', 'cancel'],
    ['/batal', 'cancel'], ['ga sido', 'cancel'],
    ['bantuan', 'help'], ['bingung', 'help'], ['help', 'help'], ['gimana caranya', 'help'],
    ['lewati', 'skip'], ['skip', 'skip'], ['gak ada foto', 'skip'], ['tidak ada fotonya min', 'skip'], ['ga punya', 'skip'],
    ['ndak ada', 'skip'], ['no photo', 'skip'],
  ] as const)('%s → %s', (text, command) => {
    expect(readStepCommand(text)).toBe(command);
  });
});

describe('menu words', () => {
  it.each([
    ['1', 'report'], ['satu', 'report'], ['buat laporan', 'report'], ['lapor', 'report'], ['2', 'status'], ['cek status', 'status'],
    ['status laporan', 'status'], ['cek laporan saya', 'status'], ['3', 'myCases'], ['laporan saya', 'myCases'], ['riwayat laporan', 'myCases'],
    ['my reports', 'myCases'], ['4', 'help'], ['bantuan', 'help'], ['track my report', 'status'],
  ] as const)('%s → %s', (text, choice) => {
    expect(readMenuChoice(text)).toBe(choice);
  });
});

describe('privacy answers', () => {
  it.each([
    ['1', 'biasa'], ['biasa', 'biasa'], ['biasa aja', 'biasa'], ['gpp biasa', 'biasa'], ['terserah', 'biasa'],
    ['2', 'anonim'], ['dua', 'anonim'], ['anonim aja min', 'anonim'], ['anonim', 'anonim'], ['rahasiakan nama saya', 'anonim'],
    ['jangan tampilkan nama saya', 'anonim'], ['anonymous please', 'anonim'], ['hide my name', 'anonim'],
    ['3', 'rahasia'], ['rahasia', 'rahasia'], ['yang ketiga', 'rahasia'], ['jangan dipublikasikan', 'rahasia'], ['private', 'rahasia'],
  ] as const)('%s → %s', (text, privacy) => {
    expect(readPrivacy(text)).toBe(privacy);
  });

  it.each(['7', 'hmm', 'yang penting cepat'])('%s → none', (text) => {
    expect(readPrivacy(text)).toBeUndefined();
  });
});

describe('puas or belum after an answer', () => {
  it.each([
    ['puas', 'puas', ''],
    ['sudah beres min makasih', 'puas', ''],
    ['udah diperbaiki, suwun', 'puas', ''],
    ['alhamdulillah sudah', undefined, undefined],
    ['belum', 'belum', ''],
    ['belum min', 'belum', ''],
    ['masih banjir min', 'belum', 'masih banjir min'],
    ['tetep bau kak', 'belum', 'tetep bau kak'],
    ['belum, airnya masih mati', 'belum', 'airnya masih mati'],
    ['belum diperbaiki sama sekali', 'belum', 'diperbaiki sama sekali'],
    ['sama aja, gak ada perubahan', 'belum', 'sama aja, gak ada perubahan'],
    ['still broken', 'belum', 'still broken'],
    ['not solved', 'belum', ''],
    ['Belum ada lampu jalan di gang saya', undefined, undefined],
  ] as const)('%s → %s', (text, verdict, reason) => {
    const reading = readSatisfaction(text);
    if (verdict === undefined) expect(reading).toBeUndefined();
    else expect(reading).toEqual({ verdict, reason });
  });
});

describe('language of a message', () => {
  it.each([
    ['Hi, I want to report a problem', 'en'],
    ['the road near my house is full of potholes', 'en'],
    ['There is a lot of garbage in front of the market', 'en'],
    ['the street light has been off for a week', 'en'],
    ['jalan depan rumah rusak parah', 'id'],
    ['min lampu jalan di gang saya mati', 'id'],
    ['dalan e bolong-bolong wis seminggu', 'id'],
    ['sampah numpuk nang pinggir kali', 'id'],
    ['hi', undefined],
    ['ok', undefined],
    ['Jl. Ijen', undefined],
  ] as const)('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});

describe('answers to "Di mana lokasinya?"', () => {
  it.each([
    ['Jl. Sumbersari No. 10, Lowokwaru', 'place', { kelurahan: 'Sumbersari', kecamatan: 'Lowokwaru' }],
    ['jln bunga coklat gg 2', 'place', {}],
    ['depan pasar besar', 'place', { placeCode: 'PASAR-BESAR', kecamatan: 'Klojen' }],
    ['puskesmas janti', 'place', { placeCode: 'PKM-JANTI' }],
    ['alun-alun tugu', 'place', { kelurahan: 'Kiduldalem' }],
    ['dkt polinema', 'place', { kelurahan: 'Jatimulyo' }],
    ['sebelah UB', 'place', { kelurahan: 'Ketawanggede' }],
    ['deket matos', 'place', { kelurahan: 'Penanggungan' }],
    ['belakang stasiun kota baru', 'place', { kelurahan: 'Kiduldalem' }],
    ['perempatan dekat terminal arjosari', 'place', { kelurahan: 'Arjosari' }],
    ['rt 3 rw 5 bunulrejo', 'place', { kelurahan: 'Bunulrejo', kecamatan: 'Blimbing' }],
    ['kel. tlogomas', 'place', { kelurahan: 'Tlogomas' }],
    ['gang 3 sawojajar', 'place', { kelurahan: 'Sawojajar' }],
    ['Perum Griya Shanta blok C', 'place', {}],
    ['Soekarno Hatta', 'place', {}],
    ['depan rumah saya', 'place', {}],
    ['-7.9553, 112.6145', 'place', { latitude: -7.9553, longitude: 112.6145 }],
    ['Surabaya, jl. tunjungan', 'place', { outside: 'Surabaya' }],
    ['dau, deket landungsari', 'place', {}],
    ['jl. bandung depan SMA 3', 'place', {}],
    ['udah lama bgt', 'continuation', {}],
    ['sampahnya numpuk terus', 'continuation', {}],
    ['tolong segera diperbaiki', 'continuation', {}],
    ['dari kemarin gak diangkut', 'continuation', {}],
    ['min', 'filler', {}],
    ['?', 'filler', {}],
    ['kak', 'filler', {}],
    ['hah? maksudnya gimana', 'filler', {}],
    ['bentar ya min', 'filler', {}],
    ['maaf saya tidak tahu alamatnya', 'filler', {}],
    ['lupa nama jalannya', 'filler', {}],
    ['di depan masjid al ikhlas jl. bunga', 'place', {}],
    ['near the big mosque', 'place', {}],
    ['dekat rumah pak RT 4', 'place', {}],
  ] as const)('%s → %s', (text, kind, fields) => {
    const answer = readPlaceAnswer(profile, text);
    expect(answer.kind).toBe(kind);
    expect(answer).toMatchObject(fields);
  });

  it('a street named after another city is a street, not that city', () => {
    const answer = readPlaceAnswer(profile, 'jl. bandung depan SMA 3');
    expect(answer).toMatchObject({ kind: 'place' });
    expect(answer).not.toHaveProperty('outside');
    expect(readPlaceAnswer(profile, 'Surabaya, jl. tunjungan')).toMatchObject({ outside: 'Surabaya' });
  });
});

describe('places inside a complaint', () => {
  it.each([
    ['dalan e bolong-bolong dekat terminal hamid rusdi', 'dekat terminal hamid rusdi', 'Wonokoyo'],
    ['dalan e bolong-bolong kel. bunulrejo', 'kel. bunulrejo', 'Bunulrejo'],
    ['Jalan berlubang di Jl. Sumbersari depan SDN 2, udah 2 minggu', 'Jl. Sumbersari depan SDN 2', 'Sumbersari'],
    ['lampu jalan mati di sekitar alun-alun tugu sejak kemarin', 'sekitar alun-alun tugu', 'Kiduldalem'],
    ['antrean di puskesmas janti lama banget', 'puskesmas janti', 'Bandungrejosari'],
    ['got mampet nang gang 5 rt 02 rw 04 kel. polehan', 'gang 5 rt 02 rw 04 kel. polehan', 'Polehan'],
    ['There is a big pothole near Matos, please fix it', 'near Matos', 'Penanggungan'],
  ] as const)('%s → %s', (text, place, kelurahan) => {
    expect(findPlaceInText(profile, text)).toMatchObject({ text: place, kelurahan });
  });

  it.each(['sampah numpuk depan rumah saya', 'jalan rusak parah, tolong diperbaiki', 'lampu jalan mati total'])('%s names no specific place', (text) => {
    expect(findPlaceInText(profile, text)).toBeUndefined();
  });

  it('the description without its place keeps the complaint', () => {
    expect(withoutPlaces(profile, 'dalan e bolong-bolong dekat terminal hamid rusdi')).toBe('dalan e bolong-bolong');
    expect(withoutPlaces(profile, 'dalan e bolong-bolong kel. bunulrejo')).toBe('dalan e bolong-bolong');
  });
});

describe('classification reads the description, not the place', () => {
  const classifier = new KeywordClassifier(profile);
  it.each([
    ['dalan e bolong-bolong dekat terminal hamid rusdi', 'DPUPRPKP'],
    ['dalan e bolong-bolong kel. bunulrejo', 'DPUPRPKP'],
    ['uwuh numpuk nang pinggir kali, mambu banget wis pirang dino', 'DLH'],
    ['banyu PDAM gak mili wis telung dino', 'PERUMDA-TUGU-TIRTA'],
    ['dalane peteng, lampune mati kabeh', 'DISHUB'],
    ['kalen buntu, lek udan banjir', 'DPUPRPKP'],
    ['parkir liar depan alun-alun tugu, jukirnya narik 5 ribu', 'DISHUB'],
    ['antrean puskesmas janti lama banget, dokternya telat', 'DINKES'],
  ] as const)('%s → %s', (text, opd) => {
    expect(classifier.classifySync({ text }).opdCode).toBe(opd);
  });

  it('a description with no signal goes by the place, with low confidence for the admin', () => {
    const c = classifier.classifySync({ text: 'tolong ditindaklanjuti secepatnya', location: 'Puskesmas Janti' });
    expect(c.opdCode).toBe('DINKES');
    expect(c.confidence).toBeLessThan(0.5);
  });

  it.each([
    ['jalan berlubang besar depan sekolah', 'id', 'jalan rusak'],
    ['sampah numpuk sudah seminggu', 'id', 'sampah'],
    ['there is garbage everywhere', 'en', 'rubbish'],
  ] as const)('the topic of "%s" is named back (%s)', (text, lang, topic) => {
    expect(guessTopic(profile, text, lang)).toBe(topic);
  });
});
