// `node scripts/deploy/burn-gate.mjs <prometheus-url>`: the deploy workflow's error-budget gate.
// Asks the Prometheus that evaluates our rules (docs/slo.md) which alerts fire, and refuses a
// deploy while a page-level burn-rate alert fires: users are hurting now, and a feature deploy
// then adds risk (the error-budget policy). The fix for the burn ships with the workflow's
// override input. PROMETHEUS_TOKEN, when set, is sent as a bearer token.
// Exit 0: no page-level burn alert fires; 1: one does (listed); 2: Prometheus could not be asked
// (the workflow warns and deploys: a broken monitoring stack must not block a rollback or a fix).
export const TIMEOUT_MS = 10_000;

/** The firing page-level burn-rate alerts in a /api/v1/alerts answer. */
export function firingPageBurns(answer) {
  if (answer?.status !== 'success' || !Array.isArray(answer?.data?.alerts)) throw new TypeError('not a Prometheus /api/v1/alerts answer');
  return answer.data.alerts.filter(
    (alert) => alert.state === 'firing' && alert.labels?.severity === 'page' && /BudgetBurn$/.test(alert.labels?.alertname ?? ''),
  );
}

export async function checkBurnGate(prometheusUrl, { token, timeoutMs = TIMEOUT_MS } = {}) {
  const url = new URL('api/v1/alerts', prometheusUrl.endsWith('/') ? prometheusUrl : `${prometheusUrl}/`);
  let answer;
  try {
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    answer = await response.json();
    return { firing: firingPageBurns(answer) };
  } catch (error) {
    return { error: `could not read alerts from ${url.origin}${url.pathname}: ${error.message}` };
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const prometheusUrl = process.argv[2];
  if (!prometheusUrl) {
    console.error('usage: node scripts/deploy/burn-gate.mjs <prometheus-url>');
    process.exit(2);
  }
  const { firing, error } = await checkBurnGate(prometheusUrl, { token: process.env.PROMETHEUS_TOKEN });
  if (error) {
    console.error(`burn gate: ${error}`);
    process.exit(2);
  }
  if (firing.length === 0) {
    console.log('burn gate: no page-level burn-rate alert is firing');
    process.exit(0);
  }
  console.error(`burn gate: ${firing.length} page-level burn-rate alert(s) firing:`);
  for (const alert of firing) console.error(`  ${alert.labels.alertname} ${alert.labels.slo ?? ''} (${alert.labels.long_window ?? '?'}/${alert.labels.short_window ?? '?'}) since ${alert.activeAt}`);
  process.exit(1);
}
