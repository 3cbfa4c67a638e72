// Whether the drill may destroy a database: only one marked for it (a throw-away cluster's, as CI
// marks its own) or with the operator's explicit --yes-destroy. Anything else is refused before
// the drill touches it, with the way to mark it.
export const DESTROYABLE_MARK = 'dr:rehearse may destroy this database';

/** Why the drill must not run on `database`, or null when it may. */
export function destroyRefusal({ database, exists, mark, yesDestroy }) {
  if (!exists) return `database "${database}" does not exist on this server: create it (createdb ${database}) or fix DATABASE_URL`;
  if (yesDestroy || mark === DESTROYABLE_MARK) return null;
  return [
    `refusing to run: the drill DROPS the database "${database}" (and a restored copy of it) to rehearse a disaster.`,
    'Point DATABASE_URL at a throw-away Postgres, then either mark that database as destroyable:',
    `  psql "$DATABASE_URL" -c "COMMENT ON DATABASE \\"${database}\\" IS '${DESTROYABLE_MARK}'"`,
    'or pass --yes-destroy (npm run dr:rehearse -- --yes-destroy).',
  ].join('\n');
}
