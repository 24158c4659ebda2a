package io.bslassist.edt;

import com.google.gson.JsonObject;
import io.bslassist.edt.core.WorkspaceEdits;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.core.filebuffers.ITextFileBufferManager;
import org.eclipse.core.filebuffers.LocationKind;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.PlatformUI;

/**
 * Answers the server's {@code workspace/applyEdit} on the UI thread: an open module is
 * changed through its editor's document (one undoable change, unsaved like any typing), a
 * module no editor holds through a file buffer, which is saved afterwards.
 */
final class EditApplier {
    private EditApplier() {
    }

    static JsonObject apply(JsonObject edit, DocumentTracker documents) {
        JsonObject[] result = new JsonObject[1];
        PlatformUI.getWorkbench().getDisplay().syncExec(() -> {
            List<IPath> connected = new ArrayList<>();
            ITextFileBufferManager buffers = FileBuffers.getTextFileBufferManager();
            try {
                result[0] = WorkspaceEdits.applyAll(edit, uri -> {
                    IDocument document = documents.editorDocument(uri);
                    return document != null ? document : bufferDocument(buffers, uri, connected);
                });
                if (result[0].get("applied").getAsBoolean()) {
                    for (IPath path : connected) {
                        buffers.getTextFileBuffer(path, LocationKind.IFILE).commit(null, false);
                    }
                }
            } catch (CoreException e) {
                Activator.log(IStatus.WARNING, "bsl-assist: cannot save an edited module", e);
            } finally {
                for (IPath path : connected) {
                    try {
                        buffers.disconnect(path, LocationKind.IFILE, null);
                    } catch (CoreException e) {
                        Activator.log(IStatus.WARNING, "bsl-assist: cannot release " + path, e);
                    }
                }
            }
        });
        if (result[0] == null) {
            result[0] = new JsonObject();
            result[0].addProperty("applied", false);
            result[0].addProperty("failureReason", "the edit could not be applied");
        }
        return result[0];
    }

    private static IDocument bufferDocument(ITextFileBufferManager buffers, String uri, List<IPath> connected) {
        IFile file = DocumentTracker.fileAt(uri);
        if (file == null) {
            return null;
        }
        IPath path = file.getFullPath();
        try {
            buffers.connect(path, LocationKind.IFILE, null);
        } catch (CoreException e) {
            Activator.log(IStatus.WARNING, "bsl-assist: cannot open " + path, e);
            return null;
        }
        connected.add(path);
        ITextFileBuffer buffer = buffers.getTextFileBuffer(path, LocationKind.IFILE);
        return buffer == null ? null : buffer.getDocument();
    }
}
