import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type * as Interfaces from '@oclif/core/interfaces'

import {type Config, isTimeoutSeconds, loadConfig, MAX_TIMEOUT_S, MIN_TIMEOUT_S} from '../config/config.js'
import {configCredentials} from '../config/credentials.js'
import type {TargetOptions} from '../config/resolve.js'
import {ExitCode, ReglensError, UsageError} from '../errors.js'
import {makeChalk} from '../output/color.js'
import {flagCredentials} from './flag-credentials.js'
import {withCliHints} from './hints.js'
import {ChallengeAuthenticator} from '../registry/auth/authenticator.js'
import {TokenCache} from '../registry/auth/token-cache.js'
import {type ClientOptions, RegistryClient} from '../registry/client.js'
import {defaultKeychain} from '../registry/credentials/keychain.js'
import type {CredentialSource} from '../registry/credentials/types.js'
import type {RegistryEndpoint} from '../registry/endpoint.js'
import {describePullQuota, quotaShortfall, readPullQuota} from '../registry/rate-limit.js'
import {isDockerHub} from '../registry/docker-hub.js'
import type {Repository} from '../registry/reference.js'
import {describeRequests} from '../registry/transport/log.js'
import {settleScheme} from '../registry/scheme.js'
import {DEFAULT_TIMEOUT_S} from '../registry/transport/http.js'
import {DEFAULT_RETRY_POLICY} from '../registry/transport/retry.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Shared by every command: global flags, config loading, client construction, and the one error
 * handler that turns any failure into a single stderr line and a documented exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    registry: Flags.string({
      char: 'r',
      helpGroup: 'GLOBAL',
      env: 'REGLENS_REGISTRY',
      description: 'Registry to use: a name from the config, a host[:port], or an http(s):// URL.',
    }),
    json: Flags.boolean({helpGroup: 'GLOBAL', description: 'Print JSON (stable, documented in docs/json.md) instead of a table.'}),
    quiet: Flags.boolean({char: 'q', helpGroup: 'GLOBAL', description: 'No progress or notices on stderr.'}),
    verbose: Flags.boolean({char: 'v', helpGroup: 'GLOBAL', description: 'Log each HTTP request to stderr (credentials redacted).'}),
    concurrency: Flags.integer({helpGroup: 'GLOBAL', default: 8, min: 1, max: 64, description: 'Requests in flight at once per registry.'}),
    config: Flags.string({
      helpGroup: 'GLOBAL',
      env: 'REGLENS_CONFIG',
      description: 'Config file [default: $XDG_CONFIG_HOME/reglens/config.yaml].',
    }),
    insecure: Flags.boolean({helpGroup: 'GLOBAL', allowNo: false, description: 'Skip TLS certificate verification (warns on stderr).'}),
    'ca-cert': Flags.string({helpGroup: 'GLOBAL', description: 'PEM file of CA certificates to trust for the registry.'}),
    username: Flags.string({
      helpGroup: 'GLOBAL',
      description: 'Registry user name (with --password-stdin); overrides the environment, config and Docker credentials.',
    }),
    'password-stdin': Flags.boolean({helpGroup: 'GLOBAL', description: 'Read the password (or token) for --username from stdin.'}),
    timeout: Flags.custom<number>({
      helpGroup: 'GLOBAL',
      env: 'REGLENS_TIMEOUT',
      helpValue: 'SECONDS',
      description: `Seconds allowed per try to connect, for an answer, and between two chunks of a body (config \`timeout\`, else ${DEFAULT_TIMEOUT_S}). Timeouts, resets, 429 and 5xx are retried ${DEFAULT_RETRY_POLICY.maxRetries} times.`,
      async parse(input) {
        const seconds = Number(input)
        if (input.trim() === '' || !isTimeoutSeconds(seconds))
          throw new UsageError(`must be a number of seconds from ${MIN_TIMEOUT_S} to ${MAX_TIMEOUT_S} (got ${input})`)
        return seconds
      },
    })(),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  /** Every positional argument, including those past the declared args (commands with `strict = false`). */
  protected positionals: string[] = []
  private readonly clients: RegistryClient[] = []
  private settings?: Config
  private keychain?: CredentialSource
  /** One token cache per registry URL, so several clients for one registry share tokens. */
  private readonly tokenCaches = new Map<string, TokenCache>()

  public override async init(): Promise<void> {
    await super.init()
    const {args, argv, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.positionals = argv as string[]
    if (this.flags.insecure && !this.flags.quiet) this.warnLine('--insecure: TLS certificates are not verified')
  }

  /** The YAML config, read once. */
  protected get userConfig(): Config {
    if (!this.settings) {
      this.settings = loadConfig(this.flags.config)
      if (!this.flags.quiet) for (const warning of this.settings.warnings ?? []) this.warnLine(warning)
    }
    return this.settings
  }

  /** Credentials in the documented order: flags, REGLENS_USERNAME/PASSWORD, config, Docker's config.json. */
  protected get credentialSource(): CredentialSource {
    const username = this.flags.username
    // Checked here, not as oclif dependsOn: `registry add --username` stores a name and reads no password.
    if (Boolean(username) !== Boolean(this.flags['password-stdin']))
      throw new UsageError('--username and --password-stdin go together: echo "$PASSWORD" | reglens … --username NAME --password-stdin')
    this.keychain ??= defaultKeychain({
      configured: configCredentials(this.userConfig),
      ...(username ? {explicit: flagCredentials(username, readPasswordFromStdin)} : {}),
    })
    return this.keychain
  }

  protected targetOptions(): TargetOptions {
    return {
      config: this.userConfig,
      ...(this.flags.registry ? {registry: this.flags.registry} : {}),
      ...(this.flags.insecure ? {insecure: true} : {}),
      ...(this.flags['ca-cert'] ? {caCert: this.flags['ca-cert']} : {}),
    }
  }

  /** `--timeout` / REGLENS_TIMEOUT, else the config's `timeout`, else the default; in milliseconds. */
  private get timeoutMs(): number {
    return Math.round((this.flags.timeout ?? this.userConfig.timeout ?? DEFAULT_TIMEOUT_S) * 1000)
  }

  private get verboseLog(): ((line: string) => void) | undefined {
    return this.flags.verbose ? (line: string) => process.stderr.write(`* ${line}\n`) : undefined
  }

  /** Challenge-driven auth for the endpoint with the credential chain (clientFor uses it unless given another). */
  protected authenticatorFor(endpoint: RegistryEndpoint): ChallengeAuthenticator {
    const log = this.verboseLog
    let tokenCache = this.tokenCaches.get(endpoint.url)
    if (!tokenCache) this.tokenCaches.set(endpoint.url, (tokenCache = new TokenCache()))
    const warn = (line: string) => {
      if (!this.flags.quiet) this.warnLine(line)
    }
    return new ChallengeAuthenticator({
      endpoint,
      credentials: this.credentialSource,
      tokenCache,
      warn,
      transport: {timeoutMs: this.timeoutMs},
      ...(log ? {log} : {}),
    })
  }

  /** The endpoint with its scheme settled: a loopback host given without one gets HTTPS if it speaks TLS. */
  protected settled(endpoint: RegistryEndpoint): Promise<RegistryEndpoint> {
    return settleScheme(endpoint, this.timeoutMs)
  }

  /** A client for the endpoint (its scheme settled), closed when the command ends. */
  protected async clientFor(given: RegistryEndpoint, options: ClientOptions = {}): Promise<RegistryClient> {
    const endpoint = await this.settled(given)
    const log = this.verboseLog
    const client = new RegistryClient(endpoint, {
      transport: {connections: this.flags.concurrency, timeoutMs: this.timeoutMs},
      ...(log ? {log} : {}),
      ...options,
      authenticator: options.authenticator ?? this.authenticatorFor(endpoint),
    })
    this.clients.push(client)
    return client
  }

  protected get stdoutChalk() {
    return makeChalk(process.stdout)
  }

  /** Writes data to stdout; stdout carries data only. */
  protected out(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  /** A notice on stderr, suppressed by --quiet. */
  protected warnLine(text: string): void {
    process.stderr.write(`${makeChalk(process.stderr).yellow('warning:')} ${withCliHints(text)}\n`)
  }

  /** A failure line on stderr, as the error handler writes it: `reglens: …`. */
  protected errorLine(text: string): void {
    // Causes quoted into messages (parser errors, file excerpts) may carry newlines: scripts expect one line.
    process.stderr.write(`${makeChalk(process.stderr).red('reglens:')} ${withCliHints(text.trim().replace(/\s*\n\s*/g, ' '))}\n`)
  }

  /** Ends a bulk command whose items partly failed: one line per failed item, then `reglens: N of M …` and exit 13. */
  protected failPartially(failures: string[], total: number, what: string): void {
    if (failures.length === 0) return
    for (const line of failures) this.errorLine(line)
    throw new ReglensError(`${failures.length} of ${total} ${what}`, 'partial')
  }

  protected parseRegex(value: string | undefined, flag: string): RegExp | undefined {
    if (value === undefined) return undefined
    try {
      return new RegExp(value)
    } catch (error) {
      throw new UsageError(`--${flag}: invalid regular expression: ${(error as Error).message}`)
    }
  }

  public override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    if (error instanceof ReglensError) {
      this.errorLine(error.message)
      process.exitCode = error.exitCode
      return
    }
    if (error.oclif?.exit !== undefined) {
      if (error.oclif.exit === 0) return
      // oclif's own errors: flag parsing, missing args. Keep them to one line.
      this.errorLine(`${oneLine(error.message ?? String(error))} (see --help)`)
      process.exitCode = ExitCode.usage
      return
    }
    const verbose = this.flags?.verbose || process.env.DEBUG
    this.errorLine(`internal error: ${error.message ?? String(error)}${verbose ? '' : ' (run with --verbose for details)'}`)
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`)
    process.exitCode = ExitCode.internal
  }

  /**
   * On Docker Hub, where each manifest GET counts as a pull: reads the quota (a HEAD, which does not
   * count) before a bulk run, says it on stderr, and warns when the run may not fit in it.
   */
  protected async checkPullQuota(client: RegistryClient, repository: Repository, plannedGets: number): Promise<void> {
    if (!isDockerHub(client.endpoint.host) || plannedGets === 0) return
    const quota = await readPullQuota(client, repository).catch(() => null)
    if (!quota) return
    const shortfall = quotaShortfall(quota, plannedGets)
    if (shortfall) this.warnLine(shortfall)
    else if (!this.flags.quiet) process.stderr.write(`${client.endpoint.host} pull quota: ${describePullQuota(quota)}\n`)
  }

  public override async finally(error: Error | undefined): Promise<void> {
    // --verbose: what the run cost, per registry.
    if (this.flags?.verbose)
      for (const client of this.clients)
        if (client.requests.total > 0) process.stderr.write(`* ${client.endpoint.host}: ${describeRequests(client.requests)}\n`)
    await Promise.allSettled(this.clients.map((client) => client.close()))
    await super.finally(error)
  }
}

/** oclif's parse errors span lines ("Missing 1 required arg:\nrepo  …\nSee more help…"): fold them into one. */
function oneLine(message: string): string {
  // oclif heads lists of flag errors with "The following error(s) occurred:"; that heading says nothing.
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('See more help') && !/^the following errors? occurred:?$/i.test(line))
  return lines.join(' ').replace(/\s+/g, ' ') || 'invalid usage'
}

let stdinPassword: Promise<string> | undefined

/** Reads the whole of stdin once (`--password-stdin`), dropping the trailing newline `echo` adds. */
function readPasswordFromStdin(): Promise<string> {
  stdinPassword ??= (async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    const password = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '')
    if (password === '') throw new UsageError('--password-stdin: nothing was read from stdin')
    return password
  })()
  return stdinPassword
}
