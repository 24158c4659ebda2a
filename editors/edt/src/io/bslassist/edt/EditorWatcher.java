package io.bslassist.edt;

import java.util.HashMap;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IPartListener2;
import org.eclipse.ui.IWindowListener;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPartReference;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * Follows module editors in every workbench window (EDT's BSL editor, the Generic Editor or
 * any text editor on a {@code .bsl}/{@code .os} file) and tells the tracker what they hold.
 */
final class EditorWatcher implements IPartListener2, IWindowListener {
    private final DocumentTracker documents;
    /** What each editor was showing, so closing or switching its input can be undone. */
    private final Map<IWorkbenchPartReference, Shown> shown = new HashMap<>();

    private record Shown(IFile file, IDocument document) {
    }

    EditorWatcher(DocumentTracker documents) {
        this.documents = documents;
    }

    void install() {
        IWorkbench workbench = PlatformUI.getWorkbench();
        workbench.getDisplay().asyncExec(() -> {
            workbench.addWindowListener(this);
            for (IWorkbenchWindow window : workbench.getWorkbenchWindows()) {
                hook(window);
            }
        });
    }

    private void hook(IWorkbenchWindow window) {
        window.getPartService().addPartListener(this);
        for (IWorkbenchPage page : window.getPages()) {
            for (IEditorReference reference : page.getEditorReferences()) {
                opened(reference);
            }
        }
    }

    private void opened(IWorkbenchPartReference reference) {
        if (!(reference instanceof IEditorReference editorReference) || shown.containsKey(reference)) {
            return;
        }
        IEditorPart editor = editorReference.getEditor(false);
        ITextEditor text = Editors.textEditor(editor);
        IFile file = Editors.moduleFile(editor);
        if (text == null || file == null) {
            return;
        }
        IDocument document = Editors.document(text);
        if (document != null) {
            shown.put(reference, new Shown(file, document));
            documents.editorOpened(file, document);
        }
    }

    /** Keyed by reference: by the time a part is closed its editor may already be gone. */
    private void closed(IWorkbenchPartReference reference) {
        Shown was = shown.remove(reference);
        if (was != null) {
            documents.editorClosed(was.file(), was.document());
        }
    }

    @Override
    public void partOpened(IWorkbenchPartReference reference) {
        opened(reference);
    }

    @Override
    public void partClosed(IWorkbenchPartReference reference) {
        closed(reference);
    }

    @Override
    public void partInputChanged(IWorkbenchPartReference reference) {
        closed(reference);
        opened(reference);
    }

    @Override
    public void partVisible(IWorkbenchPartReference reference) {
        // Editors restored lazily at startup are created when first shown.
        opened(reference);
    }

    @Override
    public void windowOpened(IWorkbenchWindow window) {
        hook(window);
    }

    @Override
    public void windowClosed(IWorkbenchWindow window) {
        window.getPartService().removePartListener(this);
    }

    @Override
    public void windowActivated(IWorkbenchWindow window) {
    }

    @Override
    public void windowDeactivated(IWorkbenchWindow window) {
    }
}
