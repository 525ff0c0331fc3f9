import {type CleanupHint, CLEANUP_HINTS, type CleanupSetting, CLEANUP_SETTINGS} from '../cleanup/hints.js'
import {type GcSetting, GC_SETTINGS} from '../gc/hints.js'
import {type ScanHint, SCAN_HINTS, type ScanSetting, SCAN_SETTINGS} from '../scan/hints.js'
import {type Hint, HINTS, type Setting, SETTINGS} from '../registry/hints.js'

/** On the command line, each library hint names the flags and commands that do it. */
const CLI_HINTS: Record<Hint, string> = {
  untrustedCertificate: 'pass --ca-cert FILE or, at your own risk, --insecure',
  noCredentials: 'log in (docker login), set REGLENS_USERNAME/REGLENS_PASSWORD, or run `reglens registry add`',
  noCatalog: 'name repositories directly (e.g. `reglens tags list HOST/REPO`)',
  plainHttpRealm: 'pass --insecure to allow it',
}

/** …and each setting the library names is the flag that sets it. */
const CLI_SETTINGS: Record<Setting, string> = {
  insecure: '--insecure',
  timeout: '--timeout',
}

/** `image delete`'s words for the cleanup library's hints; `$1` is the reference that follows the phrase. */
const CLI_CLEANUP_HINTS: Record<CleanupHint, string> = {
  ignoreMissing: 'pass --ignore-missing to treat it as already deleted',
  forceOrNarrow: 'select those tags as well, delete only the tag (without --whole-image), or pass --force',
  plansRegistry: "drop --registry and REGLENS_REGISTRY to use the plan's",
  repositoriesOrCatalog: 'give repositories or --all-repos, not both',
  nameRepository: 'name a repository to clean up, or pass --all-repos',
  stdinTwice: 'stdin cannot carry both the password (--password-stdin) and a digest list (-)',
  usage: 'see --help',
  deletePlaceholder: 'delete it with: reglens image delete $1 --yes',
}

const CLI_CLEANUP_SETTINGS: Record<CleanupSetting, string> = {
  plan: '--plan',
  savePlan: '--save-plan',
  policy: '--policy FILE',
  repos: '--repos',
  force: '--force',
}

const CLI_GC_SETTINGS: Record<GcSetting, string> = {
  storage: '--storage',
}

const CLI_SCAN_HINTS: Record<ScanHint, string> = {
  noDatabase: 'run `reglens scan db update` (or `scan db update --dir PATH` offline)',
  externalScanner: 'use --scanner trivy or grype',
  builtinScanner: 'or use --scanner builtin',
  fetchEcosystem: 'run `reglens scan db update --ecosystems $1`',
}

const CLI_SCAN_SETTINGS: Record<ScanSetting, string> = {
  scanner: '--scanner',
  platform: '--platform',
}

/** Library phrase → CLI wording, hints (whole phrases) before settings (names that hints may contain). */
const REPLACEMENTS: [library: Record<string, string>, cli: Record<string, string>][] = [
  [HINTS, CLI_HINTS],
  [CLEANUP_HINTS, CLI_CLEANUP_HINTS],
  [SCAN_HINTS, CLI_SCAN_HINTS],
  [SETTINGS, CLI_SETTINGS],
  [CLEANUP_SETTINGS, CLI_CLEANUP_SETTINGS],
  [GC_SETTINGS, CLI_GC_SETTINGS],
  [SCAN_SETTINGS, CLI_SCAN_SETTINGS],
]

/** The word after a phrase, for CLI wordings that place it (`$1`): a reference, or a 'quoted name'. */
const FOLLOWING = String.raw` ('[^']*'|[^\s()]+)`

const escaped = (phrase: string) => phrase.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)

/**
 * A failure line as the CLI prints it: the library's hints and settings in CLI terms. Applied to lines
 * rather than error objects because messages nest (a catalog error quotes the token error) and reach
 * stderr through per-item failure lines as well as the error handler.
 */
export function withCliHints(line: string): string {
  let result = line
  for (const [library, cli] of REPLACEMENTS) {
    for (const [name, phrase] of Object.entries(library)) {
      const wording = cli[name]
      result = wording.includes('$1')
        ? result.replaceAll(new RegExp(escaped(phrase) + FOLLOWING, 'g'), wording)
        : result.replaceAll(phrase, () => wording)
    }
  }
  return result
}
