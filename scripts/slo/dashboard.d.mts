import type { Spec } from './spec.mjs';
export type Dashboard = { uid: string; title: string; panels: { id: number; type: string; title: string; targets?: { expr: string; refId: string }[] }[] } & Record<string, unknown>;
export function dashboard(spec: Spec): Dashboard;
export function dashboardQueries(board: Dashboard): [string, string][];
