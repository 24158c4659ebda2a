package io.bslassist.edt.tests;

import static io.bslassist.edt.tests.Check.equal;
import static io.bslassist.edt.tests.Check.that;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.bslassist.edt.core.DiagnosticMarkers;
import io.bslassist.edt.core.LspClient;
import io.bslassist.edt.core.Role;
import io.bslassist.edt.core.ServerLauncher;
import io.bslassist.edt.core.Settings;
import io.bslassist.edt.core.TextPositions;
import io.bslassist.edt.core.Uris;
import io.bslassist.edt.core.WorkspaceEdits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.IDocument;
import org.eclipse.text.undo.IDocumentUndoManager;

/**
 * The plugin's own client code against the real {@code bsl-assist lsp}: a module opened in
 * a folder with a Cyrillic name, its diagnostics turned into marker attributes, and the add
 * doc comment role's edit applied to a jface document with undo, as in EDT's editor.
 */
final class EndToEndTest {
    private static final String MODULE = String.join("\n",
            "Процедура ПроверитьЧисло(Число) Экспорт",
            "\tЕсли Число > 0 Тогда",
            "\tКонецЕсли;",
            "\tСообщить(\"Готово\");",
            "КонецПроцедуры",
            "");

    private EndToEndTest() {
    }

    /** Everything the server sent that the test waits for. */
    private static final class Recorder implements LspClient.Listener {
        final BlockingQueue<JsonArray> diagnostics = new LinkedBlockingQueue<>();
        final Path file;
        final IDocument document;
        final StringBuilder log = new StringBuilder();
        volatile int applyEdits;

        Recorder(Path file, IDocument document) {
            this.file = file;
            this.document = document;
        }

        @Override
        public void diagnostics(String uri, JsonArray list) {
            if (file.equals(Uris.toPath(uri)) && list.size() > 0) {
                diagnostics.add(list);
            }
        }

        /** What EditApplier does in EDT, minus the UI thread: the editor's document by path. */
        @Override
        public JsonObject applyEdit(JsonObject edit) {
            applyEdits++;
            return WorkspaceEdits.applyAll(edit, uri -> file.equals(Uris.toPath(uri)) ? document : null);
        }

        @Override
        public synchronized void log(String line) {
            log.append(line).append('\n');
        }
    }

    static void run(Check check, Path server) throws Exception {
        Path workspace = Files.createTempDirectory("bsl-assist-edt-e2e");
        Path module = workspace.resolve("Общий модуль").resolve("Модуль.bsl");
        Files.createDirectories(module.getParent());
        Files.writeString(module, MODULE);
        String uri = Uris.fromPath(module);
        Document document = new Document(MODULE);
        IDocumentUndoManager undo = WorkspaceEditsTest.undoable(document);
        Recorder recorder = new Recorder(module, document);
        ServerLauncher.LaunchSpec spec = ServerLauncher.resolve(
                key -> key.equals(Settings.SERVER_PATH) ? server.toString() : "", Map.of(), null, workspace, false);
        JsonObject[] capabilities = new JsonObject[1];

        LspClient client = LspClient.start(spec, recorder);
        try {
            check.test("end to end: initialize the real server", () -> {
                JsonObject result = client.initialize(workspace, List.of(workspace),
                        Settings.initializationOptions(key -> "")).get(60, TimeUnit.SECONDS);
                capabilities[0] = result.getAsJsonObject("capabilities");
                that(capabilities[0] != null, "server capabilities: " + result);
                System.out.println("     server: " + result.get("serverInfo"));
            });
            check.test("end to end: a diagnostic becomes a problem marker description", () -> {
                client.didOpen(uri, "bsl", 1, document.get());
                JsonArray list = recorder.diagnostics.poll(60, TimeUnit.SECONDS);
                that(list != null, "publishDiagnostics for the module within 60 s; server log:\n" + recorder.log);
                JsonObject empty = null;
                for (JsonElement d : list) {
                    if (d.getAsJsonObject().get("message").getAsString().contains("Пустой блок")) {
                        empty = d.getAsJsonObject();
                    }
                }
                that(empty != null, "the empty If block is reported: " + list);
                Map<String, Object> marker = DiagnosticMarkers.attributes(empty, new TextPositions(document.get()));
                System.out.println("     marker: " + marker);
                String message = (String) marker.get(DiagnosticMarkers.MESSAGE);
                that(message.startsWith("[" + empty.get("code").getAsString() + "] "), "message with the code: " + message);
                equal(2, marker.get(DiagnosticMarkers.LINE_NUMBER), "line of Если");
                equal(DiagnosticMarkers.severity(empty.get("severity")), marker.get(DiagnosticMarkers.SEVERITY), "severity");
                int start = (Integer) marker.get(DiagnosticMarkers.CHAR_START);
                that(document.get().startsWith("Если", start), "the marker starts at Если: offset " + start);
                that((Integer) marker.get(DiagnosticMarkers.CHAR_END) > start, "the marker has a length");
            });
            check.test("end to end: add doc comment edits the document, and one undo reverts it", () -> {
                JsonArray commands = capabilities[0].getAsJsonObject("executeCommandProvider").getAsJsonArray("commands");
                boolean viaCommand = commands.toString().contains(Role.ADD_DOC_COMMENT.serverCommand());
                if (viaCommand) {
                    // The server sends workspace/applyEdit before it answers the command.
                    JsonElement result = client.executeCommand(Role.ADD_DOC_COMMENT.serverCommand(),
                            Role.ADD_DOC_COMMENT.arguments(uri, "ПроверитьЧисло")).get(60, TimeUnit.SECONDS);
                    System.out.println("     " + Role.ADD_DOC_COMMENT.serverCommand() + " -> " + result);
                    equal(1, recorder.applyEdits, "workspace/applyEdit requests");
                    that(result.getAsJsonObject().get("applied").getAsBoolean(), "the server reports the edit applied");
                } else {
                    // An older server: the same edit comes as the code action's WorkspaceEdit.
                    JsonArray actions = client.codeActions(uri, 0, 12).get(60, TimeUnit.SECONDS).getAsJsonArray();
                    JsonObject edit = null;
                    for (JsonElement action : actions) {
                        JsonObject a = action.getAsJsonObject();
                        if (a.has("edit") && a.get("title").getAsString().startsWith("Добавить описание")) {
                            edit = a.getAsJsonObject("edit");
                        }
                    }
                    that(edit != null, "the doc comment code action: " + actions);
                    System.out.println("     (server without " + Role.ADD_DOC_COMMENT.serverCommand()
                            + "; applied the code action's edit)");
                    equal("{\"applied\":true}", recorder.applyEdit(edit).toString(), "applied");
                }
                String edited = document.get();
                int method = edited.indexOf("Процедура ПроверитьЧисло");
                that(method > 0, "text was inserted above the method:\n" + edited);
                String above = edited.substring(0, method);
                that(above.startsWith("// "), "a // description comment above the method:\n" + above);
                System.out.println("     comment: " + above.strip().replace("\n", "\n              "));
                equal(MODULE, edited.substring(method), "the method itself is unchanged");
                client.didChange(uri, 2, edited);
                undo.undo();
                equal(MODULE, document.get(), "one undo restores the module");
            });
            check.test("end to end: explain and generate tests through executeCommand", () -> {
                client.didChange(uri, 3, document.get());
                JsonElement explained = client.executeCommand(Role.EXPLAIN_METHOD.serverCommand(),
                        Role.EXPLAIN_METHOD.arguments(uri, "ПроверитьЧисло")).get(60, TimeUnit.SECONDS);
                Role.Shown shown = Role.EXPLAIN_METHOD.present(explained);
                that(shown.text().contains("ПроверитьЧисло"), "the explanation names the method: " + shown.text());
                JsonElement tests = client.executeCommand(Role.GENERATE_TESTS.serverCommand(),
                        Role.GENERATE_TESTS.arguments(uri, "ПроверитьЧисло")).get(60, TimeUnit.SECONDS);
                Role.Shown testModule = Role.GENERATE_TESTS.present(tests);
                that(testModule.text().contains("ПроверитьЧисло"), "the tests call the method: " + testModule.text());
                System.out.println("     tests: " + testModule.title() + ", " + testModule.text().lines().count() + " lines");
            });
            check.test("end to end: module roles the server offers (review, diagram)", () -> {
                JsonArray commands = capabilities[0].getAsJsonObject("executeCommandProvider").getAsJsonArray("commands");
                for (Role role : List.of(Role.REVIEW, Role.DIAGRAM)) {
                    if (!commands.toString().contains(role.serverCommand())) {
                        System.out.println("     (the server does not offer " + role.serverCommand() + " yet)");
                        continue;
                    }
                    JsonElement result = client.executeCommand(role.serverCommand(), role.arguments(uri, null))
                            .get(60, TimeUnit.SECONDS);
                    Role.Shown shown = role.present(result);
                    that(shown != null && !shown.text().isBlank(), role.serverCommand() + " shows something: " + result);
                    System.out.println("     " + role.serverCommand() + ": " + shown.title() + ", "
                            + shown.text().lines().count() + " lines");
                }
            });
            check.test("end to end: an unknown command reads as an old server", () -> {
                try {
                    client.executeCommand("bsl-assist.noSuchRole", new JsonArray()).get(60, TimeUnit.SECONDS);
                    throw new Check.Failure("expected an error");
                } catch (java.util.concurrent.ExecutionException e) {
                    that(Role.REVIEW.describeError(e).contains("does not offer"), Role.REVIEW.describeError(e));
                }
            });
        } finally {
            client.close();
        }
        check.test("end to end: shutdown and exit end the process", () -> {
            that(!client.isAlive(), "the server process has exited");
        });
    }
}
