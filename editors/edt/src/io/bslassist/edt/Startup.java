package io.bslassist.edt;

import org.eclipse.ui.IStartup;

/**
 * Starts the server when the workbench is up ({@code org.eclipse.ui.startup}), so problem
 * markers appear without the user running a command first.
 */
public final class Startup implements IStartup {
    @Override
    public void earlyStartup() {
        ServerManager.get().start();
    }
}
