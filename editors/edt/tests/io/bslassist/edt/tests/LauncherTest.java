package io.bslassist.edt.tests;

import static io.bslassist.edt.tests.Check.equal;

import io.bslassist.edt.core.ServerLauncher;
import io.bslassist.edt.core.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The server's command line: preference, then environment, then the bundled binary. */
final class LauncherTest {
    private LauncherTest() {
    }

    private static Function<String, String> prefs(Map<String, String> values) {
        return key -> values.getOrDefault(key, "");
    }

    static void run(Check check) throws Exception {
        Path bundle = Files.createTempDirectory("bsl-assist-bundle");
        Path workspace = Files.createTempDirectory("bsl-assist-workspace");
        Files.createDirectories(bundle.resolve("server"));
        Files.writeString(bundle.resolve("server/bsl-assist"), "");
        Files.writeString(bundle.resolve("server/bsl-assist.exe"), "");
        Map<String, String> env = Map.of(ServerLauncher.ENV_VARIABLE, "/opt/env/bsl-assist");

        check.test("launcher: the preference wins", () -> {
            ServerLauncher.LaunchSpec spec = ServerLauncher.resolve(
                    prefs(Map.of(Settings.SERVER_PATH, "  /opt/pref/bsl-assist ")), env, bundle, workspace, false);
            equal(List.of("/opt/pref/bsl-assist", "lsp"), spec.command(), "command");
            equal(workspace, spec.workingDirectory(), "working directory");
            equal(ServerLauncher.Source.PREFERENCE, spec.source(), "source");
        });
        check.test("launcher: then the environment variable", () -> {
            ServerLauncher.LaunchSpec spec = ServerLauncher.resolve(prefs(Map.of()), env, bundle, workspace, false);
            equal(List.of("/opt/env/bsl-assist", "lsp"), spec.command(), "command");
            equal(ServerLauncher.Source.ENVIRONMENT, spec.source(), "source");
        });
        check.test("launcher: then the bundled binary, .exe on Windows", () -> {
            ServerLauncher.LaunchSpec spec = ServerLauncher.resolve(prefs(Map.of()), Map.of(), bundle, workspace, false);
            equal(List.of(bundle.resolve("server/bsl-assist").toString(), "lsp"), spec.command(), "command");
            equal(ServerLauncher.Source.BUNDLED, spec.source(), "source");
            ServerLauncher.LaunchSpec windows = ServerLauncher.resolve(prefs(Map.of()),
                    Map.of(ServerLauncher.ENV_VARIABLE, " "), bundle, workspace, true);
            equal(bundle.resolve("server/bsl-assist.exe"), windows.binary(), "binary on Windows");
        });
        check.test("launcher: no binary anywhere is an error that says where to set one", () -> {
            Path empty = Files.createTempDirectory("bsl-assist-empty");
            Check.fails(IllegalStateException.class,
                    () -> ServerLauncher.resolve(prefs(Map.of()), Map.of(), empty, workspace, false), "no binary");
            try {
                ServerLauncher.resolve(prefs(Map.of()), Map.of(), null, workspace, false);
            } catch (IllegalStateException e) {
                Check.that(e.getMessage().contains(ServerLauncher.ENV_VARIABLE), "the message names the variable");
            }
        });
        check.test("launcher: LLM preferences become the server's environment and initializationOptions", () -> {
            Function<String, String> llm = prefs(Map.of(Settings.LLM_ENABLED, "true",
                    Settings.LLM_BASE_URL, "http://127.0.0.1:11434/v1",
                    Settings.LLM_MODEL, "qwen2.5-coder", Settings.LLM_API_KEY_ENV, "MY_KEY",
                    Settings.LLM_LOCAL_ONLY, "true"));
            ServerLauncher.LaunchSpec spec = ServerLauncher.resolve(llm, env, bundle, workspace, false);
            equal(Map.of("BSL_ASSIST_LLM_BASE_URL", "http://127.0.0.1:11434/v1", "BSL_ASSIST_LLM_MODEL", "qwen2.5-coder",
                    "BSL_ASSIST_LLM_API_KEY_ENV", "MY_KEY", "BSL_ASSIST_LLM_LOCAL_ONLY", "1"), spec.environment(),
                    "environment");
            equal("{\"bsl-assist\":{\"llm\":{\"enabled\":true,\"baseUrl\":\"http://127.0.0.1:11434/v1\",\"model\":\"qwen2.5-coder\","
                    + "\"apiKeyEnv\":\"MY_KEY\",\"localOnly\":true}}}",
                    Settings.initializationOptions(llm).toString(), "initializationOptions");
            equal("{\"bsl-assist\":{\"llm\":{\"enabled\":false,\"localOnly\":false}}}",
                    Settings.initializationOptions(prefs(Map.of())).toString(), "unset values are left out");
            equal(Map.of(), ServerLauncher.llmEnvironment(prefs(Map.of())), "no LLM variables by default");
            equal(Map.of(), ServerLauncher.llmEnvironment(prefs(Map.of(Settings.LLM_MODEL, "m"))),
                    "none while the LLM is off");
        });
    }
}
