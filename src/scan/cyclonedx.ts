import {randomUUID} from 'node:crypto'

import * as CDX from '@cyclonedx/cyclonedx-library'

import type {ImageSbom} from './sbom.js'

// Its own module: the CycloneDX library (about half a second to load) is needed by nothing else of the scanner.

/** A CycloneDX 1.5 JSON BOM: the image as the `container` subject, the OS and each package as components with purl, layer and record path. */
export function toCycloneDx(sbom: ImageSbom, toolVersion: string): string {
  const {Enums, Models, Serialize, Spec} = CDX
  const bom = new Models.Bom()
  bom.serialNumber = `urn:uuid:${randomUUID()}`
  bom.metadata.timestamp = new Date()
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'reglens', {version: toolVersion}))
  const subject = `${sbom.registry}/${sbom.repository}@${sbom.imageDigest}`
  bom.metadata.component = new Models.Component(Enums.ComponentType.Container, `${sbom.registry}/${sbom.repository}`, {
    version: sbom.imageDigest,
    bomRef: subject,
  })
  if (sbom.distro)
    bom.components.add(
      new Models.Component(Enums.ComponentType.OperatingSystem, sbom.distro.id, {
        bomRef: `os:${sbom.distro.id}`,
        ...(sbom.distro.versionId ? {version: sbom.distro.versionId} : {}),
      }),
    )
  for (const pkg of sbom.packages) {
    const properties = [new Models.Property('reglens:layer', pkg.layer), new Models.Property('reglens:path', pkg.path)]
    if (pkg.source)
      properties.push(
        new Models.Property('reglens:source', pkg.source.version ? `${pkg.source.name} ${pkg.source.version}` : pkg.source.name),
      )
    bom.components.add(
      new Models.Component(Enums.ComponentType.Library, pkg.name, {
        version: pkg.version,
        purl: pkg.purl,
        bomRef: pkg.purl,
        properties: new Models.PropertyRepository(properties),
      }),
    )
  }
  return new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot5)).serialize(bom, {sortLists: false, space: 2})
}
