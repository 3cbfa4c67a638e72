// How long a new password may be: shared by the sign-up policy and better-auth's own check,
// kept apart from lib/auth/password-policy.ts so better-auth's module does not load its dictionaries.
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
