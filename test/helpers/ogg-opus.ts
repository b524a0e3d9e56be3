import OpusScript from 'opusscript';

/**
 * Real Ogg/Opus bytes for tests, made offline: PCM (a tone with a little syllable-like loudness change) encoded by
 * libopus (opusscript, compiled to WebAssembly, no native build) and wrapped in Ogg pages by the small muxer below
 * (RFC 3533 pages, RFC 7845 OpusHead/OpusTags). The muxer is hand-written because no maintained npm package writes
 * Ogg/Opus without native code; it is test-only.
 */

const RATE = 48_000;
/** 20 ms frames, as WhatsApp and Telegram voice notes use. */
const FRAME = 960;
/** libopus' encoder delay at 48 kHz (RFC 7845 §4.2 recommends recording it as the pre-skip). */
export const PRE_SKIP = 312;
/** Packets per page: one second of audio, close to what phone apps write. */
const PACKETS_PER_PAGE = 50;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32: polynomial 0x04c11db7, no reflection, initial value 0. */
function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]) >>> 0;
  return crc >>> 0;
}

function page(packets: Uint8Array[], granule: bigint, serial: number, sequence: number, flags: number): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    let n = p.length;
    while (n >= 255) {
      lacing.push(255);
      n -= 255;
    }
    lacing.push(n);
  }
  if (lacing.length > 255) throw new Error('too many segments for one Ogg page');
  const bodyLength = packets.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(27 + lacing.length + bodyLength);
  const view = new DataView(out.buffer);
  out.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
  out[4] = 0; // version
  out[5] = flags;
  view.setBigInt64(6, granule, true);
  view.setUint32(14, serial, true);
  view.setUint32(18, sequence, true);
  out[26] = lacing.length;
  out.set(lacing, 27);
  let offset = 27 + lacing.length;
  for (const p of packets) {
    out.set(p, offset);
    offset += p.length;
  }
  view.setUint32(22, oggCrc(out), true);
  return out;
}

function opusHead(channels: number, inputRate: number): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode('OpusHead'), 0);
  head[8] = 1; // version
  head[9] = channels;
  view.setUint16(10, PRE_SKIP, true);
  view.setUint32(12, inputRate, true);
  view.setInt16(16, 0, true); // output gain
  head[18] = 0; // channel mapping family 0 (mono/stereo)
  return head;
}

function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode('lapor-bot test');
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  const view = new DataView(tags.buffer);
  tags.set(new TextEncoder().encode('OpusTags'), 0);
  view.setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  view.setUint32(12 + vendor.length, 0, true); // no comments
  return tags;
}

/** Mono PCM at 48 kHz: a 220 Hz tone whose loudness rises and falls four times a second, like syllables. */
export function speechLikePcm(seconds: number): Int16Array {
  const samples = new Int16Array(Math.round(seconds * RATE));
  for (let i = 0; i < samples.length; i++) {
    const t = i / RATE;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    samples[i] = Math.round(9000 * envelope * (Math.sin(2 * Math.PI * 220 * t) + 0.3 * Math.sin(2 * Math.PI * 660 * t)));
  }
  return samples;
}

/** An Ogg/Opus voice note of `seconds` seconds (rounded up to whole 20 ms frames), as WhatsApp would send. */
export function encodeOggOpus(seconds: number, options: { serial?: number; bitrate?: number } = {}): Uint8Array {
  const pcm = speechLikePcm(seconds);
  const encoder = new OpusScript(RATE, 1, OpusScript.Application.VOIP, { wasm: true });
  try {
    encoder.setBitrate(options.bitrate ?? 16_000);
    const packets: Uint8Array[] = [];
    for (let start = 0; start < pcm.length; start += FRAME) {
      const frame = new Int16Array(FRAME);
      frame.set(pcm.subarray(start, Math.min(start + FRAME, pcm.length)));
      packets.push(new Uint8Array(encoder.encode(Buffer.from(frame.buffer), FRAME)));
    }
    const serial = options.serial ?? 0x1a2b3c4d;
    const pages: Uint8Array[] = [page([opusHead(1, RATE)], 0n, serial, 0, 0x02), page([opusTags()], 0n, serial, 1, 0)];
    let samplesDone = 0;
    for (let i = 0; i < packets.length; i += PACKETS_PER_PAGE) {
      const chunk = packets.slice(i, i + PACKETS_PER_PAGE);
      samplesDone += chunk.length * FRAME;
      const last = i + PACKETS_PER_PAGE >= packets.length;
      // The final page's granule trims the padding of the last frame (RFC 7845 §4.4: end trimming).
      const granule = BigInt(PRE_SKIP + (last ? pcm.length : samplesDone));
      pages.push(page(chunk, granule, serial, pages.length, last ? 0x04 : 0));
    }
    const total = pages.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const p of pages) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  } finally {
    encoder.delete();
  }
}
