// A PLC directory (did:plc registry) on loopback with an in-memory database, for the local PDS.
// Usage: PLC_PORT=2582 node plc.js   (or: node plc.js 2582). Prints "plc ready on http://127.0.0.1:<port>".
'use strict'

require('./loopback')

const { Database, PlcServer } = require('@did-plc/server')

const main = async () => {
  const port = Number(process.argv[2] || process.env.PLC_PORT || 2582)
  const db = Database.mock()
  const server = PlcServer.create({ db, port })
  await server.start()
  console.log(`plc ready on http://127.0.0.1:${port}`)
  const stop = async () => {
    try {
      await server.destroy()
    } finally {
      process.exit(0)
    }
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((err) => {
  console.error('plc failed to start:', err)
  process.exit(1)
})
