/**
 * Settings that gc messages name, in words that name no application (the same mechanism as
 * src/registry/hints.ts): the message contains the phrase, and an application may put its own name for
 * the setting in its place (the CLI: its flag, src/cli/hints.ts).
 */
export const GC_SETTINGS = {
  /** The storage root handed to `readStorage` (the filesystem driver's rootdirectory). */
  storage: 'registry storage root',
} as const

export type GcSetting = keyof typeof GC_SETTINGS
