package io.bslassist.edt.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs every test of the EDT plugin without an OSGi runtime. System properties:
 * {@code edt.home} (editors/edt), {@code edt.jar} (the built plugin jar),
 * {@code edt.classpath} (the Eclipse jars it was compiled against), and the environment's
 * {@code BSL_ASSIST_BIN} (the server, for the end-to-end test).
 */
public final class AllTests {
    private AllTests() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("edt.home"));
        Path jar = Path.of(System.getProperty("edt.jar"));
        String classpath = System.getProperty("edt.classpath");
        String server = System.getenv("BSL_ASSIST_BIN");
        if (server == null || server.isBlank()) {
            Path cached = Path.of(System.getProperty("user.home"), ".cache/bsl-assist/target/debug/bsl-assist");
            server = Files.isExecutable(cached) ? cached.toString() : null;
        }
        Check check = new Check();
        new PluginDescriptorTest(home, jar, classpath, System.getenv("BSL_ASSIST_BIN")).run(check);
        LauncherTest.run(check);
        MarkerMappingTest.run(check);
        MethodLocatorTest.run(check);
        WorkspaceEditsTest.run(check);
        RoleTest.run(check);
        JsonRpcTest.run(check);
        if (server == null) {
            check.test("end to end with the real server", () -> {
                throw new Check.Failure("no server: set BSL_ASSIST_BIN to the built bsl-assist binary");
            });
        } else {
            EndToEndTest.run(check, Path.of(server));
        }
        System.exit(check.summary() ? 0 : 1);
    }
}
