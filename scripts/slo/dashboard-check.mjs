// Structural checks of the Grafana dashboard JSON that Grafana itself would reject or render
// wrongly: duplicate panel ids, panels off the 24-column grid or on top of each other, a query
// without a datasource or expression. Whether each query returns data is the live test's job.
export function dashboardProblems(board) {
  const problems = [];
  if (!board.uid || !board.title) problems.push('dashboard: no uid or title');
  const ids = new Set();
  const cells = new Map();
  for (const panel of board.panels ?? []) {
    if (ids.has(panel.id)) problems.push(`panel "${panel.title}": duplicate id ${panel.id}`);
    ids.add(panel.id);
    const { x, y, w, h } = panel.gridPos ?? {};
    if (![x, y, w, h].every(Number.isInteger) || x < 0 || w < 1 || x + w > 24 || h < 1) {
      problems.push(`panel "${panel.title}": gridPos ${JSON.stringify(panel.gridPos)} is off the 24-column grid`);
      continue;
    }
    for (let row = y; row < y + h; row++) {
      for (let column = x; column < x + w; column++) {
        const key = `${row}:${column}`;
        if (cells.has(key)) {
          problems.push(`panel "${panel.title}" overlaps "${cells.get(key)}"`);
          row = y + h;
          break;
        }
        cells.set(key, panel.title);
      }
    }
    if (panel.type === 'row') continue;
    if (!panel.datasource?.uid) problems.push(`panel "${panel.title}": no datasource`);
    if (!panel.targets?.length) problems.push(`panel "${panel.title}": no query`);
    for (const target of panel.targets ?? []) if (!target.expr?.trim()) problems.push(`panel "${panel.title}": query ${target.refId} is empty`);
  }
  return problems;
}
