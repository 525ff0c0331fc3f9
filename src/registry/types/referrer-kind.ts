/**
 * What a referrer is, from its declared types alone (no I/O): the OCI `artifactType`, the config and
 * layer media types its producers use, and the cosign tag suffix it was found under.
 */
export type ReferrerKind = 'signature' | 'attestation' | 'sbom' | 'artifact'

export interface ReferrerTypes {
  artifactType?: string
  configMediaType?: string
  layerMediaTypes?: readonly string[]
  /** The tag it was found under (cosign: `.sig`, `.att`, `.sbom`). */
  tag?: string
}

/** Checked in this order: an in-toto statement about an SBOM is an attestation, not the SBOM itself. */
const RULES: readonly {kind: ReferrerKind; pattern: RegExp}[] = [
  // DSSE envelopes and in-toto statements (cosign attest, buildx provenance, GitHub attestations).
  {
    kind: 'attestation',
    pattern: /^application\/vnd\.(dsse\.envelope|in-toto)|in-toto|\/vnd\.dev\.cosign\.attestation|\/vnd\.dev\.cosign\.artifact\.att/,
  },
  // SPDX and CycloneDX documents, in any of their serialisations.
  {kind: 'sbom', pattern: /spdx|cyclonedx|\/vnd\.dev\.cosign\.artifact\.sbom|syft/},
  // cosign simple signing, cosign 2 OCI artifacts, sigstore bundles, notation (Notary v2).
  {
    kind: 'signature',
    pattern:
      /^application\/vnd\.dev\.cosign\.(simplesigning|artifact\.sig)|^application\/vnd\.dev\.sigstore\.bundle|^application\/vnd\.cncf\.notary\.signature/,
  },
]

const BY_COSIGN_SUFFIX: Record<string, ReferrerKind> = {sig: 'signature', att: 'attestation', sbom: 'sbom'}

export function classifyReferrer(types: ReferrerTypes): ReferrerKind {
  const declared = [types.artifactType, types.configMediaType, ...(types.layerMediaTypes ?? [])]
    .filter((value): value is string => value !== undefined)
    .map((value) => value.toLowerCase())
  for (const rule of RULES) if (declared.some((value) => rule.pattern.test(value))) return rule.kind
  const suffix = types.tag === undefined ? undefined : /\.(sig|att|sbom)$/.exec(types.tag)?.[1]
  return suffix === undefined ? 'artifact' : BY_COSIGN_SUFFIX[suffix]
}
