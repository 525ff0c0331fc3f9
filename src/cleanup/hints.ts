/**
 * What cleanup and deletion messages suggest, and the request fields they name, in words that name no
 * application (the same mechanism as src/registry/hints.ts): the message contains the phrase, and an
 * application may put its own wording in its place (the CLI names its flags: src/cli/hints.ts). Rules
 * are named by where they were written instead (ruleName in ./policy.ts).
 */
export const CLEANUP_HINTS = {
  /** A reference to delete was not found; the request may treat missing references as already deleted. */
  ignoreMissing: 'ask to ignore missing references to treat it as already deleted',
  /** A digest still carries unselected tags (`Selection.force` deletes it anyway). */
  forceOrNarrow: 'select those tags as well, delete only the tag rather than its whole image, or force the deletion',
  /** A saved plan was applied to another registry than the one it names. */
  plansRegistry: "name no other registry to use the plan's",
  /** A request gave repositories and asked for the whole catalog. */
  repositoriesOrCatalog: 'give repositories or ask for the whole catalog, not both',
  /** A cleanup named no repository. */
  nameRepository: 'name a repository to clean up, or ask for the whole catalog',
  /** The password and an in-use digest list both wanted stdin. */
  stdinTwice: 'stdin cannot carry both the password and a digest list (-)',
  /** Where the request's forms are described. */
  usage: 'see the usage of image deletion',
  /** An interrupted untag left a placeholder manifest; the reference that deletes it follows the phrase. */
  deletePlaceholder: 'delete it by its reference:',
} as const

export type CleanupHint = keyof typeof CLEANUP_HINTS

/** Fields of a deletion request (`DeleteRequest`) that messages name; the CLI names its flags instead. */
export const CLEANUP_SETTINGS = {
  /** `DeleteRequest.plan`: a saved plan to apply. */
  plan: 'the saved plan to apply',
  /** `DeleteRequest.savePlan`: where the plan is written. */
  savePlan: 'the plan output file',
  /** `DeleteRequest.policy`: a retention policy file. */
  policy: 'a retention policy file',
  /** `DeleteRequest.repos`: the filter on repository names. */
  repos: 'the repository name filter',
  /** `Selection.force`, in a plan item's reason. */
  force: 'deletion forced',
} as const

export type CleanupSetting = keyof typeof CLEANUP_SETTINGS
