/** `image delete --help`: what it does, examples, usage lines (the flags are in the command). */
export const description = `Delete tags or images, or clean up repositories by retention rules (docs/cleanup.md).

With REF:TAG only that tag is removed (the image and its other tags stay). With REF@DIGEST (or --whole-image) the manifest is deleted with every tag on it, which reglens refuses while unselected tags point at it (unless --force) or an index still lists it. Referrers (cosign signatures and attestations, SBOMs and other OCI 1.1 artifacts) follow the image they refer to: kept with a kept image whatever rule matches their tags, deleted with a deleted one; those whose image is already gone are listed, and deleted with --orphans. With a REPO and rules (--keep-last, --keep-last-tags, --older-than, --match, --keep, --keep-semver-latest, --keep-digests-from, or --policy FILE) it plans a cleanup. Always preview with --dry-run; without a terminal a real run needs --yes.`

export const examples = [
  {
    description: 'Remove one tag, keep the image and its other tags',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app:pr-42 --yes',
  },
  {
    description: 'Delete an image by digest (refused while other tags point at it)',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app@sha256:4f1c… --yes',
  },
  {
    description: 'CI cleanup: keep the 10 newest images (with all their tags) and every v* image, delete the rest',
    command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app --keep-last 10 --keep '^v' --yes",
  },
  {
    description: 'Keep only the 5 newest pr-* tags (other tags are not touched)',
    command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app --match '^pr-' --keep-last-tags 5 --yes",
  },
  {
    description: 'Never delete what the cluster runs: keep every image a pod uses (kubectl imageIDs on stdin)',
    command:
      "kubectl get pods -A -o jsonpath='{..imageID}' | tr ' ' '\\n' | <%= config.bin %> <%= command.id %> localhost:5000/team/app --keep-last 5 --keep-digests-from - --yes",
  },
  {
    description: 'Preview a registry-wide cleanup as JSON and save the plan for later',
    command:
      '<%= config.bin %> <%= command.id %> --all-repos -r prod --older-than 30d --keep-last 5 --dry-run --json --save-plan plan.json',
  },
  {
    description: 'Apply a saved plan (re-checked against the registry first)',
    command: '<%= config.bin %> <%= command.id %> --plan plan.json --yes',
  },
]

export const usage = [
  'image delete REF... [--whole-image] [--force]',
  'image delete REPO... | --all-repos [--repos REGEX] (--keep-last N | --keep-last-tags N | --older-than 30d | --match REGEX | --policy FILE) [--keep REGEX] [--keep-semver-latest N] [--keep-digests-from FILE]',
  'image delete --plan FILE',
]
