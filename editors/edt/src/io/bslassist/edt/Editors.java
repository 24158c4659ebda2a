package io.bslassist.edt;

import io.bslassist.edt.core.Uris;
import org.eclipse.core.resources.IFile;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.texteditor.IDocumentProvider;
import org.eclipse.ui.texteditor.ITextEditor;

/** Reaching a module's file and document from an editor, EDT's Xtext editor included. */
public final class Editors {
    private Editors() {
    }

    /** The text editor behind a part (multi-page editors adapt to one), or null. */
    public static ITextEditor textEditor(IEditorPart editor) {
        if (editor == null) {
            return null;
        }
        if (editor instanceof ITextEditor text) {
            return text;
        }
        return editor.getAdapter(ITextEditor.class);
    }

    /** The workspace file of a BSL or OneScript module open in the editor, or null. */
    public static IFile moduleFile(IEditorPart editor) {
        if (editor == null) {
            return null;
        }
        IEditorInput input = editor.getEditorInput();
        IFile file = input == null ? null : input.getAdapter(IFile.class);
        return file != null && Uris.isModule(file.getName()) ? file : null;
    }

    public static IDocument document(ITextEditor editor) {
        IDocumentProvider provider = editor.getDocumentProvider();
        return provider == null ? null : provider.getDocument(editor.getEditorInput());
    }

    /** The file's URI as the server receives it, or null for a file outside the file system. */
    public static String uri(IFile file) {
        return file.getLocation() == null ? null : Uris.fromPath(file.getLocation().toFile().toPath());
    }
}
