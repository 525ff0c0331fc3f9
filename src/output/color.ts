import {Chalk, type ChalkInstance} from 'chalk'

/** Colours only on a TTY and never with NO_COLOR set (https://no-color.org). */
export function colorsEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return Boolean(stream.isTTY)
}

export function makeChalk(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  return new Chalk({level: colorsEnabled(stream, env) ? 1 : 0})
}
