export type Selector = { metric: string; matchers: { label: string; op: string; value: string }[] };
export function selectorsOf(expr: string): Selector[];
export function missingFromScrape(selectors: Selector[], exposition: string, targetLabels?: string[]): string[];
