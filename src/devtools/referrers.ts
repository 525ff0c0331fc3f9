import type {RegistryClient} from '../registry/client.js'
import {type Digest, digestOf} from '../registry/digest.js'
import {pushBlob, pushManifest} from '../registry/push.js'
import type {Repository} from '../registry/reference.js'
import {referrersTag} from '../registry/referrers.js'
import {MediaType} from '../registry/types/media-types.js'

/**
 * Pushes supply-chain referrers of an image through the registry API, shaped as cosign and oras push
 * them to a registry without the referrers API (distribution 2.8): a cosign signature (`.sig` tag,
 * simple-signing layer), a cosign attestation (`.att` tag, DSSE envelope layer), and an OCI 1.1 SBOM
 * artifact with a `subject`, listed in the referrers tag schema's fallback index (`sha256-<hex>`).
 */

export interface PushedReferrer {
  kind: 'signature' | 'attestation' | 'sbom'
  digest: Digest
  /** The tag it was pushed under (the fallback index's tag for the SBOM). */
  tag: string
  /** Bytes of its config and layers. */
  size: number
}

interface Part {
  mediaType: string
  bytes: Buffer
  annotations?: Record<string, string>
}

const descriptor = (part: Part) => ({
  mediaType: part.mediaType,
  digest: digestOf(part.bytes),
  size: part.bytes.length,
  ...(part.annotations ? {annotations: part.annotations} : {}),
})

async function pushArtifact(
  client: RegistryClient,
  repository: Repository,
  reference: string,
  manifest: Record<string, unknown>,
  parts: Part[],
): Promise<Digest> {
  for (const part of parts) await pushBlob(client, repository, part.bytes)
  return pushManifest(
    client,
    repository,
    reference,
    Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MediaType.ociManifest, ...manifest})),
    MediaType.ociManifest,
  )
}

/** Signature, attestation and SBOM of `subject` (an image already in `repository`); `created` goes into their annotations. */
export async function pushReferrers(
  client: RegistryClient,
  repository: Repository,
  subject: {digest: Digest; size: number; mediaType: string},
  created: string,
): Promise<PushedReferrer[]> {
  const base = referrersTag(subject.digest)
  const reference = `${client.endpoint.host}/${repository.repository}@${subject.digest}`
  const payload = Buffer.from(
    JSON.stringify({
      critical: {
        identity: {'docker-reference': reference},
        image: {'docker-manifest-digest': subject.digest},
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  )
  const sigConfig: Part = {
    mediaType: MediaType.ociConfig,
    bytes: Buffer.from(JSON.stringify({architecture: '', os: '', config: {}, rootfs: {type: 'layers', diff_ids: [digestOf(payload)]}})),
  }
  const sigLayer: Part = {
    mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
    bytes: payload,
    annotations: {'dev.cosignproject.cosign/signature': Buffer.from(`signature of ${subject.digest}`).toString('base64')},
  }
  const signature = await pushArtifact(
    client,
    repository,
    `${base}.sig`,
    {config: descriptor(sigConfig), layers: [descriptor(sigLayer)], annotations: {'org.opencontainers.image.created': created}},
    [sigConfig, sigLayer],
  )

  const statement = {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{name: reference, digest: {sha256: subject.digest.slice(7)}}],
    predicate: {},
  }
  const envelope = Buffer.from(
    JSON.stringify({
      payloadType: 'application/vnd.in-toto+json',
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      signatures: [{sig: 'c2ln'}],
    }),
  )
  const attConfig: Part = {
    mediaType: MediaType.ociConfig,
    bytes: Buffer.from(JSON.stringify({architecture: '', os: '', config: {}, rootfs: {type: 'layers', diff_ids: [digestOf(envelope)]}})),
  }
  const attLayer: Part = {
    mediaType: 'application/vnd.dsse.envelope.v1+json',
    bytes: envelope,
    annotations: {predicateType: 'https://slsa.dev/provenance/v0.2'},
  }
  const attestation = await pushArtifact(
    client,
    repository,
    `${base}.att`,
    {config: descriptor(attConfig), layers: [descriptor(attLayer)], annotations: {'org.opencontainers.image.created': created}},
    [attConfig, attLayer],
  )

  const spdx: Part = {
    mediaType: 'application/spdx+json',
    bytes: Buffer.from(
      JSON.stringify({spdxVersion: 'SPDX-2.3', name: reference, documentNamespace: `https://example.com/${subject.digest}`, packages: []}),
    ),
  }
  const empty: Part = {mediaType: MediaType.ociEmpty, bytes: Buffer.from('{}')}
  const sbomAnnotations = {'org.opencontainers.image.created': created}
  const sbomManifest = {
    artifactType: 'application/spdx+json',
    config: descriptor(empty),
    layers: [descriptor(spdx)],
    subject: {mediaType: subject.mediaType, digest: subject.digest, size: subject.size},
    annotations: sbomAnnotations,
  }
  const sbomBytes = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MediaType.ociManifest, ...sbomManifest}))
  const sbom = await pushArtifact(client, repository, digestOf(sbomBytes), sbomManifest, [empty, spdx])
  // The fallback index oras maintains for registries without the referrers API.
  const fallback = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      {
        mediaType: MediaType.ociManifest,
        digest: sbom,
        size: sbomBytes.length,
        artifactType: 'application/spdx+json',
        annotations: sbomAnnotations,
      },
    ],
  }
  await pushManifest(client, repository, base, Buffer.from(JSON.stringify(fallback)), MediaType.ociIndex)

  const sizeOf = (...parts: Part[]) => parts.reduce((sum, part) => sum + part.bytes.length, 0)
  return [
    {kind: 'signature', digest: signature, tag: `${base}.sig`, size: sizeOf(sigConfig, sigLayer)},
    {kind: 'attestation', digest: attestation, tag: `${base}.att`, size: sizeOf(attConfig, attLayer)},
    {kind: 'sbom', digest: sbom, tag: base, size: sizeOf(empty, spdx)},
  ]
}
