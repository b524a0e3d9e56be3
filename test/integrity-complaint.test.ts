import { describe, expect, it } from 'vitest';
import { detectIntegrityComplaint, type IntegrityKind } from '../nlp/detect-integrity-complaint.ts';

// Written for this test (not taken from any data set): how Malang citizens complain about officers, and
// ordinary complaints that share their words (money, "ditolak", "kasar", offices) but accuse no officer.
const INTEGRITY: Array<[string, IntegrityKind]> = [
  ['Pegawai kelurahan Sumbersari minta uang 100 ribu buat surat pengantar nikah, katanya biar cepat', 'extortion'],
  ['Saya dimintai biaya 50rb di kantor kelurahan untuk surat keterangan domisili padahal katanya gratis', 'extortion'],
  ['Ada pungli di loket Dispendukcapil, bikin KK harus bayar 150 ribu', 'extortion'],
  ['Petugas puskesmas Arjuno kasar banget, ibu saya dibentak waktu daftar', 'rudeness'],
  ['Puskesmas Janti menolak melayani anak saya yang demam tinggi, katanya sudah tutup padahal masih jam 11', 'refused_service'],
  ['oknum pegawai kecamatan klojen minta uang rokok pas ngurus izin', 'bribery'],
  ['Ngurus akta kelahiran di dukcapil disuruh bayar 200rb lewat orang dalam biar cepat jadi', 'extortion'],
  ['Lurah Tlogomas minta jatah 10 persen dari bantuan warga', 'extortion'],
  ['Bidan di puskesmas minta bayaran padahal pasien BPJS', 'extortion'],
  ['Bantuan BPNT ibu saya dipotong 50 ribu oleh pendamping, katanya buat uang transport', 'extortion'],
  ['Staf kelurahan tidak mau melayani warga yang tidak bawa fotokopi, malah dimarahi dan diusir', 'refused_service'],
  ['Guru di SDN minta uang supaya anak saya naik kelas', 'extortion'],
  ['ada suap dalam penerimaan pegawai honorer di dinas', 'bribery'],
  ['Kami diperas petugas satpol pp, gerobak kami tidak dikembalikan kalau tidak bayar 500 ribu', 'extortion'],
  ['Pasien ditolak puskesmas Dinoyo karena tidak bawa KTP asli, padahal darurat', 'refused_service'],
  ['petugas loket kecamatan judes dan tidak sopan ke lansia', 'rudeness'],
  ['surat pindah dipersulit pegawai kelurahan kalau tidak kasih uang', 'extortion'],
  ['Pelayanan di kelurahan kotalama: dimintain duit 25rb tanpa kuitansi untuk legalisir', 'extortion'],
  ['Perawat puskesmas Kendalsari membentak ibu hamil di ruang KIA', 'rudeness'],
  ['Uang pelicin 300 ribu diminta oknum untuk mempercepat IMB', 'bribery'],
  ['tolong ditindak, pak camat nyuruh warga nyogok biar proposal cair', 'bribery'],
];

const ORDINARY = [
  'Jalan di depan kelurahan Sumbersari berlubang besar, bahaya untuk motor',
  'Jukir liar di depan Matos minta uang parkir 5 ribu, mohon ditertibkan',
  'Berapa biaya membuat KTP di Dispendukcapil?',
  'Puskesmas Arjuno antrian panjang sekali, mohon tambah loket',
  'Sampah di TPS dekat puskesmas Dinoyo menumpuk tidak diangkut seminggu',
  'Pengajuan bansos saya ditolak, mohon info syaratnya',
  'Aspal jalan Soekarno Hatta kasar dan bergelombang',
  'Pelayanan kelurahan Tlogomas cepat dan ramah, tidak ada pungli, terima kasih',
  'Pengamen di lampu merah Jl. Veteran minta uang dengan memaksa',
  'Warga minta bantuan untuk perbaikan rumah tidak layak huni',
  'Sekolah meminta sumbangan pembangunan gedung 2 juta per siswa, apakah boleh?',
  'Lampu PJU di depan kantor kecamatan Sukun mati',
  'Air PDAM mati sejak kemarin, tagihan bulan ini naik',
  'Bayar PBB di mana ya? apakah bisa lewat kelurahan?',
  'Dokter puskesmas Janti sangat membantu, saya mau mengusulkan jam buka sampai sore',
  'Pohon tumbang menutup jalan di depan puskesmas Kendalsari',
  'Preman minta uang keamanan ke pedagang Pasar Besar tiap malam',
  'Petugas sampah tidak datang sudah 3 hari',
  'Tolong dibuatkan loket khusus lansia di kelurahan',
  'Saya mau minta surat pengantar SKCK di kelurahan, syaratnya apa?',
  'Tukang parkir di Kayutangan pungli 10 ribu sekali parkir',
];

describe('integrity complaint detection', () => {
  it('has a table of at least 30 messages with both classes', () => {
    expect(INTEGRITY.length + ORDINARY.length).toBeGreaterThanOrEqual(30);
    expect(INTEGRITY.length).toBeGreaterThanOrEqual(15);
    expect(ORDINARY.length).toBeGreaterThanOrEqual(15);
  });

  it.each(INTEGRITY)('flags %s', (text, kind) => {
    const verdict = detectIntegrityComplaint(text);
    expect(verdict.integrity).toBe(true);
    expect(verdict.kind).toBe(kind);
    expect(verdict.cues.length).toBeGreaterThan(0);
  });

  it.each(ORDINARY)('does not flag %s', (text) => {
    const verdict = detectIntegrityComplaint(text);
    expect(verdict).toEqual({ integrity: false, cues: [] });
  });

  it('names an officer as well as a parking attendant: the officer counts', () => {
    expect(detectIntegrityComplaint('Jukir di depan kantor Dishub ternyata disuruh oknum petugas Dishub setor uang tiap hari').integrity).toBe(true);
  });
});
