// Where the language server binary is: the `bsl-assist.server.path` setting, then the
// BSL_ASSIST_SERVER environment variable, then the copy bundled in the VSIX. No VS Code API
// here, so the order is unit-tested with a plain Node test runner.

import * as path from "path";

export type ServerSource = "setting" | "environment" | "bundled";

export interface ServerLookup {
  /** The `bsl-assist.server.path` setting, if set (may start with `~` or hold `${workspaceFolder}`). */
  setting?: string | null;
  /** The process environment (only BSL_ASSIST_SERVER and HOME/USERPROFILE are read). */
  env: Record<string, string | undefined>;
  /** The extension's installation folder. */
  extensionPath: string;
  /** The first workspace folder, for relative settings and `${workspaceFolder}`. */
  workspaceFolder?: string;
  /** `process.platform`: the bundled binary has an `.exe` suffix on Windows. */
  platform: string;
  /** Whether a file exists (injected so tests need no real files). */
  exists: (file: string) => boolean;
}

export type ServerFound =
  | { ok: true; path: string; source: ServerSource }
  | { ok: false; message: string };

/** The bundled binary's path inside the extension folder. */
export function bundledServerPath(extensionPath: string, platform: string): string {
  const name = platform === "win32" ? "bsl-assist.exe" : "bsl-assist";
  return path.join(extensionPath, "server", name);
}

/** Expands `~` and `${workspaceFolder}`, and resolves a relative path against the workspace. */
export function expandPath(value: string, env: Record<string, string | undefined>, workspaceFolder?: string): string {
  let out = value.trim();
  if (workspaceFolder !== undefined) {
    out = out.split("${workspaceFolder}").join(workspaceFolder);
  }
  const home = env.HOME ?? env.USERPROFILE;
  if (home !== undefined && (out === "~" || out.startsWith("~/") || out.startsWith("~\\"))) {
    out = path.join(home, out.slice(1));
  }
  if (!path.isAbsolute(out) && workspaceFolder !== undefined && (out.includes("/") || out.includes("\\"))) {
    out = path.join(workspaceFolder, out);
  }
  return out;
}

/**
 * Finds the server. An explicit choice that points nowhere is an error rather than a silent
 * fall-through, so a typo in the setting does not run some other binary. A bare command name
 * (no slash) in the setting or the variable is taken as is and left to the PATH search.
 */
export function findServer(lookup: ServerLookup): ServerFound {
  const explicit: Array<[ServerSource, string | null | undefined, string]> = [
    ["setting", lookup.setting, "the setting `bsl-assist.server.path`"],
    ["environment", lookup.env.BSL_ASSIST_SERVER, "the environment variable BSL_ASSIST_SERVER"],
  ];
  for (const [source, value, origin] of explicit) {
    if (value === undefined || value === null || value.trim() === "") {
      continue;
    }
    const file = expandPath(value, lookup.env, lookup.workspaceFolder);
    const bareCommand = !file.includes("/") && !file.includes("\\");
    if (bareCommand || lookup.exists(file)) {
      return { ok: true, path: file, source };
    }
    return { ok: false, message: `bsl-assist: ${origin} names ${file}, which does not exist.` };
  }
  const bundled = bundledServerPath(lookup.extensionPath, lookup.platform);
  if (lookup.exists(bundled)) {
    return { ok: true, path: bundled, source: "bundled" };
  }
  return {
    ok: false,
    message:
      `bsl-assist: no language server found. Set \`bsl-assist.server.path\` or BSL_ASSIST_SERVER ` +
      `to the bsl-assist binary (the VSIX for this platform bundles it at ${bundled}).`,
  };
}
