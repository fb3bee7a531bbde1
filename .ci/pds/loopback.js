// The PDS and the PLC server call listen(port) without a host, which binds every interface. Give such
// calls a host (BIND_HOST, default 127.0.0.1) so that nothing of a test server is reachable from outside.
'use strict'

const net = require('net')

const host = process.env.BIND_HOST || '127.0.0.1'
const listen = net.Server.prototype.listen

net.Server.prototype.listen = function (...args) {
  const onlyPort = typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))
  if (onlyPort && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, host)
  }
  return listen.apply(this, args)
}
