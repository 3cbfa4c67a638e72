import 'server-only';
// CSP violation reports from our pages (docs/security.md, "Violation reports"): the page policy
// names POST /api/csp-reports in `report-uri`. Chromium sends `application/csp-report`
// ({ "csp-report": {…} }); the Reporting API sends `application/reports+json` (an array). Both are
// read to one shape and logged as `csp_violation`, without what could identify a person: URLs
// keep their origin and path only (no query, no fragment) and the script sample is dropped.
import { z } from 'zod';
import { readJsonWithLimit } from './read-json';

/** A report is a few hundred bytes; a page cannot make us read more than this. */
export const MAX_CSP_REPORT_BYTES = 8 * 1024;
const CSP_REPORT_BODY = {
  pattern: /^application\/(csp-report|reports\+json|json)\s*(;|$)/i,
  expected: 'Send a CSP report (application/csp-report or application/reports+json).',
};

const text = (max: number) => z.string().max(max).optional();
const number = z.number().int().min(0).max(10_000_000).optional();
const legacyReport = z.looseObject({
  'csp-report': z.looseObject({
    'document-uri': text(4096),
    'effective-directive': text(100),
    'violated-directive': text(500),
    'blocked-uri': text(4096),
    'source-file': text(4096),
    'line-number': number,
    'column-number': number,
    disposition: text(20),
    'status-code': number,
  }),
});
const reportingApiReports = z
  .array(
    z.looseObject({
      type: z.string().max(100),
      body: z.looseObject({
        documentURL: text(4096),
        effectiveDirective: text(100),
        blockedURL: text(4096),
        sourceFile: text(4096),
        lineNumber: number,
        columnNumber: number,
        disposition: text(20),
        statusCode: number,
      }),
    }),
  )
  .max(50);
const reportSchema = z.union([legacyReport, reportingApiReports]);

export type CspViolation = {
  directive: string;
  blocked: string;
  page: string;
  source: string | null;
  line: number | null;
  column: number | null;
  disposition: string;
};

/** A URL as origin + path, or the keyword a browser puts there ("inline", "eval", "data"). */
export function withoutPersonalData(value: string | undefined): string {
  if (!value) return 'unknown';
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? `${url.origin}${url.pathname}` : url.protocol;
  } catch {
    return value.slice(0, 40); // 'inline', 'eval', 'wasm-eval', 'trusted-types-sink', …
  }
}

/** The violations in a report request: 415 for another content type, 413 over 8 KiB, 400 for anything else. */
export async function readCspReport(request: Request): Promise<CspViolation[]> {
  const payload = await readJsonWithLimit(request, reportSchema, MAX_CSP_REPORT_BYTES, CSP_REPORT_BODY);
  if (!Array.isArray(payload)) {
    const report = payload['csp-report'];
    return [
      {
        directive: (report['effective-directive'] ?? report['violated-directive'] ?? 'unknown').split(' ', 1)[0]!,
        blocked: withoutPersonalData(report['blocked-uri']),
        page: withoutPersonalData(report['document-uri']),
        source: report['source-file'] ? withoutPersonalData(report['source-file']) : null,
        line: report['line-number'] ?? null,
        column: report['column-number'] ?? null,
        disposition: report.disposition ?? 'enforce',
      },
    ];
  }
  return payload
    .filter((entry) => entry.type === 'csp-violation')
    .map(({ body: report }) => ({
      directive: report.effectiveDirective ?? 'unknown',
      blocked: withoutPersonalData(report.blockedURL),
      page: withoutPersonalData(report.documentURL),
      source: report.sourceFile ? withoutPersonalData(report.sourceFile) : null,
      line: report.lineNumber ?? null,
      column: report.columnNumber ?? null,
      disposition: report.disposition ?? 'enforce',
    }));
}
