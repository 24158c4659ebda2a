package org.eclipse.lsp4e.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * Compile-only stand-in for LSP4E's interface of the same name (bundle line 0.18.x); never
 * shipped. Only the members the plugin uses or overrides are declared.
 */
public interface StreamConnectionProvider {
    void start() throws IOException;

    InputStream getInputStream();

    OutputStream getOutputStream();

    InputStream getErrorStream();

    void stop();

    default Object getInitializationOptions(URI rootUri) {
        return null;
    }
}
