package io.bslassist.edt.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The LSP conversation with one {@code bsl-assist lsp} process: the messages the plugin
 * sends, built as JSON, and the few the server sends back that it cares about. Knows nothing
 * of Eclipse, so the end-to-end test drives the real server through this very class.
 */
public final class LspClient implements AutoCloseable {
    /** What the plugin does with the server's messages. */
    public interface Listener {
        /** {@code textDocument/publishDiagnostics}; an empty array clears the file's problems. */
        void diagnostics(String uri, JsonArray diagnostics);

        /** {@code workspace/applyEdit}; returns the {@code ApplyWorkspaceEditResult}. */
        JsonObject applyEdit(JsonObject edit);

        /** Server log lines and messages; {@code window/showMessage} goes here too. */
        void log(String line);
    }

    private final Process process;
    private final JsonRpcConnection connection;
    private final Listener listener;

    private LspClient(Process process, Listener listener) {
        this.process = process;
        this.listener = listener;
        this.connection = new JsonRpcConnection(process.getInputStream(), process.getOutputStream(),
                new Handler(), listener::log);
    }

    /** Starts the server process and its reader; send {@link #initialize} next. */
    public static LspClient start(ServerLauncher.LaunchSpec spec, Listener listener) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(spec.command());
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        builder.environment().putAll(spec.environment());
        Process process = builder.start();
        LspClient client = new LspClient(process, listener);
        Thread stderr = new Thread(() -> drain(process, listener), "bsl-assist stderr");
        stderr.setDaemon(true);
        stderr.start();
        client.connection.start();
        return client;
    }

    /** The server's stderr is its log; it must be read or the server blocks on a full pipe. */
    private static void drain(Process process, Listener listener) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                listener.log(line);
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    public boolean isAlive() {
        return process.isAlive() && !connection.terminated().isDone();
    }

    public CompletableFuture<Void> terminated() {
        return connection.terminated();
    }

    /** The capabilities this client announces: edits applied on request, diagnostics pushed. */
    public static JsonObject clientCapabilities() {
        JsonObject workspace = new JsonObject();
        workspace.addProperty("applyEdit", true);
        JsonObject workspaceEdit = new JsonObject();
        workspaceEdit.addProperty("documentChanges", true);
        workspace.add("workspaceEdit", workspaceEdit);
        workspace.addProperty("workspaceFolders", true);
        JsonObject publish = new JsonObject();
        publish.addProperty("relatedInformation", false);
        JsonObject synchronization = new JsonObject();
        synchronization.addProperty("didSave", true);
        JsonObject textDocument = new JsonObject();
        textDocument.add("publishDiagnostics", publish);
        textDocument.add("synchronization", synchronization);
        JsonObject general = new JsonObject();
        JsonArray encodings = new JsonArray();
        encodings.add("utf-16");
        general.add("positionEncodings", encodings);
        JsonObject capabilities = new JsonObject();
        capabilities.add("workspace", workspace);
        capabilities.add("textDocument", textDocument);
        capabilities.add("general", general);
        return capabilities;
    }

    /** {@code initialize} then {@code initialized}; the future holds the server's result. */
    public CompletableFuture<JsonObject> initialize(Path root, List<Path> folders, JsonObject options) {
        JsonObject params = new JsonObject();
        params.addProperty("processId", ProcessHandle.current().pid());
        JsonObject clientInfo = new JsonObject();
        clientInfo.addProperty("name", "bsl-assist for 1C:EDT");
        params.add("clientInfo", clientInfo);
        params.addProperty("rootUri", root == null ? null : Uris.fromPath(root));
        JsonArray workspaceFolders = new JsonArray();
        for (Path folder : folders) {
            JsonObject entry = new JsonObject();
            entry.addProperty("uri", Uris.fromPath(folder));
            entry.addProperty("name", folder.getFileName() == null ? folder.toString() : folder.getFileName().toString());
            workspaceFolders.add(entry);
        }
        params.add("workspaceFolders", workspaceFolders);
        params.add("capabilities", clientCapabilities());
        if (options != null) {
            params.add("initializationOptions", options);
        }
        return connection.request("initialize", params).thenApply(result -> {
            connection.notify("initialized", new JsonObject());
            return result.isJsonObject() ? result.getAsJsonObject() : new JsonObject();
        });
    }

    public void didOpen(String uri, String languageId, int version, String text) {
        JsonObject document = new JsonObject();
        document.addProperty("uri", uri);
        document.addProperty("languageId", languageId);
        document.addProperty("version", version);
        document.addProperty("text", text);
        JsonObject params = new JsonObject();
        params.add("textDocument", document);
        connection.notify("textDocument/didOpen", params);
    }

    /** Full-text synchronisation: one change without a range replaces the document. */
    public void didChange(String uri, int version, String text) {
        JsonObject document = new JsonObject();
        document.addProperty("uri", uri);
        document.addProperty("version", version);
        JsonObject change = new JsonObject();
        change.addProperty("text", text);
        JsonArray changes = new JsonArray();
        changes.add(change);
        JsonObject params = new JsonObject();
        params.add("textDocument", document);
        params.add("contentChanges", changes);
        connection.notify("textDocument/didChange", params);
    }

    public void didSave(String uri) {
        connection.notify("textDocument/didSave", documentParams(uri));
    }

    public void didClose(String uri) {
        connection.notify("textDocument/didClose", documentParams(uri));
    }

    public void didChangeConfiguration(JsonObject settings) {
        JsonObject params = new JsonObject();
        params.add("settings", settings);
        connection.notify("workspace/didChangeConfiguration", params);
    }

    public CompletableFuture<JsonElement> executeCommand(String command, JsonArray arguments) {
        JsonObject params = new JsonObject();
        params.addProperty("command", command);
        params.add("arguments", arguments);
        return connection.request("workspace/executeCommand", params);
    }

    /** Code actions at a position (no diagnostics in the context). */
    public CompletableFuture<JsonElement> codeActions(String uri, int line, int character) {
        JsonObject position = new JsonObject();
        position.addProperty("line", line);
        position.addProperty("character", character);
        JsonObject range = new JsonObject();
        range.add("start", position);
        range.add("end", position);
        JsonObject context = new JsonObject();
        context.add("diagnostics", new JsonArray());
        JsonObject params = documentParams(uri);
        params.add("range", range);
        params.add("context", context);
        return connection.request("textDocument/codeAction", params);
    }

    /** {@code shutdown}, {@code exit}, then waits briefly for the process and kills it if needed. */
    @Override
    public void close() {
        try {
            if (isAlive()) {
                connection.request("shutdown", null).get(3, TimeUnit.SECONDS);
                connection.notify("exit", null);
            }
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (Exception e) {
            process.destroy();
        } finally {
            connection.close();
        }
    }

    private static JsonObject documentParams(String uri) {
        JsonObject document = new JsonObject();
        document.addProperty("uri", uri);
        JsonObject params = new JsonObject();
        params.add("textDocument", document);
        return params;
    }

    private final class Handler implements JsonRpcConnection.Handler {
        @Override
        public void notification(String method, JsonElement params) {
            switch (method) {
                case "textDocument/publishDiagnostics" -> {
                    JsonObject p = params.getAsJsonObject();
                    JsonElement list = p.get("diagnostics");
                    listener.diagnostics(p.get("uri").getAsString(),
                            list != null && list.isJsonArray() ? list.getAsJsonArray() : new JsonArray());
                }
                case "window/logMessage", "window/showMessage" -> {
                    JsonElement message = params.isJsonObject() ? params.getAsJsonObject().get("message") : null;
                    if (message != null) {
                        listener.log(message.getAsString());
                    }
                }
                default -> {
                    // $/progress and the like: nothing to show in EDT yet.
                }
            }
        }

        @Override
        public JsonElement request(String method, JsonElement params) throws JsonRpcConnection.ResponseError {
            return switch (method) {
                case "workspace/applyEdit" -> {
                    JsonElement edit = params.getAsJsonObject().get("edit");
                    yield listener.applyEdit(edit != null && edit.isJsonObject() ? edit.getAsJsonObject() : new JsonObject());
                }
                // Progress tokens, dynamic registrations and message buttons need no answer but null.
                case "window/workDoneProgress/create", "client/registerCapability", "client/unregisterCapability",
                        "window/showMessageRequest", "workspace/codeLens/refresh", "workspace/semanticTokens/refresh",
                        "workspace/inlayHint/refresh", "workspace/diagnostic/refresh" -> JsonNull.INSTANCE;
                case "workspace/configuration" -> {
                    JsonArray items = new JsonArray();
                    JsonElement requested = params.getAsJsonObject().get("items");
                    int count = requested != null && requested.isJsonArray() ? requested.getAsJsonArray().size() : 0;
                    for (int i = 0; i < count; i++) {
                        items.add(JsonNull.INSTANCE);
                    }
                    yield items;
                }
                default -> throw new JsonRpcConnection.ResponseError(JsonRpcConnection.METHOD_NOT_FOUND,
                        "bsl-assist for EDT does not handle " + method);
            };
        }
    }
}
