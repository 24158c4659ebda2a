package io.bslassist.edt.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds the server binary and builds its command line: the path from the preferences, else
 * the environment variable {@value #ENV_VARIABLE}, else the copy bundled in the plugin's
 * {@code server/} folder. The server runs in the workspace root. The LLM preferences also
 * reach it as the {@code BSL_ASSIST_LLM_*} variables its command line reads, besides the
 * {@code initializationOptions}.
 */
public final class ServerLauncher {
    public static final String ENV_VARIABLE = "BSL_ASSIST_SERVER";

    /** Where the binary came from, for the log and error messages. */
    public enum Source {
        PREFERENCE, ENVIRONMENT, BUNDLED
    }

    /** A command line ready for {@link ProcessBuilder}. */
    public record LaunchSpec(List<String> command, Path workingDirectory, Map<String, String> environment,
            Source source) {
        public Path binary() {
            return Path.of(command.get(0));
        }
    }

    private ServerLauncher() {
    }

    /** The name of the bundled binary on this operating system. */
    public static String bundledName(boolean windows) {
        return windows ? "bsl-assist.exe" : "bsl-assist";
    }

    /**
     * Builds the command line.
     *
     * @param preferences the plugin's preference values by {@link Settings} key
     * @param environment the process environment (only {@value #ENV_VARIABLE} is read)
     * @param bundleRoot the plugin's unpacked folder, or null when it is not on disk
     * @param workspaceRoot the workspace folder, the server's working directory
     * @param windows whether the bundled binary carries the {@code .exe} suffix
     * @throws IllegalStateException when no binary is configured and none is bundled
     */
    public static LaunchSpec resolve(Function<String, String> preferences, Map<String, String> environment,
            Path bundleRoot, Path workspaceRoot, boolean windows) {
        String preferencePath = preferences.apply(Settings.SERVER_PATH);
        String binary;
        Source source;
        String fromEnvironment = environment.get(ENV_VARIABLE);
        if (preferencePath != null && !preferencePath.isBlank()) {
            binary = preferencePath.strip();
            source = Source.PREFERENCE;
        } else if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            binary = fromEnvironment.strip();
            source = Source.ENVIRONMENT;
        } else {
            Path bundled = bundleRoot == null ? null : bundleRoot.resolve("server").resolve(bundledName(windows));
            if (bundled == null || !Files.isRegularFile(bundled)) {
                throw new IllegalStateException("bsl-assist: no server binary. Set its path in Preferences > bsl-assist, "
                        + "or the environment variable " + ENV_VARIABLE + "; the plugin has no bundled copy"
                        + (bundled == null ? "" : " at " + bundled) + ".");
            }
            binary = bundled.toString();
            source = Source.BUNDLED;
        }
        return new LaunchSpec(List.of(binary, "lsp"), workspaceRoot, llmEnvironment(preferences), source);
    }

    /**
     * The LLM preferences that are set, as the server's environment variables; none while
     * the LLM is off, so nothing can reach a model the user did not enable.
     */
    public static Map<String, String> llmEnvironment(Function<String, String> preferences) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (!Boolean.parseBoolean(preferences.apply(Settings.LLM_ENABLED))) {
            return variables;
        }
        putIfSet(variables, "BSL_ASSIST_LLM_BASE_URL", preferences.apply(Settings.LLM_BASE_URL));
        putIfSet(variables, "BSL_ASSIST_LLM_MODEL", preferences.apply(Settings.LLM_MODEL));
        putIfSet(variables, "BSL_ASSIST_LLM_API_KEY_ENV", preferences.apply(Settings.LLM_API_KEY_ENV));
        if (Boolean.parseBoolean(preferences.apply(Settings.LLM_LOCAL_ONLY))) {
            variables.put("BSL_ASSIST_LLM_LOCAL_ONLY", "1");
        }
        return variables;
    }

    private static void putIfSet(Map<String, String> variables, String name, String value) {
        if (value != null && !value.isBlank()) {
            variables.put(name, value.strip());
        }
    }
}
