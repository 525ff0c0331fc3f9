import {randomUUID} from 'node:crypto'
import {join} from 'node:path'

import {LayerCache} from './inventory/cache.js'
import {inventoryImage, type InventoryOptions} from './inventory/image.js'
import type {Distro, InstalledPackage, Inventory} from './inventory/types.js'
import {normalizePythonName} from './names.js'
import {cacheRoot} from './paths.js'
import {resolveScanTarget} from './target.js'
import type {ContentCache} from '../image/content-cache.js'
import {formatPlatform, type PlatformFilter} from '../image/platform.js'
import type {Repository} from '../registry/reference.js'

/** The documented `image sbom --json` document (docs/json/scan.md). */
export interface ImageSbom {
  registry: string
  repository: string
  reference: string
  digest: string
  imageDigest: string
  platform: string
  distro: Distro | null
  packages: (InstalledPackage & {purl: string})[]
}

/** Package URL (https://github.com/package-url/purl-spec) of an installed package. */
export function purlOf(pkg: InstalledPackage, distro: Distro | undefined): string {
  const version = encodeURIComponent(pkg.version)
  const qualifier = distro ? `?distro=${encodeURIComponent(`${distro.id}-${distro.versionId ?? ''}`)}` : ''
  switch (pkg.type) {
    case 'deb':
      return `pkg:deb/${encodeURIComponent(distro?.id ?? 'debian')}/${encodeURIComponent(pkg.name)}@${version}${qualifier}`
    case 'apk':
      return `pkg:apk/${encodeURIComponent(distro?.id ?? 'alpine')}/${encodeURIComponent(pkg.name)}@${version}${qualifier}`
    case 'npm': {
      const [scope, name] = pkg.name.startsWith('@') ? pkg.name.split('/') : [undefined, pkg.name]
      return `pkg:npm/${scope ? `${encodeURIComponent(scope)}/` : ''}${encodeURIComponent(name)}@${version}`
    }
    case 'python':
      return `pkg:pypi/${encodeURIComponent(normalizePythonName(pkg.name))}@${version}`
  }
}

/** Inventories one platform image of a reference (layers from the layer cache where already read). */
export async function imageSbom(cache: ContentCache, repository: Repository, reference: string, options: {platform?: PlatformFilter; cacheDirectory?: string; onLayer?: InventoryOptions['onLayer']} = {}): Promise<ImageSbom> {
  const target = await resolveScanTarget(cache, repository, reference, options.platform)
  const inventory: Inventory = await inventoryImage(cache.client, repository, target.image.layers, {
    layerCache: new LayerCache(join(options.cacheDirectory ?? cacheRoot(), 'layers')),
    ...(options.onLayer ? {onLayer: options.onLayer} : {}),
  })
  return {
    registry: target.registry,
    repository: target.repository,
    reference,
    digest: target.digest,
    imageDigest: target.image.digest,
    platform: formatPlatform(target.image.platform),
    distro: inventory.distro ?? null,
    packages: inventory.packages.map((pkg) => ({...pkg, purl: purlOf(pkg, inventory.distro)})),
  }
}

/** A minimal CycloneDX 1.5 JSON BOM: the image as the subject, each package a component with its purl and layer. */
export function toCycloneDx(sbom: ImageSbom, toolVersion: string): Record<string, unknown> {
  const subject = `${sbom.registry}/${sbom.repository}@${sbom.imageDigest}`
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: new Date().toISOString(),
      tools: {components: [{type: 'application', name: 'reglens', version: toolVersion}]},
      component: {type: 'container', 'bom-ref': subject, name: `${sbom.registry}/${sbom.repository}`, version: sbom.imageDigest},
    },
    components: [
      ...(sbom.distro ? [{type: 'operating-system', 'bom-ref': `os:${sbom.distro.id}`, name: sbom.distro.id, ...(sbom.distro.versionId ? {version: sbom.distro.versionId} : {})}] : []),
      ...sbom.packages.map((pkg) => ({
        type: 'library',
        'bom-ref': `${pkg.purl}#${pkg.path}`,
        name: pkg.name,
        version: pkg.version,
        purl: pkg.purl,
        properties: [
          {name: 'reglens:layer', value: pkg.layer},
          {name: 'reglens:path', value: pkg.path},
          ...(pkg.source ? [{name: 'reglens:source', value: pkg.source.version ? `${pkg.source.name} ${pkg.source.version}` : pkg.source.name}] : []),
        ],
      })),
    ],
  }
}
