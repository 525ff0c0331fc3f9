import {Command, Flags, type Interfaces} from '@oclif/core'

import {type Config, loadConfig} from '../config/config.js'
import type {TargetOptions} from '../config/resolve.js'
import {ExitCode, ReglensError, UsageError} from '../errors.js'
import {makeChalk} from '../output/color.js'
import {type ClientOptions, RegistryClient} from '../registry/client.js'
import type {RegistryEndpoint} from '../registry/endpoint.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Shared by every command: global flags, config loading, client construction, and the one error
 * handler that turns any failure into a single stderr line and a documented exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    registry: Flags.string({char: 'r', helpGroup: 'GLOBAL', env: 'REGLENS_REGISTRY', description: 'Registry to use: a name from the config, a host[:port], or an http(s):// URL.'}),
    json: Flags.boolean({helpGroup: 'GLOBAL', description: 'Print JSON (stable, documented in docs/json.md) instead of a table.'}),
    quiet: Flags.boolean({char: 'q', helpGroup: 'GLOBAL', description: 'No progress or notices on stderr.'}),
    verbose: Flags.boolean({char: 'v', helpGroup: 'GLOBAL', description: 'Log each HTTP request to stderr (credentials redacted).'}),
    concurrency: Flags.integer({helpGroup: 'GLOBAL', default: 8, min: 1, max: 64, description: 'Requests in flight at once per registry.'}),
    config: Flags.string({helpGroup: 'GLOBAL', env: 'REGLENS_CONFIG', description: 'Config file [default: $XDG_CONFIG_HOME/reglens/config.yaml].'}),
    insecure: Flags.boolean({helpGroup: 'GLOBAL', allowNo: false, description: 'Skip TLS certificate verification (warns on stderr).'}),
    'ca-cert': Flags.string({helpGroup: 'GLOBAL', description: 'PEM file of CA certificates to trust for the registry.'}),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  private readonly clients: RegistryClient[] = []
  private settings?: Config

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    if (this.flags.insecure && !this.flags.quiet) this.warnLine('--insecure: TLS certificates are not verified')
  }

  /** The YAML config, read once. */
  protected get userConfig(): Config {
    this.settings ??= loadConfig(this.flags.config)
    return this.settings
  }

  protected targetOptions(): TargetOptions {
    return {
      config: this.userConfig,
      ...(this.flags.registry ? {registry: this.flags.registry} : {}),
      ...(this.flags.insecure ? {insecure: true} : {}),
      ...(this.flags['ca-cert'] ? {caCert: this.flags['ca-cert']} : {}),
    }
  }

  /** A client for the endpoint, closed when the command ends. */
  protected clientFor(endpoint: RegistryEndpoint, options: ClientOptions = {}): RegistryClient {
    const client = new RegistryClient(endpoint, {
      transport: {connections: this.flags.concurrency},
      ...(this.flags.verbose ? {log: (line: string) => process.stderr.write(`* ${line}\n`)} : {}),
      ...options,
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
    process.stderr.write(`${makeChalk(process.stderr).yellow('warning:')} ${text}\n`)
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
    const stderr = makeChalk(process.stderr)
    if (error instanceof ReglensError) {
      process.stderr.write(`${stderr.red('reglens:')} ${error.message}\n`)
      process.exitCode = error.exitCode
      return
    }
    if (error.oclif?.exit !== undefined) {
      if (error.oclif.exit === 0) return
      // oclif's own errors: flag parsing, missing args. Keep them to one line.
      // oclif heads lists of flag errors with "The following error(s) occurred:"; the first real one is the line to show.
      const firstLine = (error.message ?? String(error)).split('\n').find((line) => line.trim() !== '' && !/^the following errors? occurred:?$/i.test(line.trim())) ?? 'invalid usage'
      process.stderr.write(`${stderr.red('reglens:')} ${firstLine.trim()} (see --help)\n`)
      process.exitCode = ExitCode.usage
      return
    }
    const verbose = this.flags?.verbose || process.env.DEBUG
    process.stderr.write(`${stderr.red('reglens:')} internal error: ${error.message ?? String(error)}${verbose ? '' : ' (run with --verbose for details)'}\n`)
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`)
    process.exitCode = ExitCode.internal
  }

  public override async finally(error: Error | undefined): Promise<void> {
    await Promise.allSettled(this.clients.map((client) => client.close()))
    await super.finally(error)
  }
}
