/**
 * The reglens library, usable without the CLI. Everything public is named here; modules not listed (or
 * names a listed module exports but this file does not) are internal and may change.
 */

// Errors: one class per failure family, each with a documented exit code (docs/exit-codes.md).
export {ConfigError, errorMessage, ExitCode, type ExitCodeName, RegistryError, ReglensError, UsageError} from './errors.js'
export {type Hint, HINTS, type Setting, SETTINGS} from './registry/hints.js'
export {type CleanupHint, CLEANUP_HINTS, type CleanupSetting, CLEANUP_SETTINGS} from './cleanup/hints.js'
export {type GcSetting, GC_SETTINGS} from './gc/hints.js'
export {type ScanHint, SCAN_HINTS, type ScanSetting, SCAN_SETTINGS} from './scan/hints.js'

// References, endpoints and the client.
export {
  DOCKER_HUB,
  formatReference,
  type ImageReference,
  isValidTag,
  manifestReference,
  type ParseOptions,
  parseReference,
  parseRepository,
  type Repository,
  repositoryIn,
} from './registry/reference.js'
export {type Digest, digestOf, isDigest, parseDigest} from './registry/digest.js'
export {endpointFromUrl, type RegistryEndpoint} from './registry/endpoint.js'
export {type ClientOptions, RegistryClient, type RegistryRequest} from './registry/client.js'
export {type Access, catalogRequest, repositoryRequest, type Resource} from './registry/request.js'
export {anonymous, type Authenticator, type AuthFailure, type Scope} from './registry/transport/auth.js'

// Registry operations.
export {listRepositories} from './registry/catalog.js'
export {DEFAULT_PAGE_SIZE, type ListOptions} from './registry/pagination.js'
export {listTags} from './registry/tags.js'
export {sortTags, type TagSort, tagVersion} from './registry/tag-order.js'
export {type FetchedManifest, getManifest, headManifest, type ManifestHead, resolveManifest} from './registry/manifests.js'
export {getBlob, headBlob, openBlob} from './registry/blobs.js'
export {pushBlob, pushManifest} from './registry/push.js'
export {
  type DeleteOutcome,
  deleteManifest,
  type DeleteResult,
  deleteTagReference,
  deletionEnabled,
  probeDeletion,
  type TagDeleteResult,
} from './registry/delete.js'
export {DEFAULT_PROBE_REPOSITORY, probeRegistry, type ProbeReport} from './registry/probe.js'
export {describePullQuota, type PullQuota, pullQuotaOf, quotaShortfall, readPullQuota} from './registry/rate-limit.js'

// Content types: media types, manifests, image configs (data, no I/O).
export {IMAGE_MANIFEST_MEDIA_TYPES, INDEX_MEDIA_TYPES, MANIFEST_ACCEPT, MediaType} from './registry/types/media-types.js'
export {
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type Manifest,
  parseDescriptor,
  parseManifest,
  type Platform,
  type SchemaV1Manifest,
} from './registry/types/manifest.js'
export {type HistoryEntry, type ImageConfig, parseImageConfig} from './registry/types/config.js'

// Authentication and credentials (a keychain of sources, first hit wins).
export {type AuthScheme, ChallengeAuthenticator, type ChallengeAuthenticatorOptions} from './registry/auth/authenticator.js'
export {type Challenge, parseWwwAuthenticate} from './registry/auth/www-authenticate.js'
export {type IssuedToken, TokenCache} from './registry/auth/token-cache.js'
export {type Credential, type CredentialSource, describeCredential} from './registry/credentials/types.js'
export {CredentialChain} from './registry/credentials/chain.js'
export {staticCredentials} from './registry/credentials/static.js'
export {ENV_SOURCE, envCredentials} from './registry/credentials/env.js'
export {dockerConfigCredentials, dockerConfigPath} from './registry/credentials/docker-config.js'
export {defaultKeychain, type KeychainOptions} from './registry/credentials/keychain.js'

// The config file (registries, defaults) and registry resolution.
export {type Config, defaultConfigPath, loadConfig, type RegistryEntry, validateConfig} from './config/config.js'
export {configCredentials} from './config/credentials.js'
export {defaultEndpoint, resolveReference, resolveRegistry, resolveRepository, type TargetOptions} from './config/resolve.js'
export {removeRegistry, saveRegistry} from './config/store.js'

// Images: each digest fetched once, descriptions, platforms, exact sizes.
export {ContentCache, type ContentCacheOptions, defaultTagLookup, type TagLookup} from './image/content-cache.js'
export {
  describeImage,
  type DescribeOptions,
  type ImageDescription,
  isArtifact,
  type ManifestContent,
  type PlatformImage,
  rawManifest,
} from './image/describe.js'
export {formatPlatform, isAttestation, matchesPlatform, parsePlatformFilter, type PlatformFilter, selectPlatform} from './image/platform.js'
export {SizeTally, sumSizes, uniqueSize} from './image/size.js'
export {type ImageInspection, type InspectedHistoryEntry, type InspectedPlatform, inspectImage} from './image/inspect.js'
export {describeTags, orderByCreated, summarizeTags, type TagDescription, type TagSummary} from './image/tags.js'
export {type TagOfDigest, tagsOfDigest} from './image/tags-by-digest.js'
export {type ImageSummary, type PlatformSummary, summarize} from './image/summary.js'
export {type RegistrySizes, type RepositorySize, sizeRepositories, sizeRepository} from './image/repository-size.js'

// One manifest graph (manifests as nodes; index children, blobs and subject → referrer as edges), pure.
export {
  type BlobEdge,
  type GraphNode,
  indexClosure,
  MAX_INDEX_DEPTH,
  type ManifestGraph,
  orphanReferrers,
  type Reclaimable,
  reclaimable,
  referrersBySubject,
  withReferrers,
} from './image/graph.js'

// Cleanup: rules → facts → a plan (data) → apply.
export {
  type CleanupRules,
  DELETE_EVERYTHING,
  formatDuration,
  hasDeletionRule,
  parseDuration,
  refuseZeroKeep,
  ruleName,
} from './cleanup/policy.js'
export {loadInUseLists, type PolicyRule, readPolicy, rulesFor} from './cleanup/policy-file.js'
export {parseDigestList, readDigestLists} from './cleanup/in-use.js'
export {protectedImages, rankedImages} from './cleanup/protect.js'
export {type DeleteRequest, type RuleOptions, rulesFromOptions} from './cleanup/delete-request.js'
export {planDeletion, type PlannedDeletion, type PlanningEnvironment} from './cleanup/plan-deletion.js'
export {deleteImages, type DeletionEnvironment, type DeletionOutcome} from './cleanup/delete-images.js'
export {isPlaceholder, PLACEHOLDER_ANNOTATION, PLACEHOLDER_ARTIFACT_TYPE} from './image/placeholder.js'
export {type ManifestFacts, type ManifestFactsSource, type RepositoryFacts, type TagFact} from './cleanup/facts.js'
export {
  type Plan,
  PLAN_KIND,
  PLAN_VERSION,
  type PlanAction,
  planCleanup,
  type PlanItem,
  planRepository,
  type PlanSummary,
  type RepositoryPlanInput,
  summarizePlan,
} from './cleanup/plan.js'
export {checkPlanRegistry, readPlan, savePlan} from './cleanup/plan-file.js'
export {DeletionRefused, planSelection, type Selection} from './cleanup/select.js'
export {collectCleanup, type CollectOptions, collectSelection, type SelectionResult} from './cleanup/collect.js'
export {type GatherOptions, gatherRepository, RegistryFactsSource} from './cleanup/registry-facts.js'
export {revalidate} from './cleanup/revalidate.js'
export {removeTag, type UntagMethod, type UntagResult} from './cleanup/untag.js'
export {type AppliedItem, applyPlan, type ApplyOptions, type ApplyResult, type ItemOutcome, type OutcomeStatus} from './cleanup/apply.js'

// Garbage collection: what the registry's GC would free, from its storage or over the API.
export {readStorage, type StorageLayout, type StoredManifest, type StoredRepository} from './gc/storage.js'
export {type BrokenIndex, type GcOptions, type GcResult, simulateGc} from './gc/mark-sweep.js'
export {type RegistryGraph, walkRegistry} from './gc/registry-graph.js'
export {apiHint, type ApiHint} from './gc/api-hint.js'
export {storageHint, type StorageHint} from './gc/storage-hint.js'
export type {GcWarning} from './gc/warnings.js'
export {type GcRecipe, gcRecipes} from './gc/instructions.js'

// Scanning: inventories of installed packages, OSV matching, scanner backends, reports.
export {chooseScanner, type Scanner, type ScannerChoice, scanImage, type ScanOptions} from './scan/scan.js'
export {toCycloneDx} from './scan/cyclonedx.js'
export {imageSbom, type ImageSbom, purlOf} from './scan/sbom.js'
export {isSeverity, normalizeSeverity, SEVERITIES, type Severity, severityOfScore, severityRank} from './scan/severity.js'
export {
  buildResult,
  countSeverities,
  findingsAtOrAbove,
  type LayerSummary,
  type ScanDetail,
  type ScanResult,
  type SeverityCounts,
} from './scan/report/result.js'
export {toSarif} from './scan/report/sarif.js'
export {ResultCache} from './scan/result-cache.js'
export {type Distro, type InstalledPackage, type Inventory, type PackageType} from './scan/inventory/types.js'
export {inventoryImage, type InventoryOptions} from './scan/inventory/image.js'
export {LayerCache} from './scan/inventory/cache.js'
export {foldLayers} from './scan/inventory/fold.js'
export {type LayerChanges, readLayerChanges} from './scan/inventory/layer.js'
export {type Advisory, Database, type DatabaseMeta, DatabaseWriter, type EcosystemStatus, readMeta} from './scan/osv/store.js'
export {DEFAULT_ECOSYSTEMS, DEFAULT_OSV_SOURCE, importDirectory, updateDatabase} from './scan/osv/update.js'
export {matchAffected} from './scan/osv/ranges.js'
export {type OsvEntry, parseOsvEntry} from './scan/osv/schema.js'
export {type Finding, findingsFor} from './scan/match.js'
export {comparatorFor, compareApk, compareDpkg, comparePep440, compareSemver, type VersionComparator} from './scan/versions/index.js'
export {parseGrypeReport} from './scan/backends/grype-report.js'
export {parseTrivyReport} from './scan/backends/trivy-report.js'
export {cacheRoot, osvDirectory} from './scan/paths.js'
