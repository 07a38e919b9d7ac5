const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const ISO_DURATION = new RegExp(
  String.raw`^P(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
  'i',
);

const SECOND = 1000;
const UNITS_MS = [undefined, undefined, 7 * 86_400 * SECOND, 86_400 * SECOND, 3600 * SECOND, 60 * SECOND, SECOND];

/**
 * An ISO 8601 duration (`PT1S`, `PT1M`, `P1D`, `PT0.5S`, `P1W`...) in milliseconds. Years and
 * months have no fixed length; they are refused rather than approximated. Throws a plain Error
 * with a readable reason; builders wrap it.
 */
export function parseIsoDuration(text: string): number {
  const match = ISO_DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || /T$/i.test(text.trim())) {
    throw new Error(`'${text}' is not an ISO 8601 duration (for example PT1S, PT1M, PT1H, P1D)`);
  }
  if (match[1] !== undefined || match[2] !== undefined) {
    throw new Error(`'${text}' uses years or months, which have no fixed length; use days (P30D) or weeks instead`);
  }
  let ms = 0;
  for (let index = 3; index < match.length; index++) {
    const part = match[index];
    if (part !== undefined) ms += Number(part.replace(',', '.')) * UNITS_MS[index - 1]!;
  }
  if (!(ms > 0)) throw new Error(`'${text}' is an empty duration`);
  return ms;
}
