// Preloaded with `node --import`: reports every module of reglens's dist/bundle/commands/ that the process loads.
import {register} from 'node:module'

register('./import-trace-hooks.js', import.meta.url)
