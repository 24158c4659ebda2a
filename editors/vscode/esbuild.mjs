// Bundles the extension into one file, dist/extension.js (`vscode` stays external), and copies
// the Mermaid build the webviews load into media/vendor/ (bundled in the VSIX, never a CDN).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

await build({
  entryPoints: ["src/extension.ts"],
  bundle: true,
  outfile: "dist/extension.js",
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  minify: true,
  sourcemap: false,
  logLevel: "warning",
});

const mermaid = join(dirname(require.resolve("mermaid/package.json")), "dist", "mermaid.min.js");
mkdirSync("media/vendor", { recursive: true });
copyFileSync(mermaid, "media/vendor/mermaid.min.js");
copyFileSync(join(dirname(mermaid), "..", "LICENSE"), "media/vendor/mermaid.LICENSE");
