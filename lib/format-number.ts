/**
 * Numbers as Indonesian readers write them: "1.234" (dot groups thousands), "0,01" (comma before decimals),
 * "100,0%". One place for texts, reports and chart axes, so "0.010" on an axis never sits next to "0,01" in the
 * text. Intl (the ICU data Node ships) does the work; these only fix the options per use.
 */

const cache = new Map<string, Intl.NumberFormat>();

function formatter(minimumFractionDigits: number, maximumFractionDigits: number, locale: string): Intl.NumberFormat {
  const key = `${locale}|${minimumFractionDigits}|${maximumFractionDigits}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits });
    cache.set(key, f);
  }
  return f;
}

export interface NumberFormatOptions {
  /** Decimals always shown (default 0). */
  minDecimals?: number;
  /** Decimals at most (default 2); rounding is half away from zero, as Intl does. */
  maxDecimals?: number;
  /** "id" (default) or "en" for an English-speaking admin: 1,234.5. */
  language?: 'id' | 'en';
}

const LOCALES = { id: 'id-ID', en: 'en-US' } as const;

/** 1234 → "1.234", 0.01 → "0,01", 2.5 → "2,5"; NaN and infinities as "-" (a ratio of nothing). */
export function formatNumber(value: number, options: NumberFormatOptions = {}): string {
  if (!Number.isFinite(value)) return '-';
  const min = options.minDecimals ?? 0;
  const max = Math.max(min, options.maxDecimals ?? 2);
  const text = formatter(min, max, LOCALES[options.language ?? 'id']).format(value);
  // Intl writes "-0" for a negative value that rounds to zero; nobody means that.
  return /^-0(?:[.,]0*)?$/.test(text) ? text.slice(1) : text;
}

/** A ratio 0..1 as a percentage with fixed decimals: 1 → "100,0%", 0.123 → "12,3%". */
export function formatPercent(ratio: number, decimals = 1, language: 'id' | 'en' = 'id'): string {
  if (!Number.isFinite(ratio)) return '-';
  return `${formatNumber(ratio * 100, { minDecimals: decimals, maxDecimals: decimals, language })}%`;
}

/**
 * Tick labels for a chart axis: as many decimals as the step needs and no more (step 0.01 → "0,01", "0,02";
 * step 5 → "5", "10"), so ticks read like the text around them.
 */
export function formatAxisTick(value: number, step: number, language: 'id' | 'en' = 'id'): string {
  // The step's own decimals (0.25 → 2, 0.01 → 2, 5 → 0), read from its fixed-point form so float noise
  // (0.1 + 0.2) does not add digits; at most 6.
  const decimals = step > 0 && Number.isFinite(step) ? (step.toFixed(6).replace(/\.?0+$/, '').split('.')[1]?.length ?? 0) : 2;
  return formatNumber(value, { minDecimals: 0, maxDecimals: decimals, language });
}
