// Builds the dashboard into dist/: one JavaScript bundle and one stylesheet (esbuild), and
// index.html. `npm run build`; scripts/setup runs it when the sources are newer than dist/.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, "assets"), { recursive: true });
await build({
  entryPoints: { app: join(here, "src", "main.js") },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["es2020"],
  outdir: join(dist, "assets"),
  logLevel: "warning",
});
// Last, so that its time stamp tells scripts/setup the build finished.
await copyFile(join(here, "src", "index.html"), join(dist, "index.html"));
console.log(`dashboard built in ${dist}`);
