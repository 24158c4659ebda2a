package io.bslassist.edt;

import io.bslassist.edt.core.LspClient;
import io.bslassist.edt.core.Uris;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentListener;
import org.eclipse.ui.PlatformUI;

/**
 * The modules the server knows as open documents: those in editors (their live text, sent
 * in full a moment after typing stops) and those changed on disk while no editor holds them.
 *
 * <p>A module stays open in the server after its editor closes, with the text on disk, so
 * its problem markers stay in the Problems view; only deleting the file closes it.
 */
public final class DocumentTracker {
    private static final long TYPING_PAUSE_MS = 300;

    private final ServerManager server;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bsl-assist document sync");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Tracked {
        final IFile file;
        final String uri;
        IDocument document;
        IDocumentListener listener;
        int editors;
        int version;
        ScheduledFuture<?> pending;

        Tracked(IFile file, String uri) {
            this.file = file;
            this.uri = uri;
        }
    }

    DocumentTracker(ServerManager server) {
        this.server = server;
    }

    /** An editor showed the module (UI thread). */
    void editorOpened(IFile file, IDocument document) {
        String uri = Editors.uri(file);
        if (uri == null || document == null) {
            return;
        }
        Tracked entry;
        boolean[] fresh = new boolean[1];
        synchronized (tracked) {
            entry = entry(file, uri, fresh);
            entry.editors++;
            if (entry.document != document) {
                detach(entry);
                entry.document = document;
                entry.listener = new IDocumentListener() {
                    @Override
                    public void documentAboutToBeChanged(DocumentEvent event) {
                    }

                    @Override
                    public void documentChanged(DocumentEvent event) {
                        scheduleChange(entry);
                    }
                };
                document.addDocumentListener(entry.listener);
            }
        }
        send(entry, document.get(), fresh[0]);
    }

    /** The module's last editor closed (UI thread): the server gets the text on disk back. */
    void editorClosed(IFile file, IDocument document) {
        String uri = Editors.uri(file);
        Tracked entry = uri == null ? null : tracked.get(uri);
        if (entry == null) {
            return;
        }
        synchronized (tracked) {
            if (--entry.editors > 0) {
                return;
            }
            detach(entry);
        }
        timer.execute(() -> sendFromDisk(entry, false));
    }

    /** A module changed on disk (a job thread): a save from an editor, or a change from elsewhere. */
    void fileChanged(IFile file) {
        String uri = Editors.uri(file);
        if (uri == null) {
            return;
        }
        Tracked entry;
        boolean[] fresh = new boolean[1];
        synchronized (tracked) {
            entry = entry(file, uri, fresh);
        }
        if (entry.document != null) {
            server.ifReady(client -> client.didSave(uri));
        } else {
            sendFromDisk(entry, fresh[0]);
        }
    }

    /** The URI's entry, created (and {@code fresh[0]} set) when new; called holding {@code tracked}. */
    private Tracked entry(IFile file, String uri, boolean[] fresh) {
        Tracked entry = tracked.get(uri);
        if (entry == null) {
            entry = new Tracked(file, uri);
            tracked.put(uri, entry);
            fresh[0] = true;
        }
        return entry;
    }

    void fileRemoved(IFile file) {
        String uri = Editors.uri(file);
        Tracked entry = uri == null ? null : tracked.remove(uri);
        if (entry != null) {
            synchronized (tracked) {
                detach(entry);
            }
            server.ifReady(client -> client.didClose(uri));
        }
    }

    /**
     * Sends the editor's current text now (UI thread), so a command runs on what the user
     * sees; opens the module in the server when it was not yet.
     */
    public void flushFromEditor(IFile file, IDocument document) {
        String uri = Editors.uri(file);
        Tracked entry = uri == null ? null : tracked.get(uri);
        if (entry == null || entry.document != document) {
            editorOpened(file, document);
            return;
        }
        if (entry.pending != null) {
            entry.pending.cancel(false);
        }
        send(entry, document.get(), false);
    }

    /** The editor document of a URI, for edits the server asks for; null when none is open. */
    IDocument editorDocument(String uri) {
        Tracked entry = tracked.get(uri);
        if (entry != null) {
            return entry.document;
        }
        java.nio.file.Path path = Uris.toPath(uri);
        for (Tracked candidate : tracked.values()) {
            if (path != null && path.equals(Uris.toPath(candidate.uri))) {
                return candidate.document;
            }
        }
        return null;
    }

    /** The text diagnostics of a URI were computed for: the editor's, else the file's. */
    String text(String uri, IFile file) {
        IDocument document = editorDocument(uri);
        if (document != null) {
            return document.get();
        }
        return file == null ? null : read(file);
    }

    /** After a (re)start: every tracked module is opened again in the new server. */
    void reopenAll(LspClient client) {
        for (Tracked entry : tracked.values()) {
            IDocument document = entry.document;
            if (document != null) {
                PlatformUI.getWorkbench().getDisplay().asyncExec(() -> send(entry, document.get(), true));
            } else {
                timer.execute(() -> sendFromDisk(entry, true));
            }
        }
    }

    private void scheduleChange(Tracked entry) {
        synchronized (entry) {
            if (entry.pending != null) {
                entry.pending.cancel(false);
            }
            entry.pending = timer.schedule(() -> {
                IDocument document = entry.document;
                if (document == null) {
                    return;
                }
                String[] text = new String[1];
                // Documents belong to the UI thread; read the text there, send it from here.
                org.eclipse.swt.widgets.Display display = PlatformUI.getWorkbench().getDisplay();
                if (display.isDisposed()) {
                    return;
                }
                display.syncExec(() -> text[0] = document.get());
                if (text[0] != null) {
                    send(entry, text[0], false);
                }
            }, TYPING_PAUSE_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void sendFromDisk(Tracked entry, boolean open) {
        String text = read(entry.file);
        if (text != null) {
            send(entry, text, open);
        }
    }

    private void send(Tracked entry, String text, boolean open) {
        server.ifReady(client -> {
            synchronized (entry) {
                int version = ++entry.version;
                if (open) {
                    client.didOpen(entry.uri, Uris.languageId(entry.file.getName()), version, text);
                } else {
                    client.didChange(entry.uri, version, text);
                }
            }
        });
    }

    private static void detach(Tracked entry) {
        if (entry.document != null && entry.listener != null) {
            entry.document.removeDocumentListener(entry.listener);
        }
        entry.document = null;
        entry.listener = null;
    }

    /** The file's text in its charset, without a byte order mark (editors drop it too). */
    static String read(IFile file) {
        if (!file.exists()) {
            return null;
        }
        try (InputStream in = file.getContents(true)) {
            String text = new String(in.readAllBytes(), Charset.forName(file.getCharset()));
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (Exception e) {
            Activator.log(IStatus.WARNING, "bsl-assist: cannot read " + file.getFullPath(), e);
            return null;
        }
    }

    /** The workspace file at a URI, or null when the URI is outside the workspace. */
    static IFile fileAt(String uri) {
        try {
            IFile[] files = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(URI.create(uri));
            return files.length == 0 ? null : files[0];
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
