// The reference Bluesky PDS (@atproto/pds), configured from the environment as in its own service entry:
// PDS_HOSTNAME, PDS_PORT, PDS_DATA_DIRECTORY, PDS_BLOBSTORE_DISK_LOCATION, PDS_JWT_SECRET,
// PDS_ADMIN_PASSWORD, PDS_DPOP_SECRET, PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX, PDS_DID_PLC_URL, ...
// A port given as the first argument overrides PDS_PORT. Prints "pds ready on http://127.0.0.1:<port>".
'use strict'

require('./loopback')

const { PDS, envToCfg, envToSecrets, readEnv } = require('@atproto/pds')
const pkg = require('@atproto/pds/package.json')

const main = async () => {
  if (process.argv[2]) process.env.PDS_PORT = process.argv[2]
  const env = readEnv()
  env.version = env.version || pkg.version
  const cfg = envToCfg(env)
  const secrets = envToSecrets(env)
  const pds = await PDS.create(cfg, secrets)
  await pds.start()
  console.log(`pds ready on http://127.0.0.1:${cfg.service.port} (version ${pkg.version}, did ${cfg.service.did})`)
  const stop = async () => {
    try {
      await pds.destroy()
    } finally {
      process.exit(0)
    }
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((err) => {
  console.error('pds failed to start:', err)
  process.exit(1)
})
