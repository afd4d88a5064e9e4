/**
 * @module
 * The banner `remex up` and `remex server` print once they are ready: a framed block after the
 * start-up log lines, so that the URL and a generated admin password stand out instead of
 * sitting between JSON lines. Each fact keeps its own line (scripts and tests read them).
 */

/** What the banner shows. */
export interface ReadyBanner {
  url: string;
  /** The admin password generated at the first start (shown once), if any. */
  generatedAdminPassword?: string | null;
  /** Further lines (embedded proxy, supervisor pids …). */
  details?: readonly string[];
}

const RULE = '='.repeat(72);

/** The banner's lines. */
export function readyBannerLines(b: ReadyBanner): string[] {
  const lines = ['', RULE, `Remex server listening on ${b.url}`];
  if (b.generatedAdminPassword) {
    lines.push(`Created user admin with password: ${b.generatedAdminPassword}`);
    lines.push('  (shown only now: keep it; `remex admin reset-password` sets a new one from the data directory)');
  }
  lines.push(...(b.details ?? []), RULE);
  return lines;
}
