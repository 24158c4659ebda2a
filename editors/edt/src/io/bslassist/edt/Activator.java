package io.bslassist.edt;

import io.bslassist.edt.core.ServerLauncher;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.osgi.framework.BundleContext;

/** The bundle's activator: preferences, the log, and where the server binary is. */
public final class Activator extends AbstractUIPlugin {
    public static final String PLUGIN_ID = "io.bslassist.edt";

    private static Activator instance;

    @Override
    public void start(BundleContext context) throws Exception {
        super.start(context);
        instance = this;
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        ServerManager.get().stop();
        instance = null;
        super.stop(context);
    }

    public static Activator getDefault() {
        return instance;
    }

    public static void log(int severity, String message, Throwable error) {
        Activator plugin = instance;
        if (plugin != null) {
            plugin.getLog().log(new Status(severity, PLUGIN_ID, message, error));
        }
    }

    public static void info(String message) {
        log(IStatus.INFO, message, null);
    }

    /** The preference values by key, as strings. */
    public static Function<String, String> preferences() {
        IPreferenceStore store = getDefault().getPreferenceStore();
        return store::getString;
    }

    public static Path workspaceRoot() {
        return ResourcesPlugin.getWorkspace().getRoot().getLocation().toFile().toPath();
    }

    /** The locations of the open projects, sent as workspace folders. */
    public static java.util.List<Path> projectFolders() {
        java.util.List<Path> folders = new java.util.ArrayList<>();
        for (IProject project : ResourcesPlugin.getWorkspace().getRoot().getProjects()) {
            if (project.isOpen() && project.getLocation() != null) {
                folders.add(project.getLocation().toFile().toPath());
            }
        }
        return folders;
    }

    /** The server's command line from the preferences, the environment and the bundle. */
    public static ServerLauncher.LaunchSpec launchSpec() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return ServerLauncher.resolve(preferences(), System.getenv(), bundledServerRoot(windows), workspaceRoot(),
                windows);
    }

    /**
     * The folder holding {@code server/bsl-assist}: the bundle's own folder when it is
     * installed unpacked ({@code Eclipse-BundleShape: dir}), else the copy Equinox extracts
     * from the jar, which has lost its run bit and gets it back here.
     *
     * <p>{@code FileLocator.getBundleFile} is deprecated in Eclipse 4.26 for
     * {@code getBundleFileLocation}, which older EDT releases lack.
     */
    @SuppressWarnings("deprecation")
    private static Path bundledServerRoot(boolean windows) {
        Activator plugin = getDefault();
        try {
            File location = FileLocator.getBundleFile(plugin.getBundle());
            if (location.isDirectory()) {
                ensureExecutable(new File(location, "server/" + ServerLauncher.bundledName(windows)));
                return location.toPath();
            }
            URL entry = plugin.getBundle().getEntry("server/" + ServerLauncher.bundledName(windows));
            if (entry == null) {
                return null;
            }
            File extracted = new File(FileLocator.toFileURL(entry).getPath());
            ensureExecutable(extracted);
            return extracted.toPath().getParent().getParent();
        } catch (IOException | RuntimeException e) {
            log(IStatus.WARNING, "bsl-assist: cannot locate the bundled server", e);
            return null;
        }
    }

    private static void ensureExecutable(File binary) {
        if (binary.isFile() && !binary.canExecute() && !binary.setExecutable(true)) {
            log(IStatus.WARNING, "bsl-assist: cannot make " + binary + " executable", null);
        }
    }
}
