import { z } from 'zod';

export const applySchema = z.strictObject({
  coverLetter: z.string().trim().min(50, 'at least 50 characters').max(5_000, 'at most 5,000 characters'),
  resumeUrl: z
    .string()
    .trim()
    .max(2_048)
    .url('a full http(s) URL')
    .refine((value) => /^https?:\/\//i.test(value), 'a full http(s) URL')
    .nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
});
export type ApplyInput = z.infer<typeof applySchema>;
