'use strict'
// What the CLI bundle uses of undici, required from its own files: undici's entry point also loads
// fetch, WebSocket, EventSource, caches and mocks, which cost ~70 ms of start-up and are never used.
// The bundler maps `undici` to this file for the CLI only; the library keeps the full package.
// undici has no `exports` map, so these paths are reachable; test/unit/undici-subset.test.ts fails
// when an upgrade moves them or makes them differ from the package's own exports.

const Agent = require('undici/lib/dispatcher/agent')
const apiRequest = require('undici/lib/api/api-request')

module.exports.Agent = Agent
module.exports.interceptors = {
  redirect: require('undici/lib/interceptor/redirect'),
  retry: require('undici/lib/interceptor/retry'),
}

/** undici's `request(url, {dispatcher, ...})`, for the absolute URLs reglens always passes. */
module.exports.request = function request(url, options) {
  if (!options?.dispatcher) throw new TypeError('reglens passes its own dispatcher to every request')
  const parsed = new URL(url)
  return apiRequest.call(options.dispatcher, {
    ...options,
    origin: parsed.origin,
    path: `${parsed.pathname}${parsed.search}`,
    method: options.method || (options.body ? 'PUT' : 'GET'),
  })
}
