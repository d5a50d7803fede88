// node's https client with `ca` (what node services and tools do with a private CA).
// Usage: node probe.js CAFILE HOST PORT. Exit 0 when the request verifies.
const fs = require("fs");
const https = require("https");
const [cafile, host, port] = process.argv.slice(2);
let ca;
try {
  ca = fs.readFileSync(cafile);
} catch (e) {
  console.log(String(e));
  process.exit(1);
}
const isIp = /^[0-9.]+$|:/.test(host);
const req = https.get(
  { host: "127.0.0.1", port: Number(port), servername: isIp ? undefined : host, ca, timeout: 10000,
    checkServerIdentity: (_, cert) => require("tls").checkServerIdentity(host, cert) },
  (res) => { res.resume(); res.on("end", () => process.exit(0)); process.exit(0); },
);
req.on("error", (e) => { console.log(e.code || "", e.message); process.exit(1); });
req.on("timeout", () => { console.log("timeout"); process.exit(1); });
