import type {RepositoryFacts} from './facts.js'
import type {PlanAction, PlanItem} from './plan.js'
import type {Digest} from '../registry/digest.js'

/** One plan item for a tag (or, with `tag` null, an untagged manifest), with the manifest's facts. */
export function planItem(
  facts: RepositoryFacts,
  tag: string | null,
  digest: Digest,
  action: PlanAction,
  reason: string,
  extra: Partial<PlanItem> = {},
): PlanItem {
  const manifest = facts.manifests.get(digest)
  return {
    repository: facts.repository,
    tag,
    digest,
    mediaType: manifest?.mediaType ?? '',
    created: manifest?.created ?? null,
    size: manifest?.size ?? 0,
    action,
    reason,
    ...extra,
  }
}
