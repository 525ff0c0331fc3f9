import {join} from 'node:path'

import {PackageURL} from 'packageurl-js'

import {LayerCache} from './inventory/cache.js'
import {inventoryImage, type InventoryOptions} from './inventory/image.js'
import type {Distro, InstalledPackage, Inventory, Unchecked} from './inventory/types.js'
import {normalizePythonName} from './names.js'
import {cacheRoot} from './paths.js'
import {parseRpmEvr} from './versions/rpm.js'
import {resolveScanTarget, type ScannedImage, scannedImage} from './target.js'
import {describeUnchecked} from './unchecked.js'
import type {ContentCache} from '../image/content-cache.js'
import type {PlatformFilter} from '../image/platform.js'
import type {Repository} from '../registry/reference.js'

/** The documented `image sbom --json` document (docs/json/scan.md). */
export interface ImageSbom extends ScannedImage {
  distro: Distro | null
  packages: (InstalledPackage & {purl: string})[]
  /** What may hold packages but was not read (too large, unsupported, past a bound). */
  unchecked: Unchecked[]
  /** One line per `unchecked` item. */
  warnings: string[]
}

/** Package URL (https://github.com/package-url/purl-spec) of an installed package. */
export function purlOf(pkg: InstalledPackage, distro: Distro | undefined): string {
  const qualifiers = distro ? {distro: `${distro.id}-${distro.versionId ?? ''}`} : undefined
  switch (pkg.type) {
    case 'deb':
      return new PackageURL('deb', distro?.id ?? 'debian', pkg.name, pkg.version, qualifiers, undefined).toString()
    case 'apk':
      return new PackageURL('apk', distro?.id ?? 'alpine', pkg.name, pkg.version, qualifiers, undefined).toString()
    case 'npm': {
      const [scope, name] = pkg.name.startsWith('@') ? pkg.name.split('/') : [undefined, pkg.name]
      return new PackageURL('npm', scope, name, pkg.version, undefined, undefined).toString()
    }
    case 'python':
      return new PackageURL('pypi', undefined, normalizePythonName(pkg.name), pkg.version, undefined, undefined).toString()
    case 'rpm': {
      // purl-spec's rpm type: version-release as the version, the epoch and arch as qualifiers.
      const evr = parseRpmEvr(pkg.version)
      const rpmQualifiers = {...(pkg.arch ? {arch: pkg.arch} : {}), ...(evr.epoch ? {epoch: evr.epoch} : {}), ...qualifiers}
      const version = evr.release === undefined ? evr.version : `${evr.version}-${evr.release}`
      return new PackageURL(
        'rpm',
        distro?.id,
        pkg.name,
        version,
        Object.keys(rpmQualifiers).length > 0 ? rpmQualifiers : undefined,
        undefined,
      ).toString()
    }
    case 'golang': {
      // The module path's last element is the name, the rest its namespace: pkg:golang/github.com/spf13/cobra@v1.8.0.
      const slash = pkg.name.lastIndexOf('/')
      return new PackageURL(
        'golang',
        slash < 0 ? undefined : pkg.name.slice(0, slash),
        pkg.name.slice(slash + 1),
        pkg.version,
        undefined,
        undefined,
      ).toString()
    }
  }
}

/** Inventories one platform image of a reference (layers from the layer cache where already read). */
export async function imageSbom(
  cache: ContentCache,
  repository: Repository,
  reference: string,
  options: {platform?: PlatformFilter; cacheDirectory?: string; onLayer?: InventoryOptions['onLayer']} = {},
): Promise<ImageSbom> {
  const target = await resolveScanTarget(cache, repository, reference, options.platform)
  const inventory: Inventory = await inventoryImage(cache.client, repository, target.image.layers, {
    layerCache: new LayerCache(join(options.cacheDirectory ?? cacheRoot(), 'layers')),
    ...(options.onLayer ? {onLayer: options.onLayer} : {}),
  })
  return {
    ...scannedImage(target, reference),
    distro: inventory.distro ?? null,
    packages: inventory.packages.map((pkg) => ({...pkg, purl: purlOf(pkg, inventory.distro)})),
    unchecked: inventory.unchecked,
    warnings: inventory.unchecked.map(describeUnchecked),
  }
}
