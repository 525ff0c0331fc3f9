import type {Distro} from '../inventory/types.js'

/**
 * Which OSV ecosystem holds the advisories for an RPM distribution (named from os-release `ID`), and
 * which of that ecosystem's release suffixes (the text after the first `:`) apply to the image.
 * Names and release formats are OSV's (ossf/osv-schema ecosystems):
 *
 *   AlmaLinux, Rocky Linux, Mageia   `AlmaLinux:9` — the major of `VERSION_ID` (Mageia: all of it)
 *   Photon OS                         `Photon OS:5.0` — `VERSION_ID`
 *   Azure Linux                       `Azure Linux:3` — the major of `VERSION_ID`; CBL-Mariner (`ID=mariner`)
 *                                     is the same product under its former name (`Azure Linux:2`)
 *   openEuler                         `openEuler:22.03-LTS-SP4` — from `PRETTY_NAME` ("openEuler 22.03
 *                                     (LTS-SP4)"); innovation releases have no advisories
 *   Red Hat                           `Red Hat:enterprise_linux:9::appstream` — a CPE; the
 *                                     `enterprise_linux:<major>` streams apply (not EUS/AUS streams)
 *   openSUSE                          `openSUSE:Leap 15.6` — `PRETTY_NAME` without "openSUSE "
 *                                     (and the same release's "NonFree" repository)
 *   SUSE                              `SUSE:Linux Enterprise Server 15 SP6` — `PRETTY_NAME` without
 *                                     "SUSE ", or any module of the same service pack
 *                                     (`…Module for Basesystem 15 SP6`): SUSE publishes per module
 *
 * Fedora, CentOS, Amazon Linux and Oracle Linux have no OSV ecosystem: their packages are listed but
 * cannot be checked, and the scan says so.
 */
export interface RpmEcosystem {
  base: string
  matchesRelease: (release: string) => boolean
}

const major = (distro: Distro): string | undefined => distro.versionId?.split('.')[0]

/** `15.6` → `15 SP6`, `15` → `15`: how SUSE names a service pack in its product names. */
function servicePack(versionId: string | undefined): string | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(versionId ?? '')
  if (!match) return undefined
  return match[2] && match[2] !== '0' ? `${match[1]} SP${match[2]}` : match[1]
}

const exactly = (expected: string | undefined) => (release: string) => expected !== undefined && release === expected

/** `openEuler 22.03 (LTS-SP4)` → `22.03-LTS-SP4`, `openEuler 24.03 (LTS)` → `24.03-LTS`, `openEuler 23.09` → `23.09`. */
function openEulerRelease(prettyName: string | undefined): string | undefined {
  const match = /^openEuler (\d+\.\d+)(?: \(([A-Za-z0-9-]+)\))?$/.exec(prettyName ?? '')
  return match ? (match[2] ? `${match[1]}-${match[2]}` : match[1]) : undefined
}

export function rpmEcosystemOf(distro: Distro | undefined): RpmEcosystem | undefined {
  if (!distro) return undefined
  switch (distro.id) {
    case 'almalinux':
      return {base: 'AlmaLinux', matchesRelease: exactly(major(distro))}
    case 'rocky':
      return {base: 'Rocky Linux', matchesRelease: exactly(major(distro))}
    case 'mageia':
      return {base: 'Mageia', matchesRelease: exactly(distro.versionId)}
    case 'photon':
      return {base: 'Photon OS', matchesRelease: exactly(distro.versionId)}
    case 'azurelinux':
    case 'mariner':
      return {base: 'Azure Linux', matchesRelease: exactly(major(distro))}
    case 'openEuler':
    case 'openeuler':
      return {base: 'openEuler', matchesRelease: exactly(openEulerRelease(distro.prettyName))}
    case 'rhel': {
      const stream = `enterprise_linux:${major(distro)}`
      return {
        base: 'Red Hat',
        matchesRelease: (release) => major(distro) !== undefined && (release === stream || release.startsWith(`${stream}::`)),
      }
    }
  }
  if (distro.id.startsWith('opensuse')) {
    const name = distro.prettyName?.replace(/^openSUSE /, '')
    return {base: 'openSUSE', matchesRelease: (release) => name !== undefined && (release === name || release === `${name} NonFree`)}
  }
  if (distro.id.startsWith('sle')) {
    const name = distro.prettyName?.replace(/^SUSE /, '')
    const pack = servicePack(distro.versionId)
    return {
      base: 'SUSE',
      matchesRelease: (release) =>
        release === name || (pack !== undefined && release.startsWith('Linux Enterprise ') && release.endsWith(` ${pack}`)),
    }
  }
  return undefined
}

/** Every OSV ecosystem this mapping can name: what `scan db update --ecosystems` may download for RPM images. */
export const RPM_ECOSYSTEMS = ['AlmaLinux', 'Rocky Linux', 'Red Hat', 'SUSE', 'openSUSE', 'Mageia', 'Photon OS', 'Azure Linux', 'openEuler']
