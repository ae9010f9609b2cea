// Entry of the one-file bundle (dist/ixpress-mock.cjs) and of the single executable built from it.
//
// The bundled modules find their data files (the description, the operations converted at build
// time) next to `import.meta.url`, as they do in the package. The bundle carries those files
// (gzipped, with their SHA-256) and writes them once per version into a private cache directory;
// the bundler replaces `import.meta.url` with `globalThis.__ixpressMockUrl`, which points into it.
// The command itself is dist/cli.js, loaded once the directory is ready.
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const zlib = require("node:zlib");
const assets = require("ixpress-mock:assets");

const sha256 = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");
const uid = typeof process.getuid === "function" ? process.getuid() : undefined;

/** Whether `dir` is ours (a real directory, private to this user) and holds every file intact. */
function intact(dir) {
  try {
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory()) return false;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return false;
    return assets.files.every((file) => {
      const target = path.join(dir, file.name);
      return !fs.lstatSync(target).isSymbolicLink() && sha256(fs.readFileSync(target)) === file.sha256;
    });
  } catch {
    return false;
  }
}

function write(dir) {
  for (const file of assets.files) {
    const target = path.join(dir, file.name);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temp, zlib.gunzipSync(Buffer.from(file.gzip, "base64")), { mode: 0o600 });
    fs.renameSync(temp, target);
  }
}

function assetDir() {
  const shared = path.join(os.tmpdir(), `ixpress-mock-${assets.id}${uid !== undefined ? `-${uid}` : ""}`);
  if (intact(shared)) return shared;
  try {
    fs.mkdirSync(shared, { mode: 0o700 });
    write(shared);
    if (intact(shared)) return shared;
  } catch {
    // taken by another user, or being written by another start right now: use a private one
  }
  const own = fs.mkdtempSync(path.join(os.tmpdir(), "ixpress-mock-"));
  write(own);
  process.on("exit", () => fs.rmSync(own, { recursive: true, force: true }));
  return own;
}

globalThis.__ixpressMockUrl = pathToFileURL(path.join(assetDir(), "dist", "ixpress-mock.cjs")).href;
require("../dist/cli.js");
