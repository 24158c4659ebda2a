package io.bslassist.edt;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.bslassist.edt.core.LspClient;
import io.bslassist.edt.core.ServerLauncher;
import io.bslassist.edt.core.Settings;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.eclipse.core.runtime.IStatus;

/**
 * The one server process of the workbench and the pieces around it: open documents,
 * resource changes, problem markers and edits the server asks for.
 */
public final class ServerManager {
    private static final ServerManager INSTANCE = new ServerManager();
    private static final int LOG_LINES = 200;

    private final DocumentTracker documents = new DocumentTracker(this);
    private final MarkerUpdater markers = new MarkerUpdater(documents);
    private final ResourceWatcher resources = new ResourceWatcher(documents);
    private final EditorWatcher editors = new EditorWatcher(documents);
    private final Deque<String> recentLog = new ArrayDeque<>();
    private CompletableFuture<LspClient> ready;
    private LspClient client;
    private boolean watching;

    private ServerManager() {
    }

    public static ServerManager get() {
        return INSTANCE;
    }

    public DocumentTracker documents() {
        return documents;
    }

    /** Starts the server unless it runs; installs the listeners once. */
    public synchronized void start() {
        if (!watching) {
            watching = true;
            resources.install();
            editors.install();
        }
        if (ready != null) {
            return;
        }
        CompletableFuture<LspClient> starting = new CompletableFuture<>();
        ready = starting;
        try {
            ServerLauncher.LaunchSpec spec = Activator.launchSpec();
            Activator.info("bsl-assist: starting " + String.join(" ", spec.command()) + " (" + spec.source() + ")");
            LspClient started = LspClient.start(spec, new Listener());
            client = started;
            started.terminated().thenRun(() -> terminated(started));
            started.initialize(Activator.workspaceRoot(), Activator.projectFolders(),
                    Settings.initializationOptions(Activator.preferences())).whenComplete((result, error) -> {
                        if (error != null) {
                            Activator.log(IStatus.ERROR, "bsl-assist: the server did not initialize", error);
                            starting.completeExceptionally(error);
                        } else {
                            starting.complete(started);
                            documents.reopenAll(started);
                        }
                    });
        } catch (Exception e) {
            Activator.log(IStatus.ERROR, e.getMessage(), e);
            starting.completeExceptionally(e);
        }
    }

    public synchronized void stop() {
        LspClient running = client;
        client = null;
        ready = null;
        if (running != null) {
            running.close();
        }
    }

    public void restart() {
        stop();
        start();
    }

    /** The initialized client; starts the server when it is not running. */
    public CompletableFuture<LspClient> client() {
        synchronized (this) {
            if (ready == null || ready.isCompletedExceptionally()) {
                ready = null;
                start();
            }
            return ready;
        }
    }

    /** Runs the action now when the server is ready; otherwise the restart re-sends documents. */
    void ifReady(Consumer<LspClient> action) {
        CompletableFuture<LspClient> current;
        synchronized (this) {
            current = ready;
        }
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            action.accept(current.join());
        }
    }

    /** After the preference page is saved: a new binary needs a restart, LLM settings do not. */
    public void settingsChanged(boolean serverPathChanged) {
        if (serverPathChanged) {
            restart();
        } else {
            ifReady(c -> c.didChangeConfiguration(Settings.initializationOptions(Activator.preferences())));
        }
    }

    private void terminated(LspClient which) {
        boolean expected;
        synchronized (this) {
            expected = client != which;
            if (!expected) {
                client = null;
                ready = null;
            }
        }
        if (!expected) {
            String tail;
            synchronized (recentLog) {
                tail = String.join("\n", recentLog);
            }
            Activator.log(IStatus.ERROR, "bsl-assist: the server stopped; it starts again with the next command or "
                    + "restart. Its last output:\n" + tail, null);
        }
    }

    private final class Listener implements LspClient.Listener {
        @Override
        public void diagnostics(String uri, JsonArray diagnostics) {
            markers.update(uri, diagnostics);
        }

        @Override
        public JsonObject applyEdit(JsonObject edit) {
            return EditApplier.apply(edit, documents);
        }

        @Override
        public void log(String line) {
            synchronized (recentLog) {
                if (recentLog.size() == LOG_LINES) {
                    recentLog.removeFirst();
                }
                recentLog.addLast(line);
            }
        }
    }
}
