// Prisma's error classes can be loaded twice in one process (our server bundle and Next's), so
// errors are recognised by their code, not by instanceof.
export function prismaErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^P\d{4}$/.test(code) ? code : undefined;
}

/** A unique constraint rejected the write (P2002). */
export const isUniqueViolation = (error: unknown) => prismaErrorCode(error) === 'P2002';
