package org.eclipse.lsp4e.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.eclipse.core.runtime.IAdaptable;

/**
 * Compile-only stand-in for LSP4E's class of the same name (bundle line 0.18.x); never
 * shipped, so every body only fails. The real class starts the command line in the working
 * directory and connects to the process's streams.
 */
public abstract class ProcessStreamConnectionProvider implements StreamConnectionProvider, IAdaptable {
    protected ProcessStreamConnectionProvider() {
    }

    protected ProcessStreamConnectionProvider(List<String> commands) {
    }

    protected ProcessStreamConnectionProvider(List<String> commands, String workingDir) {
    }

    @Override
    public void start() throws IOException {
        throw stub();
    }

    protected ProcessBuilder createProcessBuilder() {
        throw stub();
    }

    @Override
    public InputStream getInputStream() {
        throw stub();
    }

    @Override
    public InputStream getErrorStream() {
        throw stub();
    }

    @Override
    public OutputStream getOutputStream() {
        throw stub();
    }

    @Override
    public void stop() {
        throw stub();
    }

    protected List<String> getCommands() {
        throw stub();
    }

    public void setCommands(List<String> commands) {
        throw stub();
    }

    protected String getWorkingDirectory() {
        throw stub();
    }

    public void setWorkingDirectory(String workingDirectory) {
        throw stub();
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        throw stub();
    }

    private static UnsupportedOperationException stub() {
        return new UnsupportedOperationException("compile-only LSP4E stub");
    }
}
