'use strict'
// Replaces undici's dispatcher/client-h2.js in the CLI bundle: that file loads node:http2 (~20 ms of
// start-up) at the first request, and the CLI never negotiates HTTP/2 (its Agent keeps undici's
// default allowH2: false, so ALPN never offers h2 and undici never calls this).
module.exports = function connectH2() {
  throw new Error('HTTP/2 is not enabled in the reglens CLI')
}
