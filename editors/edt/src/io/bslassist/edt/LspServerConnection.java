package io.bslassist.edt;

import io.bslassist.edt.core.ServerLauncher;
import io.bslassist.edt.core.Settings;
import com.google.gson.Gson;
import java.net.URI;
import java.util.Map;
import org.eclipse.lsp4e.server.ProcessStreamConnectionProvider;

/**
 * The server for LSP4E ({@code org.eclipse.lsp4e.languageServer} in plugin.xml): the same
 * command line and settings as the plugin's own client. LSP4E uses it for modules opened
 * with the Generic Editor; EDT's BSL editor is reached through markers and commands instead.
 * Loaded only when LSP4E is installed (the bundle requires it optionally).
 */
public final class LspServerConnection extends ProcessStreamConnectionProvider {
    private final ServerLauncher.LaunchSpec spec;

    public LspServerConnection() {
        spec = Activator.launchSpec();
        setCommands(spec.command());
        setWorkingDirectory(spec.workingDirectory().toString());
    }

    @Override
    protected ProcessBuilder createProcessBuilder() {
        ProcessBuilder builder = super.createProcessBuilder();
        builder.environment().putAll(spec.environment());
        return builder;
    }

    /**
     * Plain maps rather than a Gson tree: LSP4J may be wired to another Gson bundle than ours,
     * and would then not recognise our JsonObject as JSON.
     */
    @Override
    public Object getInitializationOptions(URI rootUri) {
        return new Gson().fromJson(Settings.initializationOptions(Activator.preferences()), Map.class);
    }
}
